"""What every reporter shares: its options, which findings it shows, safe text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tospolicy.findings import SEVERITIES, Finding, RuleInfo

if TYPE_CHECKING:
    from tospolicy.checking.checker import CheckReport

# The part of SARIF's `automationDetails.id` a user chooses (`--sarif-category`).
DEFAULT_CATEGORY = "check"


@dataclass(unsafe_hash=True)
class RenderOptions:
    """How to render a report; every format reads the options that concern it.

    `root` is the folder SARIF URIs and GitHub annotation paths are relative
    to; when it is None the repository root of `cwd` is used (the git top
    level, else `cwd` itself). `cwd` is the folder display paths are relative
    to (default: the current folder).
    """

    colour: bool = False
    quiet: bool = False
    include_suppressed: bool = False
    category: str = DEFAULT_CATEGORY
    root: Path | None = None
    cwd: Path | None = None


def shown_findings(report: CheckReport, options: RenderOptions) -> list[Finding]:
    """The findings a format lists: suppressed ones only when asked for."""
    return [
        finding for finding in report.findings
        if finding.suppression is None or options.include_suppressed
    ]


def unsuppressed(report: CheckReport) -> list[Finding]:
    return [finding for finding in report.findings if finding.suppression is None]


def rules_by_id(report: CheckReport) -> dict[str, RuleInfo]:
    """The report's rules by id; the first wins if a report repeats an id."""
    rules: dict[str, RuleInfo] = {}
    for rule in report.rules:
        rules.setdefault(rule.id, rule)
    return rules


def severity_counts(findings: list[Finding]) -> dict[str, int]:
    """Counts by severity, most severe first, every severity present."""
    return {
        severity: sum(1 for finding in findings if finding.severity == severity)
        for severity in reversed(SEVERITIES)
    }


_SURROGATE = re.compile("[\ud800-\udfff]")


def valid_unicode(text: str) -> str:
    """Text that encodes as UTF-8: a lone surrogate (a file name that is not
    UTF-8, text from a foreign source) becomes U+FFFD."""
    return _SURROGATE.sub("\ufffd", text)


def one_line(message: str) -> str:
    """Untrusted text on one line, with control and format characters shown
    as escapes: they cannot end the line, move the cursor, colour the
    terminal or reorder what is shown (bidirectional overrides).

    The GitHub Actions runner also reads `##[command]` anywhere in a line of
    a step's output (the old form of workflow commands), so its bracket is
    shown as an escape too."""
    if message.isprintable() and "##[" not in message:
        return message  # nearly every message: no character to look at one by one
    return "".join(
        char if char.isprintable() or char == " "
        else f"\\x{ord(char):02x}" if ord(char) < 0x100
        else f"\\u{ord(char):04x}"
        for char in message
    ).replace("##[", "##\\x5b")


def line_start(text: str) -> str:
    """`one_line` for text that begins a line of output (a file name in the
    text format): the runner takes a line that starts with `::`, after
    spaces, as a workflow command, so a leading colon is shown as an escape."""
    text = one_line(text)
    stripped = text.lstrip()
    if stripped.startswith("::"):
        return text[:len(text) - len(stripped)] + "\\x3a" + stripped[1:]
    return text
