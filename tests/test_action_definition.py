"""action.yml, the example workflow and the files `tospolicy init` writes, as
GitHub and its linters see them: the schemas of check-jsonschema (action
metadata and workflows), zizmor's offline audits, and the rules the action
keeps (inputs through env, a shell for every step, actions pinned by commit).
Also the pre-commit hook's manifest."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest
import yaml

from conftest import REPO, run_tospolicy

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
ACTION = REPO / "action.yml"
EXAMPLE_WORKFLOWS = sorted((REPO / "examples" / "workflows").glob("*.yml"))
INPUTS = {"paths", "packs", "config", "fail-on", "sarif-file", "upload-sarif", "diff",
          "trusted-rules-from-base"}
OUTPUTS = {"sarif-file", "findings", "errors"}


@pytest.fixture(scope="module")
def init_workflow(tmp_path_factory) -> Path:
    """The workflow `tospolicy init` writes, in a project of its own."""
    folder = tmp_path_factory.mktemp("initialised")
    done = run_tospolicy("init", str(folder))
    assert done.exit_code == 0, done.stderr
    return folder / ".github" / "workflows" / "tospolicy.yml"


def _tool(name: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / name), *args], capture_output=True, text=True, timeout=300)


def test_example_workflows_exist():
    assert len(EXAMPLE_WORKFLOWS) > 0


# --------------------------------------------------------- check-jsonschema

def test_action_metadata_is_valid():
    # vendor.github-actions is SchemaStore's github-action.json: action.yml metadata.
    done = _tool("check-jsonschema", "--builtin-schema", "vendor.github-actions", str(ACTION))
    assert done.returncode == 0, done.stdout + done.stderr


def test_workflows_are_valid(init_workflow):
    # vendor.github-workflows is SchemaStore's github-workflow.json: workflow files.
    done = _tool("check-jsonschema", "--builtin-schema", "vendor.github-workflows",
                 *map(str, EXAMPLE_WORKFLOWS), str(init_workflow))
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_schema_check_can_fail(tmp_path):
    broken = tmp_path / "action.yml"
    broken.write_text(ACTION.read_text().replace("using: composite", "using: compost"))
    done = _tool("check-jsonschema", "--builtin-schema", "vendor.github-actions", str(broken))
    assert done.returncode == 1


# ------------------------------------------------------------------- zizmor

def _zizmor(*paths: Path, ignores: bool = True) -> list[dict]:
    """zizmor's findings (offline, default configuration), as its JSON output lists them."""
    args = ["--offline", "--no-config", "--format", "json", *map(str, paths)]
    done = _tool("zizmor", *args if ignores else ["--no-ignores", *args])
    # 0: no finding; 10 + the highest severity otherwise; anything else: zizmor failed.
    assert done.returncode == 0 or 10 <= done.returncode <= 14, done.stderr
    findings = json.loads(done.stdout)
    assert (done.returncode == 0) == (findings == []), done.stdout
    return findings


def test_zizmor_finds_nothing(init_workflow):
    assert _zizmor(ACTION, *EXAMPLE_WORKFLOWS, init_workflow) == []


def test_the_only_ignored_finding_is_the_tag_of_tospolicy_itself(init_workflow):
    """The workflows reference this action by its release tag (its commit SHA
    cannot be known when writing them); that one finding is ignored inline."""
    for workflow in [*EXAMPLE_WORKFLOWS, init_workflow]:
        findings = _zizmor(workflow, ignores=False)
        assert [finding["ident"] for finding in findings] == ["unpinned-uses"]
        feature = findings[0]["locations"][0]["concrete"]["feature"]
        assert feature.startswith("uses: tospolicy/tospolicy@v")


def test_zizmor_finds_an_input_expanded_in_a_script(tmp_path):
    injected = tmp_path / "action.yml"
    injected.write_text(ACTION.read_text().replace(
        """run: '"$TOSPOLICY_PYTHON" -P -m tospolicy.action'""", 'run: echo "${{ inputs.paths }}"'))
    assert "template-injection" in {finding["ident"] for finding in _zizmor(injected)}


# ---------------------------------------------------- the action's own rules

def _definition() -> dict:
    return yaml.safe_load(ACTION.read_text(encoding="utf-8"))


def test_inputs_and_outputs_are_the_interface():
    definition = _definition()
    assert set(definition["inputs"]) == INPUTS
    assert set(definition["outputs"]) == OUTPUTS
    assert all(spec.get("description") for spec in definition["inputs"].values())
    assert len(definition["description"]) <= 125  # GitHub Marketplace's limit


def test_scripts_take_inputs_from_the_environment_only():
    steps = _definition()["runs"]["steps"]
    scripts = [step for step in steps if "run" in step]
    assert len(scripts) >= 3
    for step in scripts:
        assert step["shell"] == "bash", step["name"]
        assert "${{" not in step["run"], step["name"]
        assert not re.search(r"\beval\b", step["run"]), step["name"]


def test_actions_are_pinned_to_a_commit_with_its_version():
    lines = [line.strip() for line in ACTION.read_text().splitlines() if line.strip().startswith("uses:")]
    assert len(lines) == 2
    for line in lines:
        assert re.fullmatch(r"uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+", line), line


def test_every_example_pins_its_other_actions(init_workflow):
    for workflow in [*EXAMPLE_WORKFLOWS, init_workflow]:
        for line in workflow.read_text().splitlines():
            if "uses:" in line and "tospolicy/tospolicy@" not in line:
                assert re.search(r"uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+", line), line


def test_the_example_workflow_is_the_one_init_writes_and_the_readme_shows(init_workflow):
    example = (REPO / "examples" / "workflows" / "tospolicy.yml").read_text(encoding="utf-8")
    assert init_workflow.read_text(encoding="utf-8") == example
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"```yaml\n{example}```" in readme


# ---------------------------------------------------------------- pre-commit

# The keys of a hook in pre-commit's manifest (pre_commit/clientlib.py, MANIFEST_HOOK_DICT).
HOOK_REQUIRED = {"id", "name", "entry", "language"}
HOOK_KEYS = HOOK_REQUIRED | {
    "alias", "files", "exclude", "types", "types_or", "exclude_types", "additional_dependencies",
    "args", "always_run", "fail_fast", "pass_filenames", "description", "language_version",
    "log_file", "minimum_pre_commit_version", "require_serial", "stages", "verbose",
}


def test_pre_commit_hook(tmp_path):
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert isinstance(hooks, list)
    assert [hook["id"] for hook in hooks] == ["tospolicy", "tospolicy-fmt", "tospolicy-test"]
    for hook in hooks:
        assert HOOK_REQUIRED <= set(hook) <= HOOK_KEYS
        assert hook["language"] == "python"
    hook = hooks[0]  # the others: tests/test_precommit_hooks.py
    files = re.compile(hook["files"])
    assert files.search("policies/acme.tos") and not files.search("acme.tos.bak")
    program, *arguments = shlex.split(hook["entry"])
    assert program in {script.name for script in entry_points(group="console_scripts")}
    # Run as pre-commit does: the entry, then the staged file names.
    (tmp_path / "good.tos").write_text((REPO / "examples" / "notes-app.tos").read_text())
    (tmp_path / "bad.tos").write_text('service "S" {\n  use ghost for service.provision\n}\n')
    assert run_tospolicy(*arguments, "good.tos", cwd=tmp_path).exit_code == 0
    failed = run_tospolicy(*arguments, "good.tos", "bad.tos", cwd=tmp_path)
    assert failed.exit_code == 1 and "bad.tos:2:7: CORE001" in failed.stdout
