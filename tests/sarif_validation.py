"""The two validators SARIF output must pass, as real tools.

- The SARIF 2.1.0 JSON schema from OASIS (`../shared/peers/sarif/`, read
  from there, never copied), with a draft-04 validator and
  format checking; `rfc3986-validator` makes `uri-reference` checked.
- Microsoft's SARIF multitool (`npm ci --prefix tests/tools`), `validate
  --rule-kind "Sarif;Ghas"`, which checks what GitHub code scanning needs. It
  exits 0 even when it finds problems, so its own SARIF output is read.

The multitool must be installed: a missing tool fails the test, since a skipped
validation looks like a passed one. Only an explicit TOSPOLICY_SKIP_MULTITOOL=1
outside CI turns that into a (reported) skip.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from jsonschema import Draft4Validator, FormatChecker

from conftest import PEERS

TESTS = Path(__file__).resolve().parent
SCHEMA_FILE = PEERS / "sarif" / "sarif-schema-2.1.0.json"
TOOLS = TESTS / "tools"


def schema_errors(log: dict) -> list[str]:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    validator = Draft4Validator(schema, format_checker=FormatChecker())
    return [
        f"{'/'.join(str(part) for part in error.absolute_path)}: {error.message}"
        for error in validator.iter_errors(log)
    ]


def multitool() -> Path:
    """The platform binary, found the way the npm package finds it (its own
    `bin.js` runs it through a shell, which splits `Sarif;Ghas` at the `;`)."""
    problem = None
    node = shutil.which("node")
    if node is None:
        problem = "node is not installed"
    else:
        found = subprocess.run(
            [node, "-p", "require('@microsoft/sarif-multitool')"],
            cwd=TOOLS, capture_output=True, text=True, timeout=60,
        )
        binary = Path(found.stdout.strip())
        if found.returncode == 0 and binary.is_file():
            return binary
        problem = f"the SARIF multitool is not installed ({found.stderr.strip().splitlines()[-1:]})"
    message = f"{problem}: run `npm ci --prefix tests/tools` (README, Run the tests)"
    if os.environ.get("TOSPOLICY_SKIP_MULTITOOL") == "1" and not os.environ.get("CI"):
        pytest.skip(f"TOSPOLICY_SKIP_MULTITOOL=1: {message}")
    pytest.fail(message)


def multitool_problems(logs: list[Path], work: Path) -> list[str]:
    """Every error or warning the multitool reports on `logs`, one line each."""
    out = work / "multitool-output.sarif"
    if out.exists():
        out.unlink()
    completed = subprocess.run(
        [str(multitool()), "validate", "--rule-kind", "Sarif;Ghas", "--level", "Error;Warning",
         "-o", str(out), *map(str, logs)],
        capture_output=True, text=True, timeout=300,
    )
    assert out.is_file(), f"the multitool wrote no output:\n{completed.stdout}\n{completed.stderr}"
    report = json.loads(out.read_text(encoding="utf-8-sig"))
    problems = []
    for run in report["runs"]:
        levels = {rule["id"]: rule.get("defaultConfiguration", {}).get("level", "warning")
                  for rule in run["tool"]["driver"].get("rules", [])}
        for result in run.get("results", []):
            level = result.get("level") or levels.get(result["ruleId"], "warning")
            if level in ("error", "warning"):
                where = result["locations"][0]["physicalLocation"]
                problems.append(f"{result['ruleId']} {level} {where['artifactLocation']['uri']}"
                                f":{where.get('region', {}).get('startLine')}: {result['message']}")
        for invocation in run.get("invocations", []):
            for notification in invocation.get("toolExecutionNotifications", []):
                problems.append(f"multitool notification: {notification['message']}")
            if not invocation.get("executionSuccessful", True):
                problems.append(f"multitool failed:\n{completed.stdout}")
    return problems


def assert_valid_sarif(path: Path, work: Path) -> dict:
    """Both validators pass on the SARIF file at `path`; returns the log."""
    log = json.loads(path.read_bytes().decode("utf-8"))
    assert schema_errors(log) == []
    assert multitool_problems([path], work) == []
    return log
