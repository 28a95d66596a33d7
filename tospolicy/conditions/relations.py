"""What a service's statements say about each other: the derived relations.

RULEPACKS.md lets conditions follow references (`data.categories` from a
`use`), ask what happens to a data set (`uses`, `shares`, `retention`) and
follow `derived_from` to the data it was made from (`sources`). One
`ServiceIndex` per service answers all of these from one pass over its
statements.
"""

from __future__ import annotations

from tospolicy.support.graphs import components, cycles
from tospolicy.language import regions as region_sets
from tospolicy.language.model import Data, Name, Retain, Service, items_of
from tospolicy.language.taxonomy import Taxonomy, builtin_taxonomy
from tospolicy.conditions.values import INDEFINITELY, atom

# Statements that name data (`use DATA for …`), as opposed to `data` and `right`.
NAMING_KINDS = ("use", "share", "retain", "license", "never")
# A bound on the data one `sources` or `derivatives` walk reaches.
MAX_REACHED = 256
# A bound on the work of checking one file (values produced by paths, pairs
# compared), so that no pack and declaration together can run for long:
# MAX_WORK, plus WORK_PER_STATEMENT for each statement, so that the bound grows
# with the file as parsing it does. With every built-in pack an honest
# statement costs 80 to 200 units; the per-statement share leaves room for
# custom packs, while work that grows faster than the file (paths that
# multiply, every statement compared with every other) still meets the bound.
MAX_WORK = 5_000_000
WORK_PER_STATEMENT = 500


def work_limit(statements: int) -> int:
    """The work budget of a declaration of this many statements."""
    return MAX_WORK + WORK_PER_STATEMENT * statements


class WorkLimit(Exception):
    """Checking a declaration needs more work than its budget (work_limit)."""


class Budget:
    """The work left for one file, shared by its services' indexes."""

    def __init__(self, limit: int = MAX_WORK):
        self.left = limit

    def spend(self, amount: int) -> None:
        self.left -= amount
        if self.left < 0:
            raise WorkLimit()


