"""Loading the Lark grammars in `grammar/`, with their parser tables cached.

Building the LALR tables takes a good part of a second; loading them from the
cache takes milliseconds, which matters for a linter started on every commit.
The cache file's name carries a digest of the grammar, the Lark version and the
Python version, so a change to any of them builds fresh tables.
"""

from __future__ import annotations

import hashlib
import sys

import lark

from .resources import cache_dir, resource


def load_grammar(filename: str, **options) -> lark.Lark:
    """An LALR parser with the contextual lexer for `grammar/<filename>`."""
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


def _cache_file(filename: str, text: str, options: dict) -> str | None:
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
