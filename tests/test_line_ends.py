"""LF, CRLF and a lone CR each end a line (LANGUAGE.md 0.2), everywhere.

A file with classic-Mac line ends used to read as one line, so one
suppression comment covered every statement of it. The parser, the fast
path, the recovery, suppressions, spans and SARIF fingerprints must all give
the same answer whichever line ends a file has: what an editor shows.
"""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO, TESTS, fixture_files
from tospolicy.language.lineends import line_and_column_of, lines_of

EXAMPLES = fixture_files(REPO / "examples") + fixture_files(TESTS / "language" / "invalid")
LINE_ENDS = {"lf": "\n", "crlf": "\r\n", "cr": "\r"}


def test_there_are_examples():
    assert len(EXAMPLES) > 5


def with_line_ends(text: str, end: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", end)


def _check(tmp_path, cli, monkeypatch, text: str, *options: str):
    (tmp_path / "a.tos").write_bytes(text.encode("utf-8"))
    monkeypatch.chdir(tmp_path)
    return cli("check", "a.tos", *options)


def test_a_suppression_in_a_cr_only_file_covers_its_own_line(tmp_path, cli, monkeypatch):
    text = with_line_ends(
        'service "X" {\n'
        "  effective: 2024-01-01\n"
        "  data notes { categories: content.text } # tospolicy: ignore[AI001] not these notes\n"
        "  retain notes for 30 days\n"
        "  use notes for ai.training { consent: none }\n"
        "}\n", "\r")
    result = _check(tmp_path, cli, monkeypatch, text)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[:2] == [
        "a.tos:3:43: CORE009 [warning] ignore[AI001] suppresses nothing here",
        "a.tos:5:31: AI001 [error] notes is used for ai.training with consent none: "
        "AI training on personal data or user content needs opt-in",
    ]


@pytest.mark.parametrize("example", EXAMPLES, ids=[path.name for path in EXAMPLES])
def test_every_line_end_gives_the_same_findings_and_fingerprints(example, tmp_path, cli,
                                                                 monkeypatch):
    text = example.read_text(encoding="utf-8")
    answers = {}
    for name, end in LINE_ENDS.items():
        sarif = json.loads(_check(tmp_path, cli, monkeypatch, with_line_ends(text, end),
                                  "--format", "sarif").stdout)
        answers[name] = [(result["ruleId"], result["message"]["text"],
                          result["locations"][0]["physicalLocation"]["region"],
                          result["partialFingerprints"])
                         for result in sarif["runs"][0]["results"]]
    assert answers["cr"] == answers["lf"] == answers["crlf"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(["a", "é", " ", "\n", "\r", "\r\n", "#"]), max_size=40),
       st.data())
def test_a_byte_offset_is_on_the_line_an_editor_shows(pieces, data):
    # Where a NUL byte or invalid UTF-8 is reported: counted as the parser counts lines.
    encoded = "".join(pieces).encode("utf-8")
    offset = data.draw(st.integers(0, len(encoded)))
    before, cut_crlf = encoded[:offset], 0
    if before.endswith(b"\r") and encoded[offset:offset + 1] == b"\n":
        before, cut_crlf = before[:-1], 1  # the CR of a CRLF cut in two ends nothing yet
    lines = re.split(rb"\r\n|\r|\n", before)
    assert line_and_column_of(encoded, offset) == (len(lines), len(lines[-1]) + cut_crlf + 1)
    assert len(lines_of(before.decode("utf-8", "ignore"))) == len(lines)
