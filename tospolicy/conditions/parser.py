"""A condition's text to its syntax tree (tree.py), bounded.

Conditions come from rule packs, which anyone can write, so parsing is
bounded: nesting deeper than the limit (`limits.max-nesting-depth`, by
default MAX_DEPTH: parentheses, `not not …`, or definitions referring to
definitions) is an error, found before anything could recurse, and so is a
condition longer than MAX_LENGTH. The grammar (grammar/condition.lark) is
then parsed by larkparser.py.
"""

from __future__ import annotations

from tospolicy.conditions.tree import MAX_DEPTH, ConditionError, nested_too_deep
from tospolicy.limits import CEILINGS

MAX_LENGTH = 20_000


def parse_condition(text: str, max_depth: int = MAX_DEPTH):
    """The syntax tree of a condition; ConditionError when it is not one.

    `max_depth` is capped at its ceiling: compiling and evaluating recurse
    once per level."""
    max_depth = min(max_depth, CEILINGS.max_nesting_depth)
    _check_nesting(text, max_depth)
    if len(text) > MAX_LENGTH:
        raise ConditionError(f"condition is longer than {MAX_LENGTH} characters")
    # Imported here, not at the top: it imports Lark, which a run whose packs
    # come from the pack cache never needs (start-up time).
    from tospolicy.conditions.larkparser import parse

    return parse(text, max_depth)


def _check_nesting(text: str, max_depth: int) -> None:
    """Brackets nested deeper than `max_depth` are refused before parsing."""
    depth = 0
    quote = None
    for offset, char in enumerate(text):
        if quote:
            if char == quote:
                quote = None
            elif char == "\\" and quote == '"':
                continue
        elif char in "\"'":
            quote = char
        elif char in "([{":
            depth += 1
            if depth > max_depth:
                raise ConditionError(nested_too_deep("brackets are", max_depth), offset)
        elif char in ")]}":
            depth -= 1
