"""Finding quotes in a text: exactly, after normalisation, never by similarity.

A quote's fragments (separated by `…` or `...`) must appear in that order
within one block, each as whole words: `train` is not found in `training`.
A quote covers every block it is found in (a passage a text repeats is
covered twice by one quote).
"""

from __future__ import annotations

from tospolicy.binding.blocks import Block
from tospolicy.binding.normalise import fragments


def _whole_words(text: str, start: int, fragment: str) -> bool:
    end = start + len(fragment)
    before = start == 0 or not (text[start - 1].isalnum() and fragment[0].isalnum())
    after = end == len(text) or not (text[end].isalnum() and fragment[-1].isalnum())
    return before and after


def _find_word(text: str, fragment: str, start: int) -> int:
    """Where `fragment` next appears from `start` as whole words, or -1."""
    while True:
        found = text.find(fragment, start)
        if found < 0 or _whole_words(text, found, fragment):
            return found
        start = found + 1


def in_block(parts: list[str], normalised: str) -> bool:
    """Whether the fragments `parts` appear, in order, in one normalised block."""
    position = 0
    for part in parts:
        found = _find_word(normalised, part, position)
        if found < 0:
            return False
        position = found + len(part)
    return True


def covered_blocks(quote: str, blocks: list[Block]) -> list[int]:
    """The indexes of the blocks the quote is found in (none for an empty quote)."""
    parts = fragments(quote)
    if not parts:
        return []
    first = parts[0]
    return [number for number, block in enumerate(blocks)
            if first in block.normalised and in_block(parts, block.normalised)]
