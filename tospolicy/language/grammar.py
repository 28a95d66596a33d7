"""Loading the Lark grammars in `grammar/`, with their parser tables cached.

Building the LALR tables takes a good part of a second; loading them from the
cache takes milliseconds, which matters for a linter started on every commit.
The cache file's name carries a digest of the grammar, the Lark version and the
Python version, so a change to any of them builds fresh tables.

The parser's fast path keeps its own copy of the tables, as plain JSON, so
that a run over valid files does not even import Lark (`fast_tables`).
"""

from __future__ import annotations

import hashlib
import json
import sys
from typing import TYPE_CHECKING, Callable

from tospolicy.support.resources import cache_dir, resource
from tospolicy.support.files import write_file

if TYPE_CHECKING:
    import lark


def load_grammar(filename: str, **options) -> lark.Lark:
    """An LALR parser with the contextual lexer for `grammar/<filename>`."""
    import lark

    path = resource("grammar", filename)
    text = path.read_text(encoding="utf-8")
    cache = _cache_file(filename, text, options)
    return lark.Lark(
        text,
        parser="lalr",
        lexer="contextual",
        cache=cache or False,
        **options,
    )


def fast_tables(filename: str, version: int, derive: Callable[[], dict | None]) -> dict | None:
    """The fast path's tables for `grammar/<filename>`, cached as JSON.

    `derive` makes them (from Lark's parser) when the cache has none for this
    grammar text and table format `version`. They depend on nothing else:
    every Lark builds equivalent LALR tables from the same grammar.
    """
    text = resource("grammar", filename).read_text(encoding="utf-8")
    folder = cache_dir()
    path = None
    if folder is not None:
        digest = hashlib.sha256(f"{version}\0{text}".encode("utf-8")).hexdigest()[:20]
        path = folder / f"{filename.rsplit('.', 1)[0]}-{digest}.fast.json"
        try:
            tables = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(tables, dict) and tables.get("format") == version:
                return tables
        except (OSError, ValueError):
            pass
    tables = derive()
    if tables is not None and path is not None:
        try:
            write_file(path, json.dumps(tables), force=True)
        except OSError:
            pass  # no cache this time; the next run tries again
    return tables


def _cache_file(filename: str, text: str, options: dict) -> str | None:
    import lark

    folder = cache_dir()
    if folder is None:
        return None
    # Callbacks and the post-lexer are objects of this process; the tables do
    # not depend on them (Lark leaves them out of its own check too).
    hashed_options = sorted((key, repr(value)) for key, value in options.items()
                            if key not in ("transformer", "lexer_callbacks", "postlex"))
    key = "\0".join([text, repr(hashed_options), lark.__version__, sys.version])
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]
    stem = filename.rsplit(".", 1)[0]
    return str(folder / f"{stem}-{digest}.lark-cache")
