"""CORE003: an attribute the statement does not take, with suggestions."""

from __future__ import annotations

from tospolicy.language.attributes import attribute_table
from tospolicy.checks.protocol import WITH_RULES, Hit
from tospolicy.support.words import statements_phrase
from tospolicy.support.suggest import did_you_mean

NAME = "unknown-attributes"
PHASE = WITH_RULES


def hits(declaration, context):
    table = attribute_table()
    for item in context.written:
        if item.spec is None:
            kind = item.node.kind
            yield Hit(item.attribute.key_span,
                      f"unknown attribute '{item.name}' for {statements_phrase(kind)}"
                      + did_you_mean(item.name, table[kind].attributes, count=3),
                      item.node, item.service)
