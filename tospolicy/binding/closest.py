"""Where a quote that is no longer in the text went: the closest passage.

Similarity only *shows* the reader where to look; it never makes a quote
match. rapidfuzz finds the block most like the quote (partial ratio: the
best-aligned stretch of the block) and the stretch itself; the difference
is then shown word by word.
"""

from __future__ import annotations

from dataclasses import dataclass

from tospolicy.binding.blocks import Block
from tospolicy.binding.normalise import ELLIPSIS, normalise
from tospolicy.binding.words import changes, render

# Below this score (0-100) nothing in the text is like the quote.
MIN_SCORE = 50
# Blocks longer than this are compared by their start only (bounded time).
MAX_BLOCK_CHARS = 20_000


@dataclass(frozen=True)
class Closest:
    block: Block
    passage: str  # the stretch of the block most like the quote
    difference: str  # word by word, `[-old-]{+new+}`
    score: float


def closest(quote: str, blocks: list[Block]) -> Closest | None:
    """The passage most like `quote`, or None when nothing is alike."""
    from rapidfuzz import fuzz, process  # imported when a quote is not found

    wanted = " ".join(part.strip() for part in ELLIPSIS.split(normalise(quote)) if part.strip())
    if not wanted or not blocks:
        return None
    choices = [block.normalised[:MAX_BLOCK_CHARS] for block in blocks]
    best = process.extractOne(wanted, choices, scorer=fuzz.partial_ratio, score_cutoff=MIN_SCORE)
    if best is None:
        return None
    _, score, number = best
    block = blocks[number]
    alignment = fuzz.partial_ratio_alignment(wanted, choices[number])
    passage = _whole_words(choices[number], alignment.dest_start, alignment.dest_end)
    return Closest(block, passage, render(changes(wanted, passage)), score)


def _whole_words(text: str, start: int, end: int) -> str:
    """The stretch widened to whole words."""
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return text[start:end].strip()
