"""The words and matching the topics share: values as a message shows them,
the terms in a value, and statements paired by what they are about."""

from __future__ import annotations

import itertools
from collections import defaultdict

from tospolicy.language.model import Boolean, Date, Duration, Name, Span, Text, items_of

# How many terms a message lists before "and N more".
MAX_LISTED = 12

# Values longer than this are cut in messages (notes can be paragraphs).
MAX_VALUE_CHARS = 80


def scalar_text(value) -> str:
    if isinstance(value, Text):
        return f'"{value.value}"'
    if isinstance(value, Boolean):
        return "yes" if value.value else "no"
    if isinstance(value, Date):
        return value.value.isoformat()
    if isinstance(value, Duration):
        return str(value)
    return str(value.value)


def value_text(value) -> str:
    text = ", ".join(scalar_text(item) for item in items_of(value))
    if len(text) <= MAX_VALUE_CHARS:
        return text
    return text[:MAX_VALUE_CHARS - 1] + ('…"' if text.startswith('"') else "…")


def same_values(first, second) -> bool:
    """Equal values, whatever their order and spans: reordering changes nothing."""
    return sorted(map(scalar_text, items_of(first))) == sorted(map(scalar_text, items_of(second)))


def terms_in(value) -> list[str]:
    """The names (and strings) in a value, in order, without repeats."""
    seen: dict[str, None] = {}
    for item in items_of(value):
        if isinstance(item, (Name, Text)):
            seen.setdefault(item.value, None)
    return list(seen)


def listing(items) -> str:
    """Items (a list or an ordered set) joined with commas; a long list ends
    with "and N more"."""
    shown = ", ".join(itertools.islice(items, MAX_LISTED))
    return shown if len(items) <= MAX_LISTED else f"{shown} and {len(items) - MAX_LISTED} more"


def first_term(value) -> str | None:
    terms = terms_in(value)
    return terms[0] if terms else None


def is_yes(value) -> bool:
    return isinstance(value, Boolean) and value.value


def unique_names(names) -> list[str]:
    return list(dict.fromkeys(name.value for name in names))


def purposes_span(statement) -> Span:
    return statement.purposes[0].span.to(statement.purposes[-1].span)


def spans_of(before, after, key) -> tuple[Span, Span]:
    """Where an attribute is in each version (the statement when it is absent)."""
    old, new = before.attribute(key), after.attribute(key)
    return (old.span if old else before.span), (new.span if new else after.span)


def use_key(statement) -> tuple:
    return frozenset(unique_names(statement.data)), frozenset(unique_names(statement.purposes))


def match_statements(old: list, new: list, key) -> tuple[list[tuple], list, list]:
    """Statements with the same key in both versions (in order), and the rest of each."""
    waiting: dict[tuple, list] = defaultdict(list)
    for statement in old:
        waiting[key(statement)].append(statement)
    matched, new_rest = [], []
    for statement in new:
        candidates = waiting.get(key(statement))
        if candidates:
            matched.append((candidates.pop(0), statement))
        else:
            new_rest.append(statement)
    paired = {id(before) for before, _ in matched}
    return matched, [statement for statement in old if id(statement) not in paired], new_rest


def by_data(statements) -> dict[str, list]:
    """Statements by the data they mention, in order."""
    result: dict[str, list] = defaultdict(list)
    for statement in statements:
        for name in unique_names(statement.data):
            result[name].append(statement)
    return result


def purposes_by_data(statements) -> dict[str, dict[str, None]]:
    """The purposes of each data set, in order, as an ordered set."""
    result: dict[str, dict[str, None]] = defaultdict(dict)
    for statement in statements:
        for name, purpose in data_purpose_pairs(statement):
            result[name][purpose] = None
    return result


def data_purpose_pairs(statement) -> list[tuple[str, str]]:
    """A use's or commitment's (data, purpose) pairs."""
    return [(name, purpose) for name in unique_names(statement.data) for purpose in unique_names(statement.purposes)]
