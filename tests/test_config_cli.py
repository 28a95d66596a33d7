"""`.tospolicy.yml` as users reach it: found upward, merged with the command line."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import run_tospolicy

DECLARATION = 'service "A" {\n  data n\n  data unused\n  use n for analytics\n}\n'
MINE = """\
pack: mine
rules:
  - id: MINE001
    name: no-analytics
    severity: warning
    summary: No analytics.
    select: use
    forbid: purposes under analytics
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def repo(tmp_path) -> Path:
    """A git repository with a configuration, a pack, declarations and a vendored one."""
    root = tmp_path / "repo"
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    write(root / ".tospolicy.yml", """\
packs: [core, ./policies/mine.yaml]
include: ["**/*.tos"]
exclude: ["vendor/**"]
rules:
  CORE007: off
  CORE006: { severity: error }
fail-on: warning
""")
    write(root / "policies" / "mine.yaml", MINE)
    write(root / "sub" / "a.tos", DECLARATION)
    write(root / "vendor" / "v.tos", DECLARATION)
    (root / "sub" / "deeper").mkdir()
    return root


def lines(result) -> list[str]:
    return result.stdout.splitlines()


def test_found_upward_and_applied(repo, cli, monkeypatch):
    monkeypatch.chdir(repo / "sub" / "deeper")
    result = cli("check")
    assert lines(result) == [
        "../a.tos:3:8: CORE006 [error] data 'unused' is declared but never used, shared, retained "
        "or licensed",
        "../a.tos:4:3: MINE001 [warning] No analytics.",
        "2 findings (1 error, 1 warning) in 1 file.",
    ]
    assert result.exit_code == 1
    assert result.stderr == ""


def test_fail_on_comes_from_the_configuration_and_the_command_line_wins(repo, cli, monkeypatch):
    monkeypatch.chdir(repo)
    (repo / "sub" / "a.tos").write_text(DECLARATION.replace("  data unused\n", ""),
                                        encoding="utf-8")
    assert cli("check").exit_code == 1  # fail-on: warning, and MINE001 is a warning
    assert cli("check", "--fail-on", "error").exit_code == 0


def test_packs_on_the_command_line_replace_the_configurations(repo, cli, monkeypatch):
    monkeypatch.chdir(repo)
    result = cli("check", "-p", "core", "sub")
    assert lines(result) == [
        "sub/a.tos:3:8: CORE006 [error] data 'unused' is declared but never used, shared, retained "
        "or licensed",
        "1 finding (1 error) in 1 file.",
    ]


def test_without_packs_anywhere_every_builtin_pack_runs(tmp_path, cli, monkeypatch):
    from tospolicy.packs.loader import builtin_packs

    monkeypatch.chdir(tmp_path)
    write(tmp_path / "a.tos", DECLARATION)
    result = cli("rules")
    packs_listed = {line.split()[2] for line in lines(result)}
    assert packs_listed == {"tospolicy", *builtin_packs()}
    assert "CORE007" in cli("check").stdout


def test_the_search_stops_at_the_top_of_the_repository(repo, cli, monkeypatch):
    write(repo.parent / ".tospolicy.yml", "packs: [nonexistent]\n")
    inner = repo / "nested"
    subprocess.run(["git", "init", "-q", str(inner)], check=True)
    write(inner / "x.tos", DECLARATION)
    monkeypatch.chdir(inner)
    result = cli("check")  # neither the repository's nor the folder above's configuration
    assert result.stderr == ""
    assert "CORE007" in result.stdout


def test_config_option_overrides_discovery(repo, cli, monkeypatch, tmp_path):
    other = write(tmp_path / "elsewhere" / "other.yml", "packs: [./mine.yaml]\n")
    write(tmp_path / "elsewhere" / "mine.yaml", MINE.replace("warning", "note"))
    monkeypatch.chdir(repo)
    result = cli("check", "--config", str(other), "sub")
    assert lines(result) == ["sub/a.tos:4:3: MINE001 [note] No analytics.",
                             "1 finding (1 note) in 1 file."]
    assert result.exit_code == 0


def test_a_missing_config_file_is_a_usage_error(repo, cli, monkeypatch):
    monkeypatch.chdir(repo)
    result = cli("check", "--config", "nope.yml")
    assert result.exit_code == 2
    assert result.stderr == "tospolicy: nope.yml: no such configuration file\n"


