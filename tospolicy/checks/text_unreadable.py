"""TEXT002: a `text:` document that cannot be read, at the path in the declaration."""

from __future__ import annotations

from tospolicy.checks.protocol import WITH_RULES, Hit


NAME = "unreadable-texts"
PHASE = WITH_RULES


def hits(declaration, context):
    binding = context.binding
    if binding is None:
        return
    for number, service in enumerate(declaration.services):
        for text in binding.of(number):
            if text.problem is not None:
                yield Hit(text.span, f"the text cannot be read: {text.problem}", service, service)
