"""CORE003: an attribute the statement does not take, with suggestions."""

from __future__ import annotations

from tospolicy.language.attributes import attribute_table
from tospolicy.checks import Hit, statements_word
from tospolicy.findings import Fix
from tospolicy.language.suggestions import suggest, wording


def check(declaration, context):
    table = attribute_table()
    for item in context.written:
        if item.spec is None:
            kind = item.node.kind
            close = suggest(item.name, sorted(table[kind].attributes), "attributes")
            span = item.attribute.key_span
            yield Hit(span, f"unknown attribute '{item.name}' for {statements_word(kind)}"
                      + wording(close), item.node, item.service,
                      fix=Fix(span, close[0]) if close else None)
