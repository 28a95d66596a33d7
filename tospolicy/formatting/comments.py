"""Where each comment goes when a declaration is rewritten in the canonical form.

The printer writes the model, which knows every word's position but not the
comments between them; this module ties each comment to a *slot*, a place in
the model that starts a line in the canonical form: a service's header, an
attribute, a statement's header, one element of a list, or a closing brace.

- A comment with code before it on its line is *trailing*: it belongs to the
  last slot that starts before it (the attribute or statement it is written
  beside) and stays at the end of that slot's line.
- A comment alone on its line is *leading*: it belongs to the first slot that
  starts after it and is written on its own line above it, at its indentation.
  Comments after the last service stay at the end of the file.

A suppression (`# tospolicy: ignore[…]`) is a comment like any other, so it
stays on the line of, or the line above, the statement it was written for,
and the printer keeps a statement's header on one line: the same findings are
suppressed (suppressions.py covers a finding at its statement's first line).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from tospolicy.language.lineends import lf_line_ends
from tospolicy.language.model import Comment, Declaration, List, Span


@dataclass
class Notes:
    """The comments tied to one slot, in source order."""

    leading: list[Comment] = field(default_factory=list)
    trailing: list[Comment] = field(default_factory=list)


@dataclass
class Placement:
    """Every comment of a file, by slot (`slot_key`), and those after the last service."""

    notes: dict[tuple, Notes]
    after_end: list[Comment]

    def of(self, key: tuple) -> Notes | None:
        return self.notes.get(key)


def slot_key(node, closing: bool = False) -> tuple:
    """The key of a model node's slot; `closing` for the brace that ends it.

    Model nodes are frozen dataclasses that compare by value (two `opt_in`
    names on one line would be equal), so slots go by object identity: the
    placement lives only as long as the model it was made for.
    """
    return (id(node), closing)


def place_comments(declaration: Declaration, source: SourceLines) -> Placement:
    """Tie every comment of `declaration` to its slot (see the module's docstring)."""
    slots = sorted(_slots(declaration, source))
    positions = [(line, column) for line, column, _ in slots]
    notes: dict[tuple, Notes] = {}
    after_end: list[Comment] = []
    previous_end: tuple[int, int] | None = None
    for comment in declaration.comments:
        span = comment.span
        where = (span.line, span.column)
        # Only the text after an earlier comment on the same line counts as
        # code (two comments share a line only where a lone CR parted them).
        start = previous_end[1] if previous_end and previous_end[0] == span.line else 1
        previous_end = (span.end_line, span.end_column)
        if source.code_between(span.line, start, span.column):
            index = bisect_right(positions, where) - 1
            if index >= 0:
                notes.setdefault(slots[index][2], Notes()).trailing.append(comment)
                continue
        index = bisect_left(positions, where)
        if index < len(slots):
            notes.setdefault(slots[index][2], Notes()).leading.append(comment)
        else:
            after_end.append(comment)
    return Placement(notes, after_end)


class SourceLines:
    """The text as the parser counts it: LF, CRLF and a lone CR each end a line."""

    def __init__(self, text: str):
        self.text = text
        starts = [0]
        find = lf_line_ends(text).find
        position = find("\n")
        while position != -1:
            starts.append(position + 1)
            position = find("\n", position + 1)
        self.starts = starts

    def offset(self, line: int, column: int) -> int:
        return self.starts[line - 1] + column - 1

    def slice(self, span: Span) -> str:
        return self.text[self.offset(span.line, span.column):self.offset(span.end_line, span.end_column)]

    def char_before_end(self, span: Span) -> str:
        end = self.offset(span.end_line, span.end_column)
        return self.text[end - 1] if end > 0 else ""

    def code_between(self, line: int, start_column: int, end_column: int) -> bool:
        """Whether anything but whitespace stands on `line` between the two columns."""
        base = self.starts[line - 1]
        return bool(self.text[base + start_column - 1:base + end_column - 1].strip(" \t\f\r"))

    def blank(self, line: int) -> bool:
        """Whether `line` holds nothing but whitespace (line 0 does not exist: not blank)."""
        if line < 1 or line > len(self.starts):
            return False
        start = self.starts[line - 1]
        end = self.starts[line] - 1 if line < len(self.starts) else len(self.text)
        return not self.text[start:end].strip(" \t\f\r")


def _slots(declaration: Declaration, source: SourceLines):
    """(line, column, key) of every slot, in no particular order."""
    for service in declaration.services:
        span = service.span
        yield span.line, span.column, slot_key(service)
        yield span.end_line, span.end_column - 1, slot_key(service, closing=True)
        yield from _attribute_slots(service.attributes)
        for statement in service.statements:
            span = statement.span
            yield span.line, span.column, slot_key(statement)
            yield from _attribute_slots(statement.attributes)
            if source.char_before_end(span) == "}":
                yield span.end_line, span.end_column - 1, slot_key(statement, closing=True)


def _attribute_slots(attributes):
    for attribute in attributes:
        yield attribute.span.line, attribute.span.column, slot_key(attribute)
        if isinstance(attribute.value, List):
            for item in attribute.value.items:
                yield item.span.line, item.span.column, slot_key(item)
