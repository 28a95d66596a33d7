"""TEXT004: a quote in a service that names no `text:`: nothing to check it against."""

from __future__ import annotations

from tospolicy.binding.texts import text_values
from tospolicy.checks.protocol import WITH_RULES, Hit
from tospolicy.checks.text_quotes import quotes_of


NAME = "unbound-quotes"
PHASE = WITH_RULES


def hits(declaration, context):
    for service in declaration.services:
        if service.attribute("text") is not None and text_values(service):
            continue
        for node in (service, *service.statements):
            for quote in quotes_of(node):
                yield Hit(quote.span, f"{service.identity} names no text: this quote cannot be "
                          "checked (add text: \"path/to/terms.md\" to the service)", node, service)
                break
