"""CORE001: a statement names data that its service does not declare."""

from __future__ import annotations

from tospolicy.language.model import Name
from tospolicy.checks.protocol import WITH_RULES, Hit
from tospolicy.findings import Fix
from tospolicy.language.suggestions import suggest
from tospolicy.support.suggest import suggesting

NAME = "undeclared-data"
PHASE = WITH_RULES


def hits(declaration, context):
    for item in context.written:
        if item.spec is None or item.spec.value != "data":
            continue
        declared = context.index(item.service).data
        for value in item.values:
            if isinstance(value, Name) and value.value not in declared:
                close = suggest(value.value, sorted(declared))
                yield Hit(value.span,
                          f"'{value.value}' is not declared in this service" + suggesting(close),
                          item.node, item.service, fix=Fix(value.span, close[0]) if close else None)
