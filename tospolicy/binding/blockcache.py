"""The blocks of texts read before, kept between runs by the digest of their bytes.

Reading a 200 kB Markdown policy with markdown-it-py (pure Python) costs
more than checking a declaration; terms change far less often than
declarations. The blocks of a text are kept in the cache folder
(support/cache.py) under a digest of its bytes, the reader its name chooses
(Markdown, HTML or plain), and the installation (tospolicy's code and the
libraries that read texts): a text with other bytes, or read by other code,
is read again. An entry is data this code wrote; anything unexpected in it
is a miss.
"""

from __future__ import annotations

from tospolicy.binding.blocks import HTML_SUFFIXES, MARKDOWN_SUFFIXES, Block
from tospolicy.support import cache

FORMAT = 1
KEEP = 64  # texts kept: a repository binds a few; several repositories, a few each


def reader_of(name: str) -> str:
    lowered = name.lower()
    if lowered.endswith(MARKDOWN_SUFFIXES):
        return "markdown"
    if lowered.endswith(HTML_SUFFIXES):
        return "html"
    return "plain"


def _name(data: bytes, name: str) -> str:
    return f"blocks-{cache.digest(str(FORMAT), cache.installation(), reader_of(name), data)}.json"


def load(data: bytes, name: str) -> list[Block] | None:
    entry = cache.read_json(_name(data, name))
    if not isinstance(entry, dict) or entry.get("format") != FORMAT:
        return None
    try:
        return [Block(str(text), str(normalised), int(line), int(column), int(end_line),
                      int(end_column))
                for text, normalised, line, column, end_line, end_column in entry["blocks"]]
    except (KeyError, TypeError, ValueError):
        return None


def store(data: bytes, name: str, blocks: list[Block]) -> None:
    cache.write_json(_name(data, name), {
        "format": FORMAT,
        "blocks": [[block.text, block.normalised, block.line, block.column, block.end_line,
                    block.end_column] for block in blocks]}, keep=KEEP)


def topics_key(topics) -> str:
    """What decides which blocks reveal which topics: the topics' names and phrases."""
    return cache.digest(*(f"{topic.name}\0{sorted(topic.phrases.items())!r}" for topic in topics))


def load_revealed(digest: str, key: str) -> dict[int, list] | None:
    """The topics the blocks of the text with this digest reveal: block number ->
    [(topic name, words)], or None when unknown."""
    entry = cache.read_json(f"topics-{cache.digest(str(FORMAT), cache.installation(), digest, key)}.json")
    if not isinstance(entry, dict) or entry.get("format") != FORMAT:
        return None
    try:
        return {int(number): [(str(name), tuple(str(word) for word in words))
                              for name, words in found]
                for number, found in entry["blocks"].items()}
    except (AttributeError, KeyError, TypeError, ValueError):
        return None


def store_revealed(digest: str, key: str, revealed: dict[int, list]) -> None:
    cache.write_json(f"topics-{cache.digest(str(FORMAT), cache.installation(), digest, key)}.json",
                     {"format": FORMAT, "blocks": {str(number): [[name, list(words)]
                                                                 for name, words in found]
                                                   for number, found in revealed.items()}},
                     keep=KEEP)
