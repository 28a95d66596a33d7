"""Rule packs: found, read, validated completely, compiled once.

Loading a set of packs is all or nothing. Every problem of every pack is
collected, each with the file, line and column where it is written (and for
a condition, the column inside the condition), and reported together as one
`PackError`: a pack never fails silently, and never half-loads.

The order of work: read each file (safe YAML with positions); validate it
against `schemas/rulepack.schema.json` (the test suite does this for the
built-in packs, so a run does not pay for it); merge the packs' taxonomy
terms into the built-in taxonomy; collect the definitions of every pack (one
namespace, duplicates and cycles refused); then check and compile each rule.
The built-in definitions (`rules/definitions.yaml`) are always loaded.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from tospolicy import checks
from tospolicy.conditions.compiler import Compiler, Definition, DefinitionError, no_such_definition
from tospolicy.conditions.templates import compile_template, constant_template
from tospolicy.conditions.parser import parse_condition
from tospolicy.conditions.tree import All, Any, ConditionError, Constant, Not, Reference, nested_too_deep
from tospolicy.findings import PARSER_RULES, RuleInfo
from tospolicy.support.graphs import components, cycles
from tospolicy.language.attributes import SELECTABLE_KINDS
from tospolicy.limits import CEILINGS, DEFAULT_LIMITS, Limits
from tospolicy.conditions.paths import pointable
from tospolicy.packs import cache as packcache
from tospolicy.packs.types import Case, Location, Override, Pack, PackError, Problem, Rule, RuleSet, Written
from tospolicy.support.paths import display_path
from tospolicy.support.resources import resource, resource_dir
from tospolicy.language.taxonomy import KINDS, Taxonomy, builtin_taxonomy, terms_from_data

if TYPE_CHECKING:
    from tospolicy.support.yamlsource import Document, Mark

# Files of rules/ that are data, not packs.
DATA_FILES = ("taxonomy.yaml", "attributes.yaml", "fideslang.yaml")
# The built-in pack of shared definitions, loaded with every set of packs.
DEFINITIONS_PACK = "definitions"


# --------------------------------------------------------------- references

def builtin_packs() -> dict[str, Path]:
    """The built-in packs by name, `core` first and then by name, without the
    shared definitions."""
    folder = resource_dir("rules")
    paths = sorted(folder.glob("*.yaml"), key=lambda path: (path.stem != "core", path.stem))
    return {
        path.stem: path for path in paths
        if path.name not in DATA_FILES and path.stem != DEFINITIONS_PACK
    }


@dataclass(frozen=True)
class PackRef:
    """A pack as the user named it: a built-in name or a path (relative to `base`)."""

    text: str
    base: Path = Path(".")
    origin: Location | None = None  # where it was named, for errors (config file)

    @property
    def is_path(self) -> bool:
        text = self.text
        return "/" in text or os.sep in text or text.endswith((".yaml", ".yml"))


def _resolve(ref: PackRef, builtins: dict[str, Path]) -> tuple[Path, bool]:
    if not ref.is_path:
        if ref.text in builtins or ref.text == DEFINITIONS_PACK:
            return resource("rules", f"{ref.text}.yaml"), True
        message = f"no built-in pack named '{ref.text}' (built-in packs: {', '.join(builtins)})"
        close = difflib.get_close_matches(ref.text, list(builtins), n=1)
        if close:
            message += f"; did you mean '{close[0]}'?"
        message += f"; a pack file is named by its path, like ./{ref.text}.yaml"
        raise _RefError(message)
    path = Path(ref.text)
    path = path if path.is_absolute() else ref.base / path
    if not path.is_file():
        raise _RefError(f"pack file '{ref.text}' does not exist"
                        + (" (paths in the configuration are relative to its folder)"
                           if ref.origin else ""))
    return path, False


class _RefError(Exception):
    pass


# ------------------------------------------------------------------ loading

def load_rule_set(refs: list[PackRef], overrides: dict[str, Override] | None = None,
                  limits: Limits = DEFAULT_LIMITS) -> RuleSet:
    """Load packs, with the built-in definitions; PackError lists every problem.

    `limits.max_nesting_depth` bounds the packs' YAML and their conditions.
    Packs that loaded without a problem before, byte for byte, come from the
    pack cache (packcache.py) without being read again."""
    loading = _Loading(limits.max_nesting_depth)
    files = loading.files(refs)
    key = None if loading.problems else packcache.key(files, limits)
    cached = packcache.load(key, files) if key else None
    if cached is not None:
        packs, rules, taxonomy, definitions = cached
    else:
        sources = loading.read_all(files)
        taxonomy = loading.taxonomy(sources)
        definitions = loading.definitions(sources)
        compiler = Compiler(taxonomy, definitions)
        loading.check_definitions(definitions, compiler)
        packs, rules = loading.rules(sources, compiler)
        if loading.problems:
            raise PackError(loading.problems)
        if key:
            packcache.store(key, files, packs, rules, taxonomy, definitions)
    loaded, off, warnings = _apply(rules, overrides or {})
    return RuleSet(packs, loaded, off, taxonomy, definitions, warnings, key)


def _apply(rules: list[Rule], overrides: dict[str, Override]):
    """The configuration's severities applied, the ids it turns off, and warnings
    for the ids it names that no loaded pack has."""
    known = {rule.info.id for rule in rules}
    loaded = []
    for rule in rules:
        override = overrides.get(rule.info.id)
        if override and override.severity:
            # The configuration's severity is every finding's, whatever the case.
            cases = tuple(replace(case, severity=None) for case in rule.cases)
            rule = replace(rule, info=replace(rule.info, severity=override.severity), cases=cases)
        loaded.append(rule)
    off = frozenset(rule_id for rule_id, override in overrides.items() if override.off)
    warnings = []
    for rule_id, override in overrides.items():
        if rule_id not in known:
            close = difflib.get_close_matches(rule_id, sorted(known), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            warnings.append(Problem(override.location or Location("configuration"),
                                    f"rules: no loaded rule has the id '{rule_id}'{hint}"))
    return loaded, off, warnings


@dataclass
class _Source:
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


class _Loading:
    def __init__(self, max_depth: int):
        self.max_depth = max_depth
        self.problems: list[Problem] = []
        self.written: dict[str, tuple[_Source, tuple]] = {}  # definition -> its condition
        self.broken: set[str] = set()  # definitions that cannot be used
        self.depths: dict[str, int] = {}  # definition -> nesting depth, references included

    def problem(self, location: Location, message: str) -> None:
        self.problems.append(Problem(location, message))

    def depth_limit(self, source: _Source) -> int:
        """The configured nesting limit guards against untrusted packs; the
        built-in packs are shipped and tested, and keep the ceiling, so that a
        low limit in a configuration cannot break them."""
        return CEILINGS.max_nesting_depth if source.builtin else self.max_depth

    # -- files

    def files(self, refs: list[PackRef]) -> dict[Path, bool]:
        """The pack files to read, in load order, each with whether it is built-in."""
        builtins = builtin_packs()
        files: dict[Path, bool] = {resource("rules", f"{DEFINITIONS_PACK}.yaml").resolve(): True}
        for ref in refs:
            try:
                path, builtin = _resolve(ref, builtins)
            except _RefError as error:
                self.problem(ref.origin or Location(ref.text), str(error))
                continue
            files.setdefault(path.resolve(), builtin)
        return files

    def read_all(self, files: dict[Path, bool]) -> list[_Source]:
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

    def _read(self, path: Path, display: str, builtin: bool) -> _Source | None:
        from tospolicy.support.yamlsource import Mark, YamlError, read_yaml  # PyYAML: not needed on a cache hit

        try:
            document = read_yaml(path, display, CEILINGS.max_nesting_depth if builtin else self.max_depth)
        except YamlError as error:
            mark = error.mark or Mark(1, 1)
            self.problem(Location(display, mark.line, mark.column), error.message)
            return None
        if document.data is None:
            self.problem(Location(display, 1, 1), "the pack is empty")
            return None
        if not builtin:
            from tospolicy.packs.schema import schema_problems

            problems = schema_problems(document, "rulepack.schema.json")
            for mark, message in problems:
                self.problem(Location(display, mark.line, mark.column), message)
            if problems:
                return None
        return _Source(path, builtin, document)

    # -- taxonomy

    def taxonomy(self, sources: list[_Source]) -> Taxonomy:
        base = builtin_taxonomy()
        merged = base
        added: dict[tuple[str, str], _Source] = {}
        for source in sources:
            extension = source.data.get("taxonomy") or {}
            for kind, entries in extension.items():
                for key in entries or {}:
                    owner = added.get((kind, key))
                    if base.knows(kind, key) or owner:
                        where = f"pack '{owner.data['pack']}'" if owner else "the built-in taxonomy"
                        self.problem(source.key_at("taxonomy", kind, key),
                                     f"term '{key}' of {kind} is already defined by {where}")
                        continue
                    added[(kind, key)] = source
            fresh = {kind: {key: value for key, value in (entries or {}).items()
                            if added.get((kind, key)) is source}
                     for kind, entries in extension.items()}
            merged = merged.extended(terms_from_data(fresh))
        for (kind, key), source in added.items():
            term = merged.term(kind, key)
            parent = term.parent or (key.rsplit(".", 1)[0] if "." in key else None)
            if parent is not None and not merged.knows(kind, parent):
                how = "its parent" if term.parent else f"the term above '{key}'"
                self.problem(source.key_at("taxonomy", kind, key),
                             f"{how}, '{parent}', is not a term of {kind}"
                             + ("" if term.parent else ": define it too, or give parent:"))
        self._check_term_depths(merged, added)
        return merged

    def _check_term_depths(self, taxonomy: Taxonomy, added: dict) -> None:
        """Every question about a term walks up its parents: a chain of 20,000
        pack terms made each `under` take milliseconds. Terms nest no deeper
        than the nesting limit; each walk stops there, and depths are shared."""
        depths: dict[tuple[str, str], int] = {}
        reported = set()  # one problem a pack: the first term too deep says it
        for (kind, key), source in added.items():
            chain, current = [], key
            while (current is not None and (kind, current) not in depths and current not in chain
                   and len(chain) <= self.max_depth):
                chain.append(current)
                current = taxonomy.parent(current, kind)
            above = depths.get((kind, current), 0) if current is not None else 0
            for offset, name in enumerate(reversed(chain)):
                depths[(kind, name)] = above + offset + 1
            if depths[(kind, key)] > self.max_depth and id(source) not in reported:
                reported.add(id(source))
                self.problem(source.key_at("taxonomy", kind, key), nested_too_deep(
                    f"term '{key}' of {kind} is", self.max_depth))

    # -- definitions

    def definitions(self, sources: list[_Source]) -> dict[str, Definition]:
        found: dict[str, Definition] = {}
        for source in sources:
            for name, entry in (source.data.get("definitions") or {}).items():
                if isinstance(entry, dict):
                    path = ("definitions", name, "condition")
                    condition, select = entry["condition"], entry.get("select")
                    description = entry.get("description", "")
                else:
                    path, condition, select, description = ("definitions", name), entry, None, ""
                if name in found:
                    self.problem(source.key_at("definitions", name),
                                 f"definition '${name}' is already defined in {found[name].location}")
                    continue
                tree = self._parse(source, path, condition, f"${name}")
                if tree is None:
                    continue
                found[name] = Definition(name, tree, select, description, source.data["pack"],
                                         source.at(*path))
                self.written[name] = (source, path)
        return found

    def check_definitions(self, definitions: dict[str, Definition], compiler: Compiler) -> None:
        """Unknown references, cycles and depth, then each definition compiled once.

        A definition that refers to a broken one is broken too, without a
        message of its own: the first problem is the one to fix.
        """
        graph = {name: [reference.name for reference in _references(definition.tree)]
                 for name, definition in definitions.items()}
        for cycle in cycles(graph):
            chain = " -> ".join(f"${name}" for name in (*cycle, cycle[0]))
            self.problem(definitions[cycle[0]].location,
                         f"definitions refer to themselves in a cycle: {chain}")
            self.broken.update(cycle)
        for component in components(graph):
            for name in component:
                if name in self.broken:
                    continue
                definition = definitions[name]
                unknown = [reference for reference in _references(definition.tree)
                           if reference.name not in definitions]
                if unknown:
                    self._in_definition(name, no_such_definition(unknown[0], definitions))
                    self.broken.add(name)
                elif any(target in self.broken for target in graph[name]):
                    self.broken.add(name)
                else:
                    self.depths[name] = _depth(definition.tree, self.depths)
                    limit = self.depth_limit(self.written[name][0])
                    if self.depths[name] > limit:
                        self.problem(definition.location, nested_too_deep(
                            f"${name}, with the definitions it refers to, is", limit))
                        self.broken.add(name)
                    elif not self._compiles(definition, compiler):
                        self.broken.add(name)

    def _compiles(self, definition: Definition, compiler: Compiler) -> bool:
        """Whether the definition compiles for its statements (any kind, without
        `select`); the problem is reported when it does not."""
        kinds = [definition.select] if definition.select else SELECTABLE_KINDS
        errors = []
        for kind in kinds:
            try:
                compiler.definition(definition.name, kind)
                return True
            except DefinitionError as error:
                errors.append(error)
        # Usable on no statement at all: report the error that got furthest.
        error = max(errors, key=lambda e: (e.definition is definition, e.error.offset))
        note = "" if definition.select else " (it fits no kind of statement)"
        self._in_definition(error.definition.name, error.error, note)
        return False

    def _in_definition(self, name: str, error: ConditionError, note: str = "") -> None:
        source, path = self.written[name]
        self._report(source, path, error, f"${name}{note}")

    # -- rules

    def rules(self, sources: list[_Source], compiler: Compiler):
        ids: dict[str, Location] = {info.id: Location("tospolicy's parser") for info in PARSER_RULES}
        names: dict[str, Location] = {}
        packs, rules = [], []
        for source in sources:
            pack_rules = []
            for number, entry in enumerate(source.data.get("rules") or []):
                rule = self._rule(source, number, entry, compiler, ids, names)
                if rule is not None:
                    pack_rules.append(rule)
            rules.extend(pack_rules)
            packs.append(self._pack(source, pack_rules))
        return packs, rules

    def _pack(self, source: _Source, rules: list[Rule]) -> Pack:
        data = source.data
        tests = data.get("tests")
        return Pack(
            name=data["pack"], path=source.path, display=source.display, builtin=source.builtin,
            version=str(data.get("version", "")), description=data.get("description", ""),
            url=data.get("url", ""),
            tests=(source.path.parent / tests) if tests else None,
            tests_location=source.at("tests") if tests else None,
            rule_ids=tuple(rule.info.id for rule in rules),
        )

    def _rule(self, source, number, entry, compiler, ids, names) -> Rule | None:
        def at(*keys):
            return source.at("rules", number, *keys)

        rule_id, name = entry["id"], entry["name"]
        problems_before = len(self.problems)
        for value, seen, what, key in ((rule_id, ids, "id", "id"), (name, names, "name", "name")):
            if value in seen:
                self.problem(at(key), f"rule {what} '{value}' is already used by {seen[value]}")
            else:
                seen[value] = at(key)
        info = RuleInfo(
            id=rule_id, name=name, severity=entry["severity"], summary=entry["summary"],
            description=entry.get("description", ""),
            references=tuple(entry.get("references", ())), tags=tuple(entry.get("tags", ())),
            pack=source.data["pack"],
        )
        location = at()
        if "check" in entry:
            return self._check_rule(source, number, entry, info, location, problems_before)
        kinds = entry.get("select")
        if kinds is None:
            self.problem(location, f"rule {rule_id} needs 'select' (the statements it checks: "
                                   f"{', '.join(SELECTABLE_KINDS)}) or 'check'")
            return None
        # `select: use` or `select: [use, share]`, each kind once, in the order given.
        kinds = tuple(dict.fromkeys([kinds] if isinstance(kinds, str) else kinds))
        verdicts = [key for key in ("require", "forbid") if key in entry]
        if len(verdicts) != 1:
            self.problem(location, f"rule {rule_id} needs exactly one of 'require' and 'forbid'"
                         + (" (it has both)" if verdicts else ""))
        compiled = {}  # key -> (tree, evaluator)
        for key in ("where", "require", "forbid"):
            if key in entry:
                compiled[key] = self._condition(source, ("rules", number, key), entry[key],
                                                kinds, rule_id, compiler)
        if "message" in entry:
            try:
                message = compile_template(entry["message"], kinds)
            except ConditionError as error:
                self._report(source, ("rules", number, "message"), error, f"{rule_id} message")
                message = None
        else:
            message = constant_template(entry["summary"])
        cases = [self._case(source, number, index, case, kinds, rule_id, compiler)
                 for index, case in enumerate(entry.get("cases", ()))]
        # `at: consent` or `at: [sale, purposes]` (the first one the statement has).
        targets = entry.get("at", ())
        targets = tuple(dict.fromkeys([targets] if isinstance(targets, str) else targets))
        for position, target in enumerate(targets):
            if target not in pointable(kinds):
                options = pointable(kinds)
                close = difflib.get_close_matches(target, options, n=1)
                where = at("at") if isinstance(entry["at"], str) else at("at", position)
                self.problem(where, f"'{target}' is not a part or attribute of "
                             f"{_statements(kinds)}" + (f" (did you mean '{close[0]}'?)" if close else ""))
        if len(self.problems) > problems_before or None in compiled.values() or None in cases:
            return None
        written = Written(
            **{key: tree for key, (tree, _) in compiled.items()}, message=entry.get("message"),
            cases=tuple((tree, case.severity, text) for case, tree, text in cases))
        evaluators = {key: evaluator for key, (_, evaluator) in compiled.items()}
        return Rule(info, location, select=kinds, message=message, at=targets,
                    cases=tuple(case for case, _, _ in cases), written=written, **evaluators)

    def _case(self, source, number, index, entry, kinds, rule_id, compiler):
        """(the Case, whose `when` is the tree here, its severity, its message text)."""
        path = ("rules", number, "cases", index)
        if "severity" not in entry and "message" not in entry:
            self.problem(source.at(*path), f"{rule_id} case {index + 1} sets neither 'severity' "
                                           "nor 'message'")
            return None
        when = self._condition(source, (*path, "when"), entry["when"], kinds,
                               f"{rule_id} case {index + 1}", compiler)
        message = None
        if "message" in entry:
            try:
                message = compile_template(entry["message"], kinds)
            except ConditionError as error:
                self._report(source, (*path, "message"), error, f"{rule_id} case {index + 1} message")
                return None
        if when is None:
            return None
        tree, evaluator = when
        return Case(evaluator, entry.get("severity"), message), tree, entry.get("message")

    def _check_rule(self, source, number, entry, info, location, problems_before) -> Rule | None:
        name = entry["check"]
        extra = [key for key in ("select", "where", "require", "forbid", "at", "message", "cases")
                 if key in entry]
        if extra:
            self.problem(location, f"rule {info.id} uses check '{name}', which takes no "
                         + ", ".join(f"'{key}'" for key in extra))
        if name not in checks.REGISTRY:
            close = difflib.get_close_matches(name, list(checks.REGISTRY), n=1)
            self.problem(source.at("rules", number, "check"),
                         f"no built-in check named '{name}' (checks: {', '.join(checks.REGISTRY)})"
                         + (f"; did you mean '{close[0]}'?" if close else ""))
        if len(self.problems) > problems_before:
            return None
        return Rule(info, location, check=name)

    def _condition(self, source, path, value, kinds, rule_id, compiler):
        """(the condition's tree, its evaluator), or None with the problem reported."""
        key = path[-1]
        tree = self._parse(source, path, value, f"{rule_id} {key}")
        if tree is None:
            return None
        if any(reference.name in self.broken for reference in _references(tree)):
            return None  # the definition's problem is reported where it is written
        depth = _depth(tree, self.depths)
        limit = self.depth_limit(source)
        if depth > limit:
            self.problem(source.at(*path), f"{rule_id} {key}: " + nested_too_deep(
                "with the definitions it refers to, the condition is", limit))
            return None
        try:
            return tree, compiler.selecting(tree, kinds)
        except DefinitionError as error:
            self._in_definition(error.definition.name, error.error,
                                f" (used by {rule_id} on {_statements(error.kind)})")
        except ConditionError as error:
            self._report(source, path, error, f"{rule_id} {key}")
        return None

    def _parse(self, source, path, value, what: str):
        if isinstance(value, bool):
            return Constant(value)
        try:
            return parse_condition(value, self.depth_limit(source))
        except ConditionError as error:
            self._report(source, path, error, what)
            return None

    def _report(self, source: _Source, path: tuple, error: ConditionError, what: str) -> None:
        """A problem inside a condition or message: at its exact column when the
        YAML scalar maps onto the file simply, always naming the column inside."""
        location = source.at(*path)
        value = source.document.value_at(list(path))
        if isinstance(value, str):
            exact = _locate(source.document, source.document.mark_at(list(path)), value,
                            error.offset)
            if exact is not None:
                location = Location(location.file, *exact)
        self.problem(location, f"{what}, column {error.offset + 1}: {error.message}")


def _statements(kinds: str | tuple[str, ...]) -> str:
    """`use statements`, `use or share statements`, `the service`."""
    kinds = (kinds,) if isinstance(kinds, str) else kinds
    names = [kind for kind in kinds if kind != "service"]
    words = " or ".join(names) + " statements" if names else ""
    if "service" in kinds:
        return "the service" + (f" or {words}" if words else "")
    return words


# ----------------------------------------------------------- tree utilities

def _children(tree) -> tuple:
    if isinstance(tree, (Any, All)):
        return tree.items
    if isinstance(tree, Not):
        return (tree.item,)
    return ()


def _references(tree) -> list[Reference]:
    found = []
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, Reference):
            found.append(node)
        stack.extend(_children(node))
    return found


