"""Formatting: the canonical form of `tospolicy fmt`, as text edits.

The whole document is formatted by `formatting.format_text`; a document that
does not parse is left alone (no edits), as `fmt` leaves such a file. A range
is formatted by formatting the whole text and keeping the changed lines that
touch the range: the canonical form of one statement depends on its service
(comments, ordering), so a range is never formatted on its own. Edits are the
changed lines only, so that the editor keeps the cursor and the marks of the
lines that stay.
"""

from __future__ import annotations

import difflib

from lsprotocol import types

from tospolicy.formatting import FormatError, format_text
from tospolicy.server.documents import Document


def _formatted(document: Document, limits) -> str | None:
    try:
        return format_text(document.text, str(document.path or document.uri), limits)
    except FormatError:
        return None


def format_document(document: Document, limits) -> list[types.TextEdit]:
    formatted = _formatted(document, limits)
    if formatted is None or formatted == document.text:
        return []
    return _line_edits(document, formatted, None)


def format_range(document: Document, lsp_range: types.Range, limits) -> list[types.TextEdit]:
    formatted = _formatted(document, limits)
    if formatted is None or formatted == document.text:
        return []
    return _line_edits(document, formatted, (lsp_range.start.line, lsp_range.end.line))


def _line_edits(document: Document, formatted: str, lines: tuple[int, int] | None) -> list[types.TextEdit]:
    """Edits turning the document's lines into `formatted`'s; with `lines`
    (first and last, from 0), only the changes that touch them."""
    old, new = _lines(document.text), _lines(formatted)
    starts = _line_offsets(old)
    edits = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if tag == "equal":
            continue
        if lines is not None:
            first, last = lines
            if old_end > old_start:
                touches = old_start <= last and old_end > first
            else:  # lines inserted before line old_start
                touches = first <= old_start <= last + 1
            if not touches:
                continue
        start, end = starts[old_start], starts[old_end]
        edits.append(types.TextEdit(document.offset_range(start, end),
                                    "".join(new[new_start:new_end])))
    return edits


def _lines(text: str) -> list[str]:
    """The text's lines with their ends, split at LF only (as the parser counts)."""
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def _line_offsets(lines: list[str]) -> list[int]:
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    return offsets
