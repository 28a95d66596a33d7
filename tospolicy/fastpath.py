"""The fast path: declarations without syntax errors, parsed by a loop of our own.

Most files a linter sees are valid, and on them Lark's general machinery (a
lexer object per parser state, a token object per word, a wrapper per rule)
costs most of the parse. For them this module drives the LALR tables that Lark
built from `grammar/tospolicy.lark` with one tight loop: one regular expression
made of the grammar's terminals, in the order Lark's lexer tries them, finds
the tokens; the tables say shift or reduce; reductions call the same model
builder that Lark calls, with the children Lark would pass.

Nothing here decides anything Lark would decide differently. A word is a
keyword exactly where Lark's contextual lexer would make it one: where it is
one of the grammar's literal words and the parser's state accepts that
keyword. At the first thing the loop does not expect (a character no terminal
matches, a token the state does not take, a problem the builder reports) it
gives up, and the parser reads the file again with Lark and its error
recovery, which finds every error and words it. So the fast path only ever
answers for valid files, and for them it answers what Lark would: the tests
compare both on every fixture and on generated declarations.

Everything is derived from the Lark parser object (terminals, ignored
terminals, lexer callbacks, tables, rules and which children they keep), so a
change to the grammar needs no change here. A grammar this loop cannot drive
(a rule without a builder method) makes `FastPath.build` return None, and
every file takes Lark's path.
"""

from __future__ import annotations

import re
from typing import Callable

from lark import Lark, Token
from lark.lexer import PatternStr
from lark.parsers.lalr_analysis import Shift

from .model import Span


class _GiveUp(Exception):
    """Something the fast path does not handle: let Lark parse the file."""


# The builder's methods that make a model value from a terminal's text and span.
TerminalMaker = Callable[[str, Span], object]


class FastPath:
    def __init__(self, scanner, blank, start, end, actions, retype, makers, kept, ignored,
                 callbacks, multiline):
        self._match = scanner.match
        self._blank = blank
        self._start = start
        self._end = end
        self._actions = actions
        self._retype = retype
        self._makers = makers
        self._kept = kept
        self._ignored = ignored
        self._callbacks = callbacks
        self._multiline = multiline

    @classmethod
    def build(cls, lark: Lark, builder, makers: dict[str, TerminalMaker]) -> FastPath | None:
        """The fast path for `lark`'s grammar, or None if it cannot drive it.

        `builder` is the transformer Lark was given (its rule methods build the
        model); `makers` turn the text of NAME, STRING, … into model values.
        """
        frontend = lark.parser
        table = frontend.parser.parser.parse_table
        lexer_conf = lark.lexer_conf
        terminals = list(lexer_conf.terminals)
        ignored = frozenset(lexer_conf.ignore)
        callbacks = dict(lexer_conf.callbacks)
        if set(callbacks) - ignored:
            return None

        # Literal words a regex terminal also matches (keywords, units) are not
        # alternatives of the scanner: like Lark, we lex them as that terminal
        # and retype them when the state accepts the literal.
        retype: dict[str, dict[str, str]] = {}
        embedded = set()
        for regex_terminal in terminals:
            if isinstance(regex_terminal.pattern, PatternStr):
                continue
            pattern = re.compile(regex_terminal.pattern.to_regexp())
            for literal in terminals:
                value = literal.pattern.value
                if (isinstance(literal.pattern, PatternStr)
                        and literal.priority == regex_terminal.priority
                        and pattern.fullmatch(value)):
                    retype.setdefault(regex_terminal.name, {})[value] = literal.name
                    embedded.add(literal.name)
        # Ignored whitespace (`[…]+`, no callback) is matched as the optional
        # start of the next token rather than as a token of its own; the
        # lookahead keeps the run as long as Lark's lexer would make it.
        blank = ""
        for terminal in terminals:
            regexp = terminal.pattern.to_regexp()
            if (terminal.name in ignored and terminal.name not in callbacks
                    and re.fullmatch(r"\[[^\]]*\]\+", regexp) and not blank):
                blank = regexp[:-1]
                embedded.add(terminal.name)
        alternatives = sorted(
            (terminal for terminal in terminals if terminal.name not in embedded),
            key=lambda t: (-t.priority, -t.pattern.max_width, -len(t.pattern.value), t.name),
        )
        if any(terminal.pattern.flags for terminal in alternatives):
            return None
        scanner = re.compile(
            (f"{blank}*(?!{blank})" if blank else "")
            + "(?:" + "|".join(
                f"(?P<{terminal.name}>{terminal.pattern.to_regexp()})" for terminal in alternatives
            ) + ")"
        )
        multiline = frozenset(
            terminal.name for terminal in terminals if _may_match_newline(terminal.pattern.to_regexp())
        )

        # Which shifted terminals some rule keeps (the others are never read).
        kept = set()
        reducers = {}
        for rule in lark.rules:
            include = []
            for index, symbol in enumerate(rule.expansion):
                if symbol.is_term:
                    if rule.options.keep_all_tokens or not symbol.filter_out:
                        include.append((index, False))
                        kept.add(symbol.name)
                else:
                    include.append((index, symbol.name.startswith("_")))
            name = rule.alias or rule.origin.name
            method = getattr(builder, name, None)
            if method is None and not name.startswith("_"):
                return None
            size = len(rule.expansion)
            reducers[rule] = (size, _reducer(include, method, size), rule.origin.name)

        # The tables, with each reduction's size, reducer and goto resolved.
        actions = {}
        for state, row in table.states.items():
            actions[state] = {
                symbol: (arg, None) if action is Shift else (None, reducers[arg])
                for symbol, (action, arg) in row.items()
            }
        return cls(scanner, re.compile(blank + "*") if blank else None,
                   table.start_states["start"], table.end_states["start"], actions, retype,
                   makers, frozenset(kept) - set(makers), ignored, callbacks, multiline)

    def parse(self, text: str, path: str):
        """What the `start` rule's method returns for `text`, or None to let Lark parse it."""
        try:
            return self._parse(text, path)
        except (_GiveUp, KeyError):  # KeyError: no action for this token in this state
            return None

    def _parse(self, text: str, path: str):
        actions = self._actions
        retype = self._retype
        makers = self._makers
        kept = self._kept
        ignored = self._ignored
        multiline = self._multiline
        match_at = self._match
        length = len(text)
        states = [self._start]
        values: list = []
        line, line_start, position = 1, 0, 0

        while position < length:
            match = match_at(text, position)
            if match is None:  # a character no terminal matches
                if self._blank is not None and self._blank.match(text, position).end() == length:
                    break  # only whitespace is left
                raise _GiveUp
            kind = match.lastgroup
            start, end = match.span(kind)
            if start != position:  # whitespace before the token
                newlines = text.count("\n", position, start)
                if newlines:
                    line += newlines
                    line_start = text.rindex("\n", position, start) + 1
            position = end
            value = match.group(kind)
            column = start - line_start + 1
            if kind in multiline and "\n" in value:
                if kind not in ignored:
                    raise _GiveUp
                line += value.count("\n")
                line_start = start + value.rindex("\n") + 1
                continue
            if kind in ignored:
                callback = self._callbacks.get(kind)
                if callback is not None:
                    callback(_token(kind, value, start, line, column))
                continue
            row = actions[states[-1]]
            words = retype.get(kind)
            if words is not None:
                literal = words.get(value)
                if literal is not None and literal in row:
                    kind = literal
            if kind in makers:
                shifted = makers[kind](value, Span(path, line, column, line, column + len(value)))
            elif kind in kept:
                shifted = _token(kind, value, start, line, column)
            else:
                shifted = None
            target, reduction = row[kind]
            while reduction is not None:  # reduce until the state shifts this token
                size, reduce, origin = reduction
                if size == 1:  # most reductions: replace the top value in place
                    values[-1] = reduce(values[-1])
                    state = actions[states[-2]][origin][0]
                    states[-1] = state
                else:
                    if size:
                        children = values[-size:]
                        del states[-size:]
                        del values[-size:]
                    else:
                        children = []
                    values.append(reduce(children))
                    state = actions[states[-1]][origin][0]
                    states.append(state)
                target, reduction = actions[state][kind]
            states.append(target)
            values.append(shifted)
        return self._accept(states, values)

    def _accept(self, states, values):
        """Reduce at the end of the text until the start rule is complete."""
        actions = self._actions
        while True:
            target, reduction = actions[states[-1]]["$END"]
            if reduction is None:
                raise _GiveUp
            size, reduce, origin = reduction
            if size == 1:
                value = reduce(values.pop())
                del states[-1]
            else:
                children = values[-size:] if size else []
                if size:
                    del states[-size:]
                    del values[-size:]
                value = reduce(children)
            states.append(actions[states[-1]][origin][0])
            values.append(value)
            if states[-1] == self._end:
                return value


