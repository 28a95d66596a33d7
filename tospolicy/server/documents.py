"""The documents open in the editor: their text, and positions both ways.

Three ways of counting meet here. The parser counts lines at LF only and
columns in code points from 1 (docs/language.md); LSP counts lines at LF,
CRLF and CR and characters from 0 in the units the client and server agreed
on (UTF-16 unless the client offers another). Every conversion goes through
an offset into the text, so that a lone CR or a character outside the Basic
Multilingual Plane cannot shift a diagnostic. The text is kept here rather
than in pygls's workspace, whose documents split lines at form feeds and
other characters that LSP does not count as line ends.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from lsprotocol import types

# LSP's line ends; CRLF first, so that it counts as one.
_LINE_END = re.compile(r"\r\n|\r|\n")


def units(text: str, encoding: str) -> int:
    """The length of `text` in the position encoding's units."""
    if encoding == types.PositionEncodingKind.Utf8:
        return len(text.encode("utf-8", "surrogatepass"))
    if encoding == types.PositionEncodingKind.Utf32:
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _code_points(line: str, count: int, encoding: str) -> int:
    """How many code points of `line` make up `count` units (clamped to the line)."""
    if encoding == types.PositionEncodingKind.Utf32:
        return min(count, len(line))
    used = 0
    for index, char in enumerate(line):
        if used >= count:
            return index
        used += units(char, encoding)
    return len(line)


def path_of(uri: str) -> Path | None:
    """The file a `file:` URI names; None for unsaved buffers and other schemes."""
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return None
    return Path(unquote(parsed.path))


@dataclass
class Document:
    uri: str
    text: str
    version: int | None = None
    language: str = ""
    encoding: str = types.PositionEncodingKind.Utf16
    _lsp_starts: list[int] | None = field(default=None, repr=False)
    _parser_starts: list[int] | None = field(default=None, repr=False)

    @property
    def path(self) -> Path | None:
        return path_of(self.uri)

    # ---------------------------------------------------------- editing

    def apply(self, change) -> None:
        """One `didChange` content change: a range replaced, or the whole text."""
        change_range = getattr(change, "range", None)
        if change_range is None:
            self._set(change.text)
            return
        start, end = self.offset(change_range.start), self.offset(change_range.end)
        self._set(self.text[:start] + change.text + self.text[max(start, end):])

    def _set(self, text: str) -> None:
        self.text = text
        self._lsp_starts = self._parser_starts = None

    # --------------------------------------------------------- positions

    @property
    def lsp_starts(self) -> list[int]:
        if self._lsp_starts is None:
            self._lsp_starts = [0] + [match.end() for match in _LINE_END.finditer(self.text)]
        return self._lsp_starts

    @property
    def parser_starts(self) -> list[int]:
        if self._parser_starts is None:
            starts = [0]
            find = self.text.find
            at = find("\n")
            while at >= 0:
                starts.append(at + 1)
                at = find("\n", at + 1)
            self._parser_starts = starts
        return self._parser_starts

    def lsp_line(self, number: int) -> str:
        """LSP line `number` (from 0) without its line end."""
        starts = self.lsp_starts
        if number >= len(starts):
            return ""
        end = starts[number + 1] if number + 1 < len(starts) else len(self.text)
        return self.text[starts[number]:end].rstrip("\r\n")

    def offset(self, position: types.Position) -> int:
        """The offset (in code points) of an LSP position, clamped to the text."""
        starts = self.lsp_starts
        if position.line >= len(starts):
            return len(self.text)
        start = starts[position.line]
        line = self.lsp_line(position.line)
        return start + _code_points(line, position.character, self.encoding)

    def position(self, offset: int) -> types.Position:
        """The LSP position of an offset."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect_right(self.lsp_starts, offset) - 1
        start = self.lsp_starts[line]
        return types.Position(line, units(self.text[start:offset], self.encoding))

    def span_offset(self, line: int, column: int) -> int:
        """The offset of a parser position (line and column from 1, LF lines).

        The parser reads the text without its byte order mark, if any: its
        first line starts one character later."""
        starts = self.parser_starts
        if line < 1:
            return 0
        if line > len(starts):
            return len(self.text)
        bom = 1 if line == 1 and self.text.startswith("\ufeff") else 0
        return min(starts[line - 1] + bom + column - 1, len(self.text))

    def span_range(self, span) -> types.Range:
        """The LSP range of a model `Span`."""
        start = self.span_offset(span.line, span.column)
        end = max(start, self.span_offset(span.end_line, span.end_column))
        return types.Range(self.position(start), self.position(end))

    def range_offsets(self, lsp_range: types.Range) -> tuple[int, int]:
        return self.offset(lsp_range.start), self.offset(lsp_range.end)

    def offset_range(self, start: int, end: int) -> types.Range:
        return types.Range(self.position(start), self.position(end))


class Documents:
    """The open documents by URI."""

    def __init__(self):
        self._open: dict[str, Document] = {}

    def open(self, document: Document) -> Document:
        self._open[document.uri] = document
        return document

    def get(self, uri: str) -> Document | None:
        return self._open.get(uri)

    def close(self, uri: str) -> None:
        self._open.pop(uri, None)

    def all(self) -> list[Document]:
        return list(self._open.values())
