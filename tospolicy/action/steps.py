"""The work of the GitHub Action (`action.yml`): check, write SARIF, annotate,
summarise, set the outputs. The action's check step runs it as
`python -P -m tospolicy.action`, with the inputs in `INPUT_*` variables.

Python rather than shell: inputs, file names, declarations and packs can come
from a pull request, and here none of them is ever read by a shell, split by
one, or spliced into a command. Everything that reaches the log goes through
the workflow-command escaping of `reporters.github`, every output value is
written in the delimited form of `$GITHUB_OUTPUT`, and the job summary is the
escaped markdown of the reporters, so a declaration cannot issue a command
(`::set-output`, `::add-mask`…) or forge an output.

The step itself fails (exit 2) only when tospolicy cannot run as asked; the
verdict of `fail-on` is the `failure` output, acted on by the action's last
step, after the SARIF upload. docs/action.md describes the behaviour.
"""

from __future__ import annotations

import json
import os
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tospolicy.checking.checker import CheckReport
    from tospolicy.language.taxonomy import Taxonomy

EXIT_OK, EXIT_ERROR = 0, 2
# GitHub shows at most 10 error, 10 warning and 10 notice annotations per step.
ANNOTATIONS_PER_KIND = 10
# GitHub refuses a step summary over 1 MiB.
SUMMARY_LIMIT = 1024 * 1024 - 4 * 1024
FAIL_ON = ("error", "warning", "note", "never")
PULL_REQUEST_EVENTS = ("pull_request", "pull_request_target")
MAX_EVENT_BYTES = 64 * 1024 * 1024
# Actors whose `pull_request` runs get a read-only token whatever the workflow asks.
READ_ONLY_ACTORS = ("dependabot[bot]",)


class ActionError(Exception):
    """tospolicy cannot run as asked; each problem is one line."""

    def __init__(self, *problems: str):
        self.problems = list(problems)
        super().__init__("\n".join(problems))


# ------------------------------------------------------------------- inputs

def split_list(text: str) -> tuple[str, ...]:
    """A list input: one entry per line when it has several lines, else entries
    separated by whitespace on its one line."""
    text = text.strip()
    if "\n" in text:
        return tuple(line.strip() for line in text.splitlines() if line.strip())
    return tuple(text.split())


def _flag(env, name: str) -> bool:
    value = env.get(name, "").strip().lower()
    if value not in ("true", "false"):
        raise ActionError(f"input {_input_name(name)} must be true or false, not {value!r}")
    return value == "true"


def _input_name(variable: str) -> str:
    return variable.removeprefix("INPUT_").lower().replace("_", "-")


@dataclass(frozen=True)
class Inputs:
    paths: tuple[str, ...]
    packs: tuple[str, ...]
    config: str | None
    fail_on: str | None
    sarif_file: str | None
    upload_sarif: bool
    diff: bool
    trusted_rules_from_base: bool

    @classmethod
    def from_environment(cls, env) -> Inputs:
        fail_on = env.get("INPUT_FAIL_ON", "").strip() or None
        if fail_on is not None and fail_on not in FAIL_ON:
            raise ActionError(f"input fail-on must be one of {', '.join(FAIL_ON)}, not {fail_on!r}")
        return cls(
            paths=split_list(env.get("INPUT_PATHS", "")),
            packs=split_list(env.get("INPUT_PACKS", "")),
            config=env.get("INPUT_CONFIG", "").strip() or None,
            fail_on=fail_on,
            sarif_file=env.get("INPUT_SARIF_FILE", "").strip() or None,
            upload_sarif=_flag(env, "INPUT_UPLOAD_SARIF"),
            diff=_flag(env, "INPUT_DIFF"),
            trusted_rules_from_base=_flag(env, "INPUT_TRUSTED_RULES_FROM_BASE"),
        )


# -------------------------------------------------------------------- event

@dataclass(frozen=True)
class PullRequest:
    event: str
    base_sha: str
    from_fork: bool


def _is_sha(text) -> bool:
    return isinstance(text, str) and len(text) in (40, 64) and all(c in "0123456789abcdef" for c in text)


