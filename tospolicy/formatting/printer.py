"""The canonical form of a declaration (LANGUAGE.md "Canonical form"; docs/language.md).

The printer walks the parsed model, not the text: every word it writes comes
from a model node (a name, a decoded string written again with only the
escapes it needs, a number or a boolean as the author spelled it), and the
comments come back at the slots `comments.py` tied them to. So the output is
the same declaration whatever the input's layout, and formatting it again
changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tospolicy.formatting.comments import Notes, Placement, SourceLines, slot_key
from tospolicy.formatting.order import ordered_attributes
from tospolicy.language.model import Attribute, Declaration, Duration, List, Name, Service, Text
from tospolicy.language.literals import encode_string

WIDTH = 100
INDENT = "  "
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_UNIT = re.compile(r"[A-Za-z]+\Z")


@dataclass
class _Block:
    """The lines of one service item (an attribute or a statement), leading comments included."""

    lines: list[str] = field(default_factory=list)
    blank_before: bool = False  # the author left a blank line above it
    multiline: bool = False  # the item itself takes more than one line
    kind: str = ""


class Printer:
    """Writes one parsed declaration in the canonical form."""

    def __init__(self, declaration: Declaration, source: SourceLines, placement: Placement):
        self.declaration = declaration
        self.source = source
        self.placement = placement

    def text(self) -> str:
        out: list[str] = []
        for number, service in enumerate(self.declaration.services):
            if number:
                out.append("")
            out.extend(self._service(service))
        after = self.placement.after_end
        if after:
            self._comment_lines(out, after, "", first_blank=bool(out))
        return "\n".join(out) + "\n"

    # ----------------------------------------------------------- services

    def _service(self, service: Service) -> list[str]:
        lines: list[str] = []
        notes = self.placement.of(slot_key(service))
        header = f"service {encode_string(service.name.value)} {{"
        self._with_notes(lines, header, self._header_notes(service, notes), "", first=True)
        blocks = []
        for position, attribute in enumerate(ordered_attributes("service", service.attributes)):
            block = _Block(kind="attribute")
            self._attribute(block.lines, attribute, INDENT, first=position == 0)
            blocks.append(block)
        for position, statement in enumerate(service.statements):
            block = self._statement(statement)
            if position == 0 and service.attributes:
                block.blank_before = True  # the statements, apart from the service's attributes
            blocks.append(block)
        previous = None
        for block in blocks:
            if previous is not None and block.kind != "attribute" and (
                    block.blank_before or block.multiline or previous.multiline
                    or block.kind != previous.kind):
                lines.append("")
            lines.extend(block.lines)
            previous = block
        self._closing(lines, service, INDENT, "}")
        return lines

    # ---------------------------------------------------------- statements

    def _statement(self, statement) -> _Block:
        block = _Block(kind=statement.kind)
        notes = self.placement.of(slot_key(statement))
        first_line = self._first_line(notes, statement.span.line)
        block.blank_before = self.source.blank(first_line - 1)
        header = INDENT + self._header(statement)
        attributes = ordered_attributes(statement.kind, statement.attributes)
        closing = self.placement.of(slot_key(statement, closing=True))
        if not attributes and not (closing and closing.leading):
            self._with_notes(block.lines, header, _merged(notes, closing), INDENT)
            return block
        if len(attributes) == 1 and not (closing and closing.leading):
            one_line = self._one_line_body(statement, header, attributes[0], notes, closing)
            if one_line is not None:
                self._with_notes(block.lines, one_line[0], one_line[1], INDENT)
                return block
        block.multiline = True
        notes = self._header_notes(statement, notes)
        self._with_notes(block.lines, header + " {", notes, INDENT)
        for position, attribute in enumerate(attributes):
            self._attribute(block.lines, attribute, INDENT * 2, first=position == 0)
        self._closing(block.lines, statement, INDENT * 2, INDENT + "}")
        return block

    def _one_line_body(self, statement, header: str, attribute: Attribute, notes, closing):
        """`stmt … { key: value }` and the notes of that line, or None when it must break.

        It breaks when a comment stands inside the braces, or beside a line of
        the statement other than its first: a comment stays beside what it was
        written beside (a suppression there covers that line, not the statement).
        """
        inner = self.placement.of(slot_key(attribute))
        if inner is not None and inner.leading:
            return None
        if isinstance(attribute.value, List) and self._list_breaks(attribute.value):
            return None
        parts = [notes, inner, closing]
        if isinstance(attribute.value, List):
            parts.extend(self.placement.of(slot_key(item)) for item in attribute.value.items)
        trailing = [comment for part in parts if part is not None for comment in part.trailing]
        if any(comment.span.line != statement.span.line for comment in trailing):
            return None
        line = f"{header} {{ {attribute.key}: {self._value(attribute.value)} }}"
        if len(line) > WIDTH:
            return None
        trailing.sort(key=lambda comment: (comment.span.line, comment.span.column))
        return line, Notes(list(notes.leading) if notes else [], trailing)

    def _header_notes(self, node, notes: Notes | None) -> Notes | None:
        """The header's notes, with every comment that trails the header's first
        line in the source, wherever it falls in the model (`use … { consent:
        none  # why`, written over several lines now): a suppression there
        covers the whole statement, and must stay on the statement's line."""
        line = node.span.line
        keys = [slot_key(node, closing=True)]
        for attribute in node.attributes:
            keys.append(slot_key(attribute))
            if isinstance(attribute.value, List):
                keys.extend(slot_key(item) for item in attribute.value.items)
        moved = []
        for key in keys:
            other = self.placement.of(key)
            if other is not None and other.trailing:
                moved.extend(comment for comment in other.trailing if comment.span.line == line)
                other.trailing = [comment for comment in other.trailing if comment.span.line != line]
        if not moved:
            return notes
        merged = Notes(list(notes.leading) if notes else [], list(notes.trailing) if notes else [])
        merged.trailing.extend(moved)
        merged.trailing.sort(key=lambda comment: (comment.span.line, comment.span.column))
        return merged

    def _header(self, statement) -> str:
        kind = statement.kind
        if kind == "data":
            label = f" {encode_string(statement.label.value)}" if statement.label is not None else ""
            return f"data {statement.name.value}{label}"
        if kind == "right":
            return f"right {statement.right.value}"
        data = _names(statement.data)
        if kind in ("use", "never"):
            return f"{kind} {data} for {_names(statement.purposes)}"
        if kind == "share":
            return f"share {data} with {_party(statement.recipient)}"
        if kind == "license":
            return f"license {data} to {_party(statement.grantee)}"
        # retain
        if statement.duration is not None:
            period = f"for {self._duration(statement.duration)}"
        elif statement.until is not None:
            period = f"until {statement.until.value}"
        else:
            period = "indefinitely"
        after = f" after {statement.after.value}" if statement.after is not None else ""
        return f"retain {data} {period}{after}"

    # ---------------------------------------------------------- attributes

    def _attribute(self, lines: list[str], attribute: Attribute, indent: str,
                   first: bool = False) -> None:
        notes = self.placement.of(slot_key(attribute))
        value = attribute.value
        if isinstance(value, List) and self._list_breaks(value, indent, attribute.key):
            self._with_notes(lines, f"{indent}{attribute.key}: [", notes, indent, first)
            for position, item in enumerate(value.items):
                item_notes = self.placement.of(slot_key(item))
                self._with_notes(lines, f"{indent}{INDENT}{self._scalar(item)},", item_notes,
                                 indent + INDENT, first=position == 0)
            lines.append(f"{indent}]")
            return
        if isinstance(value, List):
            # The last element's comments are the attribute's: `key: a, b  # why`.
            extra = [self.placement.of(slot_key(item)) for item in value.items]
            notes = _merged(notes, *extra)
        self._with_notes(lines, f"{indent}{attribute.key}: {self._value(value)}", notes, indent, first)

    def _list_breaks(self, value: List, indent: str = "", key: str = "") -> bool:
        """Whether a list is written one element a line: it does not fit, or
        a comment stands between its elements."""
        items = value.items
        if not items:
            return False
        for position, item in enumerate(items):
            notes = self.placement.of(slot_key(item))
            if notes is not None and (notes.leading or (notes.trailing and position < len(items) - 1)):
                return True
        if not key:
            return False
        return len(f"{indent}{key}: {self._value(value)}") > WIDTH

    def _value(self, value) -> str:
        if isinstance(value, List):
            if not value.items:
                return "[]"
            joined = ", ".join(self._scalar(item) for item in value.items)
            # One element in brackets is a list; without them it would be a
            # single value, which the checks read differently.
            return f"[{joined}]" if len(value.items) == 1 else joined
        return self._scalar(value)

    def _scalar(self, value) -> str:
        if isinstance(value, Text):
            return encode_string(value.value)
        if isinstance(value, Name):
            return value.value
        if isinstance(value, Duration):
            return self._duration(value)
        # Numbers, dates and booleans as the author spelled them (`2.50`, `yes`).
        return self.source.slice(value.span)

    def _duration(self, duration: Duration) -> str:
        written = self.source.slice(duration.span)
        return f"{_NUMBER.match(written).group()} {_UNIT.search(written).group()}"

    # ------------------------------------------------------------ comments

    def _first_line(self, notes: Notes | None, line: int) -> int:
        if notes is not None and notes.leading:
            return notes.leading[0].span.line
        return line

    def _with_notes(self, lines: list[str], line: str, notes: Notes | None, indent: str,
                    first: bool = False) -> None:
        """`line` with its comments: leading ones above it, a trailing one beside it.

        A line has room for one trailing comment; when lines were joined
        (a statement's header written over several lines) the others go above.
        `first`: the line opens a block or the file, so no blank line above it.
        """
        if notes is None:
            lines.append(line)
            return
        trailing = notes.trailing
        self._comment_lines(lines, notes.leading, indent, first_blank=not first)
        if notes.leading and self.source.blank(notes.leading[-1].span.line + 1):
            lines.append("")  # the author parted the comments from what they stand above
        self._comment_lines(lines, trailing[:-1], indent)
        lines.append(_with_trailing(line, trailing[-1:]))

    def _comment_lines(self, lines: list[str], comments, indent: str, first_blank: bool = False) -> None:
        """Comments on lines of their own; a blank line the author left above one is
        kept (one at most), except above the first when `first_blank` is false."""
        for number, comment in enumerate(comments):
            if (number > 0 or first_blank) and self.source.blank(comment.span.line - 1) \
                    and lines and lines[-1] != "":
                lines.append("")
            lines.append(indent + _comment_text(comment))

    def _closing(self, lines: list[str], node, indent: str, brace: str) -> None:
        """A closing brace, the comments above it indented as the block's content."""
        notes = self.placement.of(slot_key(node, closing=True))
        if notes is None:
            lines.append(brace)
            return
        self._comment_lines(lines, notes.leading, indent, first_blank=True)
        self._comment_lines(lines, notes.trailing[:-1], indent)
        lines.append(_with_trailing(brace, notes.trailing[-1:]))


def _merged(*parts: Notes | None) -> Notes | None:
    present = [part for part in parts if part is not None]
    if not present:
        return None
    if len(present) == 1:
        return present[0]
    merged = Notes()
    for part in present:
        merged.leading.extend(part.leading)
        merged.trailing.extend(part.trailing)
    return merged


def _with_trailing(line: str, comments) -> str:
    """`line` and at most one comment beside it."""
    if not comments:
        return line
    (comment,) = comments
    return f"{line}  {_comment_text(comment)}"


def _comment_text(comment) -> str:
    return comment.text.rstrip(" \t\f\r")


def _names(names) -> str:
    return ", ".join(name.value for name in names)


def _party(party) -> str:
    return encode_string(party.value) if isinstance(party, Text) else party.value
