"""Output stays valid and inert whatever the text: messages and file names
from a pull request cannot inject workflow commands, markdown, HTML or
terminal codes, break a table row or an annotation line, or make the output
invalid UTF-8, JSON or SARIF.

Messages are any Python string (lone surrogates, C0/C1 controls, U+2028,
bidi overrides, `::set-output`, `%0A`, HTML, links, pipes, backticks); file
names any path a Linux file system holds (spaces, `#`, `%`, newlines, `::`).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from urllib.parse import unquote_to_bytes

import pytest
from hypothesis import given
from hypothesis import strategies as st

from invariants import Workspace
from strategies import ANY_TEXT, NASTY, declarations, fuzz_settings
from tospolicy.checking.checker import CheckReport
from tospolicy.checking.onefile import FileReport
from tospolicy.findings import PARSER_RULES, Finding
from tospolicy.language.model import Span
from tospolicy.reporters import RenderOptions, render
from tospolicy.reporters.common import one_line, valid_unicode
from tospolicy.reporters.markdown import MARKER

ROOT = Path("/repository")
COMPONENT = st.one_of(
    st.text(st.characters(blacklist_characters="/\0", blacklist_categories=("Cs",)),
            min_size=1, max_size=12),
    st.sampled_from(["a b", "#1", "100%", "%0A", "x\ny", "::error::x", "é", "日本", "[a](b)",
                     "<i>", "|", "`", "\u202e", "-", "~", " "]),
).filter(lambda part: part not in (".", ".."))
PATHS = st.lists(COMPONENT, min_size=1, max_size=3).map(lambda parts: "/".join(parts) + ".tos")
SEVERITY = st.sampled_from(["error", "warning", "note"])


@st.composite
def reports(draw) -> CheckReport:
    files = draw(st.lists(PATHS, min_size=1, max_size=3, unique=True))
    reports_ = []
    for path in sorted(files):
        findings = [
            Finding(draw(st.sampled_from(["TOS001", "TOS002", "CORE002"])), draw(SEVERITY),
                    draw(ANY_TEXT), Span(path, line, column, line, column + 1),
                    statement=draw(ANY_TEXT))
            for line, column in sorted(draw(st.lists(
                st.tuples(st.integers(1, 10**6), st.integers(1, 10**4)), min_size=1, max_size=3)))
        ]
        reports_.append(FileReport(ROOT / path, path, None, findings))
    return CheckReport(reports_, list(PARSER_RULES))


def options() -> RenderOptions:
    return RenderOptions(root=ROOT, cwd=ROOT)


def shown(text: str) -> str:
    """What a reader is shown of untrusted text on one line: control and
    format characters as escapes."""
    return one_line(text)


# ------------------------------------------------------------------ github

def runner_decode(line: str) -> tuple[str, dict[str, str], str]:
    """A workflow command as the Actions runner reads it (ActionCommand.TryParseV2):
    the command up to a space, properties up to the first `::`, then the message."""
    assert line.startswith("::")
    end = line.index("::", 2)
    command, _, props = line[2:end].partition(" ")
    unescape = {"%0D": "\r", "%0A": "\n", "%3A": ":", "%2C": ",", "%25": "%"}

    def decode(text, keys):
        return re.sub("|".join(keys), lambda match: unescape[match.group()], text)

    properties = {}
    for pair in filter(None, props.split(",")):
        key, _, value = pair.partition("=")
        properties[key] = decode(value, ["%0D", "%0A", "%3A", "%2C", "%25"])
    return command, properties, decode(line[end + 2:], ["%0D", "%0A", "%25"])


@fuzz_settings(200)
@given(reports())
def test_annotations_are_one_line_each_and_decode_to_what_was_shown(report):
    output = render("github", report, options())
    output.encode("utf-8")
    findings = report.findings
    lines = output.split("\n")
    assert lines[-1] == "" and len(lines) - 1 == len(findings)
    for line, finding in zip(lines, findings):
        assert "\r" not in line and not re.search(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", line)
        command, properties, message = runner_decode(line)
        assert command == {"error": "error", "warning": "warning", "note": "notice"}[finding.severity]
        # CR and LF travel escaped and come back; every other control is shown.
        expected = "".join(part if part in ("\r", "\n") else shown(part)
                           for part in re.split(r"([\r\n])", finding.message))
        assert message == expected
        assert properties["file"] == "".join(
            part if part in ("\r", "\n") else shown(part)
            for part in re.split(r"([\r\n])", finding.span.file))
        assert properties["line"] == str(finding.span.line)


# ----------------------------------------------------------- json, sarif

@fuzz_settings(150)
@given(reports())
def test_json_round_trips_every_message_as_valid_unicode(report):
    output = render("json", report, options())
    data = json.loads(output.encode("utf-8"))
    assert [finding["message"] for finding in data["findings"]] == [
        valid_unicode(finding.message) for finding in report.findings]
    assert [finding["path"] for finding in data["findings"]] == [
        finding.span.file for finding in report.findings]


_URI = re.compile(r"[A-Za-z0-9\-._~/%]*\Z")


@fuzz_settings(150)
@given(reports())
def test_sarif_is_valid_json_with_encoded_uris(report):
    data = json.loads(render("sarif", report, options()).encode("utf-8"))
    results = data["runs"][0]["results"]
    assert len(results) == len(report.findings)
    for result, finding in zip(results, report.findings):
        assert result["message"]["text"] == (valid_unicode(finding.message) or finding.rule_id)
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert _URI.match(uri), uri
        assert unquote_to_bytes(uri) == os.fsencode(finding.span.file)


# ---------------------------------------------------------------- markdown

def unescaped(text: str, chars: str) -> int:
    """How many of `chars` in markdown `text` are not backslash-escaped."""
    count, index = 0, 0
    while index < len(text):
        if text[index] == "\\":
            index += 2
            continue
        count += text[index] in chars
        index += 1
    return count


@fuzz_settings(150)
@given(reports())
def test_markdown_has_no_html_no_links_and_one_row_per_finding(report):
    text = render("markdown", report, options())
    text.encode("utf-8")
    lines = text.split("\n")
    assert lines[0] == MARKER
    rows = [line for line in lines if line.startswith("| ") and ":" in line.split("|")[1]]
    assert len(rows) == len(report.findings)
    for line in lines[1:]:
        assert "<" not in line.replace("(<https://", "").replace(">)", "")
        assert not re.search(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e]", line)
    for row in rows:
        assert unescaped(row, "|") == 5, row  # four cells, nothing more
        cell = row.rsplit(" | ", 2)[-1]
        assert unescaped(cell[:-2], "[]()`*_~$!<>") == 0, row
        assert not re.search(r"@(?!&#8203;)", cell), row
    for line in lines:
        if line.startswith("### "):
            assert unescaped(line[4:].replace("&#8203;", ""), "[]()`*_~$!<>|#") == 0, line


# -------------------------------------------------------------------- text

@fuzz_settings(150)
@given(reports())
def test_text_is_one_line_per_finding_without_control_characters(report):
    text = render("text", report, options())
    lines = text.split("\n")
    assert len(lines) == len(report.findings) + 2 and lines[-1] == ""
    for line in lines:
        assert not re.search(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]", line)
        # Neither form of workflow command: `::cmd::` starting a line, `##[cmd]` anywhere.
        assert not line.lstrip().startswith("::") and "##[" not in line, line


# -------------------------------------------- odd file names, through the CLI

@pytest.fixture(scope="module")
def workspace():
    space = Workspace()
    yield space
    space.close()


FILE_NAMES = st.one_of(
    st.lists(st.sampled_from(NASTY + ["a", " ", "#", "%", "::"]), min_size=1, max_size=4).map("".join),
    st.text(st.characters(blacklist_characters="/\0", blacklist_categories=("Cs",)),
            min_size=1, max_size=20),
).filter(lambda name: "/" not in name and "\0" not in name).map(lambda name: name + ".tos")


@fuzz_settings(60)
@given(FILE_NAMES)
def test_any_file_name_gives_valid_annotations_and_sarif(workspace, name):
    workspace.write(name, 'service "S" {\n  data d\n  use d for nonsense\n}\n')
    try:
        github = workspace.run("check", "--format", "github", "--", name)
        assert github.exit_code == 0 and github.stderr == ""
        lines = github.stdout.split("\n")
        assert len(lines) == 3 and lines[-1] == ""  # CORE002 and CORE006, one line each
        for line in lines[:-1]:
            assert runner_decode(line)[1]["file"] == "".join(
                part if part in ("\r", "\n") else shown(part) for part in re.split(r"([\r\n])", name))
        sarif = json.loads(workspace.run("check", "--format", "sarif", "--", name).stdout)
        for result in sarif["runs"][0]["results"]:
            uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            assert _URI.match(uri) and unquote_to_bytes(uri) == os.fsencode(name)
        text = workspace.run("check", "--", name).stdout
        assert len(text.split("\n")) == 4
    finally:
        workspace.clear()


# ------------------------------------------------------------------- diff

@fuzz_settings(60)
@given(declarations(), declarations())
def test_diff_text_and_markdown_stay_inert(workspace, old, new):
    """`tospolicy diff` quotes names and strings of both versions: the text
    report and the markdown for a pull-request comment stay inert too."""
    workspace.write("old.tos", old[1])
    workspace.write("new.tos", new[1])
    try:
        for output_format in ("text", "markdown", "github"):
            run = workspace.run("diff", "old.tos", "new.tos", "--format", output_format)
            assert run.exit_code == 0, run.stderr
            for line in run.stdout.split("\n"):
                assert not re.search(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e]", line), line
                assert "##[" not in line and (output_format == "github"
                                              or not line.lstrip().startswith("::")), line
                if output_format == "markdown" and line.startswith("| "):
                    assert "<" not in line.replace("<!--", "") and not re.search(
                        r"@(?!&#8203;)", line), line
    finally:
        workspace.clear()
