"""Word-level differences: what a reader must see of a changed passage.

`changes` pairs the words of two passages (difflib on words: the longest
matching runs, so a short edit in a long passage reads as that edit); the
renderers show them as `[-old-]{+new+}` (plain text, as `git diff
--word-diff` does) or `~~old~~ **new**` (Markdown), with a few words of
context around each change and the rest elided.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

CONTEXT_WORDS = 4
# Past this many words a side, passages are compared by their changed
# stretch only (difflib is quadratic in the worst case).
MAX_WORDS = 5_000


@dataclass(unsafe_hash=True)
class Change:
    """A stretch of words: the same in both (`kind` "same"), or old → new."""

    kind: str  # "same" | "changed"
    old: tuple[str, ...]
    new: tuple[str, ...]


def changes(old: str, new: str) -> list[Change]:
    old_words, new_words = old.split(), new.split()
    if len(old_words) > MAX_WORDS or len(new_words) > MAX_WORDS:
        return [Change("changed", tuple(old_words[:MAX_WORDS]), tuple(new_words[:MAX_WORDS]))]
    matcher = difflib.SequenceMatcher(None, [_key(w) for w in old_words],
                                      [_key(w) for w in new_words], autojunk=False)
    out: list[Change] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        kind = "same" if tag == "equal" else "changed"
        out.append(Change(kind, tuple(old_words[i1:i2]), tuple(new_words[j1:j2])))
    return out


def changed_words(parts: list[Change]) -> tuple[list[str], list[str]]:
    """The words removed and the words added, each in order."""
    removed = [word for part in parts if part.kind == "changed" for word in part.old]
    added = [word for part in parts if part.kind == "changed" for word in part.new]
    return removed, added


def render(parts, style: str = "text", context: int = CONTEXT_WORDS, escape=None) -> str:
    """The changes with `context` words around each; `style` "text" or
    "markdown" (then every word goes through `escape`, which makes the
    document's own characters inert)."""
    escape = escape or _escape_markdown
    shown: list[str] = []
    for number, part in enumerate(parts):
        if part.kind == "same":
            words = list(part.new)  # as the newer passage writes them
            first, last = number == 0, number == len(parts) - 1
            if len(words) > 2 * context + 1 or ((first or last) and len(words) > context):
                head = [] if first else words[:context]
                tail = [] if last else words[-context:]
                words = [*head, "…", *tail]
            shown.extend(escape(word) if style == "markdown" and word != "…" else word
                         for word in words)
            continue
        shown.append(_changed(part, style, escape))
    return " ".join(word for word in shown if word)


# Past this many words, a side of a change is shown by its start: a passage
# added whole is read in the text, not in a one-line message.
MAX_SHOWN = 40


def _shorten(words: tuple[str, ...]) -> str:
    if len(words) <= MAX_SHOWN:
        return " ".join(words)
    return " ".join(words[:MAX_SHOWN]) + f" … ({len(words) - MAX_SHOWN} more words)"


def _changed(part: Change, style: str, escape) -> str:
    old, new = _shorten(part.old), _shorten(part.new)
    if style == "markdown":
        old = escape(old)
        new = escape(new)
        return " ".join(filter(None, (f"~~{old}~~" if old else "", f"**{new}**" if new else "")))
    return (f"[-{old}-]" if old else "") + (f"{{+{new}+}}" if new else "")


def _escape_markdown(text: str) -> str:
    """Text from a document shown inside Markdown: its own markup is not read."""
    for char in "\\`*_~[]<>|#!":
        text = text.replace(char, "\\" + char)
    return text


def _key(word: str) -> str:
    """Words compare without case and the punctuation around them: a comma
    added after a word does not change the word."""
    return word.casefold().strip(".,;:!?\"'()[]")
