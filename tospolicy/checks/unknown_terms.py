"""CORE002: a purpose, data category, region, right, subject or event the taxonomy
does not know, with the nearest known terms."""

from __future__ import annotations

from ..model import Name
from . import Hit, written

# How a term of each taxonomy kind is called in a message.
TERM_WORDS = {"purposes": "purpose", "categories": "data category", "regions": "region",
              "rights": "right", "subjects": "subject", "events": "event", "consent": "consent"}


def check(declaration, context):
    taxonomy = context.taxonomy
    for item in written(declaration):
        if item.spec is None or item.spec.value != "term":
            continue
        kind = item.spec.terms
        for value in item.values:
            if isinstance(value, Name) and not taxonomy.knows(kind, value.value):
                message = f"unknown {TERM_WORDS.get(kind, kind)} '{value.value}'"
                close = taxonomy.suggest(kind, value.value)
                if close:
                    message += " (did you mean " + " or ".join(f"'{term}'" for term in close) + "?)"
                yield Hit(value.span, message, item.node, item.service)
