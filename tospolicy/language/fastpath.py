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
terminals, tables, rules and which children they keep), so a change to the
grammar needs no change here. `FastPath.tables` writes it down as plain data,
which `grammars.fast_tables` caches: a run over valid files then needs no Lark
at all, not even its import. A grammar this loop cannot drive (a rule without
a builder method) makes `FastPath.create` return None, and every file takes
Lark's path.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Callable

from tospolicy.language.model import Span

if TYPE_CHECKING:
    from lark import Lark


class _GiveUp(Exception):
    """Something the fast path does not handle: let Lark parse the file."""


# The builder's methods that make a model value from a terminal's text and span.
TerminalMaker = Callable[[str, Span], object]


class Word(str):
    """A keyword or bracket some rule keeps: its text, its terminal and where it is.

    The model builder reads tokens through these attributes only, so it takes
    these and Lark's tokens alike.
    """

    __slots__ = ("type", "line", "column", "end_line", "end_column", "start_pos")


class FastPath:
    """Parses valid text with `tables` (see `FastPath.tables`) and the model builder."""

    # The layout of the tables `tables` derives; a change makes caches rebuild.
    FORMAT = 1

    def __init__(self, tables: dict, actions: dict, makers: dict, callbacks: dict):
        self._match = re.compile(tables["scanner"]).match
        self._blank = re.compile(tables["blank"] + "*") if tables["blank"] else None
        self._start = tables["start"]
        self._end = tables["end"]
        self._retype = tables["retype"]
        self._kept = frozenset(tables["kept"]) - set(makers)
        self._ignored = frozenset(tables["ignored"])
        self._multiline = frozenset(tables["multiline"])
        self._actions = actions
        self._makers = makers
        self._callbacks = callbacks

    @staticmethod
    def tables(lark: Lark) -> dict | None:
        """What the fast path needs of `lark`'s grammar, as plain (JSON) data.

        Everything comes from the Lark object: the terminals in the order its
        lexer tries them, the ignored ones, the LALR tables, and for each rule
        its length and which children Lark's child filter keeps or inlines.
        Some of it is Lark's internals: None if this Lark's are not what we
        read (every file then takes Lark's path, and a test says so).
        """
        try:
            return FastPath._tables(lark)
        except (AttributeError, KeyError, TypeError, ValueError, re.error):
            return None

    @staticmethod
    def _tables(lark: Lark) -> dict:
        from lark.lexer import PatternStr
        from lark.parsers.lalr_analysis import Shift

        table = lark.parser.parser.parser.parse_table
        lexer_conf = lark.lexer_conf
        terminals = list(lexer_conf.terminals)
        ignored = set(lexer_conf.ignore)

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
            if (terminal.name in ignored and terminal.name not in lexer_conf.callbacks
                    and re.fullmatch(r"\[[^\]]*\]\+", regexp) and not blank):
                blank = regexp[:-1]
                embedded.add(terminal.name)
        alternatives = sorted(
            (terminal for terminal in terminals if terminal.name not in embedded),
            key=lambda t: (-t.priority, -t.pattern.max_width, -len(t.pattern.value), t.name),
        )
        flags = any(terminal.pattern.flags for terminal in alternatives)
        scanner = (f"{blank}*(?!{blank})" if blank else "") + "(?:" + "|".join(
            f"(?P<{terminal.name}>{terminal.pattern.to_regexp()})" for terminal in alternatives
        ) + ")"

        rules = []
        index_of = {}
        kept = set()
        for rule in lark.rules:
            include = []
            for position, symbol in enumerate(rule.expansion):
                if symbol.is_term:
                    if rule.options.keep_all_tokens or not symbol.filter_out:
                        include.append((position, False))
                        kept.add(symbol.name)
                else:
                    include.append((position, symbol.name.startswith("_")))
            index_of[rule] = len(rules)
            rules.append((len(rule.expansion), include, rule.alias or rule.origin.name,
                          rule.origin.name))
        states = {
            str(state): {symbol: (arg, None) if action is Shift else (None, index_of[arg])
                         for symbol, (action, arg) in row.items()}
            for state, row in table.states.items()
        }
        return {
            "format": FastPath.FORMAT,
            "usable": not flags,  # regex flags per terminal do not fit one scanner
            "scanner": scanner,
            "blank": blank,
            "start": table.start_states["start"],
            "end": table.end_states["start"],
            "states": states,
            "rules": rules,
            "retype": retype,
            "kept": sorted(kept),
            "ignored": sorted(ignored),
            "multiline": sorted(terminal.name for terminal in terminals
                                if _may_match_newline(terminal.pattern.to_regexp())),
        }

    @classmethod
    def create(cls, tables: dict | None, builder, callbacks: dict,
               makers: dict[str, TerminalMaker]) -> FastPath | None:
        """The fast path over `tables`, or None if it cannot drive this grammar.

        `builder`'s rule methods build the model; `callbacks` are Lark's lexer
        callbacks (ignored terminals only); `makers` turn the text of NAME,
        STRING, … into model values.
        """
        if not tables or not tables["usable"] or set(callbacks) - set(tables["ignored"]):
            return None
        reducers = []
        for size, include, name, origin in tables["rules"]:
            method = getattr(builder, name, None)
            if method is None and not name.startswith("_"):
                return None  # Lark would build a tree here
            reducers.append((size, _reducer([tuple(item) for item in include], method, size), origin))
        actions = {
            int(state): {symbol: (target, None if rule is None else reducers[rule])
                         for symbol, (target, rule) in row.items()}
            for state, row in tables["states"].items()
        }
        return cls(tables, actions, makers, callbacks)

    def parse(self, text: str, path: str):
        """What the `start` rule's method returns for `text`, or None to let Lark parse it."""
        try:
            return self._parse(text, path)
        except (_GiveUp, KeyError):  # KeyError: no action for this token in this state
            return None  # (a builder bug that raised KeyError would show in Lark's parse)

    def _parse(self, text: str, path: str):
        actions = self._actions
        retype = self._retype
        makers = self._makers
        kept = self._kept
        ignored = self._ignored
        special = self._ignored | self._multiline
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
            if kind in special:  # ignored, or a terminal that may span lines
                if "\n" in value:
                    if kind not in ignored:
                        raise _GiveUp
                    line += value.count("\n")
                    line_start = start + value.rindex("\n") + 1
                    continue
                if kind in ignored:
                    callback = self._callbacks.get(kind)
                    if callback is not None:
                        word = _word(kind, value, line, column)
                        word.start_pos = start
                        callback(word)
                    continue
            row = actions[states[-1]]
            words = retype.get(kind)
            if words is not None:
                literal = words.get(value)
                if literal is not None and literal in row:
                    kind = literal
            maker = makers.get(kind)
            if maker is not None:
                shifted = maker(value, Span(path, line, column, line, column + len(value)))
            elif kind in kept:
                shifted = _word(kind, value, line, column)
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


_new_word = str.__new__


def _word(kind: str, value: str, line: int, column: int) -> Word:
    word = _new_word(Word, value)
    word.type = kind
    word.line = word.end_line = line
    word.column = column
    word.end_column = column + len(value)
    return word


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