def pull_request(env) -> PullRequest | None:
    """The pull request the run is for, from the event payload; None for other events.

    A pull request comes from a fork when its head repository is not its base
    repository (or is gone: a deleted fork). `head.repo.fork` would be wrong:
    a branch of a fork proposed to that same fork is not from a fork.
    """
    event = env.get("GITHUB_EVENT_NAME", "")
    if event not in PULL_REQUEST_EVENTS:
        return None
    path = env.get("GITHUB_EVENT_PATH", "")
    try:
        with open(path, "rb") as stream:
            payload = json.loads(stream.read(MAX_EVENT_BYTES))
    except (OSError, ValueError, RecursionError) as error:  # RecursionError: nested 100,000 deep
        raise ActionError(f"cannot read the {event} event payload {path!r}: "
                          f"{type(error).__name__}: {error}") from None
    # Any JSON can stand where an object is expected (a list, a string, null):
    # what is not an object counts as absent.
    request = _field(payload, "pull_request")
    base, head = _field(request, "base"), _field(request, "head")
    if not _is_sha(base.get("sha")):
        raise ActionError(f"the {event} event payload has no pull_request.base.sha")
    base_repo = _field(base, "repo").get("full_name")
    head_repo = _field(head, "repo").get("full_name")
    from_fork = not isinstance(head_repo, str) or head_repo != base_repo
    return PullRequest(event, base["sha"], from_fork=from_fork)


def _field(value, key: str) -> dict:
    """`value[key]` when both are JSON objects, else an empty one."""
    inner = value.get(key) if isinstance(value, dict) else None
    return inner if isinstance(inner, dict) else {}


def upload_plan(inputs: Inputs, request: PullRequest | None, env) -> tuple[bool, str]:
    """Whether to upload the SARIF log, and why not when it was asked for."""
    if not inputs.upload_sarif:
        return False, ""
    # With pull_request_target the token is the base repository's own.
    if request is not None and request.event == "pull_request":
        why = None
        if request.from_fork:
            why = "a pull request from a fork"
        elif env.get("GITHUB_ACTOR") in READ_ONLY_ACTORS:
            why = f"a pull request by {env['GITHUB_ACTOR']}"
        if why:
            return False, (f"SARIF not uploaded to code scanning: the token of {why} cannot write "
                           "security events. The findings are in the annotations and the job summary.")
    return True, ""


# --------------------------------------------------------------- the check

@dataclass
class Outcome:
    """What the check found and how the run is configured, for the reports."""

    report: CheckReport
    fails: bool  # the pipeline's verdict under `fail_on`
    fail_on: str
    taxonomy: Taxonomy  # the built-in one, extended by the packs' terms
    notes: list[str]


def _base_commit(request: PullRequest | None, inputs: Inputs, cwd: Path, notes: list[str]) -> str | None:
    """The pull request's base commit (for the trusted rules, the diff and the
    order of annotations), fetched when the clone lacks it; None without a pull
    request, or when it cannot be had and the trusted rules do not need it."""
    from tospolicy.support.gitrepo import GitError, fetch_commit, has_commit, toplevel
    from tospolicy.reporters.markdown import escape

    if request is None:
        return None
    try:
        top = toplevel(cwd)
        if not has_commit(request.base_sha, top):
            fetch_commit(request.base_sha, top)
        return request.base_sha
    except GitError as error:
        reason = f"cannot read the base commit {request.base_sha} of the pull request"
        advice = "check out with fetch-depth: 0"
        if inputs.trusted_rules_from_base:
            raise ActionError(f"{reason} ({error}); {advice} (trusted-rules-from-base needs it)") from None
        if inputs.diff:
            notes.append(f"No semantic diff: {reason} ({escape(str(error))}); {advice}.")
        return None


def _settings(inputs: Inputs, base: str | None, cwd: Path, temp: Path, notes: list[str]):
    """The merged settings and the folder the baseline's names are relative to."""
    from tospolicy.checking.config import ConfigError, settings
    from tospolicy.reporters.markdown import escape
    from tospolicy.action.trusted import TrustedRulesError, trusted_settings

    try:
        if base is None or not inputs.trusted_rules_from_base:
            merged = settings(Path(inputs.config) if inputs.config else None, inputs.packs,
                              inputs.fail_on, None, cwd=cwd)
            return merged, None
        trusted = trusted_settings(base, cwd, temp / "tospolicy-trusted-rules", inputs.config,
                                   inputs.packs, inputs.fail_on)
    except ConfigError as error:
        raise ActionError(*error.problems) from None
    except TrustedRulesError as error:
        raise ActionError(f"trusted-rules-from-base: {error}") from None
    files = ", ".join(escape(path) for path in trusted.read) or "none, so the defaults apply"
    notes.append(f"Rules from the base commit `{base[:12]}` (trusted-rules-from-base): {files}.")
    if trusted.changed:
        changed = ", ".join(escape(path) for path in trusted.changed)
        notes.append(f"This pull request changes {changed}: the change applies once it is merged.")
    return trusted.settings, trusted.baseline_folder