class ServiceIndex:
    def __init__(self, service: Service, budget: Budget | None = None,
                 taxonomy: Taxonomy | None = None):
        self.service = service
        self.budget = budget or Budget()
        # The taxonomy `except_regions` is worked out in (regions()).
        self.taxonomy = taxonomy or builtin_taxonomy()
        # Answers worked out once per statement: definitions (compiler._remembered),
        # paths of several steps (paths.Path), regions.
        self.memo: dict[tuple, object] = {}
        self.data: dict[str, Data] = {}
        self.by_kind: dict[str, list] = {}
        self._naming: dict[str, list] = {}  # data name -> statements that name it
        for statement in service.statements:
            self.by_kind.setdefault(statement.kind, []).append(statement)
            if isinstance(statement, Data):
                self.data.setdefault(statement.name.value, statement)
            elif statement.kind in NAMING_KINDS:
                for name in dict.fromkeys(name.value for name in statement.data):
                    self._naming.setdefault(name, []).append(statement)
        # derived_from edges between declared data (undeclared names are CORE001's).
        self._sources_of: dict[str, list[str]] = {}
        self._derived_of: dict[str, list[str]] = {}
        for name, data in self.data.items():
            value = data.value("derived_from")
            targets = [item.value for item in items_of(value)
                       if isinstance(item, Name) and item.value in self.data]
            self._sources_of[name] = list(dict.fromkeys(targets))
            for target in self._sources_of[name]:
                self._derived_of.setdefault(target, []).append(name)
        self._sources: dict[str, tuple[Data, ...]] | None = None
        self._derivatives: dict[str, tuple[Data, ...]] | None = None

    # -- statements

    def statements(self, kind: str) -> list:
        if kind == "service":
            return [self.service]
        return self.by_kind.get(kind, [])

    def named_data(self, node) -> tuple[Data, ...]:
        """The declared data a statement is about: a `data` itself, the data a
        `use`… names, every data of a service; none for a `right`."""
        if isinstance(node, Data):
            return (node,)
        if isinstance(node, Service):
            return tuple(self.data.values())
        names = dict.fromkeys(name.value for name in getattr(node, "data", ()))
        return tuple(self.data[name] for name in names if name in self.data)

    def naming(self, data: Data, kind: str | None = None) -> list:
        """The statements that name `data` (of one kind, or all), in source order."""
        statements = self._naming.get(data.name.value, [])
        return [s for s in statements if kind is None or s.kind == kind]

    # -- derived_from

    def sources(self, data: Data) -> tuple[Data, ...]:
        """The data `data` is derived from, followed transitively, nearer ones first."""
        if self._sources is None:
            self._sources = self._closures(self._sources_of)
        return self._sources.get(data.name.value, ())

    def derivatives(self, data: Data) -> tuple[Data, ...]:
        """The data derived from `data`, transitively, nearer ones first."""
        if self._derivatives is None:
            self._derivatives = self._closures(self._derived_of)
        return self._derivatives.get(data.name.value, ())

    def _closures(self, edges: dict[str, list[str]]) -> dict[str, tuple[Data, ...]]:
        """Every data's transitive closure along `edges`, computed once per service.

        Components come sinks first, so each data's closure is built from the
        closures of the data it points to (a chain costs linear time, not
        quadratic); the data of a cycle share theirs. A closure holds at most
        MAX_REACHED data, which no honest declaration comes near.
        """
        graph = {name: edges.get(name, []) for name in self.data}
        reached: dict[str, tuple[str, ...]] = {}
        for component in components(graph):
            members = set(component)
            names: dict[str, None] = {}
            for name in component:
                for target in graph[name]:
                    names[target] = None
            for name in component:
                for target in graph[name]:
                    if target not in members:
                        self.budget.spend(len(reached[target]) + 1)
                        names.update(dict.fromkeys(reached[target]))
                if len(names) > MAX_REACHED:
                    break
            shared = tuple(names)[:MAX_REACHED]
            for name in component:
                # Its own sources first, then what the component reaches.
                own = dict.fromkeys((*graph[name], *shared))
                own.pop(name, None)
                reached[name] = tuple(own)[:MAX_REACHED]
        return {name: tuple(self.data[other] for other in names)
                for name, names in reached.items()}

    def derivation_cycles(self) -> list[list[Data]]:
        """Each cycle of `derived_from` once, as the path from its first data back to it."""
        return [[self.data[name] for name in cycle] for cycle in cycles(self._sources_of)]

    # -- what happens to a data set

    def retention(self, node) -> tuple:
        """How long data is kept: a duration, `indefinitely`, or the `until` event."""
        retains = [node] if isinstance(node, Retain) else self.naming(node, "retain")
        periods = []
        for retain in retains:
            if retain.duration is not None:
                periods.append(atom(retain.duration))
            elif retain.until is not None:
                periods.append(retain.until.value)
            else:
                periods.append(INDEFINITELY)
        return tuple(periods)

    def uses(self, data: Data) -> tuple:
        """The purposes `data` is used for."""
        return tuple(purpose.value for use in self.naming(data, "use") for purpose in use.purposes)

    def shared_for(self, data: Data) -> tuple:
        """The purposes `data` is shared for; `any` for a share that names none
        (nothing limits what the recipient does with it)."""
        purposes = []
        for share in self.naming(data, "share"):
            named = [item.value for item in items_of(share.value("purposes")) if isinstance(item, Name)]
            purposes.extend(named or ["any"])
        return tuple(purposes)

    def trained_derivatives(self, data: Data) -> tuple[Data, ...]:
        """The data derived from `data` that a use trains AI on (purposes
        overlapping `ai.training`): what carries it into a model."""
        return tuple(
            derived for derived in self.derivatives(data)
            if any(self.taxonomy.overlaps(purpose, "ai.training", "purposes")
                   for purpose in self.uses(derived)))

    def shares(self, data: Data) -> tuple:
        """The roles of those `data` is shared with."""
        return tuple(
            atom(role) for share in self.naming(data, "share") for role in items_of(share.value("role"))
        )

    def referenced_by(self, data: Data) -> tuple:
        """The kinds of statement that name `data` (`data` when another data derives from it)."""
        kinds = [statement.kind for statement in self.naming(data)]
        if self._derived_of.get(data.name.value):
            kinds.append("data")
        return tuple(kinds)

    def regions(self, node) -> tuple:
        """The regions a statement applies in: its `regions` less its
        `except_regions` (language/regions.py); empty when it applies
        wherever the service does."""
        key = ("regions", id(node))
        found = self.memo.get(key)
        if found is None:
            found = region_sets.effective(node, self.taxonomy, self.service) or ()
            self.budget.spend(len(found) + 1)
            self.memo[key] = found
        return found

    def rights(self) -> tuple:
        """The names of the rights the service declares."""
        return tuple(right.right.value for right in self.by_kind.get("right", ()))

