"""The parser-table cache holds pickles: it is used only from a private folder
of the current user, and a damaged cache file is rebuilt, never trusted."""

from __future__ import annotations

import os

import pytest

from conftest import run_tospolicy

DECLARATION = 'service "S" {\n  effective: 2024-01-01\n  data d\n  use d for analytics\n}\n'


def check(tmp_path, cache) -> str:
    (tmp_path / "a.tos").write_text(DECLARATION, encoding="utf-8")
    result = run_tospolicy("check", "-p", "core", "a.tos", cwd=tmp_path,
                           env={"TOSPOLICY_CACHE_DIR": str(cache)})
    assert result.stderr == "" and result.exit_code == 0
    return result.stdout


def test_a_folder_others_can_write_is_not_used(tmp_path):
    cache = tmp_path / "shared-cache"
    cache.mkdir()
    cache.chmod(0o777)
    assert check(tmp_path, cache) == "No findings in 1 file.\n"
    assert list(cache.iterdir()) == []


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="needs root to chown")
def test_a_folder_owned_by_someone_else_is_not_used(tmp_path):
    cache = tmp_path / "their-cache"
    cache.mkdir(mode=0o700)
    os.chown(cache, 65534, 65534)
    assert check(tmp_path, cache) == "No findings in 1 file.\n"
    assert list(cache.iterdir()) == []


def test_a_damaged_cache_file_is_rebuilt(tmp_path):
    cache = tmp_path / "cache"
    expected = check(tmp_path, cache)
    files = sorted(cache.glob("*.lark-cache"))
    assert len(files) == 2  # the declaration grammar and the condition grammar
    for path in files:
        head = path.read_bytes().split(b"\n", 1)[0]  # keep the digest Lark checks first
        path.write_bytes(head + b"\n" + b"not a pickle" * 100)
    assert check(tmp_path, cache) == expected