_new_string = str.__new__


def _token(kind: str, value: str, start: int, line: int, column: int) -> Token:
    """A Lark token for a one-line terminal, made without Token's slower constructor."""
    token = _new_string(Token, value)
    token.type = kind
    token.value = value
    token.start_pos = start
    token.line = token.end_line = line
    token.column = column
    token.end_column = column + len(value)
    token.end_pos = start + len(value)
    return token


def _reducer(include: list[tuple[int, bool]], method, size: int):
    """The children Lark's child filter would keep, passed to `method`.

    Rules whose names start with `_` (and Lark's `__x_star` helpers) are
    inlined: their kept children become their parent's children, as in Lark.
    A reducer of a one-symbol rule takes that child itself, not a list.
    """
    if size == 1:
        if not include:  # a filtered token
            return (lambda child: []) if method is None else (lambda child: method([]))
        if include[0][1]:  # an inlined rule: its children are the children
            return (lambda child: child) if method is None else method
        return (lambda child: [child]) if method is None else (lambda child: method([child]))
    if all(not expand for _, expand in include):
        indices = [index for index, _ in include]
        if method is None:
            return lambda children: [children[index] for index in indices]
        return lambda children: method([children[index] for index in indices])

    def reduce(children):
        kept = []
        for index, expand in include:
            if expand:
                if kept:
                    kept += children[index]
                else:  # left recursion: grow the inner list in place
                    kept = children[index]
            else:
                kept.append(children[index])
        return kept if method is None else method(kept)

    return reduce


def _may_match_newline(regexp: str) -> bool:
    """Lark's own test of whether a terminal's pattern can span lines."""
    return "\n" in regexp or "\\n" in regexp or "\\s" in regexp or "[^" in regexp or (
        "(?s" in regexp and "." in regexp
    )
