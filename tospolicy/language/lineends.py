"""Line ends: LF, CRLF and a lone CR each end a line (LANGUAGE.md 0.2).

Editors show a lone CR (as classic Mac OS wrote) as a line end, so line
numbers, suppressions and findings must count it as one too: otherwise a
file with CR line ends is one line, and one suppression comment covers every
statement in it. The parser, the fast path, the recovery and the
fingerprints all count lines on text passed through `lf_line_ends`, which
keeps every offset: a lone CR becomes an LF, one character for one.
"""

from __future__ import annotations

import re

_LONE_CR = re.compile(r"\r(?!\n)")
_LINE_END_BYTES = re.compile(rb"\r\n?|\n")


def lf_line_ends(text: str) -> str:
    """`text` with each lone CR turned into an LF (same length, same offsets)."""
    return _LONE_CR.sub("\n", text) if "\r" in text else text


def lines_of(text: str) -> list[str]:
    """The lines of `text` as an editor shows them, without their line ends."""
    return [line.removesuffix("\r") for line in lf_line_ends(text).split("\n")]


def line_and_column_of(data: bytes, offset: int) -> tuple[int, int]:
    """The line (from 1) and byte of that line (from 1) of `offset` in `data`."""
    line, start = 1, 0
    for end in _LINE_END_BYTES.finditer(data):
        if end.end() > offset:  # past it, or a CRLF the offset cuts: its CR ends nothing yet
            break
        line, start = line + 1, end.end()
    return line, offset - start + 1
