"""The prose between two versions of a bound text: DIFF010 and DIFF011.

Blocks are aligned by what they say, not where they are: a block whose
words (without a leading section number) appear in the other version is
unchanged wherever it moved, and a re-extraction that changed only markup
(`1. **ACCOUNT**` to `**1. ACCOUNT**`) changes nothing. The blocks left on
each side are paired by similarity (rapidfuzz), in order; a pair is a
changed block, shown word by word, and the rest are added or removed.

- DIFF010, at the quoting statement: a block a quote of the new declaration
  covered in the old text changed or disappeared, whether the quote still
  matches or not. A warning; an error when the passage is on a topic whose
  severity is error.
- DIFF011, in the new text: a block added or changed on a watched topic
  that no quote of the new declaration covers; the topic's severity.
"""

from __future__ import annotations

from dataclasses import dataclass

from tospolicy.binding.blocks import Block
from tospolicy.binding.quotes import covered_blocks
from tospolicy.binding.topics import revealed
from tospolicy.binding.words import changes as word_changes, render
from tospolicy.checks.text_quotes import quotes_of
from tospolicy.diff.change import REGRESSION, Change
from tospolicy.language.model import Span

QUOTE_CHANGED = "DIFF010"
UNQUOTED_PASSAGE = "DIFF011"
# Blocks left unpaired on each side past which pairing stops (it compares
# every pair): the rest are reported as added and removed.
MAX_PAIRED = 400
MIN_SIMILARITY = 60


@dataclass(frozen=True)
class BlockChange:
    kind: str  # "changed" | "added" | "removed"
    old: Block | None
    new: Block | None

    @property
    def parts(self) -> tuple:
        return tuple(word_changes(self.old.text if self.old else "", self.new.text if self.new else ""))

    def words(self) -> str:
        return render(self.parts)


def align(old: list[Block], new: list[Block]) -> list[BlockChange]:
    """The blocks that changed between two versions, in the new version's order."""
    from rapidfuzz import fuzz  # imported when two texts differ

    remaining: dict[str, int] = {}
    for block in old:
        remaining[block.key] = remaining.get(block.key, 0) + 1
    unchanged_new = []
    for block in new:
        if remaining.get(block.key, 0) > 0:
            remaining[block.key] -= 1
            unchanged_new.append(True)
        else:
            unchanged_new.append(False)
    kept: dict[str, int] = {}
    for block, same in zip(new, unchanged_new):
        if same:
            kept[block.key] = kept.get(block.key, 0) + 1
    left_old = []
    for block in old:
        if kept.get(block.key, 0) > 0:
            kept[block.key] -= 1
        else:
            left_old.append(block)
    left_new = [block for block, same in zip(new, unchanged_new) if not same]
    out: list[BlockChange] = []
    taken: set[int] = set()
    for block in left_new:
        best, score = None, MIN_SIMILARITY
        if len(left_new) <= MAX_PAIRED and len(left_old) <= MAX_PAIRED:
            for number, candidate in enumerate(left_old):
                if number in taken:
                    continue
                similarity = fuzz.ratio(block.key, candidate.key, score_cutoff=score)
                if similarity > score:
                    best, score = number, similarity
        if best is None:
            out.append(BlockChange("added", None, block))
        else:
            taken.add(best)
            out.append(BlockChange("changed", left_old[best], block))
    out.extend(BlockChange("removed", block, None)
               for number, block in enumerate(left_old) if number not in taken)
    return out


def _span(display: str, block: Block) -> Span:
    return Span(display, block.line, block.column, block.end_line, block.end_column)


def prose_changes(old_declaration, new_declaration, old_binding, new_binding, topics) -> list[Change]:
    """DIFF010 and DIFF011 for every text the new declaration's services bind."""
    if new_declaration is None or new_binding is None:
        return []
    olds = {service.name.value: number
            for number, service in enumerate(old_declaration.services if old_declaration else ())}
    found: list[Change] = []
    for number, service in enumerate(new_declaration.services):
        old_texts = old_binding.of(olds[service.name.value]) \
            if old_binding is not None and service.name.value in olds else []
        before = {text.given: text for text in old_texts if text.blocks is not None}
        quotes = [(node, quote) for node in (service, *service.statements) for quote in quotes_of(node)]
        for text in new_binding.of(number):
            previous = before.get(text.given)
            if text.blocks is None or previous is None or previous.digest == text.digest:
                continue
            found += _text_changes(service, text, previous, quotes, topics)
    return found


def _text_changes(service, text, previous, quotes, topics) -> list[Change]:
    changed = align(previous.blocks, text.blocks)
    if not changed:
        return []
    gone = {id(change.old): change for change in changed if change.old is not None}
    out: list[Change] = []
    for node, quote in quotes:
        for index in covered_blocks(quote.value, previous.blocks):
            change = gone.get(id(previous.blocks[index]))
            if change is None:
                continue
            severity = "error" if _severe(change, topics) else "warning"
            if change.new is None:
                what = f"disappeared from {text.display}"
            else:
                still = "still matches" if covered_blocks(quote.value, [change.new]) else "no longer matches"
                what = f"changed at {text.display}:{change.new.line} (the quote {still})"
            lead = f"the passage this statement quotes {what}"
            out.append(Change(
                QUOTE_CHANGED, REGRESSION, severity, service.name.value,
                f"quote of {node.identity}", f"{lead}: {change.words()}",
                _span(previous.display, change.old), quote.span,
                _identity(service, node), lead, change.parts))
            break
    covered = {index for _, quote in quotes for index in covered_blocks(quote.value, text.blocks)}
    positions = {id(block): index for index, block in enumerate(text.blocks)}
    for change in changed:
        if change.new is None or positions[id(change.new)] in covered:
            continue
        about = revealed(topics, change.new.normalised)
        if not about:
            continue
        severity = "error" if any(item.topic.severity == "error" for item in about) else "warning"
        kind = "added" if change.kind == "added" else "changed"
        topics_said = "; ".join(item.describe() for item in about)
        lead = f"a passage on {topics_said} was {kind} and no statement quotes it"
        out.append(Change(
            UNQUOTED_PASSAGE, REGRESSION, severity, service.name.value,
            f"text {text.display}", f"{lead}: {change.words()}",
            _span(previous.display, change.old) if change.old else None,
            _span(text.display, change.new),
            f"service {service.name.value} / {text.display}: {change.new.key[:80]}",
            lead, change.parts))
    return out


def _severe(change: BlockChange, topics) -> bool:
    blocks = [block for block in (change.old, change.new) if block is not None]
    return any(item.topic.severity == "error"
               for block in blocks for item in revealed(topics, block.normalised))


def _identity(service, node) -> str:
    if node is service:
        return service.identity
    return f"{service.identity} / {node.identity}"