def run_check(inputs: Inputs, base: str | None, cwd: Path, temp: Path) -> Outcome:
    """The one check pipeline of `tospolicy check`, on the Action's settings."""
    from tospolicy.checking.pipeline import PipelineError, load_rules, run
    from tospolicy.reporters.markdown import escape

    notes: list[str] = []
    merged, baseline_folder = _settings(inputs, base, cwd, temp, notes)
    try:
        rule_set = load_rules(merged)
        for warning in rule_set.warnings:
            notes.append(f"Configuration: {escape(str(warning))}")
        outcome = run(merged, [Path(path) for path in inputs.paths], cwd=cwd, rule_set=rule_set,
                      baseline_folder=baseline_folder)
    except PipelineError as error:
        raise ActionError(*error.problems) from None
    if outcome.missing:
        raise ActionError(*(f"input paths: {path}: no such file or folder" for path in outcome.missing))
    return Outcome(outcome.report, outcome.fails, merged.fail_on, rule_set.taxonomy, notes)


# ------------------------------------------------------------------ reports

def select_annotations(findings, changed: set[str]):
    """At most ANNOTATIONS_PER_KIND findings of each severity (GitHub's limit):
    those in files the pull request changes first, then in file order."""
    chosen = []
    for severity in ("error", "warning", "note"):
        same = [finding for finding in findings if finding.severity == severity]
        same.sort(key=lambda finding: (finding.span.file not in changed, finding.sort_key))
        chosen += same[:ANNOTATIONS_PER_KIND]
    return chosen


def annotations(report, changed: set[str], cwd: Path) -> tuple[str, int]:
    """The annotation lines, and how many findings they leave out."""
    from tospolicy.checking.checker import CheckReport
    from tospolicy.checking.onefile import FileReport
    from tospolicy.reporters import RenderOptions, render
    from tospolicy.reporters.common import unsuppressed

    findings = unsuppressed(report)
    chosen = select_annotations(findings, changed)
    shown = CheckReport([FileReport(Path(), "", None, chosen)], report.rules)
    return render("github", shown, RenderOptions(cwd=cwd)), len(findings) - len(chosen)


def changed_files(base: str | None, cwd: Path) -> set[str]:
    """The files the pull request changes, as findings name them (relative to `cwd`)."""
    from tospolicy.checking.discovery import display_path
    from tospolicy.support.gitrepo import GitError, changed_files as changed_entries, toplevel

    if base is None:
        return set()
    try:
        top = toplevel(cwd)
        entries = changed_entries(base, top)
    except GitError:
        return set()
    return {display_path(top / entry.new_path, cwd) for entry in entries if entry.new_path}


def semantic_diff(base: str, inputs: Inputs, taxonomy, cwd: Path) -> str:
    from tospolicy.diff import render as diff_render
    from tospolicy.diff.sources import DiffInputError, compare_with_ref
    from tospolicy.support.gitrepo import GitError
    from tospolicy.reporters.markdown import escape

    try:
        result = compare_with_ref(base, [Path(path) for path in inputs.paths], taxonomy=taxonomy,
                                  cwd=cwd)
    except (DiffInputError, GitError) as error:
        return f"### Semantic diff of the declarations\n\nNot available: {escape(str(error))}\n"
    return diff_render.markdown(result)


def job_summary(findings_markdown: str, notes: list[str], diff_markdown: str | None,
                base: str | None) -> str:
    """The findings, the notes, then the semantic diff when it fits GitHub's limit."""
    parts = [findings_markdown]
    if notes:
        parts.append("".join(f"- {note}\n" for note in notes))
    size = sum(len(part.encode("utf-8")) + 1 for part in parts)
    if diff_markdown is not None:
        if size + len(diff_markdown.encode("utf-8")) + 1 <= SUMMARY_LIMIT:
            parts.append(diff_markdown)
        else:
            parts.append("### Semantic diff of the declarations\n\nToo long for the job summary: "
                         f"run `tospolicy diff --base {base}` to read it.\n")
    return "\n".join(parts)


# ------------------------------------------------------------------ runner

