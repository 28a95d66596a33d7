"""CORE003: an attribute the statement does not take, with suggestions."""

from __future__ import annotations

from tospolicy.language.attributes import attribute_table
from tospolicy.checks.protocol import WITH_RULES, Hit
from tospolicy.support.words import statements_phrase
from tospolicy.findings import Fix
from tospolicy.language.suggestions import suggest
from tospolicy.support.suggest import suggesting

NAME = "unknown-attributes"
PHASE = WITH_RULES


def hits(declaration, context):
    table = attribute_table()
    for item in context.written:
        if item.spec is None:
            kind = item.node.kind
            close = suggest(item.name, sorted(table[kind].attributes), "attributes")
            span = item.attribute.key_span
            yield Hit(span, f"unknown attribute '{item.name}' for {statements_phrase(kind)}"
                      + suggesting(close), item.node, item.service,
                      fix=Fix(span, close[0]) if close else None)
