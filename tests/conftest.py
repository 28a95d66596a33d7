"""Shared test helpers: running the CLI as users do, and the fixture folders."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent


def _shared() -> Path:
    """`shared/` beside the repository (CI lays it there; a worktree one folder
    deeper finds it one folder further up): the reference data tests read, never
    copied into the project."""
    for candidate in (REPO.parent / "shared", REPO.parent.parent / "shared"):
        if (candidate / "peers").is_dir():
            return candidate
    raise AssertionError(f"the shared reference data is missing: expected {REPO.parent / 'shared'}")


SHARED = _shared()
PEERS = SHARED / "peers"
# Set TOSPOLICY_UPDATE_GOLDEN=1 to rewrite golden files from the current output
# (then review the diff before committing).
UPDATE_GOLDEN = bool(os.environ.get("TOSPOLICY_UPDATE_GOLDEN"))


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def cli():
    """Run `tospolicy ARGS…` in this process (fast), as click would from a shell."""
    from tospolicy.cli.main import main

    def run(*args: str, input: str | None = None, env: dict | None = None) -> Result:
        runner = CliRunner()
        outcome = runner.invoke(main, list(args), input=input, env=env, catch_exceptions=False)
        return Result(outcome.exit_code, outcome.stdout, outcome.stderr)

    return run


def run_tospolicy(*args: str, cwd: Path | None = None, env: dict | None = None,
                  timeout: float = 120, max_memory: int | None = None) -> Result:
    """Run `python -m tospolicy ARGS…` in a new process: the whole program, start-up included.

    `max_memory` (bytes) caps the process's address space: a run that needs
    more fails (MemoryError, one line on stderr) instead of passing."""

    def cap_memory():
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (max_memory, max_memory))

    full_env = dict(os.environ)
    full_env.pop("TOSPOLICY_DEBUG", None)
    if env:
        full_env.update(env)
    completed = subprocess.run(
        [sys.executable, "-m", "tospolicy", *args],
        cwd=cwd, env=full_env, capture_output=True, text=True, timeout=timeout,
        preexec_fn=cap_memory if max_memory else None,
    )
    return Result(completed.returncode, completed.stdout, completed.stderr)


def fixture_files(folder: Path, pattern: str = "*.tos") -> list[Path]:
    """The files a parametrized test runs over; callers assert the list is not empty."""
    return sorted(folder.glob(pattern))


def check_golden(actual: str, golden: Path) -> None:
    if UPDATE_GOLDEN:
        golden.write_text(actual, encoding="utf-8")
    assert golden.exists(), f"{golden} is missing: run with TOSPOLICY_UPDATE_GOLDEN=1 and review it"
    assert actual == golden.read_text(encoding="utf-8")


def check_generated_section(doc: Path, marker: str, generated: str) -> None:
    """`doc` is hand-written prose down to `marker`, then `generated`: a
    document whose tables come from data must not go stale."""
    text = doc.read_text(encoding="utf-8")
    assert marker in text, f"{doc} lost its marker line"
    expected = text.split(marker)[0] + marker + "\n\n" + generated
    if UPDATE_GOLDEN:
        doc.write_text(expected, encoding="utf-8")
        text = expected
    assert text == expected, f"{doc.name} is stale: run with TOSPOLICY_UPDATE_GOLDEN=1"


def benchmark_generator():
    """`benchmarks/generate.py`, imported (benchmarks/ is not a package)."""
    name = "tospolicy_benchmarks_generate"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, REPO / "benchmarks" / "generate.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up while being made
        spec.loader.exec_module(module)
    return sys.modules[name]
