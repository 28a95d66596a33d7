"""Data sets renamed between two versions: same categories, subjects, origin
and statements once the name is replaced."""

from __future__ import annotations

import dataclasses
from collections import defaultdict

from tospolicy.diff.values import terms_in
from tospolicy.diff.versions import Version
from tospolicy.language.model import Data, List, Name, Right, Service

# Rounds of checking candidate renames against each other's statements.
MAX_RENAME_ROUNDS = 8


def find_renames(old: Version, new: Version) -> dict[str, str]:
    """Data sets renamed from `old` to `new`: old name -> new name.

    A removed and an added data set are a rename when they hold the same
    categories, concern the same subjects, have the same origin, and the
    statements that mention them are the same once the name is replaced. A
    data set that could be the rename of several others is left alone.
    """
    gone = [name for name in old.data if name not in new.data]
    added = [name for name in new.data if name not in old.data]

    def signature(version: Version, name: str) -> tuple:
        data = version.data[name]
        return tuple(
            frozenset(terms_in(data.value(key))) for key in ("categories", "subjects", "origin")
        )

    appeared: dict[tuple, list[str]] = defaultdict(list)
    for name in added:
        appeared[signature(new, name)].append(name)
    disappeared: dict[tuple, list[str]] = defaultdict(list)
    for name in gone:
        disappeared[signature(old, name)].append(name)
    mapping = {
        names[0]: appeared[key][0] for key, names in disappeared.items()
        if len(names) == 1 and len(appeared.get(key, ())) == 1
    }
    # Dropping a candidate can change what the others' statements look like
    # renamed; a few rounds settle every real case. Failing that, no renames:
    # a rename missed is reported as a removal and an addition, hiding nothing.
    for _ in range(MAX_RENAME_ROUNDS):
        renamed = Version(with_renames(old.service, mapping), old.taxonomy)
        kept = {
            name: other for name, other in mapping.items()
            if renamed.references(other) == new.references(other)
        }
        if kept == mapping:
            return mapping
        mapping = kept
    return {}


def with_renames(service: Service | None, mapping: dict[str, str]) -> Service | None:
    """`service` with its data names replaced as `mapping` says (spans kept)."""
    if service is None or not mapping:
        return service

    def name(item):
        if isinstance(item, Name) and item.value in mapping:
            return Name(mapping[item.value], item.span)
        return item

    def attributes(statement):
        result = []
        for attribute in statement.attributes:
            value = attribute.value
            if attribute.key == "derived_from":
                value = (List(tuple(map(name, value.items)), value.span, value.bracketed)
                         if isinstance(value, List) else name(value))
            result.append(dataclasses.replace(attribute, value=value))
        return tuple(result)

    statements = []
    for statement in service.statements:
        if isinstance(statement, Data):
            statement = dataclasses.replace(
                statement, name=name(statement.name), attributes=attributes(statement))
        elif not isinstance(statement, Right):
            statement = dataclasses.replace(statement, data=tuple(map(name, statement.data)))
        statements.append(statement)
    return dataclasses.replace(service, statements=tuple(statements))
