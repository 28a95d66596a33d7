"""Formatting files: what `tospolicy fmt` does to each one, and its unified diff.

A file keeps what the canonical form does not decide: its byte-order mark and
its line ends (a file written with CRLF stays CRLF, so that a Windows checkout
is not reported as unformatted). A file that cannot be read or does not parse
is left alone, with its findings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tospolicy.language.lineends import lines_of
from tospolicy import limits
from tospolicy.findings import Finding
from tospolicy.formatting import FormatError, format_text
from tospolicy.reporters.common import one_line


@dataclass
class Formatted:
    """One file: its text, its canonical text, or why it has none."""

    display: str
    original: str | None = None
    formatted: str | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.formatted is not None and self.formatted != self.original


def format_file(path: Path, display: str, bounds: limits.Limits = limits.DEFAULT_LIMITS) -> Formatted:
    text, problem = limits.read_text_file(path, display, bounds)
    if problem is not None:
        return Formatted(display, findings=[problem])
    return format_source(text, display, bounds)


def format_source(text: str, display: str, bounds: limits.Limits = limits.DEFAULT_LIMITS) -> Formatted:
    """`text` as read from a file (BOM and line ends as written) and its canonical text."""
    try:
        formatted = format_text(text, display, bounds)
    except FormatError as error:
        return Formatted(display, text, findings=error.findings)
    if _first_line_end(text) == "\r\n":
        formatted = formatted.replace("\n", "\r\n")
    if text.startswith("\ufeff"):
        formatted = "\ufeff" + formatted
    return Formatted(display, text, formatted)


def _first_line_end(text: str) -> str:
    position = text.find("\n")
    return "\r\n" if position > 0 and text[position - 1] == "\r" else "\n"


def unified_diff(result: Formatted) -> str:
    """The change as a unified diff (`a/` and `b/` paths, as git writes them).

    The lines come from a file of a pull request: control characters in them
    are shown as escapes (see `one_line`), so a diff printed in a terminal or a
    CI log cannot move the cursor or start a workflow command.
    """
    import difflib  # only a run with --diff needs it

    before = _lines(result.original or "")
    after = _lines(result.formatted or "")
    name = one_line(result.display)
    out = []
    for line in difflib.unified_diff(before, after, f"a/{name}", f"b/{name}", lineterm=""):
        out.append(one_line(line) + "\n")
    return "".join(out)


def _lines(text: str) -> list[str]:
    """Lines as the parser counts them (LF, CRLF or a lone CR ends a line), without their ends."""
    lines = lines_of(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines
