"""The canonical order of attributes: the attribute table's, then `cite`, `quote`, `note`, `regions`.

The table is `rules/attributes.yaml` (its order is LANGUAGE.md's, the 0.2 rows
after the 0.1 rows). A key the table does not know (a misspelling CORE003
reports) comes last; keys that sort equal (a repeated key) keep the order
they were written in, so the first of them is still the one rules read.
"""

from __future__ import annotations

from functools import lru_cache

from tospolicy.language.attributes import attribute_table

# What every statement and the service take, written after their own keys.
LAST_KEYS = ("cite", "quote", "note", "regions")


@lru_cache(maxsize=None)
def _ranks(kind: str) -> dict[str, int]:
    spec = attribute_table().get(kind)
    own = [key for key in (spec.attributes if spec else ()) if key not in LAST_KEYS]
    ranks = {key: rank for rank, key in enumerate(own)}
    for number, key in enumerate(LAST_KEYS):
        ranks[key] = len(own) + number
    return ranks


def ordered_attributes(kind: str, attributes: tuple) -> list:
    """`attributes` of a `kind` statement (or `service`) in the canonical order."""
    ranks = _ranks(kind)
    unknown = len(ranks)
    return sorted(attributes, key=lambda attribute: ranks.get(attribute.key, unknown))
