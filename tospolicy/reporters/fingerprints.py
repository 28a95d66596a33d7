"""Fingerprints that let code scanning follow a finding from commit to commit.

GitHub matches an alert of one analysis to the next by rule, file and
`partialFingerprints.primaryLocationLineHash`. Line numbers cannot be part of
it: a comment added at the top of a file would make every finding below look
new and every old one fixed. So the hash covers what the finding is about —
the rule, the file (relative to the repository root), the statement (its
identity, `use customer_content for ai.training`) and the text of the line it
points at, with whitespace collapsed and a trailing comment removed — and
ends with `:N`, the finding's rank among findings with the same hash, in file
order, so two identical findings on identical lines stay apart.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from tospolicy.findings import Finding
from tospolicy.language.lineends import lines_of
from tospolicy.limits import DEFAULT_LIMITS

_WHITESPACE = re.compile(r"\s+")


def without_comment(line: str) -> str:
    """The line up to a `#` that starts a comment (not one inside a string),
    so that adding a suppression comment does not change the fingerprint."""
    in_string = escaped = False
    for index, char in enumerate(line):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char == "#":
            return line[:index]
    return line


def normalized(line: str) -> str:
    return _WHITESPACE.sub(" ", without_comment(line)).strip()


def line_hash(rule_id: str, path: str, statement: str, line: str) -> str:
    key = "\0".join((rule_id, path, statement, normalized(line)))
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]


class SourceLines:
    """The lines of the files findings point at, read once each, within the
    same size limit as the parser; a file that cannot be read has no lines."""

    def __init__(self, locate: Callable[[str], Path]):
        self._locate = locate
        self._lines: dict[str, list[str]] = {}

    def line(self, display: str, number: int) -> str:
        if display not in self._lines:
            self._lines[display] = self._read(self._locate(display))
        lines = self._lines[display]
        return lines[number - 1] if 0 < number <= len(lines) else ""

    @staticmethod
    def _read(path: Path) -> list[str]:
        from tospolicy.support.files import read_regular

        try:
            data = read_regular(path, DEFAULT_LIMITS.max_file_bytes + 1)
        except OSError:
            return []
        if len(data) > DEFAULT_LIMITS.max_file_bytes:
            return []
        text = data.decode("utf-8", "replace").removeprefix("\ufeff")
        return lines_of(text)


def fingerprints(findings: Iterable[Finding], paths: Iterable[str],
                 sources: SourceLines) -> list[str]:
    """`primaryLocationLineHash` values for `findings` (in file order), each
    with `paths` giving the finding's file relative to the repository root."""
    seen: dict[str, int] = {}
    values = []
    for finding, path in zip(findings, paths):
        text = sources.line(finding.span.file, finding.span.line)
        digest = line_hash(finding.rule_id, path, finding.statement, text)
        seen[digest] = seen.get(digest, 0) + 1
        values.append(f"{digest}:{seen[digest]}")
    return values
