""""Did you mean …?": the known words closest to one that is not known.

Every message that suggests a word builds it here, so that suggestions are
found the same way everywhere: a word that differs only in case comes first,
then difflib's closest matches (similarity ratio 0.6 or more), best first.
"""

from __future__ import annotations

import difflib
from typing import Iterable

CUTOFF = 0.6


def close_matches(word: str, options: Iterable[str], count: int = 1) -> list[str]:
    """Up to `count` of `options` closest to `word`, best first."""
    options = [str(option) for option in options]
    # Exactly the same text counts too: a pack's `1` where the schema wants "1".
    same_but_case = [option for option in options if option.lower() == word.lower()]
    close = difflib.get_close_matches(word, options, n=count, cutoff=CUTOFF)
    return list(dict.fromkeys(same_but_case + close))[:count]


def did_you_mean(word: str, options: Iterable[str], count: int = 1, sigil: str = "") -> str:
    """` (did you mean 'a' or 'b'?)` for a message's end, or "" when nothing is close.

    `sigil` is written before each suggestion (`$` for a definition)."""
    return suggesting(close_matches(word, options, count), sigil)


def suggesting(close: list[str], sigil: str = "") -> str:
    """` (did you mean 'a' or 'b'?)` for suggestions already found, or ""."""
    if not close:
        return ""
    return " (did you mean " + " or ".join(f"'{sigil}{option}'" for option in close) + "?)"


def or_did_you_mean(word: str, options: Iterable[str]) -> str:
    """`; did you mean 'a'?` for a message that already ends in parentheses."""
    close = close_matches(word, options)
    return f"; did you mean '{close[0]}'?" if close else ""
