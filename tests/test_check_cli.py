"""`tospolicy check` as users run it: discovery, output, exit codes."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import REPO, run_tospolicy

# Clean under every built-in pack: dated, and its one data set is retained.
CLEAN = 'service "Clean" {\n  effective: 2024-01-01\n  data notes\n  retain notes for 30 days\n}\n'
BROKEN = 'service "Broken" {\n  data notes {\n    categories content.text\n  }\n}\n'


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_clean_files_exit_0_with_a_summary(tmp_path, cli, monkeypatch):
    write(tmp_path / "a.tos", CLEAN)
    write(tmp_path / "sub" / "b.tos", CLEAN)
    monkeypatch.chdir(tmp_path)
    result = cli("check")
    assert result.exit_code == 0
    assert result.stdout == "No findings in 2 files.\n"


def test_findings_print_one_per_line_and_exit_1(tmp_path, cli, monkeypatch):
    write(tmp_path / "decl" / "broken.tos", BROKEN)
    monkeypatch.chdir(tmp_path)
    result = cli("check", "decl")
    assert result.exit_code == 1
    assert result.stdout == (
        "decl/broken.tos:3:16: TOS001 [error] expected ':' after attribute name "
        "'categories', found name 'content.text'\n"
        "1 finding (1 error) in 1 file.\n"
    )


def test_discovery_skips_tool_folders_and_other_extensions(tmp_path, cli, monkeypatch):
    write(tmp_path / "ok.tos", CLEAN)
    write(tmp_path / "notes.txt", BROKEN)
    for skipped in (".git", "node_modules", ".venv", "venv", "__pycache__"):
        write(tmp_path / skipped / "x.tos", BROKEN)
    monkeypatch.chdir(tmp_path)
    result = cli("check")
    assert result.exit_code == 0, result.stdout
    assert result.stdout == (
        "No findings in 1 file.\n"
        "Skipped 4 folders by default: .venv (a virtual environment), __pycache__ (a cache), "
        "node_modules (installed packages), venv (a virtual environment); "
        "name them in `include` to check them.\n")


def test_a_file_named_explicitly_is_checked_whatever_its_extension(tmp_path, cli, monkeypatch):
    write(tmp_path / "terms.txt", BROKEN)
    monkeypatch.chdir(tmp_path)
    assert cli("check", "terms.txt").exit_code == 1


def test_one_bad_file_does_not_stop_the_others(tmp_path, cli, monkeypatch):
    write(tmp_path / "a-binary.tos", b"\x00\x01\x02 binary")
    write(tmp_path / "b-latin1.tos", 'service "Caf\xe9" {}'.encode("latin-1"))
    write(tmp_path / "c-broken.tos", BROKEN)
    write(tmp_path / "d-clean.tos", CLEAN)
    monkeypatch.chdir(tmp_path)
    result = cli("check")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "a-binary.tos:1:1: TOS002 [error] not a text file: NUL byte on line 1"
    assert lines[1] == ("b-latin1.tos:1:1: TOS002 [error] not UTF-8 text: byte 0xe9 on line 1, "
                        "byte 13 of the line")
    assert lines[2].startswith("c-broken.tos:3:16: TOS001 [error]")
    assert lines[3] == "3 findings (3 errors) in 4 files."


def test_missing_path_is_a_usage_error_but_the_rest_is_checked(tmp_path, cli, monkeypatch):
    write(tmp_path / "broken.tos", BROKEN)
    monkeypatch.chdir(tmp_path)
    result = cli("check", "broken.tos", "nowhere.tos")
    assert result.exit_code == 2
    assert "tospolicy: nowhere.tos: no such file or folder" in result.stderr
    assert "broken.tos:3:16: TOS001" in result.stdout


def test_fail_on_never_and_quiet(tmp_path, cli, monkeypatch):
    write(tmp_path / "broken.tos", BROKEN)
    monkeypatch.chdir(tmp_path)
    result = cli("check", "--fail-on", "never", "--quiet")
    assert result.exit_code == 0
    assert result.stdout.count("\n") == 1 and "TOS001" in result.stdout


def test_symlink_out_of_the_checked_folder_is_not_read(tmp_path, cli, monkeypatch):
    secret = write(tmp_path / "secret.txt", "TOPSECRET value\n")
    project = tmp_path / "project"
    project.mkdir()
    os.symlink(secret, project / "leak.tos")
    monkeypatch.chdir(project)
    result = cli("check")
    assert result.exit_code == 1
    assert "TOPSECRET" not in result.stdout
    assert "leak.tos:1:1: TOS002 [error] symbolic link to a file outside" in result.stdout


def test_usage_errors_exit_2_with_one_line(cli):
    result = cli("check", "--fail-on", "sometimes")
    assert result.exit_code == 2


def test_the_real_program_runs_from_any_folder(tmp_path):
    result = run_tospolicy("check", str(REPO / "examples"), cwd=tmp_path)
    assert result.exit_code in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    count = len(list((REPO / "examples").glob("*.tos")))
    assert result.stdout.splitlines()[-1].endswith(f"in {count} files.")


def test_no_colour_unless_a_terminal(tmp_path):
    write(tmp_path / "broken.tos", BROKEN)
    result = run_tospolicy("check", "broken.tos", cwd=tmp_path)
    assert "\x1b[" not in result.stdout


def test_a_file_named_explicitly_that_links_outside_is_not_read(tmp_path, cli, monkeypatch):
    """A workflow names policies/x.tos; a pull request replaces it with a link."""
    secret = write(tmp_path / "secret.txt", "TOPSECRET value\n")
    project = tmp_path / "project"
    (project / "policies").mkdir(parents=True)
    os.symlink(secret, project / "policies" / "x.tos")
    write(project / "policies" / "real.tos", 'service "S" {\n  effective: 2024-01-01\n}\n')
    os.symlink(project / "policies" / "real.tos", project / "policies" / "inside.tos")
    monkeypatch.chdir(project)
    result = cli("check", "-p", "core", "policies/x.tos", "policies/inside.tos")
    assert "TOPSECRET" not in result.stdout
    assert result.stdout.splitlines() == [
        "policies/x.tos:1:1: TOS002 [error] symbolic link to a file outside the current folder: "
        "not read",
        "1 finding (1 error) in 2 files.",
    ]
