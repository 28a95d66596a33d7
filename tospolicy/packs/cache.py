"""Loaded rule sets, kept between runs as plain data.

Reading the built-in packs with positions, parsing their conditions with Lark
and checking every path and term took most of the time of a short run (about
0.25 s of 0.38 s for one small file). A set of packs that loaded without a
problem is written to the cache folder (cache.py) as JSON: the packs' details,
each rule's help, the taxonomy with the packs' terms, the definitions, and
each condition as its syntax tree (`conditions.tree_to_data`) and each message
as its text, never code. A later run with the same packs compiles those trees
into evaluators, as the first run did, but reads no YAML, parses no condition
and does not import Lark.

The entry's name is a digest of everything a loaded set depends on: the bytes
of every pack file (the built-in definitions included), its path and whether
it is built-in, in load order; the taxonomy and attribute files; the nesting
limit packs are checked against; and the installation (tospolicy's version
and code, `cache.installation`). A pack that changes is another entry, so a
user's pack is read and validated completely the first time it is used. The
configuration's rule settings are applied after the cache, on every run.
"""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from tospolicy.binding.topics import topics_from_data, topics_to_data
from tospolicy.support import cache
from tospolicy.support.files import read_regular
from tospolicy.conditions.compiler import Compiler, Definition
from tospolicy.conditions.templates import compile_template, constant_template
from tospolicy.conditions.tree import tree_from_data, tree_to_data
from tospolicy.findings import RuleInfo
from tospolicy.limits import MAX_YAML_BYTES, Limits
from tospolicy.packs.types import Case, Location, Pack, Rule, Written
from tospolicy.support.paths import display_path
from tospolicy.support.resources import cache_dir, resource
from tospolicy.language.taxonomy import Taxonomy, Term

# The layout of an entry; a change makes every entry a miss.
FORMAT = 3
# Rule sets kept: one per set of packs (and version of a user's pack) in use.
KEEP = 32

_INFO_FIELDS = tuple(field.name for field in fields(RuleInfo))
_TERM_FIELDS = tuple(field.name for field in fields(Term))


def key(files: dict[Path, bool], limits: Limits) -> str | None:
    """The digest naming the entry for these pack files; None without a cache
    folder or when a file cannot be read (the loader then says why)."""
    if cache_dir() is None:
        return None
    parts = [str(FORMAT), cache.installation(), str(limits.max_nesting_depth)]
    try:
        for name in ("taxonomy.yaml", "attributes.yaml"):
            parts.append(resource("rules", name).read_bytes())
        for path, builtin in files.items():
            content = read_regular(path, MAX_YAML_BYTES + 1)
            if len(content) > MAX_YAML_BYTES:
                return None
            parts += [str(path), "built-in" if builtin else "file", content]
    except OSError:
        return None
    return cache.digest(*parts)


def _name(digest: str) -> str:
    return f"rules-{digest}.json"


def store(digest: str, files: dict[Path, bool], packs: list[Pack], rules: list[Rule],
          taxonomy: Taxonomy, definitions: dict[str, Definition], topics: list = ()) -> None:
    """Keep a rule set that loaded without a problem (rules as loaded, before
    the configuration's settings). A rule set this cannot write down is not
    kept: the next run loads it from its files again."""
    try:
        data = _data(files, packs, rules, taxonomy, definitions)
        data["topics"] = topics_to_data(topics)
    except (TypeError, ValueError, KeyError):
        return
    cache.write_json(_name(digest), data, keep=KEEP)


def _data(files, packs, rules, taxonomy, definitions) -> dict:
    sources = {pack.display: number for number, pack in enumerate(packs)}

    def place(location: Location) -> list:
        return [sources[location.file], location.line, location.column]

    return {
        "format": FORMAT,
        "files": [str(path) for path in files],
        "packs": [{
            "name": pack.name, "version": pack.version, "description": pack.description,
            "url": pack.url, "rules": list(pack.rule_ids),
            "tests": str(pack.tests) if pack.tests else None,
            "tests_at": place(pack.tests_location) if pack.tests_location else None,
        } for pack in packs],
        "taxonomy": {kind: {key: [getattr(term, name) for name in _TERM_FIELDS]
                            for key, term in terms.items()}
                     for kind, terms in taxonomy.terms.items()},
        "definitions": [{
            "name": definition.name, "tree": tree_to_data(definition.tree),
            "select": definition.select, "description": definition.description,
            "pack": definition.pack, "at": place(definition.location),
        } for definition in definitions.values()],
        "rules": [_rule_data(rule, place) for rule in rules],
    }


