"""CORE001: a statement names data that its service does not declare."""

from __future__ import annotations

from tospolicy.language.model import Name
from tospolicy.checks import Hit
from tospolicy.findings import Fix
from tospolicy.language.suggestions import suggest, wording


def check(declaration, context):
    for item in context.written:
        if item.spec is None or item.spec.value != "data":
            continue
        declared = context.index(item.service).data
        for value in item.values:
            if isinstance(value, Name) and value.value not in declared:
                close = suggest(value.value, sorted(declared))
                yield Hit(value.span,
                          f"'{value.value}' is not declared in this service" + wording(close),
                          item.node, item.service, fix=Fix(value.span, close[0]) if close else None)
