"""Inputs written to break the tool end in findings or a clear error, never in
a traceback, a hang or exhausted memory.

Each runs `tospolicy` in a process of its own with its address space capped
(MEMORY): needing more memory fails the run, so the bound is asserted, not
measured. The subprocess timeout only guards the suite against a hang; no
test asserts how long anything takes.
"""

from __future__ import annotations

import json
import os

import pytest

from conftest import run_tospolicy

# The whole interpreter with lark, re2 and PyYAML loaded maps ~150 MB; a
# 10 MB declaration needs ~300 MB resident. Twice that leaves room, and no
# input may need more.
MEMORY = 1024 * 1024 * 1024

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

EXPECTED = {
    "binary.tos": "TOS002 [error] not a text file: NUL byte on line",
    "invalid-utf8.tos": "TOS002 [error] not UTF-8 text: byte 0xff on line 1, byte 22 of the line",
    "nul-inside.tos": "TOS002 [error] not a text file: NUL byte on line 1",
    "two-mb-line.tos": "TOS002 [error] line 1 is 2097176 characters long, over the limit of 100000",
    "deep-brackets.tos": "TOS001 [error]",
    "deep-braces.tos": "TOS001 [error]",
    "many-errors.tos": "TOS001 [error] unexpected character '@'",
    "only-garbage.tos": "TOS001 [error]",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_ends_in_findings(name, tmp_path):
    (tmp_path / name).write_bytes(HOSTILE[name])
    result = run_tospolicy("check", name, cwd=tmp_path, timeout=120, max_memory=MEMORY)
    assert result.exit_code == 1, result.stderr
    assert result.stderr == ""
    findings = [line for line in result.stdout.splitlines() if line.startswith(name + ":")]
    assert findings and EXPECTED[name] in findings[0], result.stdout[:500]
    assert len(findings) <= 100


def test_a_file_over_the_size_limit_is_not_read(tmp_path):
    (tmp_path / "huge.tos").write_bytes(b"#" * (16 * 1024 * 1024 + 1))
    result = run_tospolicy("check", "huge.tos", cwd=tmp_path, max_memory=MEMORY)
    assert result.exit_code == 1
    assert "huge.tos:1:1: TOS002 [error] file is larger than the limit" in result.stdout


def ten_megabyte_declaration() -> str:
    """A valid declaration of 10 MB: 200 services of 50 data sets each,
    every one used, shared, retained and described."""
    services = []
    number = 0
    size = 0
    while size < 10 * 1024 * 1024:
        lines = [f'service "Service {number}" {{', "  effective: 2024-05-01", '  version: "1.0"']
        for data in range(50):
            lines += [
                f'  data d{data} "Data {data}" {{ categories: content.text, telemetry.usage; '
                "subjects: customer }",
                f"  use d{data} for service.provision, service.improvement {{ basis: contract }}",
                f'  share d{data} with "Vendor {data}" {{ role: processor; regions: eu }}',
                f"  retain d{data} for 30 days after account.closure",
            ]
        lines += ["  right access", "  right appeal", "}"]
        block = "\n".join(lines) + "\n"
        services.append(block)
        size += len(block)
        number += 1
    return "".join(services)


def test_a_ten_megabyte_declaration_is_checked_in_bounded_memory(tmp_path):
    """It parses (no TOS001) and every built-in pack runs on it whole: its
    157,000 statements need 13 million steps of work, more than the budget of
    a small file, so the budget must grow with the file (no TOS002). About
    half a minute on one core, half of it parsing; memory stays near 600 MB."""
    text = ten_megabyte_declaration()
    assert len(text) >= 10 * 1024 * 1024
    (tmp_path / "big.tos").write_text(text, encoding="utf-8")
    result = run_tospolicy("check", "--no-cache", "--format", "json", "big.tos", cwd=tmp_path,
                           timeout=600, max_memory=MEMORY)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    report = json.loads(result.stdout)
    assert report["summary"]["files"] == 1
    assert report["findings"] == []
    assert {"AI001", "GDPR001", "CCPA001", "COPPA001", "CORE001"} <= {
        rule["id"] for rule in report["rules"]}


def test_parse_prints_the_model_of_a_large_declaration_in_bounded_memory(tmp_path):
    """The model of a 2.7 MB declaration is about 80 MB of JSON; it is printed
    service by service (held whole, it took 380 MB for 1.3 MB, 2.7 GB for 10 MB)."""
    text = ten_megabyte_declaration()
    text = text[:text.index('service "Service 200"')]
    (tmp_path / "big.tos").write_text(text, encoding="utf-8")
    result = run_tospolicy("parse", "big.tos", cwd=tmp_path, timeout=600,
                           max_memory=512 * 1024 * 1024)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.endswith('  "comments": []\n}\n')
    assert result.stdout.count('"kind": "service"') == 200


def test_a_baseline_of_millions_of_objects_is_refused_in_bounded_memory(tmp_path):
    """The baseline is part of the pull request: 16 MiB of `{},` decodes to
    5.6 million dicts (about 450 MB); anything larger is not read."""
    (tmp_path / "a.tos").write_text('service "S" {}\n', encoding="utf-8")
    count = 16 * 1024 * 1024 // 3 - 1
    (tmp_path / "bomb.json").write_text("[" + "{}," * count + "{}]", encoding="utf-8")
    (tmp_path / "bigger.json").write_text("[" + "{}," * (count + 1) + "{}]", encoding="utf-8")
    for name, message in (("bomb.json", 'not a tospolicy baseline (no "tospolicy-baseline": 1)'),
                          ("bigger.json", "the baseline is larger than 16777216 bytes")):
        result = run_tospolicy("check", "--baseline", name, "a.tos", cwd=tmp_path,
                               max_memory=MEMORY)
        assert result.exit_code == 2
        assert result.stderr == f"tospolicy: {name}: {message}\n"
