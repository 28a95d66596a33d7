"""The text format: `path:line:col: ID [severity] message`, then a summary."""

from __future__ import annotations

from ..checker import CheckReport
from ..findings import SEVERITIES

_COLOURS = {"error": "\x1b[31m", "warning": "\x1b[33m", "note": "\x1b[36m"}
_RESET = "\x1b[0m"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def render(report: CheckReport, colour: bool = False, quiet: bool = False) -> str:
    findings = [finding for finding in report.findings if finding.suppression is None]
    lines = []
    for finding in findings:
        span = finding.span
        severity = finding.severity
        if colour:
            severity = f"{_COLOURS[severity]}{severity}{_RESET}"
        message = _one_line(finding.message)
        lines.append(f"{span.file}:{span.line}:{span.column}: {finding.rule_id} [{severity}] {message}")
    if not quiet:
        lines.append(summary(findings, len(report.files)))
    return "".join(line + "\n" for line in lines)


def summary(findings, file_count: int) -> str:
    files = _plural(file_count, "file")
    if not findings:
        return f"No findings in {files}."
    counts = [
        _plural(sum(1 for finding in findings if finding.severity == severity), severity)
        for severity in reversed(SEVERITIES)
        if any(finding.severity == severity for finding in findings)
    ]
    return f"{_plural(len(findings), 'finding')} ({', '.join(counts)}) in {files}."


def _one_line(message: str) -> str:
    """Messages can quote declaration text: keep each finding on one line and
    control characters out of the terminal."""
    return "".join(
        char if char.isprintable() or char == " " else f"\\x{ord(char):02x}" if ord(char) < 0x100
        else f"\\u{ord(char):04x}"
        for char in message
    )
