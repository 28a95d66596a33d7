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
