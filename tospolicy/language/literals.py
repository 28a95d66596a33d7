"""String literals of the language: their escapes decoded, and text encoded
back into a literal (the declarations an import writes)."""

from __future__ import annotations

import re

_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}(?:\\u[0-9A-Fa-f]{4})?|.)")
_SIMPLE_ESCAPES = {'"': '"', "\\": "\\", "n": "\n", "t": "\t"}


def encode_string(text: str) -> str:
    """`text` as a string literal of the language, the inverse of `decode_string`.

    Quotes, backslashes and line breaks are escaped, and so is every control or
    line-separator character, so the literal stays on one line and readable. A
    lone surrogate is escaped too, which the parser then rejects: such text has
    no literal.
    """
    out = []
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif code < 0x20 or 0x7F <= code < 0xA0 or 0xD800 <= code <= 0xDFFF or char in "\u2028\u2029":
            out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def decode_string(body: str) -> str:
    """Decode the escapes of a string literal's body (without its quotes)."""

    def replace(match: re.Match) -> str:
        escape = match.group(1)
        if escape[0] != "u":
            return _SIMPLE_ESCAPES[escape]
        code = int(escape[1:5], 16)
        if 0xD800 <= code <= 0xDBFF and len(escape) == 11:
            low = int(escape[7:11], 16)
            if 0xDC00 <= low <= 0xDFFF:
                return chr(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00))
        if 0xD800 <= code <= 0xDFFF:
            raise ValueError(f"'\\u{escape[1:5]}' is half of a surrogate pair, not a character")
        return chr(code) + (decode_string(escape[5:]) if len(escape) > 5 else "")

    if "\\" not in body:
        return body
    return _ESCAPE.sub(replace, body)
