"""The hooks of `.pre-commit-hooks.yaml`, run as pre-commit runs them: each hook's
`entry` with the changed files its `files` pattern selects appended (unless
`pass_filenames: false`), in a project with a configuration, an excluded
folder and a rule pack of its own with fixtures."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO

HOOKS = {hook["id"]: hook for hook in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
# The console script installed next to this interpreter, as pre-commit's own
# environment for a `language: python` hook would have it.
SCRIPTS = Path(sys.executable).parent

PACK = """pack: local
tests: ./fixtures/
rules:
  - id: LOCAL001
    name: no-research
    severity: error
    summary: Data is not used for research.
    select: use
    forbid: purposes under research
"""
FIXTURE = """service "Fixture" {
  data notes { categories: content.text }
  use notes for research  # expect: LOCAL001
  use notes for analytics  # expect-not: LOCAL001
}
"""
GOOD = 'service "S" {\n  data notes { categories: content.text }\n\n  use notes for analytics\n}\n'


@pytest.fixture
def project(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".tospolicy.yml").write_text(
        "packs: [core, ./packs/local.yaml]\nexclude: ['vendor/**']\n")
    (tmp_path / "packs" / "fixtures").mkdir(parents=True)
    (tmp_path / "packs" / "local.yaml").write_text(PACK)
    (tmp_path / "packs" / "fixtures" / "research.tos").write_text(FIXTURE)
    (tmp_path / "vendor").mkdir()
    (tmp_path / "vendor" / "theirs.tos").write_text('service "V" { use x for research }')
    (tmp_path / "ours.tos").write_text(GOOD)
    return tmp_path


def run_hook(hook_id: str, changed: list[str], cwd: Path) -> subprocess.CompletedProcess:
    hook = HOOKS[hook_id]
    assert hook["language"] == "python"
    pattern = re.compile(hook.get("files", ""))
    files = [name for name in changed if pattern.search(name)]
    command = shlex.split(hook["entry"])
    command[0] = str(SCRIPTS / command[0])
    if hook.get("pass_filenames", True):
        command += files
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120)


def test_the_hooks_are_the_three_documented():
    assert set(HOOKS) == {"tospolicy", "tospolicy-fmt", "tospolicy-test"}
    readme = (REPO / "README.md").read_text()
    for hook_id in HOOKS:
        assert f"id: {hook_id}" in readme


def test_check_hook_skips_excluded_files_and_the_packs_fixtures(project):
    changed = ["ours.tos", "vendor/theirs.tos", "packs/fixtures/research.tos", ".tospolicy.yml"]
    result = run_hook("tospolicy", changed, project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "vendor" not in result.stdout and "research.tos" not in result.stdout


def test_check_hook_fails_on_a_changed_declaration_with_an_error(project):
    (project / "ours.tos").write_text(GOOD.replace("analytics", "research"))
    result = run_hook("tospolicy", ["ours.tos"], project)
    assert result.returncode == 1
    assert "ours.tos:4:3: LOCAL001 [error]" in result.stdout


def test_fmt_hook_fails_on_an_unformatted_declaration_and_writes_nothing(project):
    messy = 'service "S" { data notes { categories: content.text } use notes for analytics }'
    (project / "ours.tos").write_text(messy)
    result = run_hook("tospolicy-fmt", ["ours.tos", "vendor/theirs.tos"], project)
    assert result.returncode == 1
    assert "would reformat ours.tos" in result.stderr and "theirs" not in result.stderr
    assert (project / "ours.tos").read_text() == messy
    (project / "ours.tos").write_text(GOOD)
    assert run_hook("tospolicy-fmt", ["ours.tos"], project).returncode == 0


def test_test_hook_runs_the_configured_pack_against_its_fixtures(project):
    result = run_hook("tospolicy-test", ["packs/fixtures/research.tos"], project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "local: all 2 expectations met in 1 fixture file." in result.stdout
    (project / "packs" / "fixtures" / "research.tos").write_text(
        FIXTURE.replace("# expect: LOCAL001", ""))
    result = run_hook("tospolicy-test", ["packs/fixtures/research.tos"], project)
    assert result.returncode == 1
    assert "research.tos:3: LOCAL001 was reported but not expected" in result.stdout


def test_test_hook_without_pack_files_passes(tmp_path):
    (tmp_path / ".git").mkdir()
    result = run_hook("tospolicy-test", ["a.yaml"], tmp_path)
    assert result.returncode == 0
    assert "no rule pack files to test" in result.stderr
