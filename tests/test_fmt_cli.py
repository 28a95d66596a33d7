"""`tospolicy fmt` as users run it: files and folders, --check, --diff, files that
do not parse, what a write keeps (mode, BOM, CRLF), and hostile input."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from conftest import run_tospolicy
from tospolicy.formatting import FormatError, format_text

MESSY = 'service "S" { data a { origin: observed; categories: content.text } use a for analytics }\n'
CANONICAL = """service "S" {
  data a {
    categories: content.text
    origin: observed
  }

  use a for analytics
}
"""


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()  # the configuration is looked for up to here
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_fmt_rewrites_files_in_folders_and_keeps_the_mode(project, cli):
    (project / "legal").mkdir()
    messy = project / "legal" / "a.tos"
    messy.write_text(MESSY)
    os.chmod(messy, 0o640)
    (project / "b.tos").write_text(CANONICAL)
    result = cli("fmt")
    assert result.exit_code == 0, result.stderr
    assert messy.read_text() == CANONICAL
    assert stat.S_IMODE(messy.stat().st_mode) == 0o640
    assert "reformatted legal/a.tos" in result.stderr
    assert "1 file reformatted, 1 file left unchanged" in result.stderr
    assert not [name for name in os.listdir(project / "legal") if name.endswith(".tmp")]


def test_check_writes_nothing_and_fails_when_a_file_would_change(project, cli):
    (project / "a.tos").write_text(MESSY)
    result = cli("fmt", "--check", "a.tos")
    assert result.exit_code == 1
    assert "would reformat a.tos" in result.stderr
    assert (project / "a.tos").read_text() == MESSY
    (project / "a.tos").write_text(CANONICAL)
    assert cli("fmt", "--check", "a.tos").exit_code == 0


def test_diff_prints_a_unified_diff_and_writes_nothing(project, cli):
    (project / "a.tos").write_text(MESSY)
    result = cli("fmt", "--diff", "a.tos")
    assert result.exit_code == 1
    assert result.stdout.startswith("--- a/a.tos\n+++ b/a.tos\n@@ ")
    assert "-" + MESSY.rstrip("\n") + "\n" in result.stdout
    assert "+    categories: content.text\n" in result.stdout
    assert (project / "a.tos").read_text() == MESSY


def test_a_file_with_a_syntax_error_is_left_alone_and_the_others_are_formatted(project, cli):
    broken = 'service "S" {\n  data a {\n    origin observed\n  }\n}\n'
    (project / "broken.tos").write_text(broken)
    (project / "good.tos").write_text(MESSY)
    result = cli("fmt", ".")
    assert result.exit_code == 1
    assert "broken.tos:3:12: TOS001 [error]" in result.stderr
    assert (project / "broken.tos").read_text() == broken
    assert (project / "good.tos").read_text() == CANONICAL


def test_unreadable_and_missing_files_are_reported(project, cli):
    (project / "binary.tos").write_bytes(b"\x00\xff")
    result = cli("fmt", "binary.tos", "missing.tos")
    assert result.exit_code == 2
    assert "binary.tos:1:1: TOS002 [error] not a text file" in result.stderr
    assert "missing.tos: no such file or folder" in result.stderr


def test_crlf_line_ends_and_a_bom_are_kept(project, cli):
    path = project / "a.tos"
    path.write_bytes(b"\xef\xbb\xbf" + MESSY.replace("\n", "\r\n").encode())
    assert cli("fmt", "a.tos").exit_code == 0
    assert path.read_bytes() == b"\xef\xbb\xbf" + CANONICAL.replace("\n", "\r\n").encode()
    assert cli("fmt", "--check", "a.tos").exit_code == 0


def test_the_configuration_exclude_applies_to_named_files_with_force_exclude(project, cli):
    (project / ".tospolicy.yml").write_text("exclude: ['vendor/**']\n")
    (project / "vendor").mkdir()
    (project / "vendor" / "v.tos").write_text(MESSY)
    assert cli("fmt", "--check", ".").exit_code == 0  # the folder's walk skips it
    assert cli("fmt", "--check", "vendor/v.tos").exit_code == 1  # named: formatted
    result = cli("fmt", "--check", "--force-exclude", "vendor/v.tos")
    assert result.exit_code == 0, result.stderr


def test_the_diff_shows_control_characters_as_escapes(project, cli):
    (project / "a.tos").write_text('service "S" { data a }  # \x1b[31mred\n')
    result = cli("fmt", "--diff", "a.tos")
    assert "\x1b" not in result.stdout
    assert "\\x1b[31mred" in result.stdout


def test_fmt_in_a_new_process(project):
    (project / "a.tos").write_text(MESSY)
    result = run_tospolicy("fmt", "--check", "a.tos", cwd=project)
    assert result.exit_code == 1 and "Traceback" not in result.stderr


# ------------------------------------------------------------- hostile input

def test_a_line_near_the_limit_is_formatted():
    long = "x" * 45_000  # twice on one line: 90,000 characters, the limit is 100,000
    text = f'service "{long}" {{ data a {{ note: "{long}" }} }}'
    formatted = format_text(text)
    # Over 100 columns: the one attribute goes on a line of its own.
    assert formatted == f'service "{long}" {{\n  data a {{\n    note: "{long}"\n  }}\n}}\n'


def test_a_line_over_the_limit_is_a_finding_not_a_crash():
    with pytest.raises(FormatError) as caught:
        format_text('service "' + "x" * 200_000 + '" {}')
    assert caught.value.findings[0].rule_id == "TOS002"


def test_deep_brackets_are_a_syntax_error():
    with pytest.raises(FormatError) as caught:
        format_text('service "S" { data a { categories: ' + "[" * 50_000 + " } }")
    assert caught.value.findings and caught.value.findings[0].rule_id == "TOS001"


def test_a_huge_list_breaks_one_element_a_line():
    items = ",\n".join(f"content.text{number}" for number in range(20_000))
    formatted = format_text(f'service "S" {{ data a {{ categories: [{items}] }} }}')
    lines = formatted.splitlines()
    assert lines[2] == "    categories: [" and lines[3] == "      content.text0,"
    assert len(lines) == 20_000 + 6
    assert format_text(formatted) == formatted


def test_line_ends_cr_and_crlf():
    crlf = MESSY.replace("\n", "\r\n")
    assert format_text(crlf) == CANONICAL
    # A lone CR ends a line (docs/language.md), as an editor shows it: the
    # comment ends there, and what follows is the next statement.
    lone = 'service "S" {\r  data a # a comment\r  use a for analytics\r}\r'
    assert format_text(lone) == 'service "S" {\n  data a  # a comment\n\n  use a for analytics\n}\n'


def test_a_bom_is_dropped_from_the_text():
    assert format_text("\ufeff" + MESSY) == CANONICAL


@pytest.mark.parametrize("written, canonical", [
    (r'"\u00e9"', '"é"'),
    (r'"\ud83d\ude00"', '"😀"'),
    (r'"a\"b\\c"', r'"a\"b\\c"'),
    (r'"\u0000 \u001b \u007f \u2028"', r'"\u0000 \u001b \u007f \u2028"'),
    ('"tab\there"', r'"tab\there"'),
    (r'"new\nline"', r'"new\nline"'),
    ('"\u202e reversed"', '"\u202e reversed"'),
])
def test_strings_keep_their_text_with_only_the_escapes_they_need(written, canonical):
    formatted = format_text(f"service {written} {{}}")
    assert formatted == f"service {canonical} {{\n}}\n"
    assert format_text(formatted) == formatted


def test_a_lone_surrogate_escape_is_a_syntax_error():
    with pytest.raises(FormatError):
        format_text(r'service "\ud83d" {}')
