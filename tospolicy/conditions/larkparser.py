"""Parsing the condition language with Lark (grammar/condition.lark).

parser.py bounds the text first (length, bracket nesting) and calls
`parse`; this module builds the syntax tree while Lark's LALR parser reduces,
refuses trees nested too deep as they are built, and words syntax errors.
"""

from __future__ import annotations

import datetime

from lark import Token, Transformer
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from tospolicy.conditions.tree import MAX_DEPTH, All, Any, Comparison, ConditionError, Constant, Count, ListLiteral, Literal, Match, Not, PathRef, Presence, Reference, nested_too_deep
from tospolicy.language.grammar import load_grammar
from tospolicy.language.model import DAYS_PER_UNIT
from tospolicy.language.literals import decode_string
from tospolicy.language.numbers import number_value
from tospolicy.conditions.values import INDEFINITELY, Period
from tospolicy.support.suggest import did_you_mean


class _TreeBuilder(Transformer):
    """Builds the syntax tree while the LALR parser reduces (no parse tree)."""

    max_depth = MAX_DEPTH  # set for each parse

    def _deeper(self, items, offset: int) -> int:
        depth = 1 + max(item.depth for item in items)
        if depth > self.max_depth:
            raise ConditionError(nested_too_deep("condition is", self.max_depth), offset)
        return depth

    def start(self, children):
        return children[0]

    def or_test(self, items):
        return Any(tuple(items), self._deeper(items, 0))

    def and_test(self, items):
        return All(tuple(items), self._deeper(items, 0))

    def negation(self, children):
        keyword, item = children
        return Not(item, self._deeper([item], keyword.start_pos))

    def group(self, children):
        return children[1]

    def comparison(self, children):
        subject, operator, object_ = children
        return Comparison(str(operator), subject, object_, operator.start_pos)

    def match(self, children):
        subject, _, pattern = children
        return Match(subject, _string(pattern), pattern.start_pos + 1)

    def presence(self, children):
        keyword, _, name, _ = children
        return Presence(keyword == "exists", PathRef(str(name), name.start_pos))

    def reference(self, children):
        token = children[0]
        return Reference(str(token)[1:], token.start_pos)

    def constant(self, children):
        return Constant(children[0] == "true")

    def bare(self, children):
        subject = children[0]
        raise ConditionError(
            f"'{_subject_text(subject)}' alone is not a condition: write "
            f"exists({_subject_text(subject)}), or compare it (== yes for a yes/no attribute)",
            subject.offset)

    def path(self, children):
        token = children[0]
        return PathRef(str(token), token.start_pos)

    def braced(self, children):
        token = children[1]
        return PathRef(str(token), token.start_pos)

    def count(self, children):
        keyword, _, name, _ = children
        return Count(PathRef(str(name), name.start_pos), keyword.start_pos)

    def list(self, children):
        opening = children[0]
        return ListLiteral(tuple(child for child in children[1:-1]), opening.start_pos)

    def literal(self, children):
        item = children[0]
        if isinstance(item, Literal):  # a duration
            return item
        kind, text, offset = item.type, str(item), item.start_pos
        if kind == "NAME":
            value = text
        elif kind == "STRING":
            value = _string(item)
        elif kind == "NUMBER":
            value = _number(text, offset)
        elif kind == "DATE":
            try:
                value = datetime.date.fromisoformat(text)
            except ValueError:
                raise ConditionError(f"'{text}' is not a valid date (YYYY-MM-DD)", offset) from None
        elif kind == "INDEFINITELY":
            value = INDEFINITELY
        else:  # true false yes no
            value = text in ("true", "yes")
        return Literal(value, text, offset)

    def duration(self, children):
        number, unit = children
        amount = _number(str(number), number.start_pos)
        singular = str(unit).rstrip("s")
        text = f"{number} {unit}"
        return Literal(Period(amount * DAYS_PER_UNIT[singular], text), text, number.start_pos)


