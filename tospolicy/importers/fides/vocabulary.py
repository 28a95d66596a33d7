"""fideslang keys as tospolicy terms, chosen so that `under` decides what Fides decides.

Fides matches a declared key against a rule's values by the key's hierarchy:
`user.contact.email` matches a rule on `user.contact` or on `user`, never the
other way round (ethyca/fides src/fides/core/evaluate.py,
`get_fides_key_parent_hierarchy` and `compare_rule_to_declaration`). The
generated pack must decide the same with tospolicy's taxonomy, while the
built-in packs should see imported data as what it is (`user.content` is user
content, `train_ai_system` is AI training).

One tree cannot hold both hierarchies: Fides puts every `user.*` category under
`user`, tospolicy puts `content` and `identity.email` in different branches. So
each fideslang key is written as one term, and each rule value as the few terms
that together hold exactly the keys below it:

- a key with a tospolicy equivalent (`fideslang:` in rules/taxonomy.yaml) is
  written as that term: `user.contact.email` as `identity.email`;
- any other key is a term of its own, which the generated pack adds under the
  term of the key's Fides parent: `user.contact` under `user`,
  `user.content.private` under `content` (the term of `user.content`);
- a rule value becomes its own term and the terms of the keys below it that
  are not below another of them: `user.contact` becomes
  `[user.contact, identity.email, identity.phone, identity.address]`.

A declared key is then under one of a value's terms exactly when Fides matches
it, provided that no equivalent stands above the equivalent of a key Fides
does not put below it, and that `any` (above every purpose) is no key's
equivalent. The equivalents that break this are not used (`essential` as
`service` would put `functional.service.improve`, written `service.improvement`,
under `essential`). tests/test_fides_vocabulary.py checks the promise over
every pair of fideslang keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from tospolicy.support.resources import resource
from tospolicy.language.taxonomy import TOPS, Taxonomy, builtin_taxonomy

# Fides resource types of the taxonomy, and the tospolicy kind of their terms.
FIDES_KINDS = {"data_category": "categories", "data_use": "purposes", "data_subject": "subjects"}
# The list of rules/fideslang.yaml that holds each kind's default keys.
_LISTS = {"data_category": "data_categories", "data_use": "data_uses",
          "data_subject": "data_subjects"}


@dataclass(frozen=True)
class Fideslang:
    """rules/fideslang.yaml: the default taxonomy's keys and what the importer adds."""

    keys: dict[str, frozenset[str]]  # by Fides kind
    deprecated: dict[str, str]  # key -> replaced_by
    root_parents: dict[str, dict[str, str]]  # by Fides kind: root key -> tospolicy term


@lru_cache(maxsize=1)
def fideslang() -> Fideslang:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(resource("rules", "fideslang.yaml"), encoding="utf-8") as stream:
        data = yaml.load(stream, Loader=loader)
    roots = data.get("root_parents") or {}
    return Fideslang(
        keys={kind: frozenset(data[name]) for kind, name in _LISTS.items()},
        deprecated=dict(data["deprecated"]),
        root_parents={kind: dict(roots.get(name) or {}) for kind, name in _LISTS.items()},
    )


@dataclass(frozen=True)
class CustomTerm:
    """A data category, data use or data subject a manifest defines."""

    key: str
    label: str = ""
    description: str = ""


@dataclass(frozen=True)
class Unused:
    """A taxonomy.yaml equivalent the importer cannot use, and why."""

    key: str
    term: str
    reason: str


