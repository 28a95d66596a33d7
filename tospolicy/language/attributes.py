"""The attribute table: what each statement takes (`rules/attributes.yaml`).

A statement has *parts*, the words of the statement itself (`use DATA for
PURPOSES`: `data` and `purposes`), and *attributes*, the `key: value` pairs in
its braces. The table says which of each a statement takes and what their
values may be; the core checks and the condition language both read it, so
that a new attribute is one line of YAML.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from tospolicy.language.model import Span
from tospolicy.support.cache import shipped_data

VALUE_KINDS = ("text", "name", "party", "date", "duration", "number", "boolean", "term",
               "choice", "data")
# What a rule can select: the service, or statements of one kind.
SELECTABLE_KINDS = ("service", "data", "use", "share", "retain", "license", "right", "never")


@dataclass(unsafe_hash=True)
class ValueSpec:
    """What one part or attribute holds."""

    value: str  # one of VALUE_KINDS
    terms: str | None = None  # taxonomy kind, for `term` and `choice`
    values: tuple[str, ...] = ()  # the allowed names, for `choice` and `party`
    list: bool = False  # several values allowed

    def describe(self) -> str:
        """The kind of value in words, for messages: `a date`, `one of a, b`."""
        if self.value == "choice" and self.values:
            return "one of " + ", ".join(self.values)
        if self.value in ("choice", "term"):
            return f"a term of {self.terms}"
        if self.value == "party":
            if self.values:
                return "a string or one of " + ", ".join(self.values)
            return "a string or a name"
        if self.value == "data":
            return "names of data"
        return {"text": "a string", "name": "a name", "date": "a date (YYYY-MM-DD)",
                "duration": "a duration (like 30 days)", "number": "a number",
                "boolean": "yes or no"}[self.value]


@dataclass(unsafe_hash=True)
class StatementSpec:
    kind: str
    parts: dict[str, ValueSpec]
    attributes: dict[str, ValueSpec]  # includes the keys every statement takes

    def takes(self, name: str) -> ValueSpec | None:
        """The spec of a part or attribute of this statement; parts first."""
        return self.parts.get(name) or self.attributes.get(name)


def _spec(entry: dict) -> ValueSpec:
    return ValueSpec(
        value=entry["value"],
        terms=entry.get("terms"),
        values=tuple(entry.get("values", ())),
        list=bool(entry.get("list", False)),
    )


@lru_cache(maxsize=1)
def attribute_table() -> dict[str, StatementSpec]:
    """Statement kind (and `service`) -> what it takes."""
    data = shipped_data("attributes.yaml", _read_yaml)
    common = {key: _spec(entry) for key, entry in data["every_statement"].items()}
    table = {}
    for kind, entry in data["statements"].items():
        attributes = {key: _spec(value) for key, value in (entry.get("attributes") or {}).items()}
        table[kind] = StatementSpec(
            kind=kind,
            parts={key: _spec(value) for key, value in (entry.get("parts") or {}).items()},
            attributes={**attributes, **common},
        )
    return table


def _read_yaml(path):
    # Imported here: it imports PyYAML, which a run that finds the table in
    # the cache never needs (start-up time).
    from tospolicy.support.yamlsource import read_yaml

    return read_yaml(path).data


# The model's field behind each part whose name differs from the part's.
_PART_FIELDS = {("right", "name"): "right"}


def part_values(node, part: str) -> tuple:
    """The scalars a statement's part holds (names, a duration…), in source order."""
    value = getattr(node, _PART_FIELDS.get((node.kind, part), part), None)
    if value is None:
        return ()
    if isinstance(value, tuple):
        return value
    return (value,)


def part_span(node, part: str) -> Span | None:
    """From the first to the last word of a part, or None when it is absent."""
    values = part_values(node, part)
    if not values:
        return None
    return values[0].span.to(values[-1].span)


def statement_span(node, name: str) -> Span | None:
    """Where a part or attribute of `node` is written, or None when it is absent."""
    if name in attribute_table()[node.kind].parts:
        return part_span(node, name)
    attribute = node.attribute(name)
    return attribute.span if attribute else None
