"""Writing files: atomic, and never over a file tospolicy did not write."""

from __future__ import annotations

import pytest

from tospolicy.support.files import OverwriteRefused, write_file, written_by_tospolicy

OURS = written_by_tospolicy(b'"tospolicy"')


def test_writes_new_file_and_creates_folders(tmp_path):
    target = tmp_path / "out" / "report.json"
    write_file(target, '{"tool": "tospolicy"}')
    assert target.read_text() == '{"tool": "tospolicy"}'
    assert [path.name for path in target.parent.iterdir()] == ["report.json"]


def test_refuses_to_replace_a_users_file(tmp_path):
    target = tmp_path / "notes.md"
    target.write_text("my notes")
    with pytest.raises(OverwriteRefused, match="--force"):
        write_file(target, "report", ours=OURS)
    assert target.read_text() == "my notes"


def test_replaces_its_own_file_or_with_force(tmp_path):
    target = tmp_path / "report.json"
    target.write_text('{"tool": "tospolicy", "old": true}')
    write_file(target, '{"tool": "tospolicy"}', ours=OURS)
    assert "old" not in target.read_text()
    target.write_text("a user's file")
    write_file(target, "new", force=True)
    assert target.read_text() == "new"


def test_empty_file_may_be_replaced(tmp_path):
    target = tmp_path / "empty.sarif"
    target.write_text("")
    write_file(target, "{}")
    assert target.read_text() == "{}"


def test_a_folder_is_never_replaced(tmp_path):
    with pytest.raises(OverwriteRefused):
        write_file(tmp_path, "x", force=True)
