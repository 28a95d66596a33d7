"""Runs the steps of a composite action (`action.yml`) as a GitHub runner does.

Each step in order: its `if:` evaluated (the few expression forms action.yml
uses; anything else fails the test), its `env:` and `with:` expanded (`${{ }}`
is allowed there only: a `run:` holding one fails the test), a `run:` step
written to a script file and run with its `shell` (bash as the runner calls
it: `bash --noprofile --norc -eo pipefail FILE`) in the workspace, with the
variables a runner gives each step: fresh `GITHUB_OUTPUT`, `GITHUB_ENV`,
`GITHUB_PATH` and `GITHUB_STEP_SUMMARY` files, read back afterwards in the
runner's formats (`name=value` and `name<<DELIMITER`). A `uses:` step is not
run: the test's handler for that action checks its inputs and returns its
outputs. The first failing step ends the run, as `success()` would.

Workflow commands are collected from every line of every step's standard
output and error, as the runner reads them, so a test can assert that nothing
but the action's own annotations is a command.
"""

from __future__ import annotations

import os
import re
import subprocess
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import yaml

EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
BASH = ["bash", "--noprofile", "--norc", "-eo", "pipefail"]


class ActionDefinitionError(AssertionError):
    """action.yml does something a runner would refuse or this emulator cannot judge."""


@dataclass
class StepRun:
    id: str
    name: str
    status: str  # "success", "failure" or "skipped"
    uses: str = ""
    inputs: dict = field(default_factory=dict)  # a uses: step's `with:`
    env: dict = field(default_factory=dict)  # a run: step's `env:`, expanded
    exit_code: int = 0
    stdout: str = ""
    stderr: str = ""
    outputs: dict = field(default_factory=dict)
    summary: str = ""


@dataclass
class ActionRun:
    steps: list[StepRun]
    outputs: dict  # the action's outputs

    @property
    def failed(self) -> StepRun | None:
        return next((step for step in self.steps if step.status == "failure"), None)

    def step(self, step_id: str) -> StepRun:
        return next(step for step in self.steps if step.id == step_id)

    @property
    def log(self) -> str:
        return "".join(step.stdout + step.stderr for step in self.steps)

    @property
    def commands(self) -> list[str]:
        """Every line the runner would read as a workflow command."""
        return [line.lstrip() for line in self.log.splitlines() if line.lstrip().startswith("::")]

    @property
    def summary(self) -> str:
        return "".join(step.summary for step in self.steps)


def read_file_commands(text: str) -> dict[str, str]:
    """`$GITHUB_OUTPUT` / `$GITHUB_ENV` as the runner parses them: `name=value`,
    or `name<<DELIMITER`, the value's lines, then the delimiter alone on a line."""
    values = {}
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if not line:
            continue
        equals, heredoc = line.find("="), line.find("<<")
        if equals >= 0 and (heredoc < 0 or equals < heredoc):
            values[line[:equals]] = line[equals + 1:]
            continue
        if heredoc < 0:
            raise ActionDefinitionError(f"invalid line in a file command: {line!r}")
        name, delimiter = line[:heredoc], line[heredoc + 2:]
        value = []
        while True:
            if index >= len(lines):
                raise ActionDefinitionError(f"{name}: no closing delimiter {delimiter!r}")
            current = lines[index]
            index += 1
            if current == delimiter:
                break
            value.append(current)
        values[name] = "\n".join(value)
    return values