def _rule_data(rule: Rule, place) -> dict:
    data = {
        "info": [getattr(rule.info, name) for name in _INFO_FIELDS],
        "at": place(rule.location),
        "select": list(rule.select),
        "targets": list(rule.at),
        "check": rule.check,
    }
    written = rule.written
    if written is not None:
        data["written"] = {
            "where": tree_to_data(written.where), "require": tree_to_data(written.require),
            "forbid": tree_to_data(written.forbid), "message": written.message,
            "cases": [[tree_to_data(when), severity, message]
                      for when, severity, message in written.cases],
        }
    return data


def load(digest: str, files: dict[Path, bool]):
    """(packs, rules, taxonomy, definitions, topics) from the entry, or None on a miss.

    An entry is data this code wrote, in a folder only its user can write:
    anything unexpected in it (a damaged file) is a miss, never an error, and
    the packs are loaded from their files instead."""
    data = cache.read_json(_name(digest))
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return None
    try:
        return _restore(data, files)
    except Exception:  # noqa: BLE001 - see the docstring
        return None


def _restore(data: dict, files: dict[Path, bool]):
    paths = list(files)
    if data["files"] != [str(path) for path in paths]:
        return None
    displays = [display_path(path) for path in paths]

    def place(at: list) -> Location:
        source, line, column = at
        return Location(displays[source], line, column)

    taxonomy = Taxonomy({kind: {key: Term(*values) for key, values in terms.items()}
                         for kind, terms in data["taxonomy"].items()})
    definitions = {}
    for entry in data["definitions"]:
        definitions[entry["name"]] = Definition(
            entry["name"], tree_from_data(entry["tree"]), entry["select"], entry["description"],
            entry["pack"], place(entry["at"]))
    compiler = Compiler(taxonomy, definitions)
    rules = [_rule(entry, place, compiler) for entry in data["rules"]]
    packs = []
    for number, (path, entry) in enumerate(zip(paths, data["packs"], strict=True)):
        packs.append(Pack(
            name=entry["name"], path=path, display=displays[number], builtin=files[path],
            version=entry["version"], description=entry["description"], url=entry["url"],
            tests=Path(entry["tests"]) if entry["tests"] is not None else None,
            tests_location=place(entry["tests_at"]) if entry["tests_at"] else None,
            rule_ids=tuple(entry["rules"])))
    return packs, rules, taxonomy, definitions, topics_from_data(data["topics"])


def _rule(entry: dict, place, compiler: Compiler) -> Rule:
    values = dict(zip(_INFO_FIELDS, entry["info"], strict=True))
    info = RuleInfo(**{**values, "references": tuple(values["references"]),
                       "tags": tuple(values["tags"])})
    location = place(entry["at"])
    if entry["check"] is not None:
        return Rule(info, location, check=entry["check"])
    kinds = tuple(entry["select"])
    stored = entry["written"]
    written = Written(
        where=tree_from_data(stored["where"]), require=tree_from_data(stored["require"]),
        forbid=tree_from_data(stored["forbid"]), message=stored["message"],
        cases=tuple((tree_from_data(when), severity, message)
                    for when, severity, message in stored["cases"]))

    def condition(tree):
        return None if tree is None else compiler.selecting(tree, kinds)

    def template(text: str | None):
        return None if text is None else compile_template(text, kinds)

    return Rule(
        info, location, select=kinds, where=condition(written.where),
        require=condition(written.require), forbid=condition(written.forbid),
        message=template(written.message) or constant_template(info.summary),
        at=tuple(entry["targets"]),
        cases=tuple(Case(condition(when), severity, template(message))
                    for when, severity, message in written.cases),
        written=written)