def set_outputs(path: str, values: dict[str, str]) -> None:
    """Step outputs in `$GITHUB_OUTPUT`'s delimited form, which no value can end early.

    The file is the runner's, empty at the step's start; appending is its protocol.
    """
    with open(path, "a", encoding="utf-8") as stream:
        for name, value in values.items():
            delimiter = f"ghadelimiter_{uuid.uuid4()}"
            if delimiter in value:  # cannot happen by chance; never let a value end itself
                raise ActionError(f"output {name} holds its own delimiter")
            stream.write(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")


def append_summary(path: str, text: str) -> None:
    """The job summary: the runner's file for this step, appended to as GitHub documents."""
    with open(path, "a", encoding="utf-8") as stream:
        stream.write(text)


def _error_lines(problems) -> str:
    from tospolicy.reporters.github import escape_data

    return "".join(f"::error title=tospolicy::{escape_data(problem)}\n" for problem in problems)


def check(env, out=None) -> int:
    """The check step: everything but the upload and the verdict."""
    from tospolicy.findings import SEVERITY_RANK
    from tospolicy.support.files import OverwriteRefused
    from tospolicy.reporters import RenderOptions, render, write
    from tospolicy.reporters.common import unsuppressed
    from tospolicy.support.words import plural
    from tospolicy.reporters.github import escape_data
    from tospolicy.reporters.sarif import automation_id, default_category

    out = out or sys.stdout
    inputs = Inputs.from_environment(env)
    cwd = Path.cwd()
    if not env.get("RUNNER_TEMP"):
        raise ActionError("RUNNER_TEMP is not set: run tospolicy.action inside a GitHub Actions job")
    temp = Path(env["RUNNER_TEMP"])
    request = pull_request(env)
    notes: list[str] = []
    base = _base_commit(request, inputs, cwd, notes)
    outcome = run_check(inputs, base, cwd, temp)
    notes += outcome.notes
    report = outcome.report
    prose = None
    if base is not None:
        from tospolicy.action.prose import add_findings, prose_changes
        from tospolicy.findings import fails
        from tospolicy.reporters.markdown import escape

        prose = prose_changes(base, inputs.paths, cwd)
        if prose.problem:
            notes.append(f"The bound texts were not compared: {escape(prose.problem)}")
        add_findings(report, prose.findings)
        outcome.fails = fails(report.findings, outcome.fail_on)

    category = default_category(inputs.config)
    options = RenderOptions(category=category, cwd=cwd)
    sarif = Path(inputs.sarif_file) if inputs.sarif_file else temp / "tospolicy.sarif"
    if not sarif.is_absolute():
        sarif = cwd / sarif
        # A folder of the pull request may be a symbolic link out of the checkout.
        real = sarif.parent.resolve()
        if real != cwd.resolve() and cwd.resolve() not in real.parents:
            raise ActionError(f"input sarif-file: {inputs.sarif_file} leads out of the repository "
                              "(through a symbolic link): not written")
    try:
        write("sarif", report, options, sarif)
    except (OverwriteRefused, OSError) as error:
        raise ActionError(f"input sarif-file: {error}") from None

    lines, left_out = annotations(report, changed_files(base, cwd), cwd)
    out.write(lines)
    if left_out:
        notes.append(f"{plural(left_out, 'finding')} not shown as annotations (GitHub shows at most "
                     f"{ANNOTATIONS_PER_KIND} errors, {ANNOTATIONS_PER_KIND} warnings and "
                     f"{ANNOTATIONS_PER_KIND} notices per step): the tables list every finding.")
    upload, skipped = upload_plan(inputs, request, env)
    if skipped:
        notes.append(skipped)

    findings = unsuppressed(report)
    failure = ""
    if outcome.fails:
        failing = sum(SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[outcome.fail_on]
                      for finding in findings)
        failure = f"{plural(failing, 'finding')} at or above {outcome.fail_on} (fail-on)"

    if env.get("GITHUB_STEP_SUMMARY"):
        diff = None
        if inputs.diff and base is not None:
            diff = semantic_diff(base, inputs, outcome.taxonomy, cwd)
        findings_markdown = render("markdown", report, options)
        if prose is not None and prose.markdown:  # regressions of the prose come first
            findings_markdown = prose.markdown + "\n" + findings_markdown
        append_summary(env["GITHUB_STEP_SUMMARY"],
                       job_summary(findings_markdown, notes, diff, base))
    if env.get("GITHUB_OUTPUT"):
        set_outputs(env["GITHUB_OUTPUT"], {
            "sarif-file": str(sarif),
            "findings": str(len(findings)),
            "errors": str(sum(1 for finding in findings if finding.severity == "error")),
            "upload": "true" if upload else "false",
            "category": automation_id(category).rstrip("/"),
            "notice": escape_data(skipped),
            "failure": escape_data(failure),
        })
    return EXIT_OK


def main() -> int:
    try:
        return check(os.environ)
    except ActionError as error:
        sys.stdout.write(_error_lines(error.problems))
    except Exception as error:  # noqa: BLE001 - one line, never a traceback that could hold a command
        if os.environ.get("TOSPOLICY_DEBUG"):
            raise
        reason = str(error).splitlines()[0] if str(error) else ""
        sys.stdout.write(_error_lines([f"internal error: {type(error).__name__}: {reason} "
                                       "(set TOSPOLICY_DEBUG=1 for details)"]))
    return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
