"""What loading rule packs gives: the packs, their compiled rules, the rule
set in force, and the problems of packs that cannot be used.

loader.py makes these from pack files, cache.py from a cache entry; the
engine (checking/) runs them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tospolicy.conditions.compiler import Definition, Evaluator
from tospolicy.conditions.templates import Template
from tospolicy.findings import RuleInfo
from tospolicy.language.taxonomy import Taxonomy


@dataclass(unsafe_hash=True)
class Location:
    """A place in a file; line 0 when the place is the whole thing (a name given)."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}" if self.line else self.file


@dataclass(unsafe_hash=True)
class Problem:
    location: Location
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class PackError(Exception):
    """Packs that cannot be used; `problems` says where and why, in order."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(
            problems, key=lambda p: (p.location.file, p.location.line, p.location.column, p.message))
        super().__init__("\n".join(str(problem) for problem in self.problems))


@dataclass(unsafe_hash=True)
class Rule:
    """A compiled rule: either a condition rule (`select`…) or a built-in `check`."""

    info: RuleInfo
    location: Location
    select: tuple[str, ...] = ()  # the kinds of statement it selects (none: a check)
    where: Evaluator | None = None
    require: Evaluator | None = None
    forbid: Evaluator | None = None
    message: Template | None = None
    at: tuple[str, ...] = ()  # where findings point: the first of these the statement has
    check: str | None = None
    cases: tuple[Case, ...] = ()
    written: Written | None = None  # what a condition rule was compiled from


@dataclass(unsafe_hash=True)
class Written:
    """What a condition rule was compiled from, as plain data: the syntax trees
    of its conditions and the text of its messages. The pack cache keeps this
    and compiles it again (cache.py)."""

    where: object = None
    require: object = None
    forbid: object = None
    message: str | None = None
    cases: tuple[tuple[object, str | None, str | None], ...] = ()  # (when, severity, message)


@dataclass(unsafe_hash=True)
class Case:
    """`cases:` of a rule: when `when` holds on a reported statement, the finding
    takes this severity and/or message instead of the rule's."""

    when: Evaluator
    severity: str | None = None
    message: Template | None = None


@dataclass(unsafe_hash=True)
class Pack:
    name: str
    path: Path
    display: str
    builtin: bool
    version: str = ""
    description: str = ""
    url: str = ""
    tests: Path | None = None
    tests_location: Location | None = None
    rule_ids: tuple[str, ...] = ()


@dataclass(unsafe_hash=True)
class Override:
    """A rule's setting from the configuration: `off`, or another severity."""

    rule_id: str
    off: bool = False
    severity: str | None = None
    location: Location | None = None


@dataclass
class RuleSet:
    """The loaded packs: the rules in force and what they were compiled against."""

    packs: list[Pack]
    loaded: list[Rule]  # every rule, in load order, severities as configured
    off: frozenset[str]  # the ids the configuration turns off
    taxonomy: Taxonomy
    definitions: dict[str, Definition]
    warnings: list[Problem] = field(default_factory=list)
    # A digest of the packs and what they were compiled against (the pack
    # cache's key); None without a cache folder.
    key: str | None = None
    topics: list = field(default_factory=list)  # watched topics (binding.topics.Topic), in load order

    @property
    def rules(self) -> list[Rule]:
        """The rules in force, in load order."""
        return [rule for rule in self.loaded if rule.info.id not in self.off]

    @property
    def infos(self) -> list[RuleInfo]:
        return [rule.info for rule in self.rules]

    def rule(self, rule_id: str) -> Rule | None:
        for rule in self.loaded:
            if rule.info.id == rule_id:
                return rule
        return None
