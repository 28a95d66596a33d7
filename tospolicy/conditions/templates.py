"""Message templates, compiled once per rule: `{path}` is replaced by the
value there, and nothing else is evaluated (a pack's message is never code).

tospolicy adds `{path|one|several}`, a word that agrees with the number of
values at the path (`{data} {data|is|are} personal data`), so that a finding
on several data sets reads as English."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from tospolicy.conditions.paths import PathError, refuse_unknown_everywhere, resolve
from tospolicy.conditions.tree import ConditionError
from tospolicy.conditions.values import show

# A message after substitution: `{label}` 10,000 times over a label of 99,000
# characters made a report of 990 MB. Longer messages are cut here.
MESSAGE_MAX_LENGTH = 2_000

_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
_PATH_TEXT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*\Z")
# `{data|is|are}`: the first word when the path holds at most one value, the
# second when it holds several ("posts, public_info are personal data").
_AGREEMENT = re.compile(r"([^|]+)\|([^|{}]*)\|([^|{}]*)\Z")

Template = Callable[[object, object], str]


def compile_template(text: str, kinds: str | tuple[str, ...]) -> Template:
    """A message: `{path}` is replaced by the value there, and nothing else is evaluated.

    Values are joined with `, `; a missing value reads `unspecified`. `{{` and
    `}}` stand for braces. `{path|one|several}` is the word `one` when the
    path holds at most one value and `several` otherwise. For a rule that selects several kinds, a path one
    of them does not have reads `unspecified` on it.
    """
    if isinstance(kinds, str):
        return _template(text, kinds)
    if len(kinds) == 1:
        return _template(text, kinds[0])
    table = {}
    absent: list[dict[int, str]] = []
    for kind in kinds:
        missing: dict[int, str] = {}
        table[kind] = _template(text, kind, missing)
        absent.append(missing)
    refuse_unknown_everywhere(absent, kinds)
    return lambda node, index: table[node.kind](node, index)


def constant_template(text: str) -> Template:
    """A message that is `text` as it is (a rule without `message:` reports its summary)."""
    return lambda node, index: text


def _template(text: str, kind: str, absent: dict[int, str] | None = None) -> Template:
    pieces: list[str | Callable] = []
    position = 0
    for match in _PLACEHOLDER.finditer(text):
        pieces.append(text[position:match.start()])
        position = match.end()
        token = match.group()
        if token in ("{{", "}}"):
            pieces.append(token[0])
            continue
        if token in ("{", "}"):
            raise ConditionError(f"unmatched '{token}' in message (write '{token * 2}' for a brace)",
                                 match.start())
        inner = match.group(1)
        words = _AGREEMENT.match(inner)
        if words:
            inner = words.group(1)
        if not _PATH_TEXT.match(inner):
            raise ConditionError(
                f"'{{{inner}}}' is not a path: a message substitutes {{path}} only", match.start())
        try:
            pieces.append(resolve(kind, inner))
        except PathError as error:
            if absent is not None and error.segment == 0:
                absent[match.start() + 1] = inner.split(".")[0]
                pieces.append(_agreeing(lambda node, index: (), words))
                continue
            offset = match.start() + 1 + sum(len(p) + 1 for p in inner.split(".")[:error.segment])
            raise ConditionError(error.message, offset) from None
        if words:
            pieces[-1] = _agreeing(pieces[-1], words)
    pieces.append(text[position:])
    parts = [piece for piece in pieces if piece != ""]

    def render(node, index) -> str:
        out, length = [], 0
        for piece in parts:
            if isinstance(piece, str):
                out.append(piece)
            elif isinstance(piece, _Agreement):
                out.append(piece.word(node, index))
            else:
                values = piece(node, index)
                out.append(", ".join(show(value) for value in values) if values else "unspecified")
            length += len(out[-1])
            if length > MESSAGE_MAX_LENGTH:  # stop substituting: the rest would be cut anyway
                return "".join(out)[:MESSAGE_MAX_LENGTH - 1] + "…"
        return "".join(out)

    return render


@dataclass(unsafe_hash=True)
class _Agreement:
    """A word that agrees with the number of values at a path."""

    path: Callable
    one: str
    several: str

    def word(self, node, index) -> str:
        return self.several if len(self.path(node, index)) > 1 else self.one


def _agreeing(path, words) -> Callable | _Agreement:
    return _Agreement(path, words.group(2), words.group(3)) if words else path
