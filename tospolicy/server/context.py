"""What the cursor is in: a statement's part, an attribute's key or value.

Completion and hover must work while the user types, when the text does not
parse: so this reads words, not the model. A tolerant scanner splits the text
into words, strings, numbers and brackets (an unterminated string ends at the
line's end), and a walk over them keeps a stack of braces: outside any, a
service may start; inside a service's, a statement or a service attribute;
inside a statement's, that statement's attributes. Inside one of those, the
*clause* the cursor is in starts at a statement keyword or an attribute key
that begins a line, or after `;`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tospolicy.language.syntax import STATEMENT_KEYWORDS

# Tolerant versions of the grammar's terminals (grammar/tospolicy.lark): a
# NAME may end in a dot (`ai.` while typing `ai.training`), a string may be
# unterminated.
_TOKEN = re.compile(r"""
    (?P<comment>\#[^\r\n]*)
  | (?P<string>"(?:[^"\\\r\n]|\\.)*"?)
  | (?P<number>[0-9][0-9A-Za-z_.\-]*)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*\.?)
  | (?P<punct>[{}\[\]:,;])
""", re.VERBOSE)
NAME_CHARS = re.compile(r"[A-Za-z0-9_.]*")

# The words that lead into each part of a statement after its keyword, in
# order (LANGUAGE.md, "Statements"); None: the part follows the keyword.
PARTS = {
    "data": (("name", None), ("label", None)),
    "use": (("data", None), ("purposes", "for")),
    "never": (("data", None), ("purposes", "for")),
    "share": (("data", None), ("recipient", "with")),
    "license": (("data", None), ("grantee", "to")),
    "retain": (("data", None), ("duration", "for"), ("until", "until"), ("after", "after")),
    "right": (("name", None),),
}
# Where a retain's period may say `indefinitely` instead.
INDEFINITELY = "indefinitely"


@dataclass(frozen=True)
class Token:
    kind: str  # comment, string, number, name, punct
    text: str
    start: int
    end: int
    line: int  # counted at LF, from 0


def tokens(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """The tokens of `text[start:end]` (a token cut at `end` ends there)."""
    found = []
    line = text.count("\n", 0, start)
    last = start
    for match in _TOKEN.finditer(text, start, len(text) if end is None else end):
        line += text.count("\n", last, match.start())
        last = match.start()
        found.append(Token(match.lastgroup, match.group(), match.start(), match.end(), line))
    return found


@dataclass
class Context:
    """Where the cursor is, for completion.

    `place` is one of: `top` (a service may start), `statement` (a statement
    keyword or a service attribute key), `key` (an attribute key of `kind`),
    `value` (a value of attribute `key` of `kind`), `part` (part `key` of a
    statement of `kind`), `connective` (the word after a part, like `for`),
    `comment`, `string` or `none`. In a `string`, `kind` and `key` say whose
    value it is (when it is an attribute's), `prefix` is the string as
    typed so far, its opening quote included, and `string_end` where the
    string ends (after its closing quote, if it has one)."""

    place: str
    kind: str | None = None
    key: str | None = None
    prefix: str = ""  # the part of the word before the cursor
    prefix_start: int = 0
    service_start: int = 0  # where the service the cursor is in starts
    service_end: int | None = None  # where it ends (its `}`), or None when not closed
    service_number: int | None = None  # which service of the file (from 0) the cursor is in
    string_end: int | None = None
    used_keys: set[str] = field(default_factory=set)  # keys already in this body
    after: list[str] = field(default_factory=list)  # words of the clause before the cursor


@dataclass
class _Frame:
    kind: str  # top, service, or a statement kind
    start: int
    clause: list[Token] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)


def context_at(text: str, offset: int) -> Context:
    """The context of the cursor at `offset`: read from the text up to it only
    (and, for the service's end, on to the `}` that closes it)."""
    words = tokens(text, 0, offset)
    stack = [_Frame("top", 0)]
    line_of_offset = text.count("\n", 0, offset)
    pending_kind = None  # the statement (or service) whose `{` comes next
    services = 0  # the services opened so far
    string = None  # the string token the cursor is in
    for index, token in enumerate(words):
        if token.start >= offset:
            break
        if token.kind == "comment" and token.end >= offset:
            return Context("comment")
        if token.kind == "string" and token.end >= offset and not (token.end == offset and _closed(token)):
            string = token  # tokens end at the cursor: this one is cut there, or unterminated
            break
        if token.end >= offset and token.kind in ("name", "number"):
            break  # the word being typed: not part of the clause yet
        frame = stack[-1]
        if token.kind == "comment":
            continue
        if token.text == "{":
            pending_kind = _clause_kind(frame)
            services += pending_kind == "service"
            stack.append(_Frame(pending_kind or "unknown", token.end))
            continue
        if token.text == "}":
            if len(stack) > 1:
                stack.pop()
            stack[-1].clause = []
            continue
        if token.text == ";":
            frame.clause = []
            continue
        if _starts_clause(frame, token, words, index):
            frame.clause = []
        frame.clause.append(token)
        if token.kind == "name" and len(frame.clause) == 1:
            frame.keys.add(token.text)
    prefix_start = offset
    while prefix_start > 0 and NAME_CHARS.fullmatch(text[prefix_start - 1]):
        prefix_start -= 1
    context = _place(stack, line_of_offset, words, offset)
    context.prefix = text[prefix_start:offset]
    context.prefix_start = prefix_start
    if string is not None:
        owner = context if context.place == "value" else Context("string")
        context = Context("string", kind=owner.kind, key=owner.key, prefix=text[string.start:offset],
                          prefix_start=string.start,
                          string_end=_TOKEN.match(text, string.start).end())  # not cut at the cursor
    service = next((frame for frame in stack if frame.kind == "service"), None)
    if service is not None:
        context.service_number = services - 1
        context.service_start = service.start
        depth = len(stack) - 1 - stack.index(service)
        context.service_end = _closing(text, offset, depth)
    return context


def _closed(token: Token) -> bool:
    return len(token.text) > 1 and token.text.endswith('"') and not token.text.endswith('\\"')


def _starts_clause(frame: _Frame, token: Token, words: list[Token], index: int) -> bool:
    """Whether `token` begins a new statement or attribute: a statement
    keyword or a key (a name before `:`) that is the first word of its line."""
    if not frame.clause or token.kind != "name":
        return False
    previous = frame.clause[-1]
    if previous.line == token.line or previous.text in (",", ":"):
        return False
    if frame.kind == "service" and token.text in STATEMENT_KEYWORDS:
        return True
    following = _next(words, index)
    return following is not None and following.text == ":"


def _next(words: list[Token], index: int) -> Token | None:
    for later in range(index + 1, len(words)):
        if words[later].kind != "comment":
            return words[later]
    return None


def _closing(text: str, offset: int, depth: int) -> int | None:
    """The offset of the `}` that closes the service, from `offset` where the
    cursor is `depth` braces inside the service's."""
    for match in _TOKEN.finditer(text, offset):
        word = match.group()
        if word == "{":
            depth += 1
        elif word == "}":
            if depth == 0:
                return match.start()
            depth -= 1
    return None


def _clause_kind(frame: _Frame) -> str | None:
    """What the `{` after the frame's clause opens."""
    first = frame.clause[0].text if frame.clause else None
    if frame.kind == "top":
        return "service"
    if frame.kind == "service" and first in STATEMENT_KEYWORDS:
        return first
    return None


def _place(stack: list[_Frame], cursor_line: int, words, offset: int) -> Context:
    frame = stack[-1]
    clause = frame.clause
    after = [token.text for token in clause]
    if frame.kind == "top":
        return Context("top", after=after)
    if frame.kind == "unknown":
        return Context("none")
    new_line = not clause or (clause[-1].line < cursor_line and clause[-1].text not in (",", ":"))
    if new_line:
        return Context("statement" if frame.kind == "service" else "key",
                       kind="service" if frame.kind == "service" else frame.kind,
                       used_keys=set(frame.keys))
    first = clause[0]
    if len(clause) >= 2 and clause[1].text == ":":
        # The last key of the clause: `basis: contract, consent: opt_in` is
        # a slip the parser reports, but the user is writing consent's value.
        key = next(clause[number - 1].text for number in range(len(clause) - 1, 0, -1)
                   if clause[number].text == ":")
        kind = "service" if frame.kind == "service" else frame.kind
        return Context("value", kind=kind, key=key, after=after)
    if frame.kind == "service" and first.text in PARTS:
        return _statement_place(first.text, clause[1:], after)
    if frame.kind == "service":
        return Context("statement", kind="service", used_keys=set(frame.keys))
    return Context("key", kind=frame.kind, used_keys=set(frame.keys))


def _statement_place(kind: str, rest: list[Token], after: list[str]) -> Context:
    """Which part of statement `kind` the words `rest` (after the keyword) lead to."""
    parts = PARTS[kind]
    part = parts[0][0]
    leads = {word: name for name, word in parts if word}
    last_word = None
    for token in rest:
        if token.kind == "name" and token.text in leads:
            part = leads[token.text]
        elif token.kind == "name" and kind == "retain" and token.text == INDEFINITELY:
            part = "period"
        last_word = token
    if last_word is None:
        return Context("part", kind=kind, key=part, after=after)
    if last_word.text == "," or last_word.text in leads:
        return Context("part", kind=kind, key=part, after=after)
    if part == "duration" and last_word.kind == "number":
        return Context("unit", kind=kind, key=part, after=after)
    return Context("connective", kind=kind, key=part, after=after)
