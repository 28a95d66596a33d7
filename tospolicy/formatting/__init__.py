"""`tospolicy fmt`: declarations in the canonical form (docs/language.md "Canonical form").

`format_text` is the one entry point, used by the `fmt` command and the
language server alike: the text of a declaration in, its canonical text out,
or `FormatError` with the syntax errors when the text does not parse (a file
that does not parse is never rewritten).
"""

from __future__ import annotations

from tospolicy import limits
from tospolicy.findings import Finding
from tospolicy.formatting.comments import SourceLines, place_comments
from tospolicy.formatting.printer import Printer
from tospolicy.language.parser import parse_text

__all__ = ["FormatError", "format_text"]


class FormatError(Exception):
    """The text does not parse; `findings` are its syntax errors (TOS001, TOS002)."""

    def __init__(self, findings: list[Finding]):
        self.findings = list(findings)
        first = self.findings[0] if self.findings else None
        where = f"{first.span.file}:{first.span.line}:{first.span.column}: " if first else ""
        super().__init__(f"{where}{first.message}" if first else "the text does not parse")


def format_text(text: str, path: str = "<text>",
                bounds: limits.Limits = limits.DEFAULT_LIMITS) -> str:
    """`text` in the canonical form; `path` is what the findings of a `FormatError` name."""
    if text.startswith("\ufeff"):
        text = text[1:]  # the parser drops it too; the canonical form has none
    result = parse_text(text, path, bounds)
    if result.declaration is None:
        raise FormatError(result.findings)
    source = SourceLines(text)
    placement = place_comments(result.declaration, source)
    return Printer(result.declaration, source, placement).text()
