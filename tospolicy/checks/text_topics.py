"""TEXT003: a block of a bound text on a watched topic that no quote covers.

The finding is located in the text file, at the block, so that code
scanning shows it on the terms; it names the topic and the words that
revealed it. Quotes of every statement and of the service count.
"""

from __future__ import annotations

from tospolicy.binding import blockcache
from tospolicy.binding.quotes import covered_blocks
from tospolicy.binding.topics import Revealed, revealed
from tospolicy.checks.protocol import WITH_RULES, Hit
from tospolicy.checks.text_quotes import quotes_of
from tospolicy.language.model import Span


NAME = "uncovered-topics"
PHASE = WITH_RULES


def hits(declaration, context):
    binding = context.binding
    if binding is None or not context.topics:
        return
    for number, service in enumerate(declaration.services):
        quotes = [quote.value for node in (service, *service.statements) for quote in quotes_of(node)]
        seen = set()
        for text in binding.of(number):
            if text.blocks is None or text.display in seen:
                continue
            seen.add(text.display)
            covered = {index for quote in quotes for index in covered_blocks(quote, text.blocks)}
            on_topics = topics_of(text, context.topics)
            for index, block in enumerate(text.blocks):
                topics = on_topics.get(index)
                if index in covered or not topics:
                    continue
                span = Span(text.display, block.line, block.column, block.end_line, block.end_column)
                about = "; ".join(found.describe() for found in topics)
                yield Hit(span, f"this passage speaks of {about}, and no quote of "
                          f"{service.identity} covers it: quote it in the statement that "
                          "declares it, or in the service to acknowledge it", service, service,
                          statement=f"{service.identity} / {text.display}: {block.key[:80]}")


def topics_of(text, topics) -> dict[int, list[Revealed]]:
    """Block number -> the topics it reveals, for every block of a text; kept
    in the cache by the text's digest (scanning a 200 kB policy for every
    phrase costs more than checking its declaration)."""
    key = blockcache.topics_key(topics) + blockcache.reader_of(text.display)
    by_name = {topic.name: topic for topic in topics}
    known = blockcache.load_revealed(text.digest, key) if text.digest else None
    if known is not None and all(name in by_name for found in known.values() for name, _ in found):
        return {number: [Revealed(by_name[name], words) for name, words in found]
                for number, found in known.items()}
    found = {}
    for number, block in enumerate(text.blocks):
        about = revealed(topics, block.normalised)
        if about:
            found[number] = about
    if text.digest:
        blockcache.store_revealed(text.digest, key, {
            number: [(item.topic.name, item.words) for item in about] for number, about in found.items()})
    return found
