"""What every check module declares and receives (the check protocol).

A check module states, as module constants,

    NAME = "undeclared-data"     # what a pack writes: `check: undeclared-data`
    PHASE = WITH_RULES           # or AFTER_SUPPRESSIONS

and defines one function,

    hits(declaration, context: CheckContext) -> iterable of Hit

A check of the WITH_RULES phase runs beside the condition rules; one of the
AFTER_SUPPRESSIONS phase runs once suppressions have been applied to their
findings, and may read `context.suppressions` (the check that judges
suppressions themselves).

A check judges each service on its own: the hits of one service may depend
on that service and the context, never on another service. `check --jobs`
relies on it to check a large file in parts of whole services
(checking/split.py); a check that compared services would need that split
to change first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

from tospolicy.conditions.relations import ServiceIndex
from tospolicy.language.attributes import StatementSpec, ValueSpec, attribute_table, part_values
from tospolicy.language.model import Attribute, Declaration, Service, Span, items_of
from tospolicy.language.taxonomy import Taxonomy
from tospolicy.findings import Fix

WITH_RULES = "with-rules"
AFTER_SUPPRESSIONS = "after-suppressions"
PHASES = (WITH_RULES, AFTER_SUPPRESSIONS)


@dataclass(unsafe_hash=True)
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
    # Every rule id the loaded packs define (turned off or not) and the parser's.
    defined_ids: frozenset[str] = frozenset()
    suppressions: list = field(default_factory=list)  # for AFTER_SUPPRESSIONS checks
    binding: object = None  # the bound texts (binding.texts.Binding), for the TEXT checks
    topics: tuple = ()  # the watched topics of the loaded packs
    _written: list[WrittenValue] | None = field(default=None, repr=False)

    def index(self, service: Service) -> ServiceIndex:
        return self.indexes[id(service)]

    @property
    def written(self) -> list[WrittenValue]:
        """Every part and attribute as written (`written_values`), listed once
        for all the checks that read them."""
        if self._written is None:
            self._written = list(written_values(self.declaration))
        return self._written


# Not frozen: one is made for every part and attribute of a file
# (docs/architecture.md, on values).
@dataclass(slots=True)
class WrittenValue:
    """One part or attribute as written, with what the attribute table says of it."""

    service: Service
    node: object  # the statement, or the service itself
    name: str
    spec: ValueSpec | None  # None: an attribute the statement does not take
    values: tuple
    attribute: Attribute | None  # None for a part


def written_values(declaration: Declaration) -> Iterator[WrittenValue]:
    """Every part and attribute of every statement and service, in source order."""
    table = attribute_table()
    for service in declaration.services:
        for node in (service, *service.statements):
            spec: StatementSpec = table[node.kind]
            for name, value_spec in spec.parts.items():
                values = part_values(node, name)
                if values:
                    yield WrittenValue(service, node, name, value_spec, values, None)
            for attribute in node.attributes:
                yield WrittenValue(service, node, attribute.key, spec.attributes.get(attribute.key),
                              items_of(attribute.value), attribute)
