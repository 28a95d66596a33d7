"""The taxonomy: purposes, data categories, regions and the other term sets.

Terms are dotted: `ai.training` is under `ai`. A term may also name another
parent explicitly (`parent:` in the YAML), which is how imported or pack terms
hang under built-in ones. Two terms stand above a whole kind: the purpose `any`
covers every purpose, the region `global` every region.

The built-in terms live in `rules/taxonomy.yaml`; rule packs add their own
(`taxonomy:` in a pack), merged by `Taxonomy.extended`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

from tospolicy.support.cache import shipped_data
from tospolicy.support.suggest import close_matches

# The kinds of terms, as named in taxonomy.yaml and in packs' `taxonomy:`.
KINDS = ("purposes", "categories", "regions", "rights", "subjects", "consent", "events")
# The term above every other term of its kind.
TOPS = {"purposes": "any", "regions": "global"}
_TOP_TERMS = frozenset(TOPS.values())
# Terms whose ancestors a taxonomy remembers (`is_under`) before it starts over:
# declarations, which anyone writes, can hold any number of distinct terms.
REMEMBERED_TERMS = 65_536


@dataclass(unsafe_hash=True)
class Term:
    key: str
    label: str
    description: str = ""
    parent: str | None = None  # explicit parent; otherwise the dotted prefix
    dpv: str | None = None  # W3C Data Privacy Vocabulary equivalent
    fideslang: str | None = None  # fideslang equivalent
    rank: int | None = None  # ordering within the kind (consent strength)


@dataclass(unsafe_hash=True)
class Taxonomy:
    terms: dict[str, dict[str, Term]] = field(default_factory=dict)
    # (key, kind) -> the terms above key: every rule asks `under` and `overlap`
    # of the same few terms, statement after statement.
    _above: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def knows(self, kind: str, key: str) -> bool:
        return key in self.terms.get(kind, {})

    def term(self, kind: str, key: str) -> Term | None:
        return self.terms.get(kind, {}).get(key)

    def label(self, kind: str, key: str) -> str:
        term = self.term(kind, key)
        return term.label if term else key

    def parent(self, key: str, kind: str | None = None) -> str | None:
        """The term directly above `key`, or None at the top of the hierarchy."""
        kinds = (kind,) if kind else KINDS
        for name in kinds:
            term = self.terms.get(name, {}).get(key)
            if term is not None and term.parent:
                return term.parent
        if "." in key:
            return key.rsplit(".", 1)[0]
        return None

    def ancestors(self, key: str, kind: str | None = None) -> list[str]:
        """`key` and every term above it, nearest first (cycles stop the walk)."""
        chain = [key]
        seen = {key}
        parent = self.parent(key, kind)
        while parent is not None and parent not in seen:
            chain.append(parent)
            seen.add(parent)
            parent = self.parent(parent, kind)
        return chain

    def is_under(self, key: str, ancestor: str, kind: str | None = None) -> bool:
        """Whether `key` is `ancestor` or below it (one way).

        The top of a kind (`any`, `global`) is above every term of that kind;
        when the kind is not known, above every term.
        """
        if key == ancestor:
            return True
        return ancestor in self.above(key, kind) or self._is_top(ancestor, kind)

    def _is_top(self, term: str, kind: str | None) -> bool:
        if kind is None:
            return term in _TOP_TERMS
        return TOPS.get(kind) == term

    def above(self, key: str, kind: str | None = None) -> frozenset[str]:
        """`key` and every term above it (the tops of kinds aside), remembered."""
        above = self._above.get((key, kind))
        if above is None:
            if len(self._above) >= REMEMBERED_TERMS:
                self._above.clear()
            above = self._above[(key, kind)] = frozenset(self.ancestors(key, kind))
        return above

    def overlaps(self, first: str, second: str, kind: str | None = None) -> bool:
        """Whether one of the two terms is under the other (two ways)."""
        return self.is_under(first, second, kind) or self.is_under(second, first, kind)

    def relation(self, operator: str, targets: tuple[str, ...], kind: str) -> Callable[[str], bool]:
        """`term -> bool`: whether a term is `under` (or, for `overlap`, under or
        above) one of `targets`, remembered per term: a rule asks it of the same
        few terms in every statement of a file."""
        targets = tuple(dict.fromkeys(targets))
        tops = any(self._is_top(target, kind) for target in targets)
        answers: dict[str, bool] = {}

        def related(term: str) -> bool:
            answer = answers.get(term)
            if answer is None:
                above = self.above(term, kind)
                answer = tops or any(target in above for target in targets)
                if not answer and operator == "overlap":
                    answer = any(self.is_under(target, term, kind) for target in targets)
                if len(answers) >= REMEMBERED_TERMS:
                    answers.clear()
                answers[term] = answer
            return answer

        return related

    def children(self, kind: str, key: str) -> list[str]:
        """The known terms of `kind` directly below `key` (for the top of the
        kind, `global`, the terms that have no parent), in taxonomy order."""
        top = TOPS.get(kind) == key
        return [term for term in self.terms.get(kind, {})
                if term != key and self.parent(term, kind) == (None if top else key)]

    def rank(self, kind: str, key: str) -> int | None:
        term = self.term(kind, key)
        return term.rank if term else None

    def suggest(self, kind: str, key: str, count: int = 3) -> list[str]:
        """The known terms of `kind` closest to an unknown `key`, for "did you mean"."""
        known = sorted(self.terms.get(kind, {}))
        return close_matches(key, known, count)

    def extended(self, extensions: dict[str, dict[str, Term]]) -> Taxonomy:
        """A taxonomy with more terms; an existing term keeps its definition."""
        merged = {kind: dict(terms) for kind, terms in self.terms.items()}
        for kind, terms in extensions.items():
            target = merged.setdefault(kind, {})
            for key, term in terms.items():
                target.setdefault(key, term)
        return Taxonomy(merged)


def terms_from_data(data: dict) -> dict[str, dict[str, Term]]:
    """Terms from the mapping read out of taxonomy.yaml or a pack's `taxonomy:`.

    The caller has validated the shape: `{kind: {key: {label: …, …}}}`.
    """
    terms: dict[str, dict[str, Term]] = {}
    for kind, entries in data.items():
        terms[kind] = {
            str(key): Term(
                key=str(key),
                label=str((entry or {}).get("label", key)),
                description=str((entry or {}).get("description", "")),
                parent=(entry or {}).get("parent"),
                dpv=(entry or {}).get("dpv"),
                fideslang=(entry or {}).get("fideslang"),
                rank=(entry or {}).get("rank"),
            )
            for key, entry in (entries or {}).items()
        }
    return terms


@lru_cache(maxsize=1)
def builtin_taxonomy() -> Taxonomy:
    return Taxonomy(terms_from_data(shipped_data("taxonomy.yaml", _read_yaml)))


def _read_yaml(path):
    import yaml  # only when the cache has no copy of the taxonomy (start-up time)

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(path, encoding="utf-8") as stream:
        return yaml.load(stream, Loader=loader)
