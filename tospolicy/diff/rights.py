"""Topic: rights (DIFF007): rights removed or weakened."""

from __future__ import annotations

from tospolicy.diff.attributes import other_attributes, regions
from tospolicy.diff.change import RIGHT_REMOVED
from tospolicy.diff.session import ServiceDiff
from tospolicy.diff.values import same_values, spans_of, value_text
from tospolicy.language.model import Duration

# Rights whose removal touches AI training, sale or sensitive data.
SERIOUS_RIGHTS = frozenset({"opt_out_ai_training", "opt_out_sale", "limit_sensitive"})


def compare(diff: ServiceDiff) -> None:
    old = {statement.right.value: statement for statement in reversed(diff.old.of("right"))}
    new = {statement.right.value: statement for statement in reversed(diff.new.of("right"))}
    for name, after in sorted(new.items(), key=lambda item: item[1].span.line):
        before = old.get(name)
        if before is None:
            diff.improvement(RIGHT_REMOVED, after.identity,
                             f"right {diff.term('rights', name)} now declared", None, after.span,
                             after.identity)
        else:
            compare_right(diff, name, before, after)
    for name, before in sorted(old.items(), key=lambda item: item[1].span.line):
        if name not in new:
            severity = "error" if name in SERIOUS_RIGHTS else "warning"
            diff.regression(RIGHT_REMOVED, severity, before.identity,
                            f"right {diff.term('rights', name)} no longer declared",
                            before.span, None, before.identity)


def compare_right(diff: ServiceDiff, name, before, after) -> None:
    who = f"right {name}"
    severity = "error" if name in SERIOUS_RIGHTS else "warning"
    old, new = before.value("within"), after.value("within")
    if not same_values(old, new):
        spans = spans_of(before, after, "within")
        old_days = old.days if isinstance(old, Duration) else None
        new_days = new.days if isinstance(new, Duration) else None
        if old_days is None and new_days is None:
            diff.neutral(after.identity, f"{who}: time limit changed from {value_text(old)} "
                         f"to {value_text(new)}", *spans, after.identity)
        elif old_days == new_days:
            diff.neutral(after.identity, f"{who}: now answered within {new} (was {old}), the "
                         "same time", *spans, after.identity)
        else:
            worse = new_days is None or (old_days is not None and new_days > old_days)
            now = f"within {new}" if new_days is not None else "with no time limit stated"
            was = f"within {old}" if old_days is not None else "no time limit stated"
            diff.judge(RIGHT_REMOVED, worse, severity, after.identity,
                       f"{who}: now answered {now} — was {was}", *spans, after.identity)
    regions(diff, before, after, RIGHT_REMOVED, True, who, severity)
    other_attributes(diff, before, after, {"within", "regions", "except_regions"}, who, after.identity)
