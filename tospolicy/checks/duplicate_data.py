"""CORE005: the same data name declared twice in one service."""

from __future__ import annotations

from tospolicy.checks import Hit


def check(declaration, context):
    for service in declaration.services:
        first = context.index(service).data
        for statement in context.index(service).statements("data"):
            original = first[statement.name.value]
            if original is not statement:
                yield Hit(statement.name.span,
                          f"data '{statement.name.value}' is declared twice in this service "
                          f"(first on line {original.span.line})",
                          statement, service)
