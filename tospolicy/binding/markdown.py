"""Markdown read into blocks with markdown-it-py (CommonMark, with tables).

A block is the text of one `inline` token: a paragraph, a heading, a table
cell, the paragraph of a list item (the lists nested in an item are blocks
of their own). Emphasis, link targets, images (their alt text stays),
escapes, list markers and inline HTML are dropped; entities are decoded by
the parser. Raw HTML blocks are read with the HTML reader. markdown-it-py
bounds nesting (`maxNesting`), so deeply nested quotes or lists cannot
exhaust the stack.
"""

from __future__ import annotations

from tospolicy.binding.blocks import Block, make_block

_BREAKS = {"softbreak", "hardbreak"}


def _parser():
    from markdown_it import MarkdownIt  # imported when a Markdown text is read

    return MarkdownIt("commonmark").enable("table")


def markdown_blocks(text: str, lines: list[str]) -> list[Block]:
    blocks: list[Block] = []
    where: list[int] | None = None  # the lines of the block being read, from markdown-it's map
    for token in _parser().parse(text):
        if token.map is not None and token.type != "inline":
            where = token.map
        if token.type == "inline" and where is not None:
            span = token.map or where
            block = make_block(render_inline(token.children or ()), lines, span[0] + 1, span[1])
            if block is not None:
                blocks.append(block)
        elif token.type == "html_block" and token.map is not None:
            from tospolicy.binding.html import html_blocks

            blocks.extend(html_blocks(token.content, lines, offset=token.map[0]))
        elif token.type in ("fence", "code_block") and token.map is not None:
            block = make_block(token.content, lines, token.map[0] + 1, token.map[1])
            if block is not None:
                blocks.append(block)
    return blocks


def render_inline(children) -> str:
    """The text of an inline token as a reader sees it."""
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in _BREAKS:
            parts.append(" ")
        elif child.type == "image":
            parts.append(render_inline(child.children or ()))
        elif child.type == "html_inline" and child.content.lower().startswith("<br"):
            parts.append(" ")
    return "".join(parts)
