"""Topic: the service's own attributes (audience, role and the rest)."""

from __future__ import annotations

from tospolicy.diff.attributes import other_attributes
from tospolicy.diff.change import MORE_PEOPLE, SAFEGUARD_WEAKENED
from tospolicy.diff.session import ServiceDiff
from tospolicy.diff.values import first_term, spans_of
from tospolicy.diff.versions import CHILD_AUDIENCES


def compare(diff: ServiceDiff) -> None:
    before, after = diff.old.service, diff.new.service
    if before is None:
        diff.neutral(after.identity, f'new service "{after.name.value}": everything in it is new',
                     None, after.name.span, after.identity)
        return
    who = f'service "{after.name.value}"'
    if before.name.value != after.name.value:
        diff.neutral(after.identity, f'service "{before.name.value}" renamed to "{after.name.value}"',
                     before.name.span, after.name.span, after.identity)
    audience(diff, before, after, who)
    role(diff, before, after, who)
    other_attributes(diff, before, after, {"audience", "role"}, who, after.identity)


def audience(diff: ServiceDiff, before, after, who) -> None:
    old, new = first_term(before.value("audience")), first_term(after.value("audience"))
    if old == new:
        return
    spans = spans_of(before, after, "audience")
    if (new in CHILD_AUDIENCES) != (old in CHILD_AUDIENCES):
        worse = new in CHILD_AUDIENCES
        words = "now directed to children" if worse else "no longer directed to children"
        diff.judge(MORE_PEOPLE, worse, "error", after.identity,
                   f"{who}: {words}: audience {new or 'not stated'}, was {old or 'not stated'}",
                   *spans, after.identity)
    else:
        diff.neutral(after.identity, f"{who}: audience changed from {old or 'not stated'} "
                     f"to {new or 'not stated'}", *spans, after.identity)


def role(diff: ServiceDiff, before, after, who) -> None:
    old, new = first_term(before.value("role")), first_term(after.value("role"))
    if old == new:
        return
    spans = spans_of(before, after, "role")
    if {old, new} == {"processor", "controller"}:
        worse = new == "controller"
        words = ("now controller of the data its customers entrust to it, so it may use that "
                 "data for its own purposes — was processor") if worse else (
                 "now processor of the data its customers entrust to it, acting only on their "
                 "instructions — was controller")
        diff.judge(SAFEGUARD_WEAKENED, worse, "warning", after.identity, f"{who}: {words}",
                   *spans, after.identity)
    else:
        diff.neutral(after.identity, f"{who}: role changed from {old or 'not stated'} to "
                     f"{new or 'not stated'}", *spans, after.identity)
