"""The prose of a pull request: DIFF010 and DIFF011 as findings of the check.

A pull request that changes only `terms.md` changes no declaration, but it
changes what people agree to. With a base commit, the Action compares each
bound text with its version there (diff/prose.py), and the prose changes
that are regressions become findings, at the quoting statement (DIFF010) or
in the text file (DIFF011): annotated, in the SARIF, judged by `fail-on`,
and listed first in the job summary.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tospolicy.findings import Finding

PROSE_IDS = ("DIFF010", "DIFF011")


@dataclass
class Prose:
    findings: list[Finding] = field(default_factory=list)
    markdown: str = ""  # the summary's section, empty when nothing changed
    problem: str = ""  # why the texts could not be compared


def prose_changes(base: str, paths, cwd: Path) -> Prose:
    from tospolicy.diff.render import _md_message, _md_where
    from tospolicy.diff.sources import DiffInputError, as_finding, compare_with_ref
    from tospolicy.support.gitrepo import GitError

    try:
        result = compare_with_ref(base, [Path(path) for path in paths], cwd=cwd)
    except (DiffInputError, GitError) as error:
        return Prose(problem=str(error))
    changes = [change for change in result.regressions if change.rule_id in PROSE_IDS]
    changes.sort(key=lambda change: (change.severity != "error", change.new.file, change.new.line))
    if not changes:
        return Prose()
    lines = ["### Changes to the bound texts", "",
             "The terms changed where the declaration does not follow them: read the new words, "
             "then update the statements and their quotes.", "",
             "| | change | where |", "| --- | --- | --- |"]
    lines += [f"| **{change.rule_id}** ({change.severity}) | {_md_message(change)} | "
              f"{_md_where(change)} |" for change in changes]
    return Prose([as_finding(change) for change in changes], "\n".join(lines) + "\n")


def add_findings(report, findings: list[Finding]) -> None:
    """The prose findings into the check's report, each in the file it is located in
    (nothing, the rules included, when there are none: the SARIF stays the check's)."""
    if not findings:
        return
    from tospolicy.checking.onefile import FileReport
    from tospolicy.diff.rules import DIFF_RULES

    by_file = {file.display: file for file in report.files}
    for finding in findings:
        target = by_file.get(finding.span.file)
        if target is None:
            target = by_file[finding.span.file] = FileReport(Path(finding.span.file),
                                                             finding.span.file, None, [])
            report.files.append(target)
        target.findings.append(finding)
        target.findings.sort(key=lambda item: item.sort_key)
    known = {rule.id for rule in report.rules}
    report.rules.extend(rule for rule in DIFF_RULES if rule.id in PROSE_IDS and rule.id not in known)
