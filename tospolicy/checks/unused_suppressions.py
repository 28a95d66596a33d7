"""CORE009: a suppression that is malformed, gives no reason, or suppresses nothing.

Only the rules that ran are judged: a suppression for a rule of a pack this run
did not load (or that the configuration turns off) may be needed by another run.
"""

from __future__ import annotations

from tospolicy.checks.protocol import AFTER_SUPPRESSIONS, Hit

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
        unused = [rule_id for rule_id in suppression.ids
                  if rule_id in context.rule_ids and rule_id not in suppression.used]
        if unused:
            yield Hit(suppression.span,
                      f"ignore[{', '.join(unused)}] suppresses nothing here",
                      statement=identity)
