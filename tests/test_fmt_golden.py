"""`tospolicy fmt` on the cases in tests/formatting/: each `NAME.tos` must become
exactly its `NAME.formatted.tos`, which is itself already canonical.

Run with TOSPOLICY_UPDATE_GOLDEN=1 to rewrite the expected files, then review
the diff: they are the canonical form's specification by example.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import TESTS, check_golden, fixture_files

CASES = [path for path in fixture_files(TESTS / "formatting")
         if not path.name.endswith(".formatted.tos")]


def test_there_are_cases():
    assert len(CASES) > 0


def _expected(case: Path) -> Path:
    return case.with_name(case.name.removesuffix(".tos") + ".formatted.tos")


@pytest.mark.parametrize("case", CASES, ids=lambda path: path.stem)
def test_fmt_writes_the_expected_canonical_form(case: Path, cli, tmp_path, monkeypatch):
    shutil.copy(case, tmp_path / case.name)
    monkeypatch.chdir(tmp_path)
    result = cli("fmt", case.name)
    assert result.exit_code == 0, result.stderr
    check_golden((tmp_path / case.name).read_text(encoding="utf-8"), _expected(case))


@pytest.mark.parametrize("case", CASES, ids=lambda path: path.stem)
def test_the_expected_form_is_left_as_it_is(case: Path, cli, monkeypatch):
    monkeypatch.chdir(case.parent)
    result = cli("fmt", "--check", _expected(case).name)
    assert result.exit_code == 0, result.stderr
    assert "1 file left unchanged" in result.stderr
