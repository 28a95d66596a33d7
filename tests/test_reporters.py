"""The text, JSON, GitHub and markdown formats, with hostile messages and names."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from report_builders import engine_like_report, write_project
from tospolicy.checking.checker import CheckReport
from tospolicy.checking.onefile import FileReport
from tospolicy.findings import PARSER_RULES, Finding
from tospolicy.language.model import Span
from tospolicy.reporters import FORMATS, RenderOptions, render
from tospolicy.reporters.markdown import MAX_BYTES

HOSTILE = "100% sure\r\nsecond line\n::set-output name=x::y %0A ,:"


def one_finding_report(message: str, file: str = "a.tos", severity: str = "error",
                       rule_id: str = "TOS001") -> CheckReport:
    finding = Finding(rule_id, severity, message, Span(file, 3, 5, 3, 9))
    return CheckReport([FileReport(Path(file), file, None, [finding])], list(PARSER_RULES))


# ------------------------------------------------------------------ github

def runner_parse(line: str) -> tuple[str, dict[str, str], str]:
    """A workflow command as the Actions runner reads it (ActionCommand.TryParseV2)."""
    assert line.startswith("::")
    end = line.index("::", 2)
    command, _, props = line[2:end].partition(" ")
    properties = {}
    for pair in filter(None, props.strip().split(",")):
        key, _, value = pair.partition("=")
        properties[key] = (value.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":")
                           .replace("%2C", ",").replace("%25", "%"))
    data = line[end + 2:].replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")
    return command, properties, data


def test_a_hostile_message_is_exactly_one_safe_annotation():
    report = one_finding_report(HOSTILE, file="odd, name: 50%.tos")
    output = render("github", report, RenderOptions(root=Path.cwd()))
    assert output.count("\n") == 1 and "\r" not in output
    command, properties, data = runner_parse(output.rstrip("\n"))
    assert command == "error"
    assert data == HOSTILE
    assert properties == {"file": "odd, name: 50%.tos", "line": "3", "col": "5", "endLine": "3",
                          "endColumn": "9", "title": "TOS001 syntax-error"}
    assert "%25" in output and "%0D%0A" in output and "%2C" in output and "%3A" in output


def test_github_severities_and_suppressed_findings(tmp_path):
    write_project(tmp_path)
    report = engine_like_report(tmp_path)
    lines = render("github", report, RenderOptions(cwd=tmp_path, root=tmp_path)).splitlines()
    unsuppressed = [finding for finding in report.findings if finding.suppression is None]
    assert len(lines) == len(unsuppressed) >= 6
    assert {line.split(" ")[0] for line in lines} == {"::error", "::notice"}
    for line in lines:
        command, properties, data = runner_parse(line)
        assert properties["file"] and int(properties["line"]) >= 1


def test_control_characters_in_messages_are_shown_not_sent():
    output = render("github", one_finding_report("bell\x07 escape\x1b[31m rtl\u202e"),
                    RenderOptions(root=Path.cwd()))
    assert "\x07" not in output and "\x1b" not in output and "\u202e" not in output
    assert "\\x07" in output and "\\u202e" in output


# ---------------------------------------------------------------- markdown

MARKDOWN_ATTACK = ('| x | y |\n<img src=x onerror=alert(1)> [click](https://evil.example) '
                   '![i](https://evil.example/i.png) `code` **bold** _it_ ~~s~~ $x$ @octocat '
                   'https://evil.example a\\|b # h')


def unescaped(text: str, char: str) -> int:
    return len(re.findall(r"(?<!\\)" + re.escape(char), text))


def test_markdown_cannot_be_injected_through_messages_or_file_names():
    report = one_finding_report(MARKDOWN_ATTACK, file="[a](b) <i>|`.tos", rule_id="AI001")
    text = render("markdown", report, RenderOptions())
    lines = text.splitlines()
    row = lines[-1]
    assert unescaped(row, "|") == 5  # the table's own four cells, nothing more
    for char in "<>":
        assert char not in row
    for char in "[]`*_~$()":
        assert unescaped(row, char) == 0, char
    assert "@&#8203;octocat" in row and "https\\://evil" in row
    heading = next(line for line in lines if line.startswith("### "))
    assert heading == "### \\[a\\]\\(b\\) &lt;i&gt;\\|\\`\\.tos"
    assert "\n" not in row


def test_markdown_summary_counts_links_and_marker(tmp_path):
    write_project(tmp_path)
    report = engine_like_report(tmp_path)
    text = render("markdown", report, RenderOptions(cwd=tmp_path))
    assert text.startswith("<!-- tospolicy -->\n## tospolicy: ")
    unsuppressed = [finding for finding in report.findings if finding.suppression is None]
    errors = sum(1 for finding in unsuppressed if finding.severity == "error")
    assert f"| error | {errors} |" in text and "| warning | 0 |" in text
    assert "6 suppressed findings not shown." in text
    assert "[AI001](<https://github.com/tospolicy/tospolicy/blob/main/docs/rules.md#ai001>)" in text
    assert "| ACME999 |" in text  # no rule info: no link
    assert text.count("\n### ") == len({finding.span.file for finding in unsuppressed})


def test_markdown_stays_under_the_job_summary_limit():
    findings = [Finding("TOS001", "error", f"message {number} " + "x" * 200,
                        Span(f"file{number // 100}.tos", number, 1, number, 2))
                for number in range(20_000)]
    files = sorted({finding.span.file for finding in findings})
    report = CheckReport(
        [FileReport(Path(name), name, None, [f for f in findings if f.span.file == name])
         for name in files], list(PARSER_RULES))
    text = render("markdown", report, RenderOptions())
    size = len(text.encode("utf-8"))
    assert 1024 * 1024 - 32 * 1024 < size <= MAX_BYTES
    shown = text.count("| [TOS001]")
    note = re.search(r"_(\d+) more findings not shown", text)
    assert note and int(note.group(1)) == 20_000 - shown


# -------------------------------------------------------------------- json

def test_json_shape(tmp_path):
    write_project(tmp_path)
    report = engine_like_report(tmp_path)
    data = json.loads(render("json", report, RenderOptions(cwd=tmp_path)))
    assert list(data) == ["tool", "version", "format", "summary", "findings", "rules",
                          "notifications", "skipped", "files"]
    assert data["tool"] == "tospolicy" and data["format"] == 1
    summary = data["summary"]
    by_severity = summary["error"] + summary["warning"] + summary["note"]
    assert summary["findings"] == len(data["findings"]) == by_severity
    assert summary["suppressed"] == 6 and summary["files"] == len(data["files"]) == 4
    finding = data["findings"][0]
    assert list(finding) == ["rule", "severity", "message", "path", "line", "column", "end_line",
                             "end_column", "statement", "suppression", "fix"]
    assert {rule["id"] for rule in data["rules"]} >= {"TOS001", "AI001", "PACK029"}
    assert all(rule["help_uri"].startswith("https://") for rule in data["rules"])
    included = json.loads(render("json", report, RenderOptions(include_suppressed=True, cwd=tmp_path)))
    reasons = {f["suppression"] for f in included["findings"] if f["suppression"] is not None}
    assert reasons == {"reviewed by legal, ticket 42", ""}


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_is_valid_utf8_whatever_the_text(fmt, tmp_path):
    """A lone surrogate (a file name that is not UTF-8, text from elsewhere)."""
    report = one_finding_report("lone \udce9 surrogate \x00 nul", file="caf\udce9.tos")
    text = render(fmt, report, RenderOptions(cwd=tmp_path, root=tmp_path))
    text.encode("utf-8")  # strict
    if fmt in ("json", "sarif"):
        json.loads(text)
    if fmt == "sarif":
        uri = json.loads(text)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
        assert uri["artifactLocation"]["uri"] == "caf%E9.tos"  # the file's own byte


# -------------------------------------------------------------------- text

def test_text_keeps_its_format_and_hides_suppressed_findings(tmp_path):
    write_project(tmp_path)
    report = engine_like_report(tmp_path)
    lines = render("text", report, RenderOptions(cwd=tmp_path)).splitlines()
    assert lines[-1] == "8 findings (5 errors, 3 notes) in 4 files."
    assert all(re.match(r"\S.*:\d+:\d+: [A-Z]+\d+ \[(error|warning|note)\] ", line) for line in lines[:-1])
    assert len(lines) == 9 and not any("AI005" in line for line in lines)
    quiet = render("text", report, RenderOptions(quiet=True, cwd=tmp_path)).splitlines()
    assert quiet == lines[:-1]


def test_no_line_of_text_output_is_a_workflow_command():
    """The runner reads `::cmd::` at the start of a line and `##[cmd]` anywhere
    in it: a file named `::error::x.tos` or a message with `##[set-output …]`
    must not become one (found while checking the runner's parser)."""
    report = one_finding_report("say ##[set-output name=findings;]0", file="  ::error::x.tos")
    line = render("text", report, RenderOptions()).splitlines()[0]
    assert line == "  \\x3a:error::x.tos:3:5: TOS001 [error] say ##\\x5bset-output name=findings;]0"
    annotation = render("github", report, RenderOptions(root=Path.cwd())).splitlines()[0]
    assert "##[" not in annotation and annotation.startswith("::error file=")
