"""One plain form for the text as a reader sees it, and for quotes of it.

Quotes are matched exactly after this and nothing looser: Unicode NFKC
(full-width letters, ligatures, no-break spaces, `…` becomes `...`),
typographic quotes, apostrophes and dashes folded to their plain forms,
invisible characters (soft hyphens, zero-width spaces) dropped, runs of
whitespace collapsed to one space, and case folded.
"""

from __future__ import annotations

import re
import unicodedata

_FOLDED = str.maketrans({
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u02bc", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
    **dict.fromkeys("\u00ad\u200b\u200c\u200d\u2060\ufeff", None),
})

# The fragments of a quote: `…` is `...` after NFKC.
ELLIPSIS = re.compile(r"\.{3,}")

# A leading section or list number: `27.`, `10.2`, `(a)`, `iv.`. Texts
# renumber their sections, so blocks are compared without it.
_LEADING_NUMBER = re.compile(r"^(?:\(?\d+(?:\.\d+)*[.)]?|\([a-z]{1,4}\)|[a-z]\)|[ivx]{1,5}\.)\s+")


def plain(text: str) -> str:
    """`text` normalised but for its case: what `tospolicy quote` shows."""
    text = unicodedata.normalize("NFKC", text).translate(_FOLDED)
    return " ".join(text.split())


def normalise(text: str) -> str:
    """`text` in the one plain form quotes and blocks are compared in."""
    return plain(text).casefold()


def fragments(quote: str) -> list[str]:
    """The normalised fragments of a quote, in order (empty ones dropped)."""
    return [part.strip() for part in ELLIPSIS.split(normalise(quote)) if part.strip()]


def without_number(normalised: str) -> str:
    """A normalised block without its leading section number, if any."""
    return _LEADING_NUMBER.sub("", normalised, count=1)
