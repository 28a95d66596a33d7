"""A text as the blocks a reader sees: paragraphs, headings, list items, table cells.

Each block keeps the text as rendered (markup, link targets, list numbers
and tags dropped, entities decoded), its normalised form, and where it
starts and ends in the file (lines from 1, as an editor counts them: LF,
CRLF and a lone CR each end a line). The format comes from the file's
name: Markdown (`.md`, `.markdown`), HTML (`.html`, `.htm`), plain text
otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

from tospolicy.binding.normalise import normalise, without_number

MARKDOWN_SUFFIXES = (".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm")


@dataclass(frozen=True, slots=True)
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


def split_lines(text: str) -> tuple[str, list[str]]:
    """The text with every line end as LF, and its lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, text.split("\n")


def read_blocks(text: str, name: str) -> list[Block]:
    """The blocks of `text`, read as its file `name` says (Markdown, HTML, plain)."""
    lowered = name.lower()
    text, lines = split_lines(text)
    if lowered.endswith(MARKDOWN_SUFFIXES):
        from tospolicy.binding.markdown import markdown_blocks

        return markdown_blocks(text, lines)
    if lowered.endswith(HTML_SUFFIXES):
        from tospolicy.binding.html import html_blocks

        return html_blocks(text, lines)
    return plain_blocks(lines)


def plain_blocks(lines: list[str]) -> list[Block]:
    """Paragraphs of plain text: lines between blank lines."""
    blocks: list[Block] = []
    start = None
    for number, line in enumerate([*lines, ""], start=1):
        if line.strip():
            if start is None:
                start = number
            continue
        if start is not None:
            block = make_block(" ".join(lines[start - 1:number - 1]), lines, start, number - 1)
            if block is not None:
                blocks.append(block)
            start = None
    return blocks
