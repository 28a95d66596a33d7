"""Phrases that several messages build the same way, written once so every
message agrees: counts with their plural, and the statements a rule or a
path is about."""

from __future__ import annotations


def plural(count: int, word: str, plural_form: str | None = None) -> str:
    """`1 finding`, `2 findings`; `plural_form` for words that do not take an s."""
    return f"{count} {word if count == 1 else plural_form or word + 's'}"


def statements_phrase(kinds: str | tuple[str, ...]) -> str:
    """`use statements`, `use or share statements`, `the service`, `the service
    or data statements`: what a rule that selects `kinds` is about."""
    kinds = (kinds,) if isinstance(kinds, str) else kinds
    names = [kind for kind in kinds if kind != "service"]
    words = " or ".join(names) + " statements" if names else ""
    if "service" in kinds:
        return "the service" + (f" or {words}" if words else "")
    return words
