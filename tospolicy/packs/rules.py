"""Each rule of a pack checked and compiled: its id and name unique, a
condition rule's `select`, conditions, messages, cases and `at`, or a
built-in check's name."""

from __future__ import annotations


from tospolicy import checks
from tospolicy.conditions.compiler import Compiler, DefinitionError
from tospolicy.conditions.paths import pointable
from tospolicy.conditions.templates import compile_template, constant_template
from tospolicy.conditions.tree import ConditionError, nested_too_deep
from tospolicy.findings import PARSER_RULES, RuleInfo
from tospolicy.language.attributes import SELECTABLE_KINDS
from tospolicy.packs.definitions import nesting_depth, references
from tospolicy.packs.reading import Loading, PackFile
from tospolicy.packs.types import Case, Location, Pack, Rule, Written
from tospolicy.support.suggest import did_you_mean, or_did_you_mean
from tospolicy.support.words import statements_phrase


def compile_rules(loading: Loading, sources: list[PackFile], compiler: Compiler):
    ids: dict[str, Location] = {info.id: Location("tospolicy's parser") for info in PARSER_RULES}
    names: dict[str, Location] = {}
    packs, rules = [], []
    for source in sources:
        pack_rules = []
        for number, entry in enumerate(source.data.get("rules") or []):
            rule = _rule(loading, source, number, entry, compiler, ids, names)
            if rule is not None:
                pack_rules.append(rule)
        rules.extend(pack_rules)
        packs.append(_pack(source, pack_rules))
    return packs, rules


def _pack(source: PackFile, rules: list[Rule]) -> Pack:
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


def _rule(loading: Loading, source, number, entry, compiler, ids, names) -> Rule | None:
    def at(*keys):
        return source.at("rules", number, *keys)

    rule_id, name = entry["id"], entry["name"]
    problems_before = len(loading.problems)
    for value, seen, what, key in ((rule_id, ids, "id", "id"), (name, names, "name", "name")):
        if value in seen:
            loading.problem(at(key), f"rule {what} '{value}' is already used by {seen[value]}")
        else:
            seen[value] = at(key)
    info = RuleInfo(
        id=rule_id, name=name, severity=entry["severity"], summary=entry["summary"],
        description=entry.get("description", ""),
        references=tuple(entry.get("references", ())), tags=tuple(entry.get("tags", ())),
        pack=source.data["pack"],
        # A custom rule links to its own help, never to tospolicy's docs.
        url=None if source.builtin else (entry.get("url") or source.data.get("url") or ""),
    )
    location = at()
    if "check" in entry:
        return _check_rule(loading, source, number, entry, info, location, problems_before)
    kinds = entry.get("select")
    if kinds is None:
        loading.problem(location, f"rule {rule_id} needs 'select' (the statements it checks: "
                                  f"{', '.join(SELECTABLE_KINDS)}) or 'check'")
        return None
    # `select: use` or `select: [use, share]`, each kind once, in the order given.
    kinds = tuple(dict.fromkeys([kinds] if isinstance(kinds, str) else kinds))
    verdicts = [key for key in ("require", "forbid") if key in entry]
    if len(verdicts) != 1:
        loading.problem(location, f"rule {rule_id} needs exactly one of 'require' and 'forbid'"
                        + (" (it has both)" if verdicts else ""))
    compiled = {}  # key -> (tree, evaluator)
    for key in ("where", "require", "forbid"):
        if key in entry:
            compiled[key] = _condition(loading, source, ("rules", number, key), entry[key],
                                       kinds, rule_id, compiler)
    if "message" in entry:
        try:
            message = compile_template(entry["message"], kinds)
        except ConditionError as error:
            loading.report(source, ("rules", number, "message"), error, f"{rule_id} message")
            message = None
    else:
        message = constant_template(entry["summary"])
    cases = [_case(loading, source, number, index, case, kinds, rule_id, compiler)
             for index, case in enumerate(entry.get("cases", ()))]
    # `at: consent` or `at: [sale, purposes]` (the first one the statement has).
    targets = entry.get("at", ())
    targets = tuple(dict.fromkeys([targets] if isinstance(targets, str) else targets))
    for position, target in enumerate(targets):
        if target not in pointable(kinds):
            options = pointable(kinds)
            where = at("at") if isinstance(entry["at"], str) else at("at", position)
            loading.problem(where, f"'{target}' is not a part or attribute of "
                            f"{statements_phrase(kinds)}" + did_you_mean(target, options))
    if len(loading.problems) > problems_before or None in compiled.values() or None in cases:
        return None
    written = Written(
        **{key: tree for key, (tree, _) in compiled.items()}, message=entry.get("message"),
        cases=tuple((tree, case.severity, text) for case, tree, text in cases))
    evaluators = {key: evaluator for key, (_, evaluator) in compiled.items()}
    return Rule(info, location, select=kinds, message=message, at=targets,
                cases=tuple(case for case, _, _ in cases), written=written, **evaluators)


def _case(loading: Loading, source, number, index, entry, kinds, rule_id, compiler):
    """(the Case, whose `when` is the tree here, its severity, its message text)."""
    path = ("rules", number, "cases", index)
    if "severity" not in entry and "message" not in entry:
        loading.problem(source.at(*path), f"{rule_id} case {index + 1} sets neither 'severity' "
                                          "nor 'message'")
        return None
    when = _condition(loading, source, (*path, "when"), entry["when"], kinds,
                      f"{rule_id} case {index + 1}", compiler)
    message = None
    if "message" in entry:
        try:
            message = compile_template(entry["message"], kinds)
        except ConditionError as error:
            loading.report(source, (*path, "message"), error, f"{rule_id} case {index + 1} message")
            return None
    if when is None:
        return None
    tree, evaluator = when
    return Case(evaluator, entry.get("severity"), message), tree, entry.get("message")


def _check_rule(loading: Loading, source, number, entry, info, location, problems_before) -> Rule | None:
    name = entry["check"]
    extra = [key for key in ("select", "where", "require", "forbid", "at", "message", "cases")
             if key in entry]
    if extra:
        loading.problem(location, f"rule {info.id} uses check '{name}', which takes no "
                        + ", ".join(f"'{key}'" for key in extra))
    if name not in checks.REGISTRY:
        loading.problem(source.at("rules", number, "check"),
                        f"no built-in check named '{name}' (checks: {', '.join(checks.REGISTRY)})"
                        + or_did_you_mean(name, checks.REGISTRY))
    if len(loading.problems) > problems_before:
        return None
    return Rule(info, location, check=name)


def _condition(loading: Loading, source, path, value, kinds, rule_id, compiler):
    """(the condition's tree, its evaluator), or None with the problem reported."""
    key = path[-1]
    tree = loading.parse(source, path, value, f"{rule_id} {key}")
    if tree is None:
        return None
    if any(reference.name in loading.broken for reference in references(tree)):
        return None  # the definition's problem is reported where it is written
    depth = nesting_depth(tree, loading.depths)
    limit = loading.depth_limit(source)
    if depth > limit:
        loading.problem(source.at(*path), f"{rule_id} {key}: " + nested_too_deep(
            "with the definitions it refers to, the condition is", limit))
        return None
    try:
        return tree, compiler.selecting(tree, kinds)
    except DefinitionError as error:
        loading.in_definition(error.definition.name, error.error,
                              f" (used by {rule_id} on {statements_phrase(error.kind)})")
    except ConditionError as error:
        loading.report(source, path, error, f"{rule_id} {key}")
    return None

