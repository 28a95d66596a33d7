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

refs.py names packs, reading.py reads their files, terms.py merges their
taxonomy terms, definitions.py and rules.py check and compile; cache.py keeps
what loaded. This module runs them in that order and is the package's front:
the names in `__all__` are what the rest of tospolicy uses.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from tospolicy.conditions.compiler import Compiler
from tospolicy.limits import DEFAULT_LIMITS, Limits
from tospolicy.packs import cache as packcache
from tospolicy.packs.definitions import check_definitions, collect_definitions
from tospolicy.packs.reading import Loading
from tospolicy.packs.refs import PackRef, builtin_packs
from tospolicy.packs.rules import compile_rules
from tospolicy.packs.terms import merge_taxonomy
from tospolicy.packs.topics import collect_topics
from tospolicy.packs.types import Location, Override, PackError, Problem, Rule, RuleSet
from tospolicy.support.suggest import did_you_mean

__all__ = ["PackError", "PackRef", "RuleSet", "builtin_packs", "load_rule_set"]


def load_rule_set(refs: list[PackRef], overrides: dict[str, Override] | None = None,
                  limits: Limits = DEFAULT_LIMITS, texts: dict[Path, str] | None = None) -> RuleSet:
    """Load packs, with the built-in definitions; PackError lists every problem.

    `limits.max_nesting_depth` bounds the packs' YAML and their conditions.
    Packs that loaded without a problem before, byte for byte, come from the
    pack cache (cache.py) without being read again. `texts` holds the content
    of pack files (by resolved path) as an editor has them, read instead of
    the disk and never cached."""
    loading = Loading(limits.max_nesting_depth, texts or {})
    files = loading.files(refs)
    key = None if loading.problems or texts else packcache.key(files, limits)
    cached = packcache.load(key, files) if key else None
    if cached is not None:
        packs, rules, taxonomy, definitions, topics = cached
    else:
        sources = loading.read_all(files)
        taxonomy = merge_taxonomy(loading, sources)
        definitions = collect_definitions(loading, sources)
        compiler = Compiler(taxonomy, definitions)
        check_definitions(loading, definitions, compiler)
        packs, rules = compile_rules(loading, sources, compiler)
        topics = collect_topics(loading, sources)
        if loading.problems:
            raise PackError(loading.problems)
        if key:
            packcache.store(key, files, packs, rules, taxonomy, definitions, topics)
    loaded, off, warnings = _apply(rules, overrides or {})
    return RuleSet(packs, loaded, off, taxonomy, definitions, warnings, key, topics)


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
            hint = did_you_mean(rule_id, known)
            warnings.append(Problem(override.location or Location("configuration"),
                                    f"rules: no loaded rule has the id '{rule_id}'{hint}"))
    return loaded, off, warnings
