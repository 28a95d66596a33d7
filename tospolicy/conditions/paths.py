"""Paths in conditions and messages: `consent`, `data.categories`, `service.rights`.

A path starts at the statement a rule selected and takes one step per dotted
segment. Each step is a part or attribute of the statement (from the attribute
table), or a derived relation (relations.py). Steps that reach other
statements (`data`, `sources`, `service`) can be followed further; a path that
ends on statements yields their names. Paths are checked when a pack is
loaded: an unknown step is an error with suggestions, never a condition that
is silently false.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

from tospolicy.language.attributes import SELECTABLE_KINDS, ValueSpec, attribute_table, part_values
from tospolicy.language.model import Name, items_of
from tospolicy.conditions.relations import NAMING_KINDS, ServiceIndex, WorkLimit
from tospolicy.conditions.tree import ConditionError
from tospolicy.conditions.values import ATOM_TYPES, atom
from tospolicy.support.suggest import did_you_mean
from tospolicy.support.words import statements_phrase


@dataclass(unsafe_hash=True)
class PathType:
    """What a path yields, as far as a pack's conditions can be checked statically.

    `category` is `name` (names and strings), `number`, `date`, `duration`,
    `boolean`, `period` (a duration, `indefinitely`, or an event name) or
    `node` (statements: `data` or `service`, in `node`). Names of a taxonomy
    kind (`terms`) or from a closed set (`values`) are checked in literals
    when `checked`.
    """

    category: str
    terms: str | None = None
    values: tuple[str, ...] = ()
    node: str | None = None
    checked: bool = False

    def describe(self) -> str:
        if self.category == "node":
            return f"{self.node} statements"
        if self.category == "period":
            return "a retention period"
        if self.terms:
            return f"{self.terms} terms"
        return {"name": "names", "number": "a number", "date": "a date",
                "duration": "a duration", "boolean": "yes or no"}[self.category]


def _type_of(spec: ValueSpec) -> PathType:
    if spec.value == "data":
        return PathType("node", node="data")
    if spec.value in ("date", "duration", "number", "boolean"):
        return PathType(spec.value)
    if spec.value in ("term", "choice"):
        return PathType("name", terms=spec.terms, values=spec.values, checked=True)
    return PathType("name")


# A step from one statement: (node, index) -> the atoms or statements it reaches.
Getter = Callable[[object, ServiceIndex], tuple]


@dataclass(unsafe_hash=True)
class Step:
    name: str
    type: PathType
    get: Getter
    # When the step ends a path: what to yield instead of `get`'s statements
    # (the data names a `use` gives, as written, declared or not).
    last: Getter | None = None
    # Whether it reaches the same whatever statement it starts from (`service`).
    same_from_any: bool = False


def _attribute_getter(key: str, spec: ValueSpec) -> Getter:
    if spec.value == "data":
        def get(node, index):
            names = (item.value for item in items_of(node.value(key)) if isinstance(item, Name))
            return tuple(index.data[name] for name in dict.fromkeys(names) if name in index.data)
        return get

    def get(node, index):
        return tuple(atom(item) for item in items_of(node.value(key)))
    return get


def _part_getter(part: str) -> Getter:
    def get(node, index):
        return tuple(atom(item) for item in part_values(node, part))
    return get


def _relations(kind: str) -> dict[str, Step]:
    """The derived relations a statement of `kind` offers."""
    table = attribute_table()
    kinds = PathType("name", values=SELECTABLE_KINDS, checked=True)
    data_nodes = PathType("node", node="data")
    steps = [
        Step("kind", kinds, lambda node, index: (node.kind,)),
        Step("service", PathType("node", node="service"), lambda node, index: (index.service,),
             same_from_any=True),
    ]
    # `regions` is where the statement applies: less its `except_regions`.
    steps.append(Step("regions", PathType("name", terms="regions", checked=True),
                      lambda node, index: index.regions(node)))
    if kind in ("data", "service") or kind in NAMING_KINDS:
        written = _part_getter("data") if kind in NAMING_KINDS else None
        steps.append(Step("data", data_nodes, lambda node, index: index.named_data(node), written))
    if kind == "data":
        share_roles = table["share"].attributes["role"].values
        steps += [
            Step("sources", data_nodes, lambda node, index: index.sources(node)),
            Step("derivatives", data_nodes, lambda node, index: index.derivatives(node)),
            Step("uses", PathType("name", terms="purposes", checked=True),
                 lambda node, index: index.uses(node)),
            Step("shares", PathType("name", values=share_roles, checked=True),
                 lambda node, index: index.shares(node)),
            Step("shared_for", PathType("name", terms="purposes", checked=True),
                 lambda node, index: index.shared_for(node)),
            Step("trained_derivatives", data_nodes,
                 lambda node, index: index.trained_derivatives(node)),
            Step("referenced_by", kinds, lambda node, index: index.referenced_by(node)),
        ]
    if kind in ("data", "retain"):
        steps.append(Step("retention", PathType("period", terms="events", checked=True),
                          lambda node, index: index.retention(node)))
    if kind == "service":
        steps.append(Step("rights", PathType("name", terms="rights", checked=True),
                          lambda node, index: index.rights()))
    return {step.name: step for step in steps}


@lru_cache(maxsize=None)
def steps_of(kind: str) -> dict[str, Step]:
    """Every step a path can take from a statement of `kind` (or the service)."""
    spec = attribute_table()[kind]
    steps = {name: Step(name, _type_of(value), _part_getter(name))
             for name, value in spec.parts.items()}
    for key, value in spec.attributes.items():
        steps.setdefault(key, Step(key, _type_of(value), _attribute_getter(key, value)))
    # Relations come last: `data` as a relation follows the names to statements.
    steps.update(_relations(kind))
    return steps


class PathError(Exception):
    """An unknown step; `segment` is its index, for the column of the message.

    The message is worded when it is read: a rule that selects several kinds
    meets, on purpose, steps that some of them lack, and its "did you mean"
    (a fuzzy match) would be worked out for nothing on every run."""

    def __init__(self, word: Callable[[], str], segment: int):
        super().__init__()
        self._word = word
        self.segment = segment

    @property
    def message(self) -> str:
        return self._word()

    def __str__(self) -> str:
        return self.message


def _node_names(nodes) -> tuple:
    return tuple(node.name.value for node in nodes)


@dataclass(unsafe_hash=True)
class Path:
    """A checked path: what it yields, and how to walk it."""

    text: str
    type: PathType
    steps: tuple[Step, ...]
    values: Getter = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        # `values`, what conditions call for every statement of every file: a
        # path of one step (most are one attribute or part) goes straight to
        # it, with no walk to remember.
        walk = _one_step(self.steps[0]) if len(self.steps) == 1 else self._walk_once
        self.values = walk

    def __call__(self, node, index: ServiceIndex) -> tuple:
        """The values at this path from `node`: atoms, or names for statements."""
        return self.values(node, index)

    def _walk_once(self, node, index: ServiceIndex) -> tuple:
        """`_walk`, done once per statement of a file (many rules follow the
        same paths, such as `data.categories`), or once per service for a path
        that starts with `service`; a remembered answer costs no work, as a
        remembered definition (compiler._remembered)."""
        key = (id(self), None if self.steps[0].same_from_any else id(node))
        found = index.memo.get(key)
        if found is None:
            found = index.memo[key] = self._walk(node, index)
        return found

    def _walk(self, node, index: ServiceIndex) -> tuple:
        current = (node,)
        spend = index.budget.spend
        last = len(self.steps) - 1
        for number, step in enumerate(self.steps):
            get = step.last if number == last and step.last else step.get
            reached = []
            for item in current:
                reached.extend(get(item, index))
            spend(len(reached) + 1)
            current = _distinct(reached)
        if current and not isinstance(current[0], ATOM_TYPES):
            return _node_names(current)
        return current


def _one_step(step: Step) -> Getter:
    """`Path.__call__` of a path of one step."""
    get = step.last or step.get

    def values(node, index: ServiceIndex) -> tuple:
        reached = get(node, index)
        budget = index.budget
        budget.left -= len(reached) + 1
        if budget.left < 0:
            raise WorkLimit()
        if len(reached) > 1:
            reached = _distinct(reached)
        if reached and not isinstance(reached[0], ATOM_TYPES):
            return _node_names(reached)
        return reached

    return values


def _distinct(items: list) -> tuple:
    """Statements once each (by identity); atoms once each (`True` and `1` apart)."""
    seen = set()
    kept = []
    for item in items:
        key = (type(item), item) if isinstance(item, ATOM_TYPES) else id(item)
        if key not in seen:
            seen.add(key)
            kept.append(item)
    return tuple(kept)


@lru_cache(maxsize=4096)
def resolve(kind: str, text: str) -> Path:
    """Check `text` as a path from a statement of `kind`; PathError if it goes nowhere."""
    segments = text.split(".")
    steps = []
    current = kind
    for number, segment in enumerate(segments):
        if current is None:
            previous = steps[-1]
            raise PathError(lambda: f"'{previous.name}' holds {previous.type.describe()}, "
                                    f"which have no '{segment}'", number)
        available = steps_of(current)
        step = available.get(segment)
        if step is None:
            raise PathError(lambda: _unknown(segment, current, available), number)
        steps.append(step)
        current = step.type.node
    return Path(text, steps[-1].type, tuple(steps))


def _unknown(segment: str, kind: str, available: dict[str, Step]) -> str:
    return unknown_step(segment, (kind,), available)


def unknown_step(segment: str, kinds: tuple[str, ...], available=None) -> str:
    """`unknown path 'x' for use or share statements (did you mean …?)`."""
    if available is None:
        available = {name: None for kind in kinds for name in steps_of(kind)}
    message = f"unknown path '{segment}' for {statements_phrase(kinds)}"
    return message + did_you_mean(segment, available, count=3)


def pointable(kinds: str | tuple[str, ...]) -> list[str]:
    """The names an `at:` may give for a rule that selects `kinds` (any of them)."""
    table = attribute_table()
    names: set[str] = set()
    for kind in (kinds,) if isinstance(kinds, str) else kinds:
        names |= set(table[kind].parts) | set(table[kind].attributes)
    return sorted(names)


def refuse_unknown_everywhere(absent: list[dict[int, str]], kinds: tuple[str, ...]) -> None:
    """A path missing on every selected kind is a mistake, not a missing value."""
    everywhere = set(absent[0]).intersection(*absent[1:])
    if everywhere:
        offset = min(everywhere)
        raise ConditionError(unknown_step(absent[0][offset], kinds), offset)
