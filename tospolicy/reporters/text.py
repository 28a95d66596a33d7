"""The text format: `path:line:col: ID [severity] message`, then a summary."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tospolicy.reporters.common import RenderOptions, line_start, one_line, severity_counts, unsuppressed
from tospolicy.support.words import plural

if TYPE_CHECKING:
    from tospolicy.checking.checker import CheckReport

_COLOURS = {"error": "\x1b[31m", "warning": "\x1b[33m", "note": "\x1b[36m"}
_RESET = "\x1b[0m"


def render(report: CheckReport, options: RenderOptions) -> str:
    findings = unsuppressed(report)
    lines = []
    for finding in findings:
        span = finding.span
        severity = finding.severity
        if options.colour:
            severity = f"{_COLOURS[severity]}{severity}{_RESET}"
        lines.append(f"{line_start(span.file)}:{span.line}:{span.column}: {one_line(finding.rule_id)} "
                     f"[{severity}] {one_line(finding.message)}")
    if not options.quiet:
        lines.append(summary(findings, len(report.files)))
        if report.skipped:
            lines.append(line_start(one_line(report.skipped)))
    return "".join(line + "\n" for line in lines)


def summary(findings, file_count: int) -> str:
    files = plural(file_count, "file")
    if not findings:
        return f"No findings in {files}."
    counts = [plural(count, severity) for severity, count in severity_counts(findings).items() if count]
    return f"{plural(len(findings), 'finding')} ({', '.join(counts)}) in {files}."


_OUR_LINE = re.compile(
    rb"(.+:\d+:\d+: \S+ \[(error|warning|note)\] .*"
    rb"|No findings in \d+ files?\.|\d+ findings? \(.*\) in \d+ files?\."
    rb"|Skipped \d+ folders? by default: .*)\Z"
)


def recognise(head: bytes) -> bool:
    """Text this module wrote: every whole line is a finding or the summary
    (the last piece of `head` may be a line cut short, so it is not judged)."""
    lines = head.split(b"\n")[:-1]
    return bool(lines) and all(_OUR_LINE.match(line) for line in lines)
