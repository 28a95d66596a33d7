"""CORE005: the same data name declared twice in one service."""

from __future__ import annotations

from tospolicy.checks.protocol import WITH_RULES, Hit

NAME = "duplicate-data"
PHASE = WITH_RULES


def hits(declaration, context):
    for service in declaration.services:
        first = context.index(service).data
        for statement in context.index(service).statements("data"):
            original = first[statement.name.value]
            if original is not statement:
                yield Hit(statement.name.span,
                          f"data '{statement.name.value}' is declared twice in this service "
                          f"(first on line {original.span.line})",
                          statement, service)