def _depth(tree, definition_depths: dict[str, int]) -> int:
    """Nesting depth, counting each `$reference` as deep as its definition."""
    if isinstance(tree, Reference):
        return tree.depth + definition_depths.get(tree.name, 0)
    children = _children(tree)
    if not children:
        return tree.depth
    return 1 + max(_depth(child, definition_depths) for child in children)


# ---------------------------------------------------------------- positions

def _locate(document: Document, mark: Mark, value: str, offset: int) -> tuple[int, int] | None:
    """The file line and column of character `offset` of a scalar, or None when
    the scalar's style (escapes, folding) makes the mapping uncertain."""
    lines = [line.rstrip("\r") for line in document.text.split("\n")]
    style = mark.style
    if style in ("", "'", '"') and mark.end_line == mark.line:
        raw = lines[mark.line - 1][mark.column - 1:mark.end_column - 1]
        body = raw if style == "" else raw[1:-1]
        if body == value:
            return mark.line, mark.column + (0 if style == "" else 1) + offset
        return None
    if style == "|":
        before = value[:offset]
        row = before.count("\n")
        column = offset - (before.rfind("\n") + 1)
        value_line = value.split("\n")[row]
        number = mark.line + 1 + row  # the content starts on the line after `|`
        if number > len(lines):
            return None
        source = lines[number - 1]
        indent = len(source) - len(value_line)
        if indent >= 0 and source[indent:] == value_line and not source[:indent].strip():
            return number, indent + 1 + column
        return None
    if style in ("", ">"):
        # Folded: each source line's text, stripped, joined by single spaces.
        first = mark.line if style == "" else mark.line + 1
        last = mark.end_line if style == "" else mark.end_line - 1
        pieces = []
        for number in range(first, min(last, len(lines)) + 1):
            text = lines[number - 1]
            start = mark.column - 1 if number == mark.line and style == "" else 0
            stripped = text[start:].strip()
            if stripped:
                pieces.append((number, text.index(stripped, start) + 1, stripped))
        if " ".join(piece for _, _, piece in pieces) != value.rstrip("\n"):
            return None
        position = 0
        for number, column, piece in pieces:
            if offset <= position + len(piece):
                return number, column + (offset - position)
            position += len(piece) + 1
    return None
