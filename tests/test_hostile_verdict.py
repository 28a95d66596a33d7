"""A pull request must not pass a check it should fail (issue 21, first part).

Each test is an attack through the command line or the Action's steps: a
marker file that used to hide a folder, padding notes that pushed an error
past the per-file limit.
"""

from __future__ import annotations

import json
from pathlib import Path

from conftest import REPO

ZOOM = (REPO / "examples" / "zoom-2023-03.tos").read_text(encoding="utf-8")  # has AI001 errors


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_marker_file_does_not_hide_a_folder(tmp_path, cli, monkeypatch):
    write(tmp_path / "policies" / "zoom.tos", ZOOM)
    for marker in ("pyvenv.cfg", "package.json", ".tospolicyignore", "CACHEDIR.TAG"):
        write(tmp_path / "policies" / marker, "")
    monkeypatch.chdir(tmp_path)
    result = cli("check")
    assert result.exit_code == 1
    assert "policies/zoom.tos:37:5: AI001 [error]" in result.stdout
    assert "Skipped" not in result.stdout


def test_skipped_folders_are_named_in_every_summary(tmp_path, cli, monkeypatch):
    write(tmp_path / "ok.tos", "service \"A\" {}\n")
    write(tmp_path / "node_modules" / "zoom.tos", ZOOM)
    write(tmp_path / "app" / ".venv" / "zoom.tos", ZOOM)
    monkeypatch.chdir(tmp_path)
    text = cli("check").stdout.splitlines()[-1]
    assert text == ("Skipped 2 folders by default: app/.venv (a virtual environment), "
                    "node_modules (installed packages); name them in `include` to check them.")
    assert text in cli("check", "--format", "markdown").stdout.replace("\\", "")
    sarif = json.loads(cli("check", "--format", "sarif").stdout)
    notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert {"level": "note", "message": {"text": text}} in notes
    assert json.loads(cli("check", "--format", "json").stdout)["skipped"] == text


def test_a_folder_named_by_include_is_checked(tmp_path, cli, monkeypatch):
    write(tmp_path / ".tospolicy.yml", 'include: ["venv/**/*.tos", "**/*.tos"]\n')
    write(tmp_path / "venv" / "zoom.tos", ZOOM)
    write(tmp_path / "node_modules" / "x.tos", ZOOM)
    monkeypatch.chdir(tmp_path)
    result = cli("check")
    assert result.exit_code == 1
    assert "venv/zoom.tos:37:5: AI001" in result.stdout
    assert "node_modules/x.tos" not in result.stdout.replace("Skipped", "")
    assert "node_modules (installed packages)" in result.stdout


def padded(notes: int = 1200) -> str:
    """Zoom's declaration with `notes` data sets before its statements: the
    padding comes first in file order, the AI001 errors after it."""
    head, body = ZOOM.split("audience: general\n", 1)
    padding = "".join(f"  data pad{number} {{ categories: account.email }}\n"
                      for number in range(notes))
    return head + "audience: general\n" + padding + body


def _pack_of_notes(folder: Path) -> Path:
    """A pack with a note on every data set: padding before the errors."""
    return write(folder / "pad.yaml", """\
pack: pad
version: 1
rules:
  - id: PAD001
    name: every-data-set
    severity: note
    summary: A note on every data set.
    description: Padding.
    select: data
    forbid: name != ""
    message: "a note about {name}"
""")


def test_padding_notes_do_not_push_an_error_out_of_the_verdict(tmp_path, cli, monkeypatch):
    write(tmp_path / "pad.tos", padded())
    pack = _pack_of_notes(tmp_path)
    write(tmp_path / ".tospolicy.yml",
          f"packs: [ai, {pack.name}]\nlimits:\n  max-findings-per-file: 10\n")
    monkeypatch.chdir(tmp_path)
    result = cli("check", "pad.tos")
    assert result.exit_code == 1, result.stdout
    lines = result.stdout.splitlines()
    assert any(" AI001 [error] " in line for line in lines)
    note = [line for line in lines if " TOS003 " in line]
    assert len(note) == 1 and " errors" not in note[0] and " notes; " in note[0]
    # The JSON counts what was reported; the exit code judged everything.
    assert cli("check", "pad.tos", "--format", "json").exit_code == 1


def test_the_verdict_counts_errors_left_out_by_the_limit(tmp_path, cli, monkeypatch):
    write(tmp_path / "pad.tos", padded())
    write(tmp_path / ".tospolicy.yml", "packs: [ai]\nlimits:\n  max-findings-per-file: 1\n")
    monkeypatch.chdir(tmp_path)
    result = cli("check", "pad.tos")
    assert result.exit_code == 1
    note = [line for line in result.stdout.splitlines() if " TOS003 " in line]
    assert len(note) == 1 and "error" in note[0].split("[note]")[1]
