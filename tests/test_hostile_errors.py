"""Inputs that used to end in "internal error" (exit 2) where a located
finding or a one-line usage error is promised (issue 21).

Each runs the command line in a subprocess with `TOSPOLICY_DEBUG=1`, so that
an exception escaping would be a traceback, not a polite line.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import run_tospolicy

DEBUG = {"TOSPOLICY_DEBUG": "1"}


def declaration(value: str) -> str:
    return ('service "Numbers" {\n  effective: 2024-01-01\n'
            '  data notes { categories: content.text }\n'
            f"  retain notes for {value}\n}}\n")


@pytest.mark.parametrize("value", [
    "9" * 5_000 + " days",            # over Python's 4,300-digit limit for int()
    "9" * 400 + " days",              # overflows a float: inf days
    "1" * 16 + " years",
    "0" * 3 + "9" * 400 + ".5 hours",
])
def test_a_number_too_large_is_a_located_syntax_error(tmp_path, value):
    (tmp_path / "n.tos").write_text(declaration(value), encoding="utf-8")
    result = run_tospolicy("check", "n.tos", cwd=tmp_path, env=DEBUG)
    assert result.exit_code == 1, result.stderr
    assert result.stdout.startswith("n.tos:4:20: TOS001 [error] number ")
    assert "is too large: at most 15 digits before the decimal point" in result.stdout
    parsed = run_tospolicy("parse", "n.tos", "--format", "json", cwd=tmp_path, env=DEBUG)
    assert parsed.exit_code == 1 and "Traceback" not in parsed.stderr


def test_the_largest_number_allowed_stays_finite_in_json_and_in_the_diff(tmp_path):
    (tmp_path / "old.tos").write_text(declaration("30 days"), encoding="utf-8")
    (tmp_path / "new.tos").write_text(declaration("9" * 15 + ".99999 years"), encoding="utf-8")
    parsed = run_tospolicy("parse", "new.tos", "--format", "json", cwd=tmp_path, env=DEBUG)
    assert parsed.exit_code == 0, parsed.stderr
    json.loads(parsed.stdout, parse_constant=lambda name: pytest.fail(f"{name} is not JSON"))
    diff = run_tospolicy("diff", "old.tos", "new.tos", cwd=tmp_path, env=DEBUG)
    assert diff.exit_code in (0, 1), diff.stderr
    assert "inf" not in diff.stdout.replace("information", "")


ZOOM = (Path(__file__).parent.parent / "examples" / "zoom-2023-03.tos").read_text(encoding="utf-8")


def _too_deep(root: Path) -> None:
    """A declaration at the bottom of folders whose path is longer than the
    system lets a program name (4,096 bytes): os.walk cannot list the deepest
    folder, as it could not list a folder without read permission (which the
    root user, who runs many CI jobs, always has)."""
    parent = os.open(root, os.O_RDONLY)
    try:
        for number in range(18):
            name = chr(ord("a") + number) * 250
            os.mkdir(name, dir_fd=parent)
            child = os.open(name, os.O_RDONLY, dir_fd=parent)
            os.close(parent)
            parent = child
        file = os.open("hidden.tos", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=parent)
        os.write(file, ZOOM.encode("utf-8"))
        os.close(file)
    finally:
        os.close(parent)


def test_a_folder_that_cannot_be_listed_is_a_finding(tmp_path):
    (tmp_path / "ok.tos").write_text('service "Ok" {}\n', encoding="utf-8")
    (tmp_path / "deep").mkdir()
    _too_deep(tmp_path / "deep")
    result = run_tospolicy("check", cwd=tmp_path, env=DEBUG)
    assert result.exit_code == 1, result.stderr
    unreadable = [line for line in result.stdout.splitlines() if " TOS002 " in line]
    assert len(unreadable) == 1 and unreadable[0].startswith("deep/aaaa")
    assert "its files are not checked" in unreadable[0]


@pytest.mark.parametrize("name", [b"caf\xe9.tos", b"\xff\xfe.tos", b"sub\xc0/x.tos"])
def test_a_file_name_that_is_not_utf8_is_reported_not_skipped(tmp_path, name):
    path = os.path.join(os.fsencode(tmp_path), name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as stream:
        stream.write(ZOOM.encode("utf-8"))
    for output in ("text", "sarif", "github", "markdown", "json"):
        result = run_tospolicy("check", "--format", output, cwd=tmp_path, env=DEBUG)
        assert result.exit_code == 1, result.stderr
        assert "file name is not UTF-8 text" in result.stdout.replace("\\", ""), output


def test_a_loop_of_links_is_a_finding_found_or_named(tmp_path):
    (tmp_path / "a.tos").symlink_to(tmp_path / "b.tos")
    (tmp_path / "b.tos").symlink_to(tmp_path / "a.tos")
    (tmp_path / "ok.tos").write_text(ZOOM, encoding="utf-8")
    for args in (("check",), ("check", "a.tos"), ("diff", "ok.tos", "a.tos")):
        result = run_tospolicy(*args, cwd=tmp_path, env=DEBUG)
        assert result.exit_code in (1, 2), result.stderr
        assert "leads round in a loop: not read" in result.stdout + result.stderr, args
