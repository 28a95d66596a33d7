"""`tospolicy check`: discover files, parse each, run the rules, collect findings.

One bad file never stops the others: each file's problems become findings of
that file, and the run goes on.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tospolicy.binding.texts import bind, max_text_bytes
from tospolicy.checking.discovery import Found
from tospolicy.checking.onefile import FileReport, check_parsed
from tospolicy.findings import PARSER_RULES, TOO_MANY_FINDINGS, UNREADABLE_FILE, Finding, RuleInfo
from tospolicy.limits import DEFAULT_LIMITS, Limits, read_file_bytes, text_from_bytes
from tospolicy.language.model import Span
from tospolicy.language.parser import parse_text
from tospolicy.checking.resultcache import Results, open_results

if TYPE_CHECKING:
    from tospolicy.packs.loader import RuleSet


@dataclass
class CheckReport:
    """Everything reporters need: the files, their findings, the rules in force."""

    files: list[FileReport]
    rules: list[RuleInfo]
    notifications: list[str] = field(default_factory=list)
    # One line saying which folders discovery skipped by default, and why.
    skipped: str | None = None

    @property
    def findings(self) -> list[Finding]:
        return sorted(
            (finding for report in self.files for finding in report.findings),
            key=lambda finding: finding.sort_key,
        )


def _check(found: Found, limits: Limits, rule_set: RuleSet | None,
           results: Results | None = None, jobs: int = 1) -> tuple[FileReport, str | None]:
    """Parse one file and, when it parses, run the rules on it: the file's
    report, and the digest of the bytes it was made from (with
    `results`, for the result cache), read once: a file that changes while it
    is checked is never kept under the digest of other bytes. The digests of
    the texts it binds go with the findings (`FileReport.texts`)."""
    if found.problem is not None:
        finding = Finding(UNREADABLE_FILE, "error", found.problem, Span.file_start(found.display))
        return FileReport(found.path, found.display, None, [finding]), None
    data, problem = read_file_bytes(found.path, found.display, limits)
    if problem is not None:
        return FileReport(found.path, found.display, None, [problem]), None
    key = results.key(data, found.display) if results is not None else None
    text, problem = text_from_bytes(data, found.display, limits)
    if problem is not None:
        return FileReport(found.path, found.display, None, [problem]), key
    try:
        return check_text(text, found.path, found.display, limits, rule_set, jobs), key
    except (Exception, RecursionError) as error:  # noqa: BLE001 - one file must not stop the others
        if os.environ.get("TOSPOLICY_DEBUG"):
            raise
        # A bug met on one file fails the check with a finding of that file,
        # and the other files are still checked (never cached: a fix must show).
        reason = str(error).splitlines()[0] if str(error) else ""
        finding = Finding(UNREADABLE_FILE, "error", "internal error while checking this file, please "
                          f"report it: {type(error).__name__}: {reason[:200]}",
                          Span.file_start(found.display))
        return FileReport(found.path, found.display, None, [finding]), None


def check_text(text: str, path: Path, display: str, limits: Limits = DEFAULT_LIMITS,
               rule_set: RuleSet | None = None, jobs: int = 1, binder=bind) -> FileReport:
    """Parse decoded text and, when it parses, run the rules on it: what
    `check` does with a file's content once read, and what the language server
    does with the text of an editor's buffer. With `jobs` above 1, a large
    file is checked in parts by that many workers (split.py): same report.
    `binder(declaration, path, limits)` reads the texts the declaration binds
    (`binding.texts.bind`; the language server's keeps them between keystrokes)."""
    if jobs > 1 and rule_set is not None:
        from tospolicy.checking.split import check_in_parts

        report = check_in_parts(text, path, display, limits, rule_set, jobs, binder)
        if report is not None:
            return report
    return check_parsed(parse_text(text, display, limits), path, display, limits, rule_set,
                        binder=binder)


def check_files(files: list[Found], limits: Limits = DEFAULT_LIMITS,
                rule_set: RuleSet | None = None, jobs: int = 1,
                cache: bool = False) -> CheckReport:
    """Check every file; `rules` lists the parser's rules, then every rule in force.

    With `cache`, a file checked before with the same bytes, rules and limits
    takes its findings from the result cache (resultcache.py). With `jobs`
    above 1, the other files are checked by that many worker processes; the
    report is the same, without the models (`FileReport.declaration`)."""
    results = open_results(rule_set, limits) if cache else None
    reports: list[FileReport | None] = []
    for found in files:
        reports.append(_cached(found, limits, results) if results is not None else None)
    todo = [number for number, report in enumerate(reports) if report is None]
    checked = _check_all([files[number] for number in todo], limits, rule_set, results, jobs)
    for number, (report, key) in zip(todo, checked):
        reports[number] = report
        if key is not None:
            results.put(key, report.display, report.findings, report.texts)
    if results is not None:
        results.save()
    rules = list(PARSER_RULES) + (rule_set.infos if rule_set is not None else [])
    return CheckReport(reports, rules)


def _cached(found: Found, limits: Limits, results: Results) -> FileReport | None:
    if found.problem is not None:
        return None
    data, problem = read_file_bytes(found.path, found.display, limits)
    if problem is not None:
        return None
    findings = results.get(results.key(data, found.display), found.display, max_text_bytes(limits))
    return None if findings is None else FileReport(found.path, found.display, None, findings)


def _check_all(files: list[Found], limits: Limits, rule_set: RuleSet | None,
               results: Results | None, jobs: int) -> list[tuple[FileReport, str | None]]:
    """`_check` of each file, in order: here, or by `jobs` forked workers.

    Workers are forked, so that each starts with this process's rule set
    (compiled rules cannot be sent to a process started afresh); where
    processes cannot be forked, the files are checked here. One file alone
    is checked in parts by the workers (split.py)."""
    if jobs > 1 and len(files) == 1:
        return [_check(files[0], limits, rule_set, results, jobs)]
    if jobs > 1 and len(files) > 1:
        import multiprocessing  # 11 ms of start-up, paid only by a run that forks

        if "fork" in multiprocessing.get_all_start_methods():
            return _check_forked(files, limits, rule_set, results, jobs)
    return [_check(found, limits, rule_set, results) for found in files]


def _check_forked(files: list[Found], limits: Limits, rule_set: RuleSet | None,
                  results: Results | None, jobs: int) -> list[tuple[FileReport, str | None]]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    global _WORK
    _WORK = (limits, rule_set, results)
    # A few chunks a worker: big enough to cost little to send, small enough
    # that a worker given slow files does not leave the others idle.
    chunk = max(1, len(files) // (jobs * 4))
    try:
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            done = list(pool.map(_check_in_worker, files, chunksize=chunk))
    finally:
        _WORK = None
    return [(FileReport(found.path, found.display, None, findings, texts), key)
            for found, (findings, key, texts) in zip(files, done)]


# What a forked worker checks with: set before the fork, inherited by the workers.
_WORK: tuple | None = None


def _check_in_worker(found: Found) -> tuple[list[Finding], str | None, list]:
    """`_check` in a worker; the findings go back to the parent, not the model
    (sending a model costs about as much as parsing it)."""
    report, key = _check(found, *_WORK)
    return report.findings, key, report.texts


_SEVERITY_ORDER = ("error", "warning", "note")


def limit_findings(report: CheckReport, limit: int) -> None:
    """Keep at most `limit` reported findings per file, the most severe first
    (then in file order), and add one TOS003 note saying how many of each
    severity were left out, so that padding notes cannot hide an error.
    Suppressed findings stay (they are not reported unless asked for) and do
    not count. The verdict is judged before this (pipeline.py)."""
    for file_report in report.files:
        counted = [finding for finding in file_report.findings if finding.suppression is None]
        if len(counted) <= limit:
            continue
        rank = {severity: number for number, severity in enumerate(_SEVERITY_ORDER)}
        by_severity = sorted(counted, key=lambda finding: (rank.get(finding.severity, 3),
                                                           finding.sort_key))
        dropped_ids = {id(finding) for finding in by_severity[limit:]}
        kept = [finding for finding in file_report.findings if id(finding) not in dropped_ids]
        left_out = {severity: 0 for severity in _SEVERITY_ORDER}
        for finding in by_severity[limit:]:
            left_out[finding.severity] += 1
        dropped = len(dropped_ids)
        counts = ", ".join(f"{count} {severity}{'' if count == 1 else 's'}"
                           for severity, count in left_out.items() if count)
        kept.sort(key=lambda finding: finding.sort_key)
        span = kept[-1].span if kept else Span(file_report.display, 1, 1, 1, 1)
        kept.append(Finding(
            TOO_MANY_FINDINGS, "note",
            f"{dropped} more finding{'' if dropped == 1 else 's'} in this file not reported "
            f"({counts}; limits.max-findings-per-file is {limit})",
            span))
        file_report.findings = kept
