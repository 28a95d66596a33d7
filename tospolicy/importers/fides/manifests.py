"""Fides manifests, read strictly: every problem with its file, line and column.

Fides (fideslang's `ingest_manifests` and pydantic models) skips a file that is
not a mapping, ignores keys it does not know, lets a repeated YAML key replace
the first, and stops at the first unknown taxonomy key with no line number. A
misspelled `data_subject:` then silently empties a declaration's subjects, and
every policy passes it. Here all of these are errors, reported together for
every manifest: the YAML (safe, bounded, with positions) is validated against
`schemas/fides-manifest.schema.json`, which follows fideslang 3's models, and
then checked for what a schema cannot say (references, the taxonomy, repeated
entries). Keys fideslang removed and keys inside `fides_meta`, which Fides
ignores as well, are warnings.

The result is a plain model of the resources the import converts: systems with
their privacy declarations, datasets as the category lists Fides evaluates
(the dataset's, each collection's, each field's at every depth), policies with
their rules, and the manifests' own taxonomy terms.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from tospolicy.packs.types import Location, Problem
from tospolicy.support.resources import resource
from tospolicy.support.yamlsource import Document, Mapping, Mark, Sequence, YamlError, read_yaml
from tospolicy.importers.fides.vocabulary import FIDES_KINDS, CustomTerm, Vocabulary, fideslang
from tospolicy.support.suggest import did_you_mean

SCHEMA = "fides-manifest.schema.json"
# A fideslang key that can be written as a tospolicy term.
TERM = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*\Z")
_KIND_WORDS = {"data_category": "data category", "data_use": "data use",
               "data_subject": "data subject", "system": "system", "dataset": "dataset",
               "policy": "policy"}


# ------------------------------------------------------------------ the model

@dataclass(frozen=True)
class Key:
    """A fideslang key as written, and where."""

    value: str
    location: Location


@dataclass(frozen=True)
class Group:
    """One list of data categories of a dataset that Fides evaluates on its own,
    with the use and subjects of the declaration that references the dataset:
    the dataset's, a collection's or a field's (evaluate.py,
    `evaluate_dataset_reference`)."""

    dataset: str
    place: str  # `collection`, `collection.field`…; "" for the dataset's own list
    categories: tuple[Key, ...]


@dataclass(frozen=True)
class Declaration:
    name: str | None
    categories: tuple[Key, ...]
    use: Key
    subjects: tuple[Key, ...]
    datasets: tuple[Key, ...]
    basis: str | None  # legal_basis_for_processing
    extras: dict  # the other fields given, as written


@dataclass(frozen=True)
class System:
    key: str
    name: str | None
    description: str | None
    fields: dict  # the system's other fields, as written
    declarations: tuple[Declaration, ...]
    path: Path


@dataclass(frozen=True)
class Dataset:
    key: str
    groups: tuple[Group, ...]  # the non-empty category lists, in Fides' order


@dataclass(frozen=True)
class Condition:
    """One dimension of a policy rule: `matches` over `values` (a PrivacyRule)."""

    matches: str
    values: tuple[Key, ...]


@dataclass(frozen=True)
class Rule:
    policy: str
    policy_name: str | None
    name: str
    description: str | None
    categories: Condition
    uses: Condition
    subjects: Condition
    path: Path
    location: Location


@dataclass
class Manifests:
    systems: list[System] = field(default_factory=list)
    datasets: dict[str, Dataset] = field(default_factory=dict)
    rules: list[Rule] = field(default_factory=list)
    terms: dict[str, dict[str, CustomTerm]] = field(
        default_factory=lambda: {kind: {} for kind in FIDES_KINDS})
    defined: dict[tuple[str, str], Location] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


# ------------------------------------------------------------------ reading

def read_manifests(files: list[tuple[Path, str]]) -> tuple[Manifests, Vocabulary]:
    """Read `(path, display)` files; problems are collected, never raised."""
    manifests = Manifests()
    documents = []
    for path, display in files:
        document = _document(path, display, manifests)
        if document is not None:
            documents.append((path, document))
            manifests.files.append(path)
    readers = [_Reader(path, document, manifests) for path, document in documents]
    for reader in readers:
        reader.terms()
    vocabulary = Vocabulary(manifests.terms)
    for reader in readers:
        reader.check_terms(vocabulary)
    for reader in readers:
        reader.resources()
    _check_references(manifests, readers, vocabulary)
    return manifests, vocabulary


def _document(path: Path, display: str, manifests: Manifests) -> Document | None:
    from tospolicy.packs.schema import schema_problems  # jsonschema: only when manifests are read (start-up time)

    try:
        document = read_yaml(path, display)
    except YamlError as error:
        mark = error.mark or Mark(1, 1)
        manifests.errors.append(Problem(Location(display, mark.line, mark.column), error.message))
        return None
    data = document.data
    if data is None:
        manifests.warnings.append(Problem(Location(display, 1, 1),
                                          "the file is empty: nothing to import"))
        return None
    if not isinstance(data, Mapping):
        shape = "a list" if isinstance(data, Sequence) else "a single value"
        manifests.errors.append(Problem(Location(display, 1, 1), (
            f"the file is {shape}, not a Fides manifest (a mapping of resource types: system:, "
            "dataset:, policy:, …); Fides skips such a file and evaluates without it")))
        return None
    problems = schema_problems(document, SCHEMA)
    for mark, message in problems:
        manifests.errors.append(Problem(Location(display, mark.line, mark.column), message))
    return None if problems else document


@lru_cache(maxsize=1)
def _schema_defs() -> dict:
    return json.loads(resource("schemas", SCHEMA).read_text(encoding="utf-8"))["$defs"]


def _removed_keys(definition: str) -> dict[str, str]:
    """The keys of a schema definition fideslang removed (Fides ignores them)."""
    return {key: spec["description"]
            for key, spec in _schema_defs()[definition]["properties"].items()
            if spec.get("deprecated")}


class _Reader:
    """One schema-valid manifest, turned into the model."""

    def __init__(self, path: Path, document: Document, manifests: Manifests):
        self.path = path
        self.document = document
        self.display = document.display
        self.manifests = manifests
        self.references: list[tuple[Key, str]] = []  # (taxonomy key, Fides kind)
        self.dataset_references: list[Key] = []

    def at(self, mark: Mark) -> Location:
        return Location(self.display, mark.line, mark.column)

    def error(self, mark: Mark, message: str) -> None:
        self.manifests.errors.append(Problem(self.at(mark), message))

    def warning(self, mark: Mark, message: str) -> None:
        self.manifests.warnings.append(Problem(self.at(mark), message))

    def items(self, kind: str) -> Sequence:
        """The resources of one type."""
        return self.document.data.get(kind) or Sequence()

    # -- the manifests' own taxonomy terms

    def terms(self) -> None:
        for kind in FIDES_KINDS:
            for item in self.items(kind):
                self._removed(item, kind)
                if not self._first(kind, item):
                    continue
                key = item["fides_key"]
                self.manifests.terms[kind][key] = CustomTerm(
                    key, _text(item.get("name")), _text(item.get("description")))
                self._term_shape(kind, item, key, item.value_mark("fides_key"))

    def _first(self, kind: str, item: Mapping) -> bool:
        """Whether this is the first resource of its type with its key (else an error)."""
        key, where = item["fides_key"], self.at(item.value_mark("fides_key"))
        first = self.manifests.defined.setdefault((kind, key), where)
        if first != where:
            self.manifests.errors.append(Problem(where, f"{_KIND_WORDS[kind]} '{key}' is already "
                                                        f"defined at {first}"))
        return first == where

    def _term_shape(self, kind: str, item: Mapping, key: str, where: Mark) -> None:
        if not TERM.match(key):
            self.error(where, f"'{key}' cannot be written as a tospolicy term (words of letters, "
                              "digits and _ joined by dots): rename the key")
        if kind == "data_subject":
            if "." in key:
                self.error(where, f"data subject '{key}' has a dot: Fides compares subjects as "
                                  "flat keys, while tospolicy reads dots as a hierarchy; rename it")
            return
        parent = item.get("parent_key")
        expected = key.rsplit(".", 1)[0] if "." in key else None
        if parent != expected:
            mark = item.value_mark("parent_key") if "parent_key" in item else where
            self.error(mark, f"the parent_key of '{key}' must be "
                       + (f"'{expected}'" if expected else "empty")
                       + " (fideslang requires the key's dotted prefix)")

    def check_terms(self, vocabulary: Vocabulary) -> None:
        for kind in FIDES_KINDS:
            for item in self.items(kind):
                key = item["fides_key"]
                where = item.value_mark("fides_key")
                if self.manifests.defined[(kind, key)] != self.at(where):
                    continue  # a second definition, already reported
                clash = None if key in fideslang().keys[kind] else vocabulary.clash(kind, key)
                if clash:
                    self.error(where, f"{_KIND_WORDS[kind]} '{key}': {clash}; rename the key")
                parent = vocabulary.parent(kind, key)
                if parent is not None and not vocabulary.knows(kind, parent):
                    self.error(item.value_mark("parent_key"),
                               f"the parent of '{key}', '{parent}', is not a {_KIND_WORDS[kind]}")

    # -- systems, datasets, policies

    def resources(self) -> None:
        for item in self.items("system"):
            if self._first("system", item):
                self.manifests.systems.append(self._system(item))
        for item in self.items("dataset"):
            if self._first("dataset", item):
                dataset = self._dataset(item)
                self.manifests.datasets[dataset.key] = dataset
        for item in self.items("policy"):
            if self._first("policy", item):
                self._policy(item)

    def _system(self, item: Mapping) -> System:
        self._removed(item, "system")
        declarations = []
        entries = item["privacy_declarations"]
        for entry in entries:
            declarations.append(self._declaration(entry))
        for index, reference in enumerate(item.get("dataset_references") or ()):
            self.dataset_references.append(
                Key(reference, self.at(item["dataset_references"].item_mark(index))))
        fields = {key: value for key, value in item.items()
                  if key not in ("fides_key", "name", "description", "privacy_declarations")}
        return System(item["fides_key"], _text(item.get("name")) or None,
                      _text(item.get("description")) or None, fields, tuple(declarations),
                      self.path)

    def _declaration(self, item: Mapping) -> Declaration:
        self._removed(item, "privacy_declaration")
        categories = self._keys(item, "data_categories", "data_category")
        subjects = self._keys(item, "data_subjects", "data_subject")
        use = Key(item["data_use"], self.at(item.value_mark("data_use")))
        self.references.append((use, "data_use"))
        datasets = tuple(Key(value, self.at(item["dataset_references"].item_mark(index)))
                         for index, value in enumerate(item.get("dataset_references") or ()))
        self.dataset_references.extend(datasets)
        extras = {key: value for key, value in item.items() if key not in (
            "name", "data_categories", "data_use", "data_subjects", "dataset_references",
            "legal_basis_for_processing")}
        return Declaration(item.get("name"), categories, use, subjects, datasets,
                           item.get("legal_basis_for_processing"), extras)

    def _keys(self, item: Mapping, name: str, kind: str, distinct: bool = True) -> tuple[Key, ...]:
        """A list of taxonomy keys. In a list Fides evaluates (`distinct`), a key
        given twice is an error: Fides' ALL counts it twice, so the list never
        matches an ALL rule."""
        values = item.get(name) or Sequence()
        keys = []
        first: dict[str, Mark] = {}
        for index, value in enumerate(values):
            mark = values.item_mark(index)
            key = Key(value, self.at(mark))
            self.references.append((key, kind))
            if value in first and distinct:
                self.error(mark, f"'{value}' is listed twice in {name} (first at line "
                                 f"{first[value].line}): remove one (Fides' ALL matching counts "
                                 "it twice, so this list would never match an ALL rule)")
                continue
            first[value] = mark
            keys.append(key)
        return tuple(keys)

    def _dataset(self, item: Mapping) -> Dataset:
        """The category lists Fides evaluates for a dataset reference: the
        dataset's, each collection's, each field's at every depth
        (evaluate.py `evaluate_dataset_reference`, utils.py `get_all_level_fields`);
        an empty or missing list is not evaluated."""
        self._removed(item, "dataset")
        self._meta(item, "dataset_meta")
        key = item["fides_key"]
        groups = []
        self._group(groups, key, "", item)
        collections = item["collections"]
        self._unique_names(collections, "collection", f"dataset '{key}'")
        for collection in collections:
            self._removed(collection, "collection")
            self._meta(collection, "collection_meta")
            path = collection["name"]
            self._group(groups, key, path, collection)
            self._unique_names(collection["fields"], "field", f"collection '{key}.{path}'")
            self._fields(groups, key, path, collection["fields"])
        return Dataset(key, tuple(groups))

    def _fields(self, groups: list[Group], dataset: str, path: str, fields: Sequence) -> None:
        for entry in fields:
            self._removed(entry, "field")
            self._meta(entry, "field_meta")
            here = f"{path}.{entry['name']}"
            self._group(groups, dataset, here, entry)
            self._fields(groups, dataset, here, entry.get("fields") or Sequence())

    def _group(self, groups: list[Group], dataset: str, place: str, item: Mapping) -> None:
        for name, kind in (("data_uses", "data_use"), ("data_purposes", "data_use"),
                           ("data_subjects", "data_subject")):
            self._keys(item, name, kind, distinct=False)  # known keys; Fides' evaluation ignores them
        categories = self._keys(item, "data_categories", "data_category")
        if categories:
            groups.append(Group(dataset, place, categories))

    def _unique_names(self, items: Sequence, what: str, where: str) -> None:
        seen: dict[str, Mark] = {}
        for entry in items:
            name = entry["name"]
            if name in seen:
                self.error(entry.value_mark("name"), f"{what} '{name}' appears twice in {where} "
                                                     f"(first at line {seen[name].line})")
            seen.setdefault(name, entry.value_mark("name"))

    def _policy(self, item: Mapping) -> None:
        self._removed(item, "policy")
        key = item["fides_key"]
        for entry in item["rules"]:
            self._removed(entry, "policy_rule")
            conditions = []
            for name, kind in (("data_categories", "data_category"), ("data_uses", "data_use"),
                               ("data_subjects", "data_subject")):
                condition = entry[name]
                # A rule's values are a set to Fides: a repeated one changes nothing.
                conditions.append(Condition(condition["matches"],
                                            self._keys(condition, "values", kind, distinct=False)))
            self.manifests.rules.append(Rule(
                key, _text(item.get("name")) or None, entry["name"],
                _text(entry.get("description")) or None, *conditions, self.path,
                self.at(entry.value_mark("name"))))

    # -- what Fides ignores

    def _removed(self, item: Mapping, definition: str) -> None:
        for key, why in _removed_keys(definition).items():
            if key in item:
                self.warning(item.key_mark(key), f"'{key}' is {why}; Fides ignores it, and so "
                                                 "does the import")

    def _meta(self, item: Mapping, definition: str) -> None:
        known = list(_schema_defs()[definition]["properties"])
        for name in ("fides_meta", "fidesops_meta"):
            meta = item.get(name)
            if not isinstance(meta, Mapping):
                continue
            for key in meta:
                if key in known:
                    continue
                hint = did_you_mean(key, known)
                if key in ("data_categories", "data_uses", "data_subjects"):
                    hint = f" (to count, {key} belongs to the {_OWNER[definition]} itself)"
                self.warning(meta.key_mark(key), f"'{key}' is not a key of {name}: Fides ignores "
                                                 f"it, and so does the import{hint}")


_OWNER = {"dataset_meta": "dataset", "collection_meta": "collection", "field_meta": "field"}


def _check_references(manifests: Manifests, readers: list[_Reader], vocabulary: Vocabulary) -> None:
    for reader in readers:
        for key, kind in reader.references:
            if not vocabulary.knows(kind, key.value):
                hint = did_you_mean(key.value, vocabulary.keys[kind], count=3)
                manifests.errors.append(Problem(key.location, (
                    f"unknown {_KIND_WORDS[kind]} '{key.value}': not in fideslang's default "
                    f"taxonomy or the manifests{hint}")))
        for key in reader.dataset_references:
            if key.value not in manifests.datasets:
                hint = did_you_mean(key.value, sorted(manifests.datasets))
                manifests.errors.append(Problem(key.location, (
                    f"no dataset '{key.value}' in the manifests{hint}")))


def _text(value) -> str:
    """A free-text field (Fides turns numbers into text); '' when absent."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)

