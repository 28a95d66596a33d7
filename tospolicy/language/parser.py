"""Reading `.tos` files into the model, with syntax errors people can act on.

The grammar (`grammar/tospolicy.lark`) is parsed with LALR and a transformer
that builds the model while parsing: no parse tree is made, and spans come
from the tokens. A file is first read by the fast path (`fastpath.py`), a loop
over the grammar's LALR tables that handles files without syntax errors and
needs no Lark at run time. A file it gives up on is parsed by Lark with error
recovery (`recovery.py`), which reports every syntax error in plain words.
Both build the model with the same `_ModelBuilder`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tospolicy import limits
from tospolicy.language.fastpath import FastPath
from tospolicy.language.grammar import fast_tables
from tospolicy.language.lineends import lf_line_ends
from tospolicy.language.literals import decode_string
from tospolicy.language.numbers import number_value
from tospolicy.language.model import Attribute, Boolean, Comment, Data, Date, Declaration, Duration, License, List, Name, Never, Number, Retain, Right, Service, Share, Span, Text, Use
from tospolicy.language.syntax import GRAMMAR, KEYWORDS, ParseResult
from tospolicy.support.collector import collector_paused

BOOLEANS = {"yes": True, "true": True, "no": False, "false": False}
_UNITS = {"hour": "hour", "hours": "hour", "day": "day", "days": "day", "week": "week",
          "weeks": "week", "month": "month", "months": "month", "year": "year", "years": "year"}
# A name is a term, an attribute or a data set: a few dotted parts. Longer ones
# are refused, since every taxonomy question walks a term's dotted prefixes
# (`a.a.a.…` of 40,000 parts took seconds a statement).
MAX_NAME_LENGTH = 256
MAX_NAME_PARTS = 32


def parse_file(
    path: Path, display: str | None = None, bounds: limits.Limits = limits.DEFAULT_LIMITS
) -> ParseResult:
    """Read and parse one file; unreadable or non-text files give `TOS002`."""
    display = display if display is not None else str(path)
    text, problem = limits.read_text_file(path, display, bounds)
    if problem is not None:
        return ParseResult(None, [problem])
    return parse_text(text, display, bounds)


def parse_text(
    text: str, path: str = "<text>", bounds: limits.Limits = limits.DEFAULT_LIMITS
) -> ParseResult:
    """Parse declaration text; `path` is what spans and findings will name."""
    if text.startswith("\ufeff"):
        text = text[1:]
    text = lf_line_ends(text)  # a lone CR ends a line, as editors show it
    problem = limits.check_text(text, path, bounds)
    if problem is not None:
        return ParseResult(None, [problem])
    return _Parser.get().parse(text, path)


# -------------------------------------------------------------- transformer

if TYPE_CHECKING:
    from lark import Token  # or the fast path's Word: text with a position


@dataclass
class _Body:
    """The `{ … }` after a statement: its attributes and the closing brace."""

    attributes: tuple[Attribute, ...]
    end: Token


class _ModelBuilder:
    """Builds the model while the LALR parser reduces; one parse at a time.

    Lark and the fast path both call it. Methods named after terminals run
    when a token is shifted; methods named after rules run when the rule is
    reduced, with the kept children (Lark finds them by name, as it would on a
    `lark.Transformer`).
    """

    def __init__(self):
        self.reset("<text>", "")

    def lexer_callbacks(self) -> dict:
        """Called with tokens the parser otherwise ignores."""
        return {"COMMENT": self.comment}

    def reset(self, path: str, text: str) -> None:
        self.path = path
        self.text = text  # the text parsed, for what comes before a comment on its line
        self.comments: list[Comment] = []
        self.problems: list[tuple[str, Span]] = []

    def span(self, token: Token) -> Span:
        return Span(self.path, token.line, token.column, token.end_line, token.end_column)

    # Terminals. Lark calls the upper-case methods with its tokens; the fast
    # path calls the lower-case ones with the token's text and span.

    def NAME(self, token: Token) -> Name:
        return self.name(str(token), self.span(token))

    def STRING(self, token: Token) -> Text:
        return self.string(str(token), self.span(token))

    def NUMBER(self, token: Token) -> Number:
        return self.number(str(token), self.span(token))

    def DATE(self, token: Token) -> Date:
        return self.date(str(token), self.span(token))

    def name(self, text: str, span: Span) -> Name:
        if text in KEYWORDS:
            self.problems.append((f"'{text}' is a keyword and cannot be used as a name", span))
        elif len(text) > MAX_NAME_LENGTH or text.count(".") >= MAX_NAME_PARTS:
            self.problems.append((f"name '{text[:40]}…' is too long: at most {MAX_NAME_LENGTH} "
                                  f"characters and {MAX_NAME_PARTS} dotted parts", span))
        return Name(text, span)

    def string(self, text: str, span: Span) -> Text:
        try:
            return Text(decode_string(text[1:-1]), span)
        except ValueError as error:
            self.problems.append((str(error), span))
            return Text("", span)

    def number(self, text: str, span: Span) -> Number:
        try:
            return Number(number_value(text), span)
        except ValueError as error:
            self.problems.append((str(error), span))
            return Number(0, span)

    def date(self, text: str, span: Span) -> Date:
        try:
            return Date(datetime.date.fromisoformat(text), span)
        except ValueError:
            self.problems.append((f"'{text}' is not a valid date (YYYY-MM-DD)", span))
            return Date(datetime.date.min, span)

    def comment(self, token: Token) -> None:
        """Lexer callback: comments are ignored by the parser but kept here."""
        start = token.start_pos
        line_start = self.text.rfind("\n", 0, start) + 1
        alone = not self.text[line_start:start].strip(" \t\f\r")
        self.comments.append(Comment(str(token), self.span(token), alone))

    # Rules.

    def start(self, services):
        return tuple(services)

    def service(self, children):
        keyword, name, *items, end = children[0], children[1], *children[3:]
        attributes = tuple(item for item in items if isinstance(item, Attribute))
        statements = tuple(item for item in items if not isinstance(item, Attribute))
        return Service(name, attributes, statements, self.span(keyword).to(self.span(end)))

    def _statement_span(self, keyword: Token, last) -> Span:
        end = self.span(last.end) if isinstance(last, _Body) else last.span
        return self.span(keyword).to(end)

    @staticmethod
    def _body(children) -> tuple[Attribute, ...]:
        last = children[-1]
        return last.attributes if isinstance(last, _Body) else ()

    def data(self, children):
        label = children[2] if len(children) > 2 and isinstance(children[2], Text) else None
        return Data(children[1], label, self._body(children),
                    self._statement_span(children[0], children[-1]))

    def use(self, children):
        return Use(children[1], children[2], self._body(children),
                   self._statement_span(children[0], _last(children)))

    def never(self, children):
        return Never(children[1], children[2], self._body(children),
                     self._statement_span(children[0], _last(children)))

    def share(self, children):
        return Share(children[1], children[2], self._body(children),
                     self._statement_span(children[0], children[-1]))

    def license(self, children):
        return License(children[1], children[2], self._body(children),
                       self._statement_span(children[0], children[-1]))

    def right(self, children):
        return Right(children[1], self._body(children),
                     self._statement_span(children[0], children[-1]))

    def retain(self, children):
        keyword, data, period = children[0], children[1], children[2]
        after = children[3] if len(children) > 3 and isinstance(children[3], Name) else None
        duration = period if isinstance(period, Duration) else None
        until = period if isinstance(period, Name) else None
        last = children[-1]
        if isinstance(last, str):  # the `indefinitely` token ends the statement
            end = self.span(last)
        elif isinstance(last, _Body):
            end = self.span(last.end)
        else:
            end = last.span
        return Retain(data, duration, until, after, self._body(children), self.span(keyword).to(end))

    def period(self, children):
        # A duration, an `until` event (a Name), or the `indefinitely` token.
        return children[0]

    def after(self, children):
        return children[0]

    def party(self, children):
        return children[0]

    def names(self, children):
        return tuple(children)

    def body(self, children):
        return _Body(tuple(children[1:-1]), children[-1])

    def attribute(self, children):
        key, value = children
        return Attribute(key.value, key.span, value, key.span.to(value.span))

    def value(self, items):
        if len(items) == 1:  # most values
            return _typed(items[0])
        items = [_typed(item) for item in items]
        return List(tuple(items), items[0].span.to(items[-1].span), False)

    def bracket_list(self, children):
        items = tuple(_typed(item) for item in children[1:-1])
        return List(items, self.span(children[0]).to(self.span(children[-1])), True)

    def duration(self, children):
        number, unit = children
        return Duration(number.value, _UNITS[unit], number.span.to(self.span(unit)))


def _last(children):
    """The last child that carries a position (`names` yields a tuple)."""
    last = children[-1]
    return last[-1] if isinstance(last, tuple) else last


def _typed(item):
    """Bare `yes`/`no`/`true`/`false` in a value are booleans."""
    if isinstance(item, Name) and item.value in BOOLEANS:
        return Boolean(BOOLEANS[item.value], item.span)
    return item


# ------------------------------------------------------------------ parsing


class _Parser:
    """The parser, built once per process (its tables come from the cache)."""

    _instance: _Parser | None = None

    @classmethod
    def get(cls) -> _Parser:
        if cls._instance is None:
            cls._instance = cls()
        return cls._instance

    def __init__(self):
        builder = self.builder = _ModelBuilder()
        self._recovering = None
        tables = fast_tables(GRAMMAR, FastPath.FORMAT, lambda: FastPath.tables(self.recovering.lark))
        self.fast = FastPath.create(tables, builder, builder.lexer_callbacks(), {
            "NAME": builder.name, "STRING": builder.string,
            "NUMBER": builder.number, "DATE": builder.date,
        })

    @property
    def recovering(self):
        """Lark's parser with error recovery, loaded the first time it is needed."""
        if self._recovering is None:
            # Imported here, not at the top: it imports Lark, which a file
            # without syntax errors never needs (start-up time).
            from tospolicy.language.recovery import RecoveringParser

            self._recovering = RecoveringParser(self.builder)
        return self._recovering

    def parse(self, text: str, path: str) -> ParseResult:
        with collector_paused():
            declaration = self.parse_fast(text, path)
            if declaration is not None:
                return ParseResult(declaration)
            return self.parse_recovering(text, path)

    def parse_fast(self, text: str, path: str) -> Declaration | None:
        """The model of a file without syntax errors; None for any other file."""
        if self.fast is None:
            return None
        self.builder.reset(path, text)
        services = self.fast.parse(text, path)
        if services is None or self.builder.problems:
            return None
        return Declaration(path, services, tuple(self.builder.comments))

    def parse_recovering(self, text: str, path: str) -> ParseResult:
        """Lark's parse, resuming after each syntax error (files the fast path gave up on)."""
        return self.recovering.parse(text, path)