def _string(token: Token) -> str:
    if token.startswith("'"):
        return str(token)[1:-1]
    try:
        return decode_string(str(token)[1:-1])
    except ValueError as error:  # a lone surrogate, `"\ud800"`
        raise ConditionError(str(error), token.start_pos) from None


def _number(text: str, offset: int) -> int | float:
    try:
        return number_value(text)
    except ValueError as error:
        raise ConditionError(str(error), offset) from None


def _subject_text(subject) -> str:
    if isinstance(subject, Count):
        return f"count({subject.path.text})"
    return subject.text


class _NamesEverywhere:
    """Lets the lexer see a whole word as a name in every state, so that
    `inside` after a path is one unexpected name, not `in` followed by `side`."""

    always_accept = ("NAME",)

    def process(self, stream):
        return stream


_TERMINAL_WORDS = {
    "NAME": "a name", "STRING": "a string", "NUMBER": "a number", "DATE": "a date",
    "DEFINITION": "a $definition", "COMPARATOR": "a comparison (== != < <= > >=)",
    "$END": "the end of the condition",
}


class _Parser:
    _instance: _Parser | None = None

    @classmethod
    def get(cls) -> _Parser:
        if cls._instance is None:
            cls._instance = cls()
        return cls._instance

    def __init__(self):
        self.builder = _TreeBuilder()
        self.lark = load_grammar("condition.lark", transformer=self.builder,
                                 postlex=_NamesEverywhere())
        self.literals = {terminal.name: terminal.pattern.value for terminal in self.lark.terminals
                         if terminal.pattern.type == "str"}

    def describe(self, terminal: str) -> str:
        if terminal in self.literals:
            return f"'{self.literals[terminal]}'"
        return _TERMINAL_WORDS.get(terminal, terminal)


def parse(text: str, max_depth: int):
    """The syntax tree of `text`, nested at most `max_depth` levels; ConditionError if none."""
    parser = _Parser.get()
    parser.builder.max_depth = max_depth
    try:
        return parser.lark.parse(text)
    except ConditionError:
        raise
    except UnexpectedInput as error:
        raise _syntax_error(parser, text, error) from None


_MISTAKES = {"=": "'==' compares", "&&": "write 'and'", "||": "write 'or'", "!": "write 'not'",
             "&": "write 'and'", "|": "write 'or'"}


def _syntax_error(parser: _Parser, text: str, error: UnexpectedInput) -> ConditionError:
    if isinstance(error, UnexpectedCharacters):
        offset = error.pos_in_stream
        char = text[offset]
        two = text[offset:offset + 2]
        hint = _MISTAKES.get(two) or _MISTAKES.get(char)
        message = f"unexpected character '{char}'"
        if char == '"' or char == "'":
            message = "unterminated or invalid string (use \\\" \\\\ \\n \\t \\uXXXX inside "\
                      "double quotes, or single quotes for a regular expression)"
        elif hint:
            message += f" ({hint})"
        return ConditionError(message, offset)
    expected = error.expected or set()
    if isinstance(error, UnexpectedToken) and error.interactive_parser is not None:
        # The terminals this very state accepts (LALR's lookahead sets are wider).
        expected = error.interactive_parser.accepts()
    expected = sorted({parser.describe(name) for name in expected if not name.startswith("__")})
    if isinstance(error, UnexpectedEOF) or (
            isinstance(error, UnexpectedToken) and error.token.type == "$END"):
        return ConditionError(
            "the condition ends too early: expected " + _one_of(expected), len(text.rstrip()))
    token = error.token
    found = f"'{token}'"
    message = f"unexpected {found}: expected {_one_of(expected)}"
    words = [word.strip("'") for word in expected if word.startswith("'")]
    message += did_you_mean(str(token), words)
    return ConditionError(message, token.start_pos)


def _one_of(words: list[str]) -> str:
    if not words:
        return "something else"
    if len(words) == 1:
        return words[0]
    return "one of " + ", ".join(words)
