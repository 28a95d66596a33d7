"""The condition language's syntax tree, its errors, and the tree as plain data.

parser.py turns a condition's text into this tree, compiler.py turns the tree
into an evaluator. Every error carries the offset in the condition where it
was found, for a column a person can act on. A run whose packs come from the
pack cache has trees already (`tree_to_data`, `tree_from_data`) and never
parses a condition.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, fields

from tospolicy.limits import DEFAULT_LIMITS
from tospolicy.conditions.values import Period

MAX_DEPTH = DEFAULT_LIMITS.max_nesting_depth

COMPARATORS = ("==", "!=", "<", "<=", ">", ">=")


class ConditionError(Exception):
    """A condition that cannot be used; `offset` counts characters from its start."""

    def __init__(self, message: str, offset: int = 0):
        super().__init__(message)
        self.message = message
        self.offset = offset


# ------------------------------------------------------------- syntax tree

@dataclass(unsafe_hash=True)
class PathRef:
    text: str
    offset: int


@dataclass(unsafe_hash=True)
class Count:
    path: PathRef
    offset: int


@dataclass(unsafe_hash=True)
class Literal:
    """One literal value (an atom) as written."""

    value: object
    text: str
    offset: int


@dataclass(unsafe_hash=True)
class ListLiteral:
    items: tuple[Literal, ...]
    offset: int


@dataclass(unsafe_hash=True)
class Comparison:
    operator: str  # a comparator, `in`, `overlap`, `under` or `within`
    subject: PathRef | Count
    object: PathRef | Count | Literal | ListLiteral
    offset: int  # the operator's
    depth: int = 1


@dataclass(unsafe_hash=True)
class Match:
    subject: PathRef | Count
    pattern: str
    offset: int  # the pattern's
    depth: int = 1


@dataclass(unsafe_hash=True)
class Presence:
    present: bool  # exists() or missing()
    path: PathRef
    depth: int = 1


@dataclass(unsafe_hash=True)
class Reference:
    name: str  # without the `$`
    offset: int
    depth: int = 1


@dataclass(unsafe_hash=True)
class Constant:
    value: bool
    depth: int = 1


@dataclass(unsafe_hash=True)
class Not:
    item: object
    depth: int


@dataclass(unsafe_hash=True)
class All:
    items: tuple
    depth: int


@dataclass(unsafe_hash=True)
class Any:
    items: tuple
    depth: int


def nested_too_deep(what: str, max_depth: int) -> str:
    return (f"{what} nested more than {max_depth} levels deep"
            + ("" if max_depth == MAX_DEPTH else " (limits.max-nesting-depth)"))


# ------------------------------------------------------------ as plain data

_NODES = {node.__name__: node for node in (
    PathRef, Count, Literal, ListLiteral, Comparison, Match, Presence, Reference, Constant,
    Not, All, Any)}
_NODE_TYPES = frozenset(_NODES.values())
_ARITY = {name: len(fields(node)) for name, node in _NODES.items()}


def tree_to_data(value):
    """A syntax tree as JSON data: each node `[class, *fields]`, each tuple
    `["tuple", *items]`, a literal date `["date", iso]`, a duration
    `["period", days, text]` (days `"inf"` for `indefinitely`)."""
    if type(value) in _NODE_TYPES:
        return [type(value).__name__, *(tree_to_data(getattr(value, field.name))
                                        for field in fields(value))]
    if isinstance(value, tuple):
        return ["tuple", *(tree_to_data(item) for item in value)]
    if isinstance(value, Period):
        return ["period", "inf" if math.isinf(value.days) else value.days, value.text]
    if isinstance(value, datetime.date):
        return ["date", value.isoformat()]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"not part of a condition tree: {value!r}")


def tree_from_data(data):
    """The tree `tree_to_data` wrote; ValueError on anything else."""
    if not isinstance(data, list):
        if data is None or isinstance(data, (str, int, float, bool)):
            return data
        raise ValueError(f"not a condition tree: {data!r}")
    tag, *items = data
    if tag == "tuple":
        return tuple(tree_from_data(item) for item in items)
    if tag == "period":
        days, text = items
        return Period(math.inf if days == "inf" else float(days), text)
    if tag == "date":
        return datetime.date.fromisoformat(items[0])
    if len(items) != _ARITY.get(tag):
        raise ValueError(f"not a condition tree node: {tag!r}")
    return _NODES[tag](*(tree_from_data(item) for item in items))