class Vocabulary:
    """The fideslang keys of one import (the default taxonomy and the manifests'
    own terms) and the tospolicy terms they are written as."""

    def __init__(self, custom: dict[str, dict[str, CustomTerm]] | None = None,
                 taxonomy: Taxonomy | None = None):
        self.taxonomy = taxonomy or builtin_taxonomy()
        data = fideslang()
        self.custom = {kind: dict((custom or {}).get(kind, {})) for kind in FIDES_KINDS}
        self.keys = {kind: data.keys[kind] | set(self.custom[kind]) for kind in FIDES_KINDS}
        self.deprecated = data.deprecated
        self.root_parents = data.root_parents
        self.equivalents: dict[str, dict[str, str]] = {}
        self.unused: dict[str, dict[str, Unused]] = {}
        for kind in FIDES_KINDS:
            self.equivalents[kind], self.unused[kind] = self._equivalents(kind)

    # -- Fides' side

    def knows(self, kind: str, key: str) -> bool:
        return key in self.keys[kind]

    @staticmethod
    def parent(kind: str, key: str) -> str | None:
        """The key's parent in Fides: its dotted prefix (fideslang's
        `matching_parent_key` allows no other); data subjects have none."""
        if kind == "data_subject" or "." not in key:
            return None
        return key.rsplit(".", 1)[0]

    def hierarchy(self, kind: str, key: str) -> list[str]:
        """The key and the keys above it, nearest first: what Fides compares."""
        chain = [key]
        while (above := self.parent(kind, chain[-1])) is not None:
            chain.append(above)
        return chain

    def matches(self, kind: str, declared: str, value: str) -> bool:
        """Whether Fides matches a declared key with a rule's value."""
        return value in self.hierarchy(kind, declared)

    def current(self, kind: str, key: str) -> str:
        """The key, or what replaces it when fideslang deprecated it."""
        seen = {key}
        while key in self.deprecated and self.deprecated[key] in self.keys[kind]:
            key = self.deprecated[key]
            if key in seen:
                break
            seen.add(key)
        return key

    # -- tospolicy's side

    def term(self, kind: str, key: str) -> str:
        """The term a declared key is written as (a deprecated key as its replacement's)."""
        return self._term(kind, self.current(kind, key))

    def _term(self, kind: str, key: str) -> str:
        return self.equivalents[kind].get(key, key)

    def cover(self, kind: str, key: str) -> tuple[str, ...]:
        """The terms a rule value is written as: its own, then those of the keys
        below it that are not below another of them."""
        key = self.current(kind, key)
        own = self._term(kind, key)
        if kind == "data_subject":
            return (own,)
        prefix = key + "."
        below = sorted(term for other, term in self.equivalents[kind].items()
                       if other.startswith(prefix))
        candidates = [own, *below]
        ours = FIDES_KINDS[kind]
        return tuple(term for term in dict.fromkeys(candidates)
                     if not any(other != term and self.taxonomy.is_under(term, other, ours)
                                for other in candidates))

    def extension_parent(self, kind: str, key: str) -> str | None:
        """Where a key without an equivalent hangs: under its Fides parent's term;
        a root under the term rules/fideslang.yaml names, if any."""
        above = self.parent(kind, key)
        if above is not None:
            return self._term(kind, above)
        return self.root_parents[kind].get(key)

    def clash(self, kind: str, key: str) -> str | None:
        """Why a key cannot be a term of its own, or None: its name is already a
        tospolicy term that means something else here."""
        if key in self.equivalents[kind]:
            return None
        ours = FIDES_KINDS[kind]
        if self.taxonomy.knows(ours, key):
            owner = next((other for other, term in self.equivalents[kind].items() if term == key),
                         None)
            meaning = f" (the term {owner} is written as)" if owner else ""
            return f"'{key}' is already a tospolicy {ours} term{meaning}"
        return None

    def extensions(self, kind: str, terms) -> dict[str, dict[str, str]]:
        """The entries the generated pack's `taxonomy:` needs so that `terms` (as
        written in declarations and rules) and the terms above them are known."""
        ours = FIDES_KINDS[kind]
        entries: dict[str, dict[str, str]] = {}
        pending = [term for term in terms if not self.taxonomy.knows(ours, term)]
        while pending:
            key = pending.pop()
            if key in entries or self.taxonomy.knows(ours, key) or key in self.equivalents[kind]:
                continue
            entry: dict[str, str] = {}
            custom = self.custom[kind].get(key)
            if custom is not None and custom.label:
                entry["label"] = custom.label
            if custom is not None and custom.description:
                entry["description"] = custom.description
            above = self.extension_parent(kind, key)
            dotted = key.rsplit(".", 1)[0] if "." in key else None
            if above is not None and above != dotted:
                entry["parent"] = above
            entries[key] = entry
            if above is not None:
                pending.append(above)
        return dict(sorted(entries.items()))

    # -- the equivalents that keep Fides' verdicts

    def _equivalents(self, kind: str) -> tuple[dict[str, str], dict[str, Unused]]:
        ours = FIDES_KINDS[kind]
        terms = self.taxonomy.terms.get(ours, {})
        candidates = {term.fideslang: name for name, term in terms.items()
                      if term.fideslang in self.keys[kind]}
        for key in sorted(self.keys[kind]):
            # A key spelled like a tospolicy term nothing else is written as
            # (the subject `visitor`) is written as that term.
            if key in terms and key not in candidates and key not in candidates.values():
                candidates[key] = key
        unused: dict[str, Unused] = {}
        while True:
            found = self._breaking(kind, candidates)
            if found is None:
                return candidates, unused
            unused[found.key] = found
            del candidates[found.key]

    def _breaking(self, kind: str, candidates: dict[str, str]) -> Unused | None:
        """The first equivalent that would make a rule match what Fides does not."""
        ours = FIDES_KINDS[kind]
        for key, term in sorted(candidates.items()):
            if TOPS.get(ours) == term:
                return Unused(key, term, f"`{term}` stands above every term of its kind, so a "
                                         f"rule on {key} would match everything")
            for other_key, other in sorted(candidates.items()):
                if (other != term and self.taxonomy.is_under(other, term, ours)
                        and not self.matches(kind, other_key, key)):
                    return Unused(key, term, f"`{other}` ({other_key}) is under `{term}`, but "
                                             f"Fides does not match {other_key} with {key}")
        return None
