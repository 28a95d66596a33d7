"""CORE009: a suppression that is malformed, gives no reason, names a rule
no loaded pack defines, or suppresses nothing.

A rule the configuration turns off is not judged: the suppression may be
needed when it is on again. An id that no loaded pack defines is reported
(RULEPACKS.md 0.2): it is a typo, or a rule of a pack this run does not load,
and either way it suppresses nothing while it looks like it does.
"""

from __future__ import annotations

from tospolicy.checks.protocol import AFTER_SUPPRESSIONS, Hit
from tospolicy.support.suggest import did_you_mean

NAME = "suppressions"
PHASE = AFTER_SUPPRESSIONS


def hits(declaration, context):
    for suppression in context.suppressions:
        identity = f"suppression {suppression.text.strip()}"
        if suppression.problem:
            yield Hit(suppression.span, suppression.problem, statement=identity)
            continue
        if not suppression.reason:
            yield Hit(suppression.span,
                      "suppression gives no reason: say why after the brackets, "
                      f"'# tospolicy: ignore[{', '.join(suppression.ids)}] because …'",
                      statement=identity)
        unknown = [rule_id for rule_id in suppression.ids if rule_id not in context.defined_ids]
        if unknown and context.defined_ids:
            plural = "s" if len(unknown) > 1 else ""
            # One unknown id gets the nearest defined ones as suggestions.
            nearest = did_you_mean(unknown[0], context.defined_ids, 3) if len(unknown) == 1 else ""
            yield Hit(suppression.span,
                      f"ignore[{', '.join(unknown)}]: no loaded pack defines rule{plural} "
                      f"{', '.join(unknown)}{nearest}: "
                      "a typo, or a rule of a pack this run does not load",
                      statement=identity)
        unused = [rule_id for rule_id in suppression.ids
                  if rule_id in context.rule_ids and rule_id not in suppression.used]
        if unused:
            yield Hit(suppression.span,
                      f"ignore[{', '.join(unused)}] suppresses nothing here",
                      statement=identity)
