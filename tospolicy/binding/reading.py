"""Reading a text into blocks: the reader its file name calls for.

Markdown and HTML readers are imported only for a text of their kind: the
libraries behind them take longer to import than a small check takes.
"""

from __future__ import annotations

from tospolicy.binding.blocks import HTML_SUFFIXES, MARKDOWN_SUFFIXES, Block, make_block


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
