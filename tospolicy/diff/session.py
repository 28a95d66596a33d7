"""One service's comparison: the topics record their changes here, judged
(a regression or an improvement, with its DIFF id) or neutral, each once."""

from __future__ import annotations

from tospolicy.diff.change import IMPROVEMENT, NEUTRAL, REGRESSION, Change
from tospolicy.diff.values import listing
from tospolicy.diff.versions import Version
from tospolicy.language.taxonomy import TOPS, Taxonomy

# Purposes whose harm cannot be undone: a model cannot unlearn what it was
# trained on (`ai`, `any` and every `ai.training.*` overlap `ai.training`), and
# data sold or licensed out cannot be called back.
IRREVERSIBLE_PURPOSES = ("ai.training", "commercial")


class ServiceDiff:
    """Compares one service's two versions: the topics record their changes here."""

    def __init__(self, old: Version, new: Version, taxonomy: Taxonomy,
                 renames: dict[str, str] | None = None):
        self.old = old
        self.renames = renames or {}  # data sets renamed: old name -> new name
        self.new = new
        self.taxonomy = taxonomy
        self.name = new.service.name.value
        self.anchor = new.service.name.span  # where changes with no statement of their own show
        self.changes: list[Change] = []
        self._seen: set[tuple] = set()
        self._ancestors: dict[tuple[str, str], tuple[str, ...]] = {}
        # Off while comparing restructured statements (split, merged, purposes
        # changed): their citations and notes are bound to differ, and only what
        # protects people more or less is worth a line.
        self._neutral = True

    def _add(self, rule_id, classification, severity, subject, message, old, new, statement):
        key = (rule_id, classification, subject, message)
        if key in self._seen:
            return
        self._seen.add(key)
        self.changes.append(Change(
            rule_id, classification, severity if classification == REGRESSION else None,
            self.name, subject, message, old, new or self.anchor, statement,
        ))

    def regression(self, rule_id, severity, subject, message, old, new, statement=""):
        self._add(rule_id, REGRESSION, severity, subject, message, old, new, statement)

    def improvement(self, rule_id, subject, message, old, new, statement=""):
        self._add(rule_id, IMPROVEMENT, None, subject, message, old, new, statement)

    def neutral(self, subject, message, old, new, statement=""):
        if self._neutral:
            self._add(None, NEUTRAL, None, subject, message, old, new, statement)

    def restructured(self, compare, pairs) -> None:
        """Compare statements that are not the same statement but cover the same
        ground: judged changes only."""
        self._neutral = False
        for before, after in pairs:
            compare(before, after)
        self._neutral = True

    def judge(self, rule_id, worse: bool, severity, subject, message, old, new, statement=""):
        if worse:
            self.regression(rule_id, severity, subject, message, old, new, statement)
        else:
            self.improvement(rule_id, subject, message, old, new, statement)

    def term(self, kind: str, key: str) -> str:
        label = self.taxonomy.label(kind, key)
        return f"{key} ({label})" if label != key else key

    def terms(self, kind: str, keys) -> str:
        return listing([self.term(kind, key) for key in keys])

    def severity(self, data=(), purposes=()) -> str:
        """`error` where the harm cannot be undone or falls on those the law protects
        most (AI training, open-ended or commercial purposes, sensitive data,
        children); `warning` otherwise."""
        if any(self.taxonomy.overlaps(purpose, risky, "purposes")
               for purpose in purposes for risky in IRREVERSIBLE_PURPOSES):
            return "error"
        for version in (self.new, self.old):
            if version.sensitive(data) or version.children(data):
                return "error"
        return "warning"

    def ancestors(self, term: str, kind: str) -> tuple[str, ...]:
        """`term` and every term above it (cached: large declarations repeat terms)."""
        key = (term, kind)
        if key not in self._ancestors:
            self._ancestors[key] = tuple(self.taxonomy.ancestors(term, kind))
        return self._ancestors[key]

    def broader(self, kind: str, first, second) -> list[str]:
        """Terms of `first` that no term of `second` covers (is the same as, or above)."""
        cover = second.keys() if isinstance(second, dict) else set(second)
        if TOPS.get(kind) in cover:
            return []
        return [term for term in first if cover.isdisjoint(self.ancestors(term, kind))]

    def removed_data(self, name: str) -> bool:
        return name in self.old.data and name not in self.new.data
