"""One change between two versions of a declaration: its classification,
its DIFF id, and the order changes are reported in."""

from __future__ import annotations

from dataclasses import dataclass

from tospolicy.language.model import Span

REGRESSION, IMPROVEMENT, NEUTRAL = "regression", "improvement", "neutral"
CLASSIFICATIONS = (REGRESSION, IMPROVEMENT, NEUTRAL)

NEW_PURPOSE = "DIFF001"
CONSENT_WEAKENED = "DIFF002"
BASIS_AWAY_FROM_CONSENT = "DIFF003"
NEW_SHARE = "DIFF004"
RETENTION_EXTENDED = "DIFF005"
LICENSE_BROADENED = "DIFF006"
RIGHT_REMOVED = "DIFF007"
NEW_CATEGORIES = "DIFF008"
COMMITMENT_REMOVED = "DIFF009"
MORE_PEOPLE = "DIFF012"
SAFEGUARD_WEAKENED = "DIFF013"


@dataclass(frozen=True)
class Change:
    """One thing that changed between two versions, and what it means.

    `rule_id` is the DIFF id (None for a neutral change); `severity` is set for
    regressions only. `subject` says what the change is about in the
    language's own terms (`use communications for ai.training`, `data
    service_generated`, `right erasure`), `statement` is the identity of the
    statement it points at (the new one, or the old one when it was removed).
    `old` locates it in the old version (None for something new); `new` in
    the new version, at the service's name for something removed (None only
    when the whole service was removed).
    """

    rule_id: str | None
    classification: str
    severity: str | None
    service: str
    subject: str
    message: str
    old: Span | None
    new: Span | None
    statement: str = ""
    # A change of the prose (DIFF010, DIFF011): the message before the words,
    # and the words that changed (binding.words.Change), which each format
    # shows its own way (`[-old-]{+new+}` in text, `~~old~~ **new**` in Markdown).
    lead: str = ""
    words: tuple = ()


_CLASS_ORDER = {REGRESSION: 0, IMPROVEMENT: 1, NEUTRAL: 2}
_SEVERITY_ORDER = {"error": 0, "warning": 1, None: 2}


def sort_key(change: Change) -> tuple:
    """Regressions first (errors before warnings), then improvements, then the rest;
    within each, by place in the new version, then the old."""
    place = change.new or change.old
    old = change.old
    return (
        _CLASS_ORDER[change.classification], _SEVERITY_ORDER[change.severity],
        (place.file, place.line, place.column) if place else ("", 0, 0),
        (old.file, old.line, old.column) if old else ("", 0, 0),
        change.rule_id or "", change.message,
    )
