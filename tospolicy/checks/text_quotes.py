"""TEXT001: a quote that does not appear in the service's texts, with the
closest passage (file:line) and, word by word, how it differs."""

from __future__ import annotations

from tospolicy.binding.closest import closest
from tospolicy.binding.quotes import covered_blocks
from tospolicy.binding.texts import text_values
from tospolicy.checks.protocol import WITH_RULES, Hit
from tospolicy.language.model import Text, items_of


def quotes_of(node):
    """The quotes a statement or service gives (strings only: CORE004 reports the rest)."""
    return [value for value in items_of(node.value("quote")) if isinstance(value, Text)]


NAME = "quotes"
PHASE = WITH_RULES


def hits(declaration, context):
    binding = context.binding
    if binding is None:
        return
    for number, service in enumerate(declaration.services):
        texts = [text for text in binding.of(number) if text.blocks is not None]
        if not texts or len(texts) < len(text_values(service)):
            continue  # no text, or one TEXT002 reports: a quote may be in the unread one
        for node in (service, *service.statements):
            for quote in quotes_of(node):
                if not quote.value.strip(" .…"):
                    yield Hit(quote.span, "the quote is empty", node, service)
                    continue
                if any(covered_blocks(quote.value, text.blocks) for text in texts):
                    continue
                yield Hit(quote.span, _message(quote.value, texts), node, service)


def _message(quote: str, texts) -> str:
    names = ", ".join(text.display for text in texts)
    if len(quote.split("...")) > 1 or "…" in quote:
        where = f"its fragments do not appear in that order within one block of {names}"
    else:
        where = f"it does not appear in {names}"
    best = None
    for text in texts:
        found = closest(quote, text.blocks)
        if found is not None and (best is None or found.score > best[1].score):
            best = (text, found)
    if best is None:
        return f"quote not found: {where}; nothing in the text is like it"
    text, found = best
    return (f"quote not found: {where}; the closest passage is at "
            f"{text.display}:{found.block.line}: {found.difference}")
