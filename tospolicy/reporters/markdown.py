"""A markdown summary for job summaries and pull-request comments.

A title, the counts by severity, then a table per file (line, rule linked to
its documentation, severity, message). Messages and file names come from the
declarations and packs of a pull request, so every piece of them is escaped:
they cannot open HTML, links, images, emphasis, math or table cells, and an
`@name` cannot notify anyone. GitHub refuses a job summary over 1 MiB, so the
tables stop before that with a note saying how many findings are not shown.
"""

from __future__ import annotations

from itertools import groupby
from typing import TYPE_CHECKING
from urllib.parse import quote

from tospolicy.reporters.common import RenderOptions, one_line, rules_by_id, severity_counts, unsuppressed
from tospolicy.support.words import plural

if TYPE_CHECKING:
    from tospolicy.checking.checker import CheckReport

MARKER = "<!-- tospolicy -->"
# GitHub's limit for one step's job summary is 1 MiB; keep well under it.
MAX_BYTES = 1024 * 1024 - 16 * 1024
_NOTE_ROOM = 200  # for the note that says how many findings are left out

_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
# ASCII punctuation that can start or end markdown syntax, or an autolink.
_BACKSLASHED = set("\\`*_{}[]()#+-.!|~$:")


def escape(text: str) -> str:
    """Untrusted text as inert markdown on one line."""
    out = []
    for char in one_line(text):
        if char in _ENTITIES:
            out.append(_ENTITIES[char])
        elif char in _BACKSLASHED:
            out.append("\\" + char)
        elif char == "@":  # a zero-width space after `@`: no mention, no e-mail link
            out.append("@&#8203;")
        else:
            out.append(char)
    return "".join(out)


def _rule_link(rule_id: str, help_uri: str | None) -> str:
    if not help_uri:
        return escape(rule_id)
    return f"[{escape(rule_id)}](<{quote(help_uri, safe=':/#?=&%')}>)"


def _size(lines: list[str]) -> int:
    return sum(len(line.encode("utf-8", "surrogatepass")) + 1 for line in lines)


def render(report: CheckReport, options: RenderOptions) -> str:
    findings = unsuppressed(report)
    suppressed = len(report.findings) - len(findings)
    files = plural(len(report.files), "file")
    lines = [MARKER]
    if not findings:
        lines.append(f"## tospolicy: no findings in {files}")
    else:
        lines.append(f"## tospolicy: {plural(len(findings), 'finding')} in {files}")
    lines += ["", "| severity | findings |", "|---|---:|"]
    lines += [f"| {severity} | {count} |" for severity, count in severity_counts(findings).items()]
    if suppressed:
        lines += ["", f"{plural(suppressed, 'suppressed finding')} not shown."]
    if report.skipped:
        lines += ["", escape(report.skipped)]

    rules = rules_by_id(report)
    body: list[str] = []
    size = _size(lines)
    shown = 0
    full = False
    for path, in_file in groupby(findings, key=lambda finding: finding.span.file):
        pending = ["", f"### {escape(path)}", "", "| line | rule | severity | message |",
                   "|---:|---|---|---|"]
        for finding in in_file:
            rule = rules.get(finding.rule_id)
            row = (f"| {finding.span.line}:{finding.span.column} "
                   f"| {_rule_link(finding.rule_id, rule.help_uri if rule else None)} "
                   f"| {finding.severity} | {escape(finding.message)} |")
            cost = _size(pending) + _size([row])
            if size + cost + _NOTE_ROOM > MAX_BYTES:
                full = True
                break
            body += pending + [row]
            size += cost
            pending = []
            shown += 1
        if full:
            break
    text = "".join(line + "\n" for line in lines + body)
    if shown < len(findings):
        text += (f"\n_{plural(len(findings) - shown, 'more finding')} not shown: a job summary "
                 "is limited to 1 MiB. The text, JSON or SARIF output lists every finding._\n")
    return text


def recognise(head: bytes) -> bool:
    return head.startswith(MARKER.encode())
