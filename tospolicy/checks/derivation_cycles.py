"""CORE010: data derived from itself, through a cycle of `derived_from`."""

from __future__ import annotations

from tospolicy.checks.protocol import WITH_RULES, Hit

NAME = "derivation-cycles"
PHASE = WITH_RULES


def hits(declaration, context):
    for service in declaration.services:
        for cycle in context.index(service).derivation_cycles():
            first = cycle[0]
            attribute = first.attribute("derived_from")
            path = " -> ".join(data.name.value for data in (*cycle, first))
            yield Hit(attribute.span if attribute else first.span,
                      f"data '{first.name.value}' is derived from itself: {path}",
                      first, service)
