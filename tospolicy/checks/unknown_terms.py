"""CORE002: a purpose, data category, region, right, subject or event the taxonomy
does not know, with the nearest known terms."""

from __future__ import annotations

from tospolicy.language.model import Name
from tospolicy.checks.protocol import WITH_RULES, Hit
from tospolicy.findings import Fix
from tospolicy.language.suggestions import suggest
from tospolicy.support.suggest import suggesting

# Suggestions cost a millisecond each (a fuzzy match against every term of the
# kind): one file gets them for this many distinct unknown terms, so that a
# declaration of 100,000 made-up terms is still checked in seconds.
MAX_SUGGESTED = 200
# How a term of each taxonomy kind is called in a message.
TERM_WORDS = {"purposes": "purpose", "categories": "data category", "regions": "region",
              "rights": "right", "subjects": "subject", "events": "event", "consent": "consent"}

NAME = "unknown-terms"
PHASE = WITH_RULES


def hits(declaration, context):
    taxonomy = context.taxonomy
    suggestions: dict[tuple[str, str], list[str]] = {}
    for item in context.written:
        if item.spec is None or item.spec.value != "term":
            continue
        kind = item.spec.terms
        for value in item.values:
            if isinstance(value, Name) and not taxonomy.knows(kind, value.value):
                message = f"unknown {TERM_WORDS.get(kind, kind)} '{value.value}'"
                key = (kind, value.value)
                if key not in suggestions and len(suggestions) < MAX_SUGGESTED:
                    suggestions[key] = suggest(
                        value.value, taxonomy.terms.get(kind, {}), kind,
                        closest=lambda word, kind=kind: taxonomy.suggest(kind, word))
                close = suggestions.get(key) or []
                message += suggesting(close)
                yield Hit(value.span, message, item.node, item.service,
                          fix=Fix(value.span, close[0]) if close else None)
