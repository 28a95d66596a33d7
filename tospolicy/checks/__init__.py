"""Checks written in Python, for what the condition language cannot say.

A rule in a pack names one with `check: NAME` instead of select/where/
require/forbid; its id, severity and help still live in the pack. The names
are fixed here: a pack can choose among these checks, never name code of its
own. Every check is a module with one function,

    check(declaration, context) -> iterable of Hit

and the ones that judge suppressions set `AFTER_SUPPRESSIONS = True` so that
the engine runs them once the other findings are known.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Iterator

from tospolicy.language.attributes import StatementSpec, ValueSpec, attribute_table, part_values
from tospolicy.language.model import Attribute, Declaration, Service, Span, items_of
from tospolicy.conditions.relations import ServiceIndex
from tospolicy.findings import Fix
from tospolicy.language.taxonomy import Taxonomy

# check name (as packs write it) -> module in this package
REGISTRY = {
    "undeclared-data": "undeclared_data",
    "unknown-terms": "unknown_terms",
    "unknown-attributes": "unknown_attributes",
    "value-kinds": "value_kinds",
    "duplicate-data": "duplicate_data",
    "contradicted-never": "contradicted_never",
    "derivation-cycles": "derivation_cycles",
    "suppressions": "unused_suppressions",
    "empty-lists": "empty_lists",
}


def load(name: str):
    """The module of the check `name` (a key of REGISTRY)."""
    return importlib.import_module(f"{__name__}.{REGISTRY[name]}")


@dataclass(frozen=True)
class Hit:
    """What a check found: where, what, and the statement (or service) it is about."""

    span: Span
    message: str
    node: object = None
    service: Service | None = None
    statement: str | None = None  # the identity baselines use, when not the node's
    fix: Fix | None = None  # the one replacement a "did you mean" suggests


@dataclass
class CheckContext:
    """What checks may read besides the declaration."""

    declaration: Declaration
    taxonomy: Taxonomy
    indexes: dict[int, ServiceIndex]
    rule_ids: frozenset[str] = frozenset()  # the rules that ran
    suppressions: list = field(default_factory=list)  # for AFTER_SUPPRESSIONS checks
    _written: list[Written] | None = field(default=None, repr=False)

    def index(self, service: Service) -> ServiceIndex:
        return self.indexes[id(service)]

    @property
    def written(self) -> list[Written]:
        """Every part and attribute as written (`written`), listed once for all the
        checks that read them."""
        if self._written is None:
            self._written = list(written(self.declaration))
        return self._written


@dataclass(frozen=True, slots=True)
class Written:
    """One part or attribute as written, with what the attribute table says of it."""

    service: Service
    node: object  # the statement, or the service itself
    name: str
    spec: ValueSpec | None  # None: an attribute the statement does not take
    values: tuple
    attribute: Attribute | None  # None for a part


def written(declaration: Declaration) -> Iterator[Written]:
    """Every part and attribute of every statement and service, in source order."""
    table = attribute_table()
    for service in declaration.services:
        for node in (service, *service.statements):
            spec: StatementSpec = table[node.kind]
            for name, value_spec in spec.parts.items():
                values = part_values(node, name)
                if values:
                    yield Written(service, node, name, value_spec, values, None)
            for attribute in node.attributes:
                yield Written(service, node, attribute.key, spec.attributes.get(attribute.key),
                              items_of(attribute.value), attribute)


def statements_word(kind: str) -> str:
    return "the service" if kind == "service" else f"{kind} statements"