@pytest.mark.parametrize("text, expected", [
    ("packs: [core]\nfail_on: error\nrule:\n  X: off\n",
     ["c.yml:2:1: unknown key 'fail_on' in configuration (did you mean 'fail-on'?)",
      "c.yml:3:1: unknown key 'rule' in configuration (did you mean 'rules'?)"]),
    ("fail-on: errors\n",
     ["c.yml:1:10: 'fail-on' is 'errors', not one of error, warning, note, never "
      "(did you mean 'error'?)"]),
    ("rules:\n  CORE007: disabled\n",
     ["c.yml:2:12: 'CORE007' should be off, on, or a mapping like { severity: warning }"]),
    ("rules:\n  CORE007: { severity: high }\n",
     ["c.yml:2:12: 'CORE007' should be off, on, or a mapping like { severity: warning }"]),
    ("rules:\n  core007: off\n",
     ["c.yml:2:3: 'core007' is not a valid rule id: capital letters and digits ending in a "
      "number, like GDPR004."]),
    ("packs: core\n", ["c.yml:1:8: 'packs' should be a list"]),
    ("limits:\n  max-file-size: 10\n",
     ["c.yml:2:3: unknown key 'max-file-size' in limits (did you mean 'max-file-bytes'?)"]),
    ("packs: [core\n", ["c.yml:2:1: invalid YAML: while parsing a flow sequence: did not find "
                        "expected ',' or ']'"]),
])
def test_configuration_errors_are_located(text, expected, tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "c.yml", text)
    result = cli("check", "--config", "c.yml")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"tospolicy: {line}" for line in expected]


def test_an_empty_configuration_is_the_defaults(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / ".tospolicy.yml", "# nothing yet\n")
    write(tmp_path / "a.tos", DECLARATION)
    result = cli("check")
    assert result.stderr == ""
    assert "CORE007" in result.stdout


def test_a_pack_path_is_relative_to_the_configuration(repo, cli, monkeypatch):
    (repo / ".tospolicy.yml").write_text("packs: [./policies/missing.yaml]\n", encoding="utf-8")
    monkeypatch.chdir(repo / "sub")
    result = cli("check")
    assert result.exit_code == 2
    assert result.stderr == ("tospolicy: ../.tospolicy.yml:1:9: pack file "
                             "'./policies/missing.yaml' does not exist (paths in the configuration "
                             "are relative to its folder)\n")


def test_an_unknown_rule_id_is_a_warning_with_a_suggestion(repo, cli, monkeypatch):
    text = (repo / ".tospolicy.yml").read_text(encoding="utf-8")
    (repo / ".tospolicy.yml").write_text(text.replace("  CORE007: off\n", "  CORE07: off\n"),
                                         encoding="utf-8")
    monkeypatch.chdir(repo)
    result = cli("check", "sub")
    assert result.stderr.splitlines()[0] == (
        "tospolicy: warning: .tospolicy.yml:5:3: rules: no loaded rule has the id 'CORE07' "
        "(did you mean 'CORE007'?)")


def test_rules_lists_configured_severities_and_off(repo, cli, monkeypatch):
    monkeypatch.chdir(repo)
    rows = {line.split()[0]: line.split()[1] for line in lines(cli("rules"))}
    assert rows["CORE007"] == "off"
    assert rows["CORE006"] == "error"
    assert rows["MINE001"] == "warning"
    assert rows["TOS001"] == "error"


def test_limits_from_the_configuration(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / ".tospolicy.yml", "limits:\n  max-file-bytes: 20\n")
    write(tmp_path / "a.tos", DECLARATION)
    result = cli("check", "-q")
    assert lines(result) == ["a.tos:1:1: TOS002 [error] file is larger than the limit of 20 bytes "
                             "(limits.max-file-bytes in .tospolicy.yml)"]


def test_include_and_exclude_are_relative_to_the_configuration(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / ".tospolicy.yml", 'include: ["terms/*.policy"]\nexclude: ["terms/old*"]\n')
    write(tmp_path / "terms" / "new.policy", DECLARATION)
    write(tmp_path / "terms" / "old.policy", DECLARATION)
    write(tmp_path / "terms" / "ignored.tos", DECLARATION)
    monkeypatch.chdir(tmp_path / "terms")
    result = cli("check", "-q", "-p", "core")
    assert {line.split(":")[0] for line in lines(result)} == {"new.policy"}
    result = cli("check", "-q", "-p", "core", ".")  # a folder given: the same patterns
    assert {line.split(":")[0] for line in lines(result)} == {"new.policy"}


def test_an_invalid_pattern_is_a_located_error(tmp_path, cli, monkeypatch):
    """It was an internal error (Python's re raised on `[z-a]`)."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path / ".tospolicy.yml", 'include: ["**/*.tos"]\nexclude: ["ok", "[z-a]"]\n')
    write(tmp_path / "a.tos", DECLARATION)
    result = cli("check")
    assert result.exit_code == 2
    assert result.stderr == ("tospolicy: .tospolicy.yml:2:17: exclude: '[z-a]' is not a valid "
                             "pattern: invalid character class range: z-a\n")


def test_patterns_match_in_linear_time(tmp_path):
    """`**/` repeated compiled to nested optional groups, which Python's re
    matched in exponential time against a deep path; RE2 does not backtrack."""
    deep = tmp_path.joinpath(*["a"] * 30)
    write(deep / "y.tos", DECLARATION)
    write(tmp_path / ".tospolicy.yml", 'include: ["' + "**/" * 25 + 'x.tos"]\n')
    result = run_tospolicy("check", cwd=tmp_path, timeout=60)
    assert (result.exit_code, result.stdout) == (0, "No findings in 0 files.\n")