def _as_runner_string(value) -> str:
    """Inputs, `with:` and `env:` values reach a step as strings."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


class _Context:
    def __init__(self, inputs: dict, action_path: Path, runner_temp: Path):
        self.inputs = inputs
        self.action_path = action_path
        self.runner_temp = runner_temp
        self.steps: dict[str, dict] = {}

    def value(self, expression: str) -> str:
        parts = expression.split(".")
        if parts[0] == "inputs" and len(parts) == 2:
            if parts[1] not in self.inputs:
                raise ActionDefinitionError(f"no input {parts[1]!r}")
            return self.inputs[parts[1]]
        if parts[0] == "steps" and len(parts) == 4 and parts[2] == "outputs":
            return self.steps.get(parts[1], {}).get(parts[3], "")
        if expression == "github.action_path":
            return str(self.action_path)
        if expression == "runner.temp":
            return str(self.runner_temp)
        raise ActionDefinitionError(f"expression not supported by the emulator: {expression!r}")

    def expand(self, text) -> str:
        return EXPRESSION.sub(lambda match: self.value(match.group(1)), _as_runner_string(text))

    def condition(self, text) -> bool:
        """`if:` in the forms action.yml uses: `REF == 'literal'` or `REF != 'literal'`."""
        text = _as_runner_string(text).strip()
        match = EXPRESSION.fullmatch(text)
        text = match.group(1) if match else text
        match = re.fullmatch(r"([\w.-]+)\s*(==|!=)\s*'([^']*)'", text)
        if not match:
            raise ActionDefinitionError(f"if: not supported by the emulator: {text!r}")
        # The expression language compares strings without regard to case.
        equal = self.value(match.group(1)).lower() == match.group(3).lower()
        return equal if match.group(2) == "==" else not equal


def run_action(
    action_path: Path,
    workspace: Path,
    runner_env: dict[str, str],
    inputs: dict[str, str],
    uses: dict[str, Callable[[dict], dict]],
) -> ActionRun:
    """Run `action_path/action.yml` in `workspace`. `runner_env` holds the
    variables the runner sets for the job (RUNNER_TEMP among them); `inputs` the
    `with:` of the workflow step; `uses` a handler per action (`owner/repo[/path]`)."""
    definition = yaml.safe_load((action_path / "action.yml").read_text(encoding="utf-8"))
    if definition["runs"]["using"] != "composite":
        raise ActionDefinitionError("not a composite action")
    declared = definition.get("inputs") or {}
    for name in inputs:
        if name not in declared:
            raise ActionDefinitionError(f"the action has no input {name!r}")
    values = {name: _as_runner_string(inputs.get(name, spec.get("default", "")))
              for name, spec in declared.items()}
    temp = Path(runner_env["RUNNER_TEMP"])
    context = _Context(values, action_path, temp)
    files = temp / "_runner_file_commands"
    files.mkdir(parents=True, exist_ok=True)
    job_env: dict[str, str] = {}
    extra_path: list[str] = []
    steps: list[StepRun] = []
    failed = False
    for number, step in enumerate(definition["runs"]["steps"]):
        step_id = step.get("id", f"__step{number}")
        name = step.get("name", step.get("uses", step_id))
        if "run" in step and EXPRESSION.search(step["run"]):
            raise ActionDefinitionError(f"step {name!r}: ${{{{ }}}} inside run: is an injection")
        if "run" in step and "shell" not in step:
            raise ActionDefinitionError(f"step {name!r}: a run: step of a composite action needs shell:")
        runs = not failed and ("if" not in step or context.condition(step["if"]))
        if not runs:
            steps.append(StepRun(step_id, name, "skipped", uses=step.get("uses", "")))
            context.steps[step_id] = {}
            continue
        if "uses" in step:
            action = step["uses"].split("@", 1)[0]
            if action not in uses:
                raise ActionDefinitionError(f"step {name!r}: no handler for {action}")
            given = {key: context.expand(value) for key, value in (step.get("with") or {}).items()}
            outputs = {key: _as_runner_string(value) for key, value in uses[action](given).items()}
            result = StepRun(step_id, name, "success", uses=step["uses"], inputs=given, outputs=outputs)
        else:
            result = _run_step(step, step_id, name, context, runner_env, job_env, extra_path,
                               workspace, files)
            failed = result.status == "failure"
        steps.append(result)
        context.steps[step_id] = result.outputs
    outputs = {name: context.expand(spec.get("value", ""))
               for name, spec in (definition.get("outputs") or {}).items()}
    return ActionRun(steps, outputs)


def _run_step(step, step_id, name, context, runner_env, job_env, extra_path, workspace, files) -> StepRun:
    if step["shell"] != "bash":
        raise ActionDefinitionError(f"step {name!r}: the emulator runs bash steps only")
    token = uuid.uuid4().hex
    paths = {kind: files / f"{kind}_{token}" for kind in ("output", "env", "path", "summary")}
    for path in paths.values():
        path.write_text("")
    script = files / f"{token}.sh"
    script.write_text(step["run"], encoding="utf-8")
    env = dict(runner_env)
    env.update(job_env)
    if extra_path:
        env["PATH"] = os.pathsep.join([*reversed(extra_path), env.get("PATH", "")])
    env.update({
        "GITHUB_OUTPUT": str(paths["output"]),
        "GITHUB_ENV": str(paths["env"]),
        "GITHUB_PATH": str(paths["path"]),
        "GITHUB_STEP_SUMMARY": str(paths["summary"]),
        "GITHUB_ACTION_PATH": str(context.action_path),
    })
    step_env = {key: context.expand(value) for key, value in (step.get("env") or {}).items()}
    env.update(step_env)
    working = workspace / step.get("working-directory", ".")
    completed = subprocess.run([*BASH, str(script)], cwd=working, env=env, capture_output=True,
                               text=True, timeout=600)
    job_env.update(read_file_commands(paths["env"].read_text(encoding="utf-8")))
    extra_path += [line for line in paths["path"].read_text(encoding="utf-8").splitlines() if line]
    return StepRun(
        step_id, name, "success" if completed.returncode == 0 else "failure",
        env=step_env,
        exit_code=completed.returncode,
        stdout=completed.stdout,
        stderr=completed.stderr,
        outputs=read_file_commands(paths["output"].read_text(encoding="utf-8")),
        summary=paths["summary"].read_text(encoding="utf-8"),
    )
