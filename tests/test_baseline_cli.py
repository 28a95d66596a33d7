"""Baselines through `tospolicy check --update-baseline` and `--baseline`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

DECLARATION = """\
service "Shop" {
  effective: 2024-01-01
  data notes
  data unused
  data spare
  use notes for analytics { consnet: opt_in; cnosent: none }
}
"""


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    (tmp_path / "decl").mkdir()
    (tmp_path / "decl" / "shop.tos").write_text(DECLARATION, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def findings(result) -> list[str]:
    return result.stdout.splitlines()[:-1]


def test_update_writes_the_findings_keyed_by_statement(project, cli):
    result = cli("check", "-p", "core", "--baseline", "baseline.json", "--update-baseline")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "tospolicy: wrote 4 findings to the baseline baseline.json\n"
    content = json.loads((project / "baseline.json").read_text(encoding="utf-8"))
    assert content["tospolicy-baseline"] == 1
    assert content["findings"] == [
        {"rule": "CORE003", "file": "decl/shop.tos",
         "statement": "service Shop / use notes for analytics", "count": 2},
        {"rule": "CORE006", "file": "decl/shop.tos", "statement": "service Shop / data spare",
         "count": 1},
        {"rule": "CORE006", "file": "decl/shop.tos", "statement": "service Shop / data unused",
         "count": 1},
    ]


def test_the_baseline_hides_its_findings_and_only_those(project, cli):
    cli("check", "-p", "core", "--baseline", "baseline.json", "--update-baseline")
    result = cli("check", "-p", "core", "--baseline", "baseline.json")
    assert result.stdout == "No findings in 1 file.\n"
    assert result.exit_code == 0
    shop = project / "decl" / "shop.tos"
    # Lines added above every finding: nothing comes back.
    shop.write_text("# Terms of 2024\n\n" + DECLARATION.replace("  data notes\n",
                                                                "  data notes\n\n\n"),
                    encoding="utf-8")
    assert cli("check", "-p", "core", "--baseline", "baseline.json").stdout == (
        "No findings in 1 file.\n")
    # A third unknown attribute on the same statement shows: the baseline counted two.
    shop.write_text(shop.read_text(encoding="utf-8").replace("cnosent: none", "cnosent: none; x: 1"),
                    encoding="utf-8")
    result = cli("check", "-p", "core", "--baseline", "baseline.json")
    assert findings(result) == [
        "decl/shop.tos:10:61: CORE003 [warning] unknown attribute 'x' for use statements"]
    # A changed statement is a new statement: its findings come back.
    shop.write_text(DECLARATION.replace("data spare", "data spares"), encoding="utf-8")
    result = cli("check", "-p", "core", "--baseline", "baseline.json")
    assert findings(result) == [
        "decl/shop.tos:5:8: CORE006 [note] data 'spares' is declared but never used, shared, "
        "retained or licensed"]


def test_keys_do_not_depend_on_the_current_folder(project, cli, monkeypatch):
    cli("check", "-p", "core", "--baseline", "baseline.json", "--update-baseline")
    monkeypatch.chdir(project / "decl")
    result = cli("check", "-p", "core", "--baseline", "../baseline.json", "shop.tos")
    assert result.stdout == "No findings in 1 file.\n"


def test_the_configuration_names_the_baseline(project, cli):
    (project / ".tospolicy.yml").write_text("packs: [core]\nbaseline: ci/baseline.json\n",
                                            encoding="utf-8")
    assert cli("check", "decl").exit_code == 0  # not written yet: nothing hidden, no error
    assert "CORE006" in cli("check", "decl").stdout
    assert cli("check", "--update-baseline", "decl").exit_code == 0
    assert (project / "ci" / "baseline.json").is_file()
    assert cli("check", "decl").stdout == "No findings in 1 file.\n"


def test_a_file_tospolicy_did_not_write_is_not_replaced(project, cli):
    (project / "notes.json").write_text('{"mine": true}\n', encoding="utf-8")
    result = cli("check", "-p", "core", "--baseline", "notes.json", "--update-baseline")
    assert result.exit_code == 2
    assert result.stderr == ("tospolicy: notes.json exists and was not written by tospolicy; "
                             "pass --force to replace it\n")
    assert (project / "notes.json").read_text(encoding="utf-8") == '{"mine": true}\n'
    result = cli("check", "-p", "core", "--baseline", "notes.json", "--update-baseline", "--force")
    assert result.exit_code == 0
    assert "tospolicy-baseline" in (project / "notes.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("content, message", [
    ("not json", "not a tospolicy baseline (invalid JSON: Expecting value: line 1 column 1 "
                 "(char 0))"),
    ('{"findings": []}', 'not a tospolicy baseline (no "tospolicy-baseline": 1)'),
    ('{"tospolicy-baseline": 1, "findings": [{"rule": "X"}]}',
     "finding 1 should have rule, file and statement strings and a count of at least 1"),
    # Found while auditing recursion: the JSON decoder raised RecursionError.
    ("[" * 100_000 + "]" * 100_000, "not a tospolicy baseline (JSON nested too deeply)"),
    ('{"tospolicy-baseline": 1, "findings": [' + "{\"a\": " * 50_000 + "1" + "}" * 50_000 + "]}",
     "not a tospolicy baseline (JSON nested too deeply)"),
])
def test_a_broken_baseline_is_a_usage_error(content, message, project, cli):
    (project / "b.json").write_text(content, encoding="utf-8")
    result = cli("check", "-p", "core", "--baseline", "b.json")
    assert result.exit_code == 2
    assert result.stderr == f"tospolicy: b.json: {message}\n"


def test_missing_baselines_and_nowhere_to_write(project, cli):
    result = cli("check", "-p", "core", "--baseline", "nope.json")
    assert result.exit_code == 2
    assert result.stderr == ("tospolicy: nope.json: no such baseline file (write one with "
                             "--update-baseline)\n")
    result = cli("check", "-p", "core", "--update-baseline")
    assert result.exit_code == 2
    assert result.stderr == ("tospolicy: --update-baseline needs a baseline file: --baseline FILE, "
                             "or baseline: in .tospolicy.yml\n")


def test_syntax_errors_and_suppressed_findings_are_never_baselined(project, cli):
    (project / "decl" / "broken.tos").write_text('service "B" {\n  data\n}\n', encoding="utf-8")
    (project / "decl" / "shop.tos").write_text(
        DECLARATION.replace("  data spare\n",
                            "  data spare  # tospolicy: ignore[CORE006] kept for later\n"),
        encoding="utf-8")
    cli("check", "-p", "core", "--baseline", "baseline.json", "--update-baseline")
    content = json.loads((project / "baseline.json").read_text(encoding="utf-8"))
    assert {entry["rule"] for entry in content["findings"]} == {"CORE003", "CORE006"}
    assert all(entry["statement"] != "service Shop / data spare" for entry in content["findings"])
    result = cli("check", "-p", "core", "--baseline", "baseline.json")
    assert findings(result) == ["decl/broken.tos:3:1: TOS001 [error] unexpected '}': expected a name"]
