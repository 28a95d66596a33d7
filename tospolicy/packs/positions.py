"""Where in a pack file a character of a condition or message is written."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tospolicy.support.yamlsource import Document, Mark


def locate(document: Document, mark: Mark, value: str, offset: int) -> tuple[int, int] | None:
    """The file line and column of character `offset` of a scalar, or None when
    the scalar's style (escapes, folding) makes the mapping uncertain."""
    lines = [line.rstrip("\r") for line in document.text.split("\n")]
    style = mark.style
    if style in ("", "'", '"') and mark.end_line == mark.line:
        raw = lines[mark.line - 1][mark.column - 1:mark.end_column - 1]
        body = raw if style == "" else raw[1:-1]
        if body == value:
            return mark.line, mark.column + (0 if style == "" else 1) + offset
        return None
    if style == "|":
        before = value[:offset]
        row = before.count("\n")
        column = offset - (before.rfind("\n") + 1)
        value_line = value.split("\n")[row]
        number = mark.line + 1 + row  # the content starts on the line after `|`
        if number > len(lines):
            return None
        source = lines[number - 1]
        indent = len(source) - len(value_line)
        if indent >= 0 and source[indent:] == value_line and not source[:indent].strip():
            return number, indent + 1 + column
        return None
    if style in ("", ">"):
        # Folded: each source line's text, stripped, joined by single spaces.
        first = mark.line if style == "" else mark.line + 1
        last = mark.end_line if style == "" else mark.end_line - 1
        pieces = []
        for number in range(first, min(last, len(lines)) + 1):
            text = lines[number - 1]
            start = mark.column - 1 if number == mark.line and style == "" else 0
            stripped = text[start:].strip()
            if stripped:
                pieces.append((number, text.index(stripped, start) + 1, stripped))
        if " ".join(piece for _, _, piece in pieces) != value.rstrip("\n"):
            return None
        position = 0
        for number, column, piece in pieces:
            if offset <= position + len(piece):
                return number, column + (offset - position)
            position += len(piece) + 1
    return None
