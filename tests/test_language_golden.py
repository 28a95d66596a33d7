"""Every construct of the language, through `tospolicy parse` and `tospolicy check`.

Valid files must produce the model in their golden `.json`; invalid files must
produce exactly the `line:col: message` lines of their `.expected`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import TESTS, check_golden, fixture_files

VALID = fixture_files(TESTS / "language" / "valid")
INVALID = fixture_files(TESTS / "language" / "invalid")


def test_fixture_folders_are_populated():
    assert len(VALID) >= 6
    assert len(INVALID) >= 10


@pytest.mark.parametrize("path", VALID, ids=lambda path: path.name)
def test_valid_file_parses_to_its_golden_model(path: Path, cli, monkeypatch):
    monkeypatch.chdir(path.parent)
    result = cli("parse", path.name, "--format", "json")
    assert result.exit_code == 0, result.stderr
    check_golden(result.stdout, path.with_suffix(".json"))


@pytest.mark.parametrize("path", VALID, ids=lambda path: path.name)
def test_valid_file_checks_without_syntax_findings(path: Path, cli, monkeypatch):
    monkeypatch.chdir(path.parent)
    result = cli("check", path.name)
    assert "TOS00" not in result.stdout


@pytest.mark.parametrize("path", INVALID, ids=lambda path: path.name)
def test_invalid_file_reports_exactly_its_expected_errors(path: Path, cli, monkeypatch):
    monkeypatch.chdir(path.parent)
    result = cli("check", "--quiet", path.name)
    assert result.exit_code == 1
    prefix = f"{path.name}:"
    lines = []
    for line in result.stdout.splitlines():
        assert line.startswith(prefix), line
        position, _, rest = line[len(prefix):].partition(": ")
        rule, severity, message = rest.split(" ", 2)
        assert (rule, severity) in {("TOS001", "[error]"), ("TOS002", "[error]")}, line
        lines.append(f"{position}: {message}\n")
    check_golden("".join(lines), path.with_suffix(".expected"))


def test_three_separate_errors_give_three_findings_on_their_lines(cli, monkeypatch):
    monkeypatch.chdir(TESTS / "language" / "invalid")
    result = cli("check", "--quiet", "three-errors.tos")
    lines = [line.split(":")[1] for line in result.stdout.splitlines()]
    assert lines == ["4", "6", "10"]
    assert all(" TOS001 " in line for line in result.stdout.splitlines())


def test_parse_of_invalid_file_prints_errors_and_exits_1(cli, monkeypatch):
    monkeypatch.chdir(TESTS / "language" / "invalid")
    result = cli("parse", "three-errors.tos")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "three-errors.tos:4:16: TOS001 [error] expected ':' after attribute name 'categories'" in result.stderr
