"""Inputs written to break the parser end in findings, never in a traceback."""

from __future__ import annotations

import os

import pytest

from conftest import run_tospolicy

HOSTILE = {
    "binary.tos": os.urandom(4096) + b"\x00",
    "invalid-utf8.tos": b'service "x" { note: "\xff\xfe" }',
    "nul-inside.tos": b'service "x" {\x00}',
    "two-mb-line.tos": b'service "x" { note: "' + b"a" * (2 * 1024 * 1024) + b'" }',
    "deep-brackets.tos": b'service "x" { a: ' + b"[" * 10_000 + b"]" * 10_000 + b" }",
    "deep-braces.tos": b'service "x" ' + b"{" * 10_000 + b"}" * 10_000,
    "many-errors.tos": b'service "x" {\n' + b"  @\n" * 5000 + b"}\n",
    "only-garbage.tos": b"}{)(" * 10_000,
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_ends_in_findings(name, tmp_path):
    (tmp_path / name).write_bytes(HOSTILE[name])
    result = run_tospolicy("check", name, cwd=tmp_path, timeout=60)
    assert result.exit_code == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    findings = [line for line in result.stdout.splitlines() if line.startswith(name + ":")]
    assert findings, result.stdout
    assert len(findings) <= 100


def test_a_file_over_the_size_limit_is_not_read(tmp_path):
    (tmp_path / "huge.tos").write_bytes(b"#" * (16 * 1024 * 1024 + 1))
    result = run_tospolicy("check", "huge.tos", cwd=tmp_path)
    assert result.exit_code == 1
    assert "huge.tos:1:1: TOS002 [error] file is larger than the limit" in result.stdout
