"""`tospolicy check`: discover files, parse each, run the rules, collect findings.

One bad file never stops the others: each file's problems become findings of
that file, and the run goes on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .discovery import Found
from .findings import PARSER_RULES, Finding, RuleInfo
from .limits import DEFAULT_LIMITS, Limits
from .model import Declaration, Span
from .parser import parse_file

if TYPE_CHECKING:
    from .packs import RuleSet


@dataclass
class FileReport:
    path: Path
    display: str
    declaration: Declaration | None
    findings: list[Finding] = field(default_factory=list)


@dataclass
class CheckReport:
    """Everything reporters need: the files, their findings, the rules in force."""

    files: list[FileReport]
    rules: list[RuleInfo]
    notifications: list[str] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return sorted(
            (finding for report in self.files for finding in report.findings),
            key=lambda finding: finding.sort_key,
        )


def check_file(found: Found, limits: Limits = DEFAULT_LIMITS,
               rule_set: RuleSet | None = None) -> FileReport:
    """Parse one file and, when it parses, run the rules on it."""
    if found.problem is not None:
        finding = Finding("TOS002", "error", found.problem, Span(found.display, 1, 1, 1, 1))
        return FileReport(found.path, found.display, None, [finding])
    result = parse_file(found.path, found.display, limits)
    findings = list(result.findings)
    if result.declaration is not None and rule_set is not None:
        from .engine import run

        findings.extend(run(rule_set, result.declaration))
    return FileReport(found.path, found.display, result.declaration, findings)


def check_files(files: list[Found], limits: Limits = DEFAULT_LIMITS,
                rule_set: RuleSet | None = None) -> CheckReport:
    """Check every file; `rules` lists the parser's rules, then every rule in force."""
    reports = [check_file(found, limits, rule_set) for found in files]
    for report in reports:
        report.findings.sort(key=lambda finding: finding.sort_key)
    rules = list(PARSER_RULES) + (rule_set.infos if rule_set is not None else [])
    return CheckReport(reports, rules)


def limit_findings(report: CheckReport, limit: int) -> None:
    """Keep at most `limit` reported findings per file, in file order, and add
    one TOS003 note saying how many more there were. Suppressed findings
    before the cut stay (they are not reported unless asked for) and do not
    count."""
    for file_report in report.files:
        kept, dropped, counted = [], 0, 0
        for finding in file_report.findings:
            if counted >= limit:
                dropped += finding.suppression is None
                continue
            kept.append(finding)
            counted += finding.suppression is None
        if dropped:
            kept.append(Finding(
                "TOS003", "note",
                f"{dropped} more finding{'' if dropped == 1 else 's'} in this file not reported "
                f"(limits.max-findings-per-file is {limit})",
                kept[-1].span))
            file_report.findings = kept
