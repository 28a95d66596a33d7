"""Running the rules of a RuleSet on one declaration.

A condition rule selects the statements of its kinds in each service, keeps
those for which `where` holds, and reports each one for which `require` does
not hold, or `forbid` does. A check rule hands the declaration to its Python
check. Then inline suppressions mark the findings they cover, and the checks
that judge suppressions (CORE009) run last. Findings come out sorted by
file, line, column and rule id.
"""

from __future__ import annotations

from tospolicy import checks
from tospolicy.checks.protocol import AFTER_SUPPRESSIONS, CheckContext, Hit
from tospolicy.findings import PARSER_RULES, UNREADABLE_FILE, Finding
from tospolicy.language.attributes import statement_span
from tospolicy.language.model import Declaration, Service, Span
from tospolicy.packs.types import Rule, RuleSet
from tospolicy.conditions.relations import Budget, ServiceIndex, WorkLimit, work_limit
from tospolicy.checking.suppressions import suppress, suppressions_of
from tospolicy.support.collector import collector_paused

# What one finding costs of the file's work budget: at most a fiftieth of the
# budget (100,000 findings, and 10 more a statement) are made for one file, so
# that a pack selecting every statement of a huge declaration cannot fill
# memory with findings.
FINDING_COST = 50


def run(rule_set: RuleSet, declaration: Declaration, binding=None,
        budget: Budget | None = None) -> list[Finding]:
    """The findings of every rule in force on `declaration`, sorted; `binding`
    holds the texts it binds (binding.texts.bind), for the TEXT rules.
    `budget` is the work the check may take (default: the declaration's
    work_limit); a part of a file checked alone (split.py) takes the file's."""
    if budget is None:
        budget = Budget(work_limit(sum(len(service.statements) for service in declaration.services)))
    limit = budget.left
    try:
        with collector_paused():
            return _run(rule_set, declaration, budget, binding)
    except WorkLimit:
        return [work_limit_exceeded(limit, declaration.path)]


def work_limit_exceeded(limit: int, path: str) -> Finding:
    """The one finding of a file whose check takes more work than `limit`."""
    message = (f"checking this declaration takes more work than the limit of {limit} steps "
               "(paths reaching too many statements, or too many statements to compare); "
               "the rules were not checked")
    return Finding(UNREADABLE_FILE, "error", message, Span.file_start(path))


def _run(rule_set: RuleSet, declaration: Declaration, budget: Budget, binding) -> list[Finding]:
    indexes = {id(service): ServiceIndex(service, budget, rule_set.taxonomy)
               for service in declaration.services}
    context = CheckContext(declaration, rule_set.taxonomy, indexes,
                           frozenset(rule.info.id for rule in rule_set.rules),
                           defined_ids=frozenset((*(rule.info.id for rule in rule_set.loaded),
                                                  *(info.id for info in PARSER_RULES))),
                           binding=binding, topics=tuple(rule_set.topics))
    found: list[tuple[Finding, int]] = []
    last: list[tuple[Rule, object]] = []
    for rule in rule_set.rules:
        if rule.check is None:
            found.extend(_evaluate(rule, declaration, indexes))
            continue
        module = checks.REGISTRY[rule.check]
        if module.PHASE == AFTER_SUPPRESSIONS:
            last.append((rule, module))
            continue
        found.extend(_from_hit(rule, hit) for hit in _paid(module.hits(declaration, context), budget))
    context.suppressions = suppressions_of(declaration)
    findings = suppress(found, context.suppressions)
    for rule, module in last:
        findings.extend(_from_hit(rule, hit)[0]
                        for hit in _paid(module.hits(declaration, context), budget))
    findings.sort(key=lambda finding: finding.sort_key)
    return findings


def _evaluate(rule: Rule, declaration: Declaration, indexes):
    for service in declaration.services:
        index = indexes[id(service)]
        for node in (node for kind in rule.select for node in index.statements(kind)):
            if rule.where is not None and not rule.where(node, index):
                continue
            if rule.require is not None:
                reported = not rule.require(node, index)
            else:
                reported = rule.forbid(node, index)
            if not reported:
                continue
            span = next(filter(None, (statement_span(node, name) for name in rule.at)), node.span)
            severity, message = rule.info.severity, rule.message
            for case in rule.cases:
                if case.when(node, index):
                    severity = case.severity or severity
                    message = case.message or message
                    break
            index.budget.spend(FINDING_COST)
            hit = Hit(span, message(node, index), node, service)
            yield _from_hit(rule, hit, severity)


def _paid(hits, budget: Budget):
    for hit in hits:
        budget.spend(FINDING_COST)
        yield hit


def _from_hit(rule: Rule, hit: Hit, severity: str | None = None) -> tuple[Finding, int]:
    """The finding, and the line its statement starts on (for suppressions)."""
    info = rule.info
    statement = hit.statement or identity(hit.service, hit.node)
    finding = Finding(info.id, severity or info.severity, hit.message, hit.span, statement,
                      fix=hit.fix)
    return finding, (hit.node.span.line if hit.node is not None else hit.span.line)


def identity(service: Service | None, node) -> str:
    """Names a statement across edits: its service and what it says, not its line."""
    if service is None:
        return node.identity if node is not None else ""
    if node is None or node is service:
        return service.identity
    return f"{service.identity} / {node.identity}"
