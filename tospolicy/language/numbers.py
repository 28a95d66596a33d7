"""Numbers as written in declarations and in pack conditions.

A number is at most 15 digits before its decimal point, below 10^15: no
count, duration or amount a declaration states comes near that, and every
such number is a float without loss. A longer one was an internal error
(Python refuses to convert an int of over 4,300 digits; a 400-digit duration
overflowed a float, printed `Infinity` in JSON and "for inf days" in diffs);
it is now a located syntax error.
"""

from __future__ import annotations

MAX_INTEGER_DIGITS = 15


def number_value(text: str) -> int | float:
    """The value of a NUMBER token (`30`, `2.5`); ValueError when it is too large."""
    whole = text.split(".", 1)[0].lstrip("0")
    if len(whole) > MAX_INTEGER_DIGITS:
        shown = text if len(text) <= 24 else f"{text[:20]}… ({len(text)} characters)"
        raise ValueError(f"number {shown} is too large: at most {MAX_INTEGER_DIGITS} digits "
                         "before the decimal point")
    return float(text) if "." in text else int(text)
