"""CORE001: a statement names data that its service does not declare."""

from __future__ import annotations

from tospolicy.language.model import Name
from tospolicy.checks.protocol import WITH_RULES, Hit
from tospolicy.support.suggest import did_you_mean

NAME = "undeclared-data"
PHASE = WITH_RULES


def hits(declaration, context):
    for item in context.written:
        if item.spec is None or item.spec.value != "data":
            continue
        declared = context.index(item.service).data
        for value in item.values:
            if isinstance(value, Name) and value.value not in declared:
                yield Hit(value.span,
                          f"'{value.value}' is not declared in this service"
                          + did_you_mean(value.value, declared, count=3),
                          item.node, item.service)
