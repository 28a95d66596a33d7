"""A text as the blocks a reader sees: paragraphs, headings, list items, table cells.

Each block keeps the text as rendered (markup, link targets, list numbers
and tags dropped, entities decoded), its normalised form, and where it
starts and ends in the file (lines from 1, as an editor counts them: LF,
CRLF and a lone CR each end a line). The format comes from the file's
name: Markdown (`.md`, `.markdown`), HTML (`.html`, `.htm`), plain text
otherwise; reading.py picks the reader.
"""

from __future__ import annotations

from dataclasses import dataclass

from tospolicy.binding.normalise import normalise, without_number

MARKDOWN_SUFFIXES = (".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm")


@dataclass(slots=True, unsafe_hash=True)
class Block:
    """One block of a text: what it says and where."""

    text: str  # as rendered, whitespace collapsed
    normalised: str
    line: int
    column: int
    end_line: int
    end_column: int

    @property
    def key(self) -> str:
        """What the block says, whatever its number: two versions of a text
        are compared by this."""
        return without_number(self.normalised)


def make_block(text: str, lines: list[str], first: int, last: int) -> Block | None:
    """A block of `text` spanning lines `first`..`last` (from 1) of `lines`,
    from the first to the last character written there; None when empty."""
    shown = " ".join(text.split())
    if not shown:
        return None
    first = min(max(first, 1), max(len(lines), 1))
    last = min(max(last, first), max(len(lines), 1))
    start_text = lines[first - 1] if lines else ""
    end_text = lines[last - 1] if lines else ""
    column = len(start_text) - len(start_text.lstrip()) + 1
    end_column = len(end_text.rstrip()) + 1
    if last == first and end_column <= column:
        end_column = column + 1
    return Block(shown, normalise(shown), first, column, last, end_column)
