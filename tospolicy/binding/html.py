"""HTML read into blocks with lxml (libxml2's HTML parser).

Why lxml: it is a real parser (libxml2 2.14 tokenizes as HTML5 does; tag
soup, unclosed elements and entities are handled as browsers handle them),
and it keeps each element's source line, which findings need; selectolax
and html5lib give no positions. It also bounds nesting (256 levels without
`huge_tree`), and the walk below is iterative, so a deeply nested page
cannot exhaust the stack.

Every element that is not inline (`a`, `b`, `span`…) starts a block: the text
of a paragraph, heading, list item or table cell, without the blocks nested
in it. Scripts, styles, templates and the document head are not text a
reader sees and are skipped; `<br>` is a space, an image its alt text.
"""

from __future__ import annotations

from tospolicy.binding.blocks import Block, make_block

INLINE = frozenset({
    "a", "abbr", "acronym", "b", "bdi", "bdo", "big", "cite", "code", "data", "del", "dfn", "em",
    "font", "i", "ins", "kbd", "label", "mark", "q", "s", "samp", "small", "span", "strike",
    "strong", "sub", "sup", "time", "tt", "u", "var", "wbr", "br", "img", "nobr",
})
SKIPPED = frozenset({"script", "style", "template", "head", "noscript", "svg", "math",
                     "iframe", "object", "select", "textarea", "button"})


class _Open:
    """A block being read: where it starts and its text so far."""

    __slots__ = ("line", "order", "parts")

    def __init__(self, line: int, order: int):
        self.line = line
        self.order = order  # blocks are listed in the order they start
        self.parts: list[str] = []


def html_blocks(text: str, lines: list[str], offset: int = 0) -> list[Block]:
    """The blocks of an HTML document or fragment; `offset` lines come before
    it in the file (an HTML block inside Markdown)."""
    from lxml import etree  # imported when an HTML text is read

    parser = etree.HTMLParser(recover=True, no_network=True, remove_comments=True,
                              remove_pis=True, huge_tree=False)
    try:
        root = etree.fromstring(text, parser)
    except (etree.LxmlError, ValueError):
        root = None
    if root is None:
        return []
    stack: list[_Open] = [_Open(offset + 1, 0)]
    found: list[tuple[int, Block]] = []
    started = 0
    skipping = 0
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        tag = tag.lower()
        if event == "start":
            if skipping or tag in SKIPPED:
                skipping += 1
                continue
            if tag not in INLINE:
                started += 1
                stack[-1].parts.append(" ")  # a block inside text parts it
                stack.append(_Open(offset + (element.sourceline or 1), started))
            elif tag == "br":
                stack[-1].parts.append(" ")
            elif tag == "img":
                stack[-1].parts.append(" " + (element.get("alt") or "") + " ")
            if element.text:
                stack[-1].parts.append(element.text)
            continue
        if skipping:
            skipping -= 1
            if skipping or tag not in SKIPPED:
                continue
        elif tag not in INLINE and len(stack) > 1:
            _emit(stack.pop(), lines, found)
            stack[-1].parts.append(" ")
        if element.tail:
            stack[-1].parts.append(element.tail)
    while stack:
        _emit(stack.pop(), lines, found)
    found.sort(key=lambda item: item[0])
    return [block for _, block in found]


def _emit(open_block: _Open, lines: list[str], found: list[tuple[int, Block]]) -> None:
    raw = "".join(open_block.parts)
    if raw.strip():
        # The text's own line breaks say how far the block runs.
        end = open_block.line + raw.strip().count("\n")
        block = make_block(raw, lines, open_block.line, end)
        if block is not None:
            found.append((open_block.order, block))
