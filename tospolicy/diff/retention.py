"""Topic: retention (DIFF005): periods made longer or shorter."""

from __future__ import annotations

from tospolicy.diff.attributes import other_attributes
from tospolicy.diff.change import RETENTION_EXTENDED
from tospolicy.diff.session import ServiceDiff
from tospolicy.diff.values import by_data, terms_in
from tospolicy.language.model import Retain


def compare(diff: ServiceDiff) -> None:
    """Retention by data. `indefinitely` is longer than any duration; two
    durations after the same event compare by length; anything else (a
    duration against `until EVENT`) cannot be ranked and is neutral."""
    old, new = by_data(diff.old.of("retain")), by_data(diff.new.of("retain"))
    for name in dict.fromkeys((*new, *old)):
        if not diff.removed_data(name):
            compare_retention(diff, name, old.get(name, []), new.get(name, []))


def compare_retention(diff: ServiceDiff, name, before: list[Retain], after: list[Retain]) -> None:
    old, new = sorted({_period(item) for item in before}), sorted({_period(item) for item in after})
    subject = f"retain {name}"
    statement = after[0].identity if after else before[0].identity
    old_span = before[0].span if before else None
    new_span = after[0].span if after else None
    who = diff.new.label(name)
    if old == new:
        if len(before) == 1 and len(after) == 1:
            other_attributes(diff, before[0], after[0], set(), f"retain {name}", statement)
        return
    if name not in diff.old.data and name in diff.new.data:
        diff.neutral(subject, f"{who}: kept {' / '.join(new)} (new data set)",
                     old_span, new_span, statement)
        return
    old_forever = any(item.indefinitely for item in before)
    new_forever = any(item.indefinitely for item in after)
    # Kept longer to train AI on it is an error (RULEPACKS.md 0.2, DIFF005).
    severity = diff.severity([name], [purpose for item in after
                                      for purpose in terms_in(item.value("purposes"))])
    was, now = " / ".join(old) or "not stated", " / ".join(new) or "not stated"
    if not before:
        if new_forever:
            diff.neutral(subject, f"{who}: retention now stated: kept {now}",
                         old_span, new_span, statement)
        else:
            diff.improvement(RETENTION_EXTENDED, subject,
                             f"{who}: retention now limited: kept {now}", old_span, new_span,
                             statement)
    elif not after:
        if old_forever:
            diff.neutral(subject, f"{who}: retention no longer stated (was {was})",
                         old_span, new_span, statement)
        else:
            diff.regression(RETENTION_EXTENDED, severity, subject,
                            f"{who}: retention no longer stated — was kept {was}",
                            old_span, new_span, statement)
    elif old_forever != new_forever:
        diff.judge(RETENTION_EXTENDED, new_forever, severity, subject,
                   f"{who}: now kept {now} — was kept {was}", old_span, new_span, statement)
    elif _comparable(before + after):
        longest_old = max(item.duration.days for item in before)
        longest_new = max(item.duration.days for item in after)
        if longest_old == longest_new:
            diff.neutral(subject, f"{who}: now kept {now} (was {was}), the same length",
                         old_span, new_span, statement)
        else:
            worse = longest_new > longest_old
            diff.judge(RETENTION_EXTENDED, worse, severity, subject,
                       f"{who}: kept {'longer' if worse else 'shorter'}: {now} — was {was}",
                       old_span, new_span, statement)
    else:
        diff.neutral(subject, f"{who}: now kept {now}, was kept {was} (the two cannot be "
                     "ranked)", old_span, new_span, statement)


def _period(statement: Retain) -> str:
    if statement.indefinitely:
        text = "indefinitely"
    elif statement.duration is not None:
        text = f"for {statement.duration}"
    else:
        text = f"until {statement.until.value}"
    if statement.after is not None:
        text += f" after {statement.after.value}"
    return text


def _comparable(statements: list[Retain]) -> bool:
    """Durations all counted from the same event can be compared by length."""
    return (all(item.duration is not None for item in statements)
            and len({item.after.value if item.after else None for item in statements}) == 1)
