"""What a service's statements say about each other: the derived relations.

RULEPACKS.md lets conditions follow references (`data.categories` from a
`use`), ask what happens to a data set (`uses`, `shares`, `retention`) and
follow `derived_from` to the data it was made from (`sources`). One
`ServiceIndex` per service answers all of these from one pass over its
statements.
"""

from __future__ import annotations

from collections import deque

from .model import Data, Name, Retain, Service, items_of
from .values import INDEFINITELY, atom

# Statements that name data (`use DATA for …`), as opposed to `data` and `right`.
NAMING_KINDS = ("use", "share", "retain", "license", "never")


class ServiceIndex:
    def __init__(self, service: Service):
        self.service = service
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
        """The data `data` is derived from, followed transitively, nearest first."""
        return self._walk(data, self._sources_of)

    def derivatives(self, data: Data) -> tuple[Data, ...]:
        """The data derived from `data`, transitively, nearest first."""
        return self._walk(data, self._derived_of)

    def _walk(self, data: Data, edges: dict[str, list[str]]) -> tuple[Data, ...]:
        start = data.name.value
        seen = {start}
        order = []
        queue = deque(edges.get(start, ()))
        while queue:
            name = queue.popleft()
            if name in seen:
                continue
            seen.add(name)
            order.append(self.data[name])
            queue.extend(edges.get(name, ()))
        return tuple(order)

    def derivation_cycles(self) -> list[list[Data]]:
        """Each cycle of `derived_from` once, as the path from its first data back to it."""
        cycles = []
        on_a_cycle: set[str] = set()
        for name, data in self.data.items():
            if name in on_a_cycle:
                continue
            path = self._path_back(name)
            if path:
                on_a_cycle.update(path)
                cycles.append([self.data[step] for step in path])
        return cycles

    def _path_back(self, start: str) -> list[str] | None:
        """The shortest derived_from path from `start` back to itself, if any."""
        previous: dict[str, str] = {}
        queue = deque([start])
        while queue:
            name = queue.popleft()
            for source in self._sources_of.get(name, ()):
                if source == start:
                    path = [name]
                    while path[-1] != start:
                        path.append(previous[path[-1]])
                    return list(reversed(path))
                if source not in previous:
                    previous[source] = name
                    queue.append(source)
        return None

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

    def rights(self) -> tuple:
        """The names of the rights the service declares."""
        return tuple(right.right.value for right in self.by_kind.get("right", ()))

