"""Reading pack files, and the state of one load: its problems, and what the
definitions already looked at hold.

A `Loading` collects every problem of every pack, each with the file, line
and column where it is written (for a condition, also the column inside it);
terms.py, definitions.py and rules.py add theirs as they go.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tospolicy.conditions.parser import parse_condition
from tospolicy.conditions.tree import ConditionError, Constant
from tospolicy.limits import CEILINGS
from tospolicy.packs.positions import locate
from tospolicy.packs.refs import DEFINITIONS_PACK, PackRef, RefError, builtin_packs, resolve_ref
from tospolicy.packs.types import Location, Problem
from tospolicy.support.paths import display_path
from tospolicy.support.resources import resource

if TYPE_CHECKING:
    from tospolicy.support.yamlsource import Document


@dataclass
class PackFile:
    """One pack file, read and valid against the schema."""

    path: Path
    builtin: bool
    document: Document

    @property
    def data(self) -> dict:
        return self.document.data

    @property
    def display(self) -> str:
        return self.document.display

    def at(self, *path) -> Location:
        mark = self.document.mark_at(list(path))
        return Location(self.display, mark.line, mark.column)

    def key_at(self, *path) -> Location:
        mark = self.document.key_mark_at(list(path))
        return Location(self.display, mark.line, mark.column)


class Loading:
    """One load of a set of packs: the problems found so far, and the definitions' state."""

    def __init__(self, max_depth: int, texts: dict[Path, str] | None = None):
        self.max_depth = max_depth
        self.texts = texts or {}  # files as an editor has them, read instead of the disk
        self.problems: list[Problem] = []
        self.written: dict[str, tuple[PackFile, tuple]] = {}  # definition -> its condition
        self.broken: set[str] = set()  # definitions that cannot be used
        self.depths: dict[str, int] = {}  # definition -> nesting depth, references included

    def problem(self, location: Location, message: str) -> None:
        self.problems.append(Problem(location, message))

    def depth_limit(self, source: PackFile) -> int:
        """The configured nesting limit guards against untrusted packs; the
        built-in packs are shipped and tested, and keep the ceiling, so that a
        low limit in a configuration cannot break them."""
        return CEILINGS.max_nesting_depth if source.builtin else self.max_depth

    def files(self, refs: list[PackRef]) -> dict[Path, bool]:
        """The pack files to read, in load order, each with whether it is built-in."""
        builtins = builtin_packs()
        files: dict[Path, bool] = {resource("rules", f"{DEFINITIONS_PACK}.yaml").resolve(): True}
        for ref in refs:
            try:
                path, builtin = resolve_ref(ref, builtins)
            except RefError as error:
                self.problem(ref.origin or Location(ref.text), str(error))
                continue
            files.setdefault(path.resolve(), builtin)
        return files

    def read_all(self, files: dict[Path, bool]) -> list[PackFile]:
        sources = []
        names: dict[str, str] = {}
        for path, builtin in files.items():
            display = display_path(path)
            source = self._read(path, display, builtin)
            if source is None:
                continue
            name = source.data["pack"]
            if name in names:
                self.problem(source.at("pack"),
                             f"pack name '{name}' is already the name of {names[name]}")
                continue
            names[name] = display
            sources.append(source)
        return sources

    def _read(self, path: Path, display: str, builtin: bool) -> PackFile | None:
        from tospolicy.support.yamlsource import Mark, YamlError, parse_yaml, read_yaml  # PyYAML: not needed on a cache hit

        depth = CEILINGS.max_nesting_depth if builtin else self.max_depth
        try:
            if path in self.texts:
                document = parse_yaml(self.texts[path], display, depth)
            else:
                document = read_yaml(path, display, depth)
        except YamlError as error:
            mark = error.mark or Mark(1, 1)
            self.problem(Location(display, mark.line, mark.column), error.message)
            return None
        if document.data is None:
            self.problem(Location(display, 1, 1), "the pack is empty")
            return None
        if not builtin:
            from tospolicy.packs.schema import schema_problems  # jsonschema: only for a pack of the user's

            problems = schema_problems(document, "rulepack.schema.json")
            for mark, message in problems:
                self.problem(Location(display, mark.line, mark.column), message)
            if problems:
                return None
        return PackFile(path, builtin, document)

    def parse(self, source: PackFile, path: tuple, value, what: str):
        """The tree of a condition (`true`/`false` as a constant), or None with the problem reported."""
        if isinstance(value, bool):
            return Constant(value)
        try:
            return parse_condition(value, self.depth_limit(source))
        except ConditionError as error:
            self.report(source, path, error, what)
            return None

    def report(self, source: PackFile, path: tuple, error: ConditionError, what: str) -> None:
        """A problem inside a condition or message: at its exact column when the
        YAML scalar maps onto the file simply, always naming the column inside."""
        location = source.at(*path)
        value = source.document.value_at(list(path))
        if isinstance(value, str):
            exact = locate(source.document, source.document.mark_at(list(path)), value,
                           error.offset)
            if exact is not None:
                location = Location(location.file, *exact)
        self.problem(location, f"{what}, column {error.offset + 1}: {error.message}")

    def in_definition(self, name: str, error: ConditionError, note: str = "") -> None:
        source, path = self.written[name]
        self.report(source, path, error, f"${name}{note}")
