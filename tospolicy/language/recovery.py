"""Lark's parse with error recovery, for files the fast path gave up on.

Lark parses the file with the same grammar and model builder. On a syntax
error the parser reports it in plain words, skips to the next statement
keyword or closing brace (panic-mode recovery, see `_Recovery`), and carries
on, so one run lists every syntax error of a file without a cascade of
follow-on errors. Only files with errors come here, so Lark is imported only
when one does (start-up time matters).
"""

from __future__ import annotations

import re

from lark import Token
from lark.exceptions import UnexpectedCharacters, UnexpectedToken
from lark.parsers.lalr_interactive_parser import InteractiveParser

from tospolicy import limits
from tospolicy.findings import SYNTAX_ERROR, Finding, Fix
from tospolicy.language.grammar import load_grammar
from tospolicy.language.model import Declaration, Name, Number, Span
from tospolicy.language.syntax import GRAMMAR, KEYWORDS, SERVICE_ATTRIBUTES, STATEMENT_KEYWORDS, ParseResult
from tospolicy.support.suggest import did_you_mean

_TOKEN_WORDS = {
    "NAME": "a name",
    "STRING": "a string",
    "NUMBER": "a number",
    "DATE": "a date",
    "$END": "end of file",
}


class RecoveringParser:
    """Lark's LALR parser for the grammar, with the model builder as its transformer."""

    def __init__(self, builder):
        self.builder = builder
        self.lark = load_grammar(
            GRAMMAR,
            transformer=builder,
            lexer_callbacks=builder.lexer_callbacks(),
            postlex=_NamesEverywhere(),
        )
        self.literals = {
            terminal.name: terminal.pattern.value
            for terminal in self.lark.terminals
            if terminal.pattern.type == "str"
        }

    def parse(self, text: str, path: str) -> ParseResult:
        self.builder.reset(path, text)
        session = _Recovery(self, text, path)
        services = session.run()
        problems = session.errors + [
            Finding(SYNTAX_ERROR, "error", message, span) for message, span in self.builder.problems
        ]
        problems.sort(key=lambda finding: finding.sort_key)
        del problems[limits.MAX_SYNTAX_ERRORS:]
        if problems:
            return ParseResult(None, problems)
        return ParseResult(Declaration(path, services, tuple(self.builder.comments)))

    def describe(self, terminal: str, token: Token | None = None) -> str:
        """A terminal in words: `'data'`, `':'`, `a name`, `name 'foo'`."""
        if terminal in self.literals:
            return f"'{self.literals[terminal]}'"
        if token is None:
            return _TOKEN_WORDS.get(terminal, terminal)
        if terminal == "NAME":
            return f"name '{token}'"
        if terminal == "STRING":
            shown = token if len(token) <= 40 else token[:37] + '..."'
            return f"string {shown}"
        if terminal in ("NUMBER", "DATE"):
            return f"{terminal.lower()} {token}"
        return _TOKEN_WORDS.get(terminal, repr(str(token)))


class _NamesEverywhere:
    """Lets the contextual lexer see names in every parser state.

    A state that takes only keywords (after `30`, only units) would otherwise
    lex `dayz` as the unit `day` followed by the name `z`. With NAME always
    among the candidates, Lark lexes the whole word as a name and turns it
    into a keyword only when it is one exactly.
    """

    always_accept = ("NAME",)

    def process(self, stream):
        return stream


def _one_of(words: list[str]) -> str:
    if len(words) == 1:
        return words[0]
    return "one of " + ", ".join(words)


# A small scanner for recovery: it finds where the next statement starts,
# seeing strings and comments as single units so their braces do not count.
_SCAN = re.compile(
    r'(?P<string>"(?:[^"\\\n]|\\.)*"?)|(?P<comment>#[^\n]*)|(?P<open>\{)|(?P<close>\})'
    r"|(?P<word>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)(?P<key>[ \t]*:)?|(?P<newline>\n)"
    r'|[^"#{}A-Za-z_\n]+'
)
_SYNC_WORDS = {"service": "SERVICE", **{word: word.upper() for word in STATEMENT_KEYWORDS}}


