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
MIN_SCORE = 60
# Blocks longer than this are compared by their start only (bounded time).
MAX_BLOCK_CHARS = 20_000


@dataclass(unsafe_hash=True)
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
    # A block much shorter than the quote is not where it went (partial
    # ratio would find the block inside the quote).
    shortest = len(wanted) * 0.6
    choices = {number: block.normalised[:MAX_BLOCK_CHARS] for number, block in enumerate(blocks)
               if len(block.normalised) >= shortest}
    best = process.extractOne(wanted, choices, scorer=fuzz.partial_ratio, score_cutoff=MIN_SCORE)
    if best is None:
        return None
    _, score, number = best
    block = blocks[number]
    alignment = fuzz.partial_ratio_alignment(wanted, choices[number])
    passage = _whole_words(choices[number], alignment.dest_start, alignment.dest_end)
    return Closest(block, passage, render(changes(wanted, passage)), score)


# A passage is widened to the end of its sentence, by no more than this many
# characters: a change at the end of a sentence ("… like Google Translate, Bard
# and Cloud AI capabilities.") is shown whole, not cut where the quote ended.
SENTENCE_REACH = 300
_SENTENCE_ENDS = ".;!?"


def _whole_words(text: str, start: int, end: int) -> str:
    """The stretch widened to whole words, then to the end of its sentence."""
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    if not text[start:end].rstrip().endswith(tuple(_SENTENCE_ENDS)):
        stop = min(len(text), end + SENTENCE_REACH)
        ends = [text.find(char + " ", end) for char in _SENTENCE_ENDS]
        ends = [found for found in ends if 0 <= found < stop]
        end = min(ends) + 1 if ends else (stop if stop == len(text) else end)
    return text[start:end].strip()
