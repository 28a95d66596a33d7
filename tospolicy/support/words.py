"""Phrases that count things, written once so every message agrees."""

from __future__ import annotations


def plural(count: int, word: str, plural_form: str | None = None) -> str:
    """`1 finding`, `2 findings`; `plural_form` for words that do not take an s."""
    return f"{count} {word if count == 1 else plural_form or word + 's'}"