class _Recovery:
    """One parse of one text, resuming after each syntax error.

    After an error it skips to a synchronising point, a statement keyword or a
    `}` that closes a block opened before the error, pops the parser's stack
    until the state accepts that token, and continues lexing from there.
    """

    def __init__(self, parser: RecoveringParser, text: str, path: str):
        self.parser = parser
        self.text = text
        self.path = path
        self.errors: list[Finding] = []
        self.interactive: InteractiveParser = parser.lark.parse_interactive(text)
        self.state = self.interactive.parser_state
        self.lexer = self.interactive.lexer_thread

    def run(self):
        state = self.state
        feed = state.feed_token
        last_error_at = -1
        while len(self.errors) < limits.MAX_SYNTAX_ERRORS:
            try:
                for token in self.lexer.lex(state):
                    feed(token)
                last = self.lexer.state.last_token
                end = Token.new_borrow_pos("$END", "", last) if last else Token("$END", "", 0, 1, 1)
                return feed(end, True)
            except UnexpectedToken as error:
                if error.token.type == "$END":
                    self.errors.append(self._at_end(error))
                    return ()
                position = error.token.start_pos
                self.errors.append(self._unexpected_token(error))
            except UnexpectedCharacters as error:
                # Resume after the bad character: for an unterminated string,
                # the rest of its line is more likely code than string.
                position = error.pos_in_stream + 1
                self.errors.append(self._unexpected_characters(error))
            if position <= last_error_at:  # no progress: skip what failed
                position = last_error_at + 1
            last_error_at = position
            if not self._resync(position):
                return ()
        return ()

    # -- recovery

    def _resync(self, position: int) -> bool:
        """Move to the next point where parsing can resume; False at end of file."""
        text = self.text
        depth = 0
        line_start = True
        for match in _SCAN.finditer(text, position):
            kind = match.lastgroup
            if kind == "newline":
                line_start = True
                continue
            if kind is None or kind == "comment":
                if kind is None and not match.group().isspace():
                    line_start = False
                continue
            at_start, line_start = line_start, False
            sync = None
            if kind == "open":
                depth += 1
            elif kind == "close":
                if depth == 0:
                    sync = ("RBRACE",)
                else:
                    depth -= 1
            elif kind == "key":
                # `name:` at the start of a line begins an attribute.
                if depth == 0 and at_start and match.start() > position:
                    sync = ("NAME", "_COLON")
            elif depth == 0 and match.group("word") in _SYNC_WORDS:
                if match.start() > position or at_start:
                    sync = (_SYNC_WORDS[match.group()],)
            if sync and self._pop_until_accepted(sync, match.start()):
                self._move_lexer(match.start())
                return True
        return False

    def _pop_until_accepted(self, terminals: tuple[str, ...], position: int) -> bool:
        """Pop parser states until one can take `terminals`; False if none can."""
        state = self.state
        probe_conf = _without_callbacks(state.parse_conf)
        for depth in range(len(state.state_stack), 0, -1):
            probe = state.copy(deepcopy_values=False)
            probe.parse_conf = probe_conf
            del probe.state_stack[depth:]
            del probe.value_stack[depth - 1:]
            try:
                for terminal in terminals:
                    probe.feed_token(Token(terminal, "", position, 1, 1))
            except UnexpectedToken:
                continue
            del state.state_stack[depth:]
            del state.value_stack[depth - 1:]
            return True
        return False

    def _move_lexer(self, position: int) -> None:
        counter = self.lexer.state.line_ctr
        text = self.text
        line_start = text.rfind("\n", 0, position) + 1
        counter.char_pos = position
        counter.line = text.count("\n", 0, position) + 1
        counter.line_start_pos = line_start
        counter.column = position - line_start + 1

    # -- messages

    def _span(self, line: int, column: int, end_line: int, end_column: int) -> Span:
        return Span(self.path, line, column, end_line, end_column)

    def _token_span(self, token: Token) -> Span:
        return self._span(token.line, token.column, token.end_line, token.end_column)

    def _accepts(self) -> list[str]:
        interactive = InteractiveParser(self.interactive.parser, self.state, self.lexer)
        return sorted(interactive.accepts())

    def _unexpected_token(self, error: UnexpectedToken) -> Finding:
        token = error.token
        accepts = self._accepts()
        describe = self.parser.describe
        found = describe(token.type, token)
        stack = self.state.value_stack
        previous = stack[-1] if stack else None
        if accepts == ["_COLON"] and isinstance(previous, Name):
            states = self.state.parse_conf.states
            in_service_body = "DATA" in states[self.state.state_stack[-2]]
            if in_service_body and previous.value not in SERVICE_ATTRIBUTES:
                message = f"unknown statement '{previous.value}': expected one of " + ", ".join(
                    STATEMENT_KEYWORDS
                )
                message += did_you_mean(previous.value, STATEMENT_KEYWORDS)
                return Finding(SYNTAX_ERROR, "error", message, previous.span)
            return Finding(
                SYNTAX_ERROR, "error",
                f"expected ':' after attribute name '{previous.value}', found {found}",
                self._token_span(token),
            )
        expected = sorted(describe(terminal) for terminal in accepts)
        is_keyword = token in KEYWORDS
        open_brace = self._innermost_open()
        if is_keyword:
            found = f"'{token}'"
        if isinstance(previous, Number) and token.type == "NAME":
            message = (f"unknown unit '{token}' after a number: expected hours, days, "
                       "weeks, months or years")
        elif (token in STATEMENT_KEYWORDS and "RBRACE" in accepts and open_brace is not None
                and open_brace.type == "LBRACE"):
            message = (f"expected '}}' before '{token}': the '{{' at "
                       f"{open_brace.line}:{open_brace.column} is not closed")
        elif token.type == "RBRACE" and open_brace is None:
            message = "unexpected '}': no block is open here"
        elif is_keyword and "NAME" in accepts:
            message = f"unexpected keyword '{token}': keywords cannot be used as names"
        else:
            message = f"unexpected {found}: expected {_one_of(expected)}"
        return Finding(SYNTAX_ERROR, "error", message, self._token_span(token))

    def _innermost_open(self) -> Token | None:
        """The last `{` or `[` the parser has read and not yet seen closed."""
        closed = 0
        for value in reversed(self.state.value_stack):
            if isinstance(value, Token):
                if value.type in ("RBRACE", "RSQB"):
                    closed += 1
                elif value.type in ("LBRACE", "LSQB"):
                    if not closed:
                        return value
                    closed -= 1
        return None

    def _at_end(self, error: UnexpectedToken) -> Finding:
        token = error.token
        line, column = token.end_line or 1, token.end_column or 1
        if token.end_line is None:
            line, column = 1, 1
        span = self._span(line, max(column - 1, 1), line, max(column, 1))
        value = self._innermost_open()
        if value is not None:
            return Finding(
                SYNTAX_ERROR, "error",
                f"unexpected end of file: '{value}' at {value.line}:{value.column} is never closed",
                span,
            )
        expected = sorted(self.parser.describe(terminal) for terminal in self._accepts())
        return Finding(SYNTAX_ERROR, "error", f"unexpected end of file: expected {_one_of(expected)}", span)

    def _unexpected_characters(self, error: UnexpectedCharacters) -> Finding:
        text, position = self.text, error.pos_in_stream
        line, column = error.line, error.column
        char = text[position]
        if char == '"':
            return self._bad_string(position, line, column)
        number = re.match(r"[0-9][0-9A-Za-z_.\-]*", text[position:position + 80])
        if number:
            word = number.group()
            message = f"'{word}' is not a number, date or duration"
            if re.search(r"[0-9][A-Za-z]", word):
                message += " (write a space between a number and its unit)"
            return Finding(SYNTAX_ERROR, "error", message,
                           self._span(line, column, line, column + len(word)))
        hyphenated = self._hyphenated(position, line, column) if char == "-" else None
        if hyphenated is not None:
            return hyphenated
        shown = repr(char) if char.isprintable() else f"U+{ord(char):04X}"
        return Finding(SYNTAX_ERROR, "error", f"unexpected character {shown}",
                       self._span(line, column, line, column + 1))

    def _hyphenated(self, position: int, line: int, column: int) -> Finding | None:
        """`opt-in` for `opt_in`: a name with `-` between its words, and the fix."""
        text = self.text
        start = position
        while start > 0 and (text[start - 1].isascii() and (text[start - 1].isalnum()
                                                              or text[start - 1] in "_.-")):
            start -= 1
        end = position
        while end < len(text) and end - start < 256 and text[end].isascii() and (
                text[end].isalnum() or text[end] in "_.-"):
            end += 1
        word = text[start:end]
        if start == position or end == position + 1 or not re.fullmatch(r"[A-Za-z_][\w.-]*\w", word):
            return None
        meant = word.replace("-", "_")
        span = self._span(line, column - (position - start), line, column + (end - position))
        return Finding(SYNTAX_ERROR, "error",
                       f"'{word}' is not a name: names join their words with '_', not '-' "
                       f"(did you mean '{meant}'?)", span, fix=Fix(span, meant))

    def _bad_string(self, position: int, line: int, column: int) -> Finding:
        text = self.text
        index = position + 1
        while index < len(text) and text[index] not in '"\n\r':
            if text[index] == "\\":
                escape = re.match(r'\\(["\\nt]|u[0-9A-Fa-f]{4})', text[index:index + 6])
                if not escape:
                    shown = text[index:index + 2].rstrip("\r\n")
                    offset = index - position
                    return Finding(
                        SYNTAX_ERROR, "error",
                        f"invalid escape '{shown}' in string (use \\\", \\\\, \\n, \\t or \\uXXXX)",
                        self._span(line, column + offset, line, column + offset + len(shown)),
                    )
                index += len(escape.group())
                continue
            index += 1
        end = column + (index - position)
        return Finding(SYNTAX_ERROR, "error", "unterminated string: a string ends with '\"' on the same line",
                       self._span(line, column, line, max(end, column + 1)))


def _without_callbacks(conf):
    from copy import copy

    probe = copy(conf)
    probe.callbacks = {}
    return probe
