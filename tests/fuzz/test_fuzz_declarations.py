"""Fuzzing the declaration language, directly and through `tospolicy check`.

Generated declarations parse back to what was generated; declarations broken
by token edits (dropped, swapped, duplicated, replaced), character edits and
raw byte edits never make the parser or the rules raise, and every finding
points inside its file.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from invariants import Workspace, check_json, lines_of, split_lines
from strategies import broken_declarations, declarations, fuzz_settings, mutated_bytes
from tospolicy.language.parser import parse_text


@pytest.fixture(scope="module")
def workspace():
    space = Workspace()
    yield space
    space.close()


def _assert_inside(text: str, findings) -> None:
    lines = split_lines(text.removeprefix("\ufeff"))
    for finding in findings:
        span = finding.span
        assert 1 <= span.line <= span.end_line <= len(lines), (finding, len(lines))
        assert 1 <= span.column <= len(lines[span.line - 1]) + 1, finding
        assert 1 <= span.end_column <= len(lines[span.end_line - 1]) + 1, finding
        assert (span.line, span.column) <= (span.end_line, span.end_column), finding


@fuzz_settings(150)
@given(declarations())
def test_generated_declarations_parse_to_what_was_written(case):
    kinds, text = case
    result = parse_text(text, "generated.tos")
    messages = [f.message for f in result.findings]
    # A name drawn from the vocabulary may be a keyword only in error; the
    # generator avoids that, so every finding here is a parser bug.
    assert result.findings == [], (text, messages)
    parsed = [[statement.kind for statement in service.statements]
              for service in result.declaration.services]
    assert parsed == kinds


@fuzz_settings(150)
@given(st.one_of(broken_declarations(), st.text(max_size=200)))
def test_the_parser_never_raises_and_points_inside_the_text(text):
    result = parse_text(text, "broken.tos")
    assert (result.declaration is None) == bool(result.findings)
    assert len(result.findings) <= 100
    _assert_inside(text, result.findings)


@fuzz_settings(100)
@given(broken_declarations(), st.sampled_from(["json", "sarif", "github", "markdown", "text"]))
def test_check_on_a_broken_declaration_ends_in_findings(workspace, text, output_format):
    data = text.encode("utf-8", "surrogatepass")
    workspace.write("broken.tos", data)
    try:
        run = workspace.run("check", "--format", "json", "--format", output_format,
                            "--output", "out.txt", "broken.tos")
        report = check_json(run, {"broken.tos": data})
        assert run.exit_code in (0, 1)
        assert (run.exit_code == 1) == any(f["severity"] == "error" for f in report["findings"])
        assert (workspace.root / "out.txt").stat().st_size > 0 or output_format == "github"
    finally:
        workspace.clear()


@fuzz_settings(60)
@given(st.one_of(declarations().map(lambda case: case[1].encode("utf-8")),
                 broken_declarations().map(lambda text: text.encode("utf-8", "surrogatepass")))
       .flatmap(mutated_bytes))
def test_check_on_raw_bytes_ends_in_findings(workspace, data):
    """Invalid UTF-8, NUL bytes, stray BOMs, a character cut in half."""
    workspace.write("bytes.tos", data)
    try:
        run = workspace.run("check", "--format", "json", "bytes.tos")
        report = check_json(run, {"bytes.tos": data})
        if lines_of(data) is None or b"\0" in data:
            assert [f["rule"] for f in report["findings"]] == ["TOS002"]
    finally:
        workspace.clear()


@fuzz_settings(50)
@given(broken_declarations())
def test_parse_command_prints_a_model_or_located_errors(workspace, text):
    data = text.encode("utf-8", "surrogatepass")
    workspace.write("p.tos", data)
    try:
        run = workspace.run("parse", "p.tos")
        assert run.exit_code in (0, 1)
        if run.exit_code == 1:
            lines = lines_of(data)
            for line in run.stderr.splitlines():
                assert line.startswith("p.tos:"), line
                number, column = (int(part) for part in line.split(":")[1:3])
                assert lines is None or (1 <= number <= len(lines)
                                         and 1 <= column <= len(lines[number - 1]) + 1), line
    finally:
        workspace.clear()
