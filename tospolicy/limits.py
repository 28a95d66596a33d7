"""Bounds on untrusted input, and reading untrusted files within them.

A pull request can add any file named `*.tos`: a binary, a file in another
encoding, a 100 MB file or a single 2 MB line. Each ends here in one `TOS002`
finding instead of a traceback, a hang or exhausted memory.

The limits are configurable (`limits:` in `.tospolicy.yml`, see
docs/configuration.md), but the configuration comes with the pull request
too: it can tighten every limit, and raise each only up to its ceiling
(`CEILINGS`, enforced by schemas/config.schema.json), a value at which one
file still cannot exhaust memory or the stack.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tospolicy.findings import UNREADABLE_FILE, Finding
from tospolicy.language.lineends import line_and_column_of, lines_of
from tospolicy.language.model import Span

# Past this many syntax errors in one file, the rest are unlikely to help.
MAX_SYNTAX_ERRORS = 100
# A rule pack or configuration file (YAML) is a few kilobytes; this bound is
# generous for any real one and small enough that none can exhaust memory.
MAX_YAML_BYTES = 4 * 1024 * 1024


@dataclass(unsafe_hash=True)
class Limits:
    """Bounds on input; `.tospolicy.yml` can change them (`limits:`).

    `max_nesting_depth` bounds conditions (brackets, `not`, definitions
    referring to definitions) and the YAML of rule packs;
    `max_findings_per_file` bounds what is reported for one file (the rest
    are counted in one note).
    """

    max_file_bytes: int = 16 * 1024 * 1024
    max_line_length: int = 100_000
    max_nesting_depth: int = 100
    max_findings_per_file: int = 1_000


# The highest values the configuration may set. Compiling and evaluating a
# condition recurse once per level: 200 levels stay well within Python's
# default recursion limit (tests/test_limits_cli.py runs them). A 32 MiB
# declaration is checked in about 1 GB.
CEILINGS = Limits(
    max_file_bytes=32 * 1024 * 1024,
    max_line_length=32 * 1024 * 1024,
    max_nesting_depth=200,
    max_findings_per_file=100_000,
)
# Their keys in `.tospolicy.yml`.
CONFIG_KEYS = {
    "max_file_bytes": "max-file-bytes",
    "max_line_length": "max-line-length",
    "max_nesting_depth": "max-nesting-depth",
    "max_findings_per_file": "max-findings-per-file",
}

DEFAULT_LIMITS = Limits()


def unreadable(display: str, message: str) -> Finding:
    """A `TOS002` finding at the top of the file: why it cannot be read."""
    return Finding(UNREADABLE_FILE, "error", message, Span.file_start(display))


def too_large(display: str, limits: Limits = DEFAULT_LIMITS) -> Finding:
    return unreadable(
        display,
        f"file is larger than the limit of {limits.max_file_bytes} bytes "
        "(limits.max-file-bytes in .tospolicy.yml)",
    )


def read_text_file(
    path: Path, display: str, limits: Limits = DEFAULT_LIMITS
) -> tuple[str | None, Finding | None]:
    """The file's text, or a `TOS002` finding saying why there is none."""
    data, problem = read_file_bytes(path, display, limits)
    if problem is not None:
        return None, problem
    return text_from_bytes(data, display, limits)


def read_file_bytes(
    path: Path, display: str, limits: Limits = DEFAULT_LIMITS
) -> tuple[bytes | None, Finding | None]:
    """At most one byte more than `max_file_bytes` of the file (so that
    `text_from_bytes` can tell it is too large), or a `TOS002` finding saying
    why it cannot be read."""
    from tospolicy.support.files import read_regular

    try:
        return read_regular(path, limits.max_file_bytes + 1), None
    except IsADirectoryError:
        return None, unreadable(display, "cannot read file: it is a folder")
    except OSError as error:
        return None, unreadable(display, f"cannot read file: {error.strerror or error}")


def text_from_bytes(
    data: bytes, display: str, limits: Limits = DEFAULT_LIMITS
) -> tuple[str | None, Finding | None]:
    """Bytes read from anywhere (a file, a git object) as text, or a `TOS002` finding."""
    if len(data) > limits.max_file_bytes:
        return None, too_large(display, limits)
    nul = data.find(b"\0")
    if nul >= 0:
        line, _ = line_and_column_of(data, nul)
        return None, unreadable(display, f"not a text file: NUL byte on line {line}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = line_and_column_of(data, error.start)
        return None, unreadable(
            display,
            f"not UTF-8 text: byte 0x{data[error.start]:02x} on line {line}, byte {column} of the line",
        )
    return text, None


def check_text(text: str, display: str, limits: Limits = DEFAULT_LIMITS) -> Finding | None:
    """A `TOS002` finding when decoded text is still too much to parse safely."""
    if len(text) > limits.max_line_length:
        for number, line in enumerate(lines_of(text), start=1):
            if len(line) > limits.max_line_length:
                return unreadable(
                    display,
                    f"line {number} is {len(line)} characters long, over the limit of "
                    f"{limits.max_line_length} (limits.max-line-length in .tospolicy.yml)",
                )
    if "\0" in text:
        line = len(lines_of(text[:text.index("\0")]))
        return unreadable(display, f"not a text file: NUL character on line {line}")
    return None
