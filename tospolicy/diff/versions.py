"""One version of one service, indexed for comparison."""

from __future__ import annotations

from collections import defaultdict

from tospolicy.diff.values import by_data, first_term, listing, terms_in, unique_names
from tospolicy.language.model import Data, Right, Service, Span
from tospolicy.language.taxonomy import Taxonomy

SENSITIVE_CATEGORIES = ("biometric", "special")
CHILD_AUDIENCES = frozenset({"children", "mixed"})


class Version:
    """One version of one service, indexed for comparison; `None` is an empty service."""

    def __init__(self, service: Service | None, taxonomy: Taxonomy):
        self.service = service
        self.taxonomy = taxonomy
        self.data: dict[str, Data] = {}
        self.kinds: dict[str, list] = defaultdict(list)
        for statement in service.statements if service else ():
            self.kinds[statement.kind].append(statement)
            if isinstance(statement, Data):
                self.data.setdefault(statement.name.value, statement)
        self._categories: dict[str, frozenset[str]] = {}
        self._uses = by_data(self.of("use"))
        self._references: dict[str, list[str]] | None = None

    def of(self, kind: str) -> list:
        return self.kinds.get(kind, [])

    def rights(self) -> set[str]:
        return {statement.right.value for statement in self.of("right")}

    def first_use(self, name: str) -> Span | None:
        uses = self._uses.get(name)
        return uses[0].span if uses else None

    def references(self, name: str) -> list[str]:
        """The identities of the statements that mention data `name`, sorted."""
        if self._references is None:
            found: dict[str, list[str]] = defaultdict(list)
            for statement in self.service.statements if self.service else ():
                if not isinstance(statement, (Data, Right)):
                    for item in unique_names(statement.data):
                        found[item].append(statement.identity)
            self._references = {item: sorted(identities) for item, identities in found.items()}
        return self._references.get(name, [])

    def label(self, name: str) -> str:
        data = self.data.get(name)
        if data is not None and data.label is not None:
            return f'{name} ("{data.label.value}")'
        return name

    def labels(self, names) -> str:
        return listing([self.label(name) for name in names])

    def categories(self, name: str) -> frozenset[str]:
        """Its categories and those of the data it is derived from (transitively)."""
        if name not in self._categories:
            found: set[str] = set()
            seen: set[str] = set()
            stack = [name]
            while stack:
                current = stack.pop()
                if current in seen or current not in self.data:
                    continue
                seen.add(current)
                data = self.data[current]
                found.update(terms_in(data.value("categories")))
                stack.extend(terms_in(data.value("derived_from")))
            self._categories[name] = frozenset(found)
        return self._categories[name]

    def sensitive(self, names) -> bool:
        return any(
            self.taxonomy.is_under(category, top, "categories")
            for name in names for category in self.categories(name)
            for top in SENSITIVE_CATEGORIES
        )

    def children(self, names) -> bool:
        if self.service is not None and first_term(self.service.value("audience")) in CHILD_AUDIENCES:
            return True
        return any(
            "child" in terms_in(self.data[name].value("subjects"))
            for name in names if name in self.data
        )
