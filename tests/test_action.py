"""The GitHub Action, run as a runner runs it (tests/action_runner.py).

Each scenario is a real git repository with a base commit on `main` and a
pull request's head commit checked out, a `pull_request` event payload, the
variables a runner sets, and action.yml's steps run in order: setup-python and
upload-sarif are handled by the test (their inputs checked), the rest are the
real scripts. The install step really installs tospolicy from the action's
files into a virtual environment; only pip is told (by its own environment
variables, which a runner would pass on too) to use no index, no dependencies
and no build isolation, and PYTHONPATH lends it this environment's
dependencies and build backend, so that no scenario downloads anything.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from action_runner import run_action
from conftest import REPO, run_tospolicy
from pull_requests import TwoCommits, write_files

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.version_info < (3, 11),
                       reason="the action runs Python with -P (3.11+); it sets up 3.12 itself"),
]

CLEAN = (REPO / "examples" / "notes-app.tos").read_text(encoding="utf-8")
BASE_REPOSITORY = "octo/notes"
# Our own commands: finding annotations, and the notice/error of the action itself.
OUR_COMMAND = re.compile(r"::(error|warning|notice) (file=[^:]*,line=\d+,col=\d+,endLine=\d+,"
                         r"endColumn=\d+,title=[^:]*|title=tospolicy)::")


def with_statements(declaration: str, *statements: str) -> str:
    """The declaration with statements added at the end of its (last) service."""
    end = declaration.rstrip().rfind("}")
    return declaration[:end] + "".join(f"  {line}\n" for line in statements) + declaration[end:]


class PullRequest(TwoCommits):
    """The repository of a pull request, and the action run on it."""

    runs = 0

    def run(self, inputs: dict | None = None, head_repository: str = BASE_REPOSITORY,
            actor: str = "octocat", event_name: str = "pull_request", payload=None):
        """Run the action on this pull request (or, with `event_name` push, on
        a push of its head); returns (ActionRun, uploads). `payload` replaces
        the event's JSON (a text is written as it is)."""
        self.runs += 1
        job = self.tmp_path / f"job{self.runs}"
        temp = job / "runner_temp"
        temp.mkdir(parents=True)
        event = job / "event.json"
        given = payload
        if event_name == "pull_request":
            payload = {
                "action": "synchronize",
                "number": 7,
                "pull_request": {
                    "number": 7,
                    "base": {"ref": "main", "sha": self.base_sha,
                             "repo": {"full_name": BASE_REPOSITORY, "fork": False}},
                    "head": {"ref": "feature", "sha": self.head_sha,
                             "repo": {"full_name": head_repository,
                                      "fork": head_repository != BASE_REPOSITORY}},
                },
            }
            refs = {"GITHUB_BASE_REF": "main", "GITHUB_HEAD_REF": "feature",
                    "GITHUB_REF": "refs/pull/7/merge"}
        else:
            payload = {"ref": "refs/heads/main", "before": self.base_sha, "after": self.head_sha}
            refs = {"GITHUB_BASE_REF": "", "GITHUB_HEAD_REF": "", "GITHUB_REF": "refs/heads/main"}
        if given is not None:
            payload = given
        event.write_text(payload if isinstance(payload, str) else json.dumps(payload),
                         encoding="utf-8")
        runner_env = {
            "PATH": os.environ["PATH"],
            "HOME": os.environ.get("HOME", str(job)),
            "LANG": "C.UTF-8",
            "CI": "true",
            "GITHUB_ACTIONS": "true",
            "GITHUB_WORKSPACE": str(self.workspace),
            "GITHUB_EVENT_NAME": event_name,
            "GITHUB_EVENT_PATH": str(event),
            **refs,
            "GITHUB_SHA": self.head_sha,
            "GITHUB_REPOSITORY": BASE_REPOSITORY,
            "GITHUB_ACTOR": actor,
            "RUNNER_OS": "Linux",
            "RUNNER_TEMP": str(temp),
            # For the test only (see the module's docstring). pip reads
            # PIP_NO_BUILD_ISOLATION inverted: 0 turns build isolation off.
            "PYTHONPATH": sysconfig.get_paths()["purelib"],
            "PIP_NO_INDEX": "1",
            "PIP_NO_DEPS": "1",
            "PIP_NO_BUILD_ISOLATION": "0",
        }
        uploads: list[dict] = []

        def setup_python(given: dict) -> dict:
            assert given == {"python-version": "3.12", "update-environment": "false"}
            return {"python-path": sys.executable, "python-version": "3.12"}

        def upload_sarif(given: dict) -> dict:
            uploads.append(given)
            return {"sarif-id": "uploaded"}

        run = run_action(REPO, self.workspace, runner_env, inputs or {}, {
            "actions/setup-python": setup_python,
            "github/codeql-action/upload-sarif": upload_sarif,
        })
        self.temp = temp
        return run, uploads


def finding_annotations(run) -> list[str]:
    return [command for command in run.commands if " file=" in command.split("::")[1]]


def assert_only_our_commands(run) -> None:
    for command in run.commands:
        assert OUR_COMMAND.match(command), f"a command the action did not mean: {command!r}"


def assert_uploaded(run, uploads) -> dict:
    """The upload step got the SARIF the check wrote, with its category."""
    assert run.step("check").outputs["upload"] == "true"
    assert len(uploads) == 1
    sarif_path = Path(uploads[0]["sarif_file"])
    assert sarif_path == Path(run.outputs["sarif-file"])
    sarif = json.loads(sarif_path.read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    assert sarif["runs"][0]["automationDetails"]["id"] == uploads[0]["category"] + "/"
    assert uploads[0]["category"] == "tospolicy/check"
    return sarif


# ---------------------------------------------------------------- scenarios

def test_clean_pull_request(tmp_path):
    pr = PullRequest(tmp_path, {"policy.tos": CLEAN},
                     {"policy.tos": CLEAN.replace('"Notes and attachments"', '"Notes, attachments"')})
    run, uploads = pr.run()

    assert run.failed is None
    assert [step.status for step in run.steps] == ["success"] * 5
    # tospolicy was installed from the action's files into the job's own environment.
    venv_python = pr.temp / "tospolicy-venv" / "bin" / "python"
    assert run.step("install").outputs == {"python": str(venv_python)}
    imported = subprocess.run([str(venv_python), "-P", "-c", "import tospolicy; print(tospolicy.__file__)"],
                              env=dict(os.environ, PYTHONPATH=sysconfig.get_paths()["purelib"]),
                              capture_output=True, text=True, check=True)
    assert Path(imported.stdout.strip()).is_relative_to(pr.temp / "tospolicy-venv")

    assert run.outputs == {"sarif-file": str(pr.temp / "tospolicy.sarif"), "findings": "0", "errors": "0"}
    sarif = assert_uploaded(run, uploads)
    assert sarif["runs"][0]["results"] == []
    assert run.commands == []
    assert "## tospolicy: no findings in 1 file" in run.summary
    assert "### Semantic diff of the declarations" in run.summary
    assert "1 neutral change in 1 file" in run.summary


def test_findings_annotate_summarise_and_fail_the_job(tmp_path):
    legacy = 'service "Legacy" {\n  effective: 2020-01-01\n  use old_a for service.provision\n' \
             '  use old_b for service.provision\n}\n'
    head = with_statements(
        CLEAN, "use notes for ai.training { consent: opt_out }",
        *(f"use ghost_{number} for service.provision" for number in range(11)),
        'share notes with "Analytics" { role: processor; flavour: vanilla }')
    # a-legacy.tos sorts first, but the pull request does not change it.
    pr = PullRequest(tmp_path, {"policy.tos": CLEAN, "a-legacy.tos": legacy}, {"policy.tos": head})
    run, uploads = pr.run()

    # 16 errors (14 in policy.tos: 11 undeclared, the contradicted never, and the
    # AI training use's missing basis and opt-out consent) and 1 warning; SARIF
    # uploaded before the verdict.
    assert run.outputs["findings"] == "17"
    assert run.outputs["errors"] == "16"
    sarif = assert_uploaded(run, uploads)
    assert len(sarif["runs"][0]["results"]) == 17
    annotations = finding_annotations(run)
    errors = [line for line in annotations if line.startswith("::error ")]
    warnings = [line for line in annotations if line.startswith("::warning ")]
    assert len(errors) == 10 and len(warnings) == 1
    assert all(line.startswith("::error file=policy.tos,") for line in errors)  # not a-legacy.tos
    assert "::error file=policy.tos,line=55,col=3,endLine=55,endColumn=49,title=CORE008 " \
           "contradicted-never::contradicts" in run.log
    assert_only_our_commands(run)

    summary = run.summary
    assert "## tospolicy: 17 findings in 2 files" in summary
    assert "### a\\-legacy\\.tos" in summary and "ghost\\_10" in summary
    assert "6 findings not shown as annotations" in summary
    assert "DIFF001" in summary  # the new AI-training use, in the semantic diff

    # fail-on (default error): the last step fails the job, after everything else ran.
    verdict = run.steps[-1]
    assert run.failed is verdict and verdict.exit_code == 1
    assert all(step.status == "success" for step in run.steps[:-1])
    assert "::error title=tospolicy::16 findings at or above error (fail-on)" in verdict.stdout


def test_fork_pull_request_skips_the_upload_without_failing(tmp_path):
    pr = PullRequest(tmp_path, {"policy.tos": CLEAN},
                     {"policy.tos": with_statements(CLEAN, "frobnicate: yes")})
    run, uploads = pr.run({"fail-on": "error"}, head_repository="someone/notes")

    assert run.failed is None
    assert uploads == []
    assert run.step("check").outputs["upload"] == "false"
    assert [step.status for step in run.steps][3] == "skipped"
    notice = [command for command in run.commands if command.startswith("::notice title=tospolicy::")]
    assert notice == ["::notice title=tospolicy::SARIF not uploaded to code scanning: the token of a "
                      "pull request from a fork cannot write security events. The findings are in the "
                      "annotations and the job summary."]
    assert Path(run.outputs["sarif-file"]).is_file()  # still written, for an artifact or another job
    assert "SARIF not uploaded to code scanning" in run.summary
    assert_only_our_commands(run)


ACME_PACK = """\
pack: acme
version: 1.0.0
description: Acme's own rules.
rules:
  - id: ACME001
    name: no-opt-out
    severity: error
    summary: A use needs more than opt-out consent.
    select: use
    forbid: consent == {consent}
    message: "{{data}} is used for {{purposes}} with opt-out consent"
    at: consent
"""


def test_pull_request_cannot_weaken_the_rules_that_judge_it(tmp_path):
    """The pull request adds an opt-out AI-training use that contradicts a
    `never` (CORE008) and breaks Acme's pack (ACME001), and, to get through,
    turns CORE008 off in .tospolicy.yml, weakens the pack and adds both
    findings to the baseline. Judged by the base's rules, both still fire."""
    base_config = "packs: [core, ./policies/acme.yaml]\nbaseline: .tospolicy-baseline.json\n"
    head = with_statements(CLEAN, "use notes for ai.training { consent: opt_out }")

    def baseline_of_the_findings(workspace: Path) -> None:
        # Written while the base's rules are in place, so that it holds both findings.
        done = run_tospolicy("check", "--update-baseline", cwd=workspace)
        assert done.exit_code == 0 and "wrote 2 findings" in done.stderr, done.stderr
        write_files(workspace, {
            ".tospolicy.yml": base_config + "rules:\n  CORE008: off\n",
            "policies/acme.yaml": ACME_PACK.format(consent="explicit_opt_in"),
        })

    pr = PullRequest(tmp_path,
                     {"policy.tos": CLEAN, ".tospolicy.yml": base_config,
                      "policies/acme.yaml": ACME_PACK.format(consent="opt_out")},
                     {"policy.tos": head}, before_head_commit=baseline_of_the_findings)
    assert (pr.workspace / ".tospolicy-baseline.json").is_file()

    trusted, _ = pr.run({"trusted-rules-from-base": "true"})
    fired = {line.split("title=")[1].split(" ")[0] for line in finding_annotations(trusted)}
    assert fired == {"CORE008", "ACME001"}
    assert trusted.outputs["errors"] == "2"
    assert trusted.failed is trusted.steps[-1]
    assert "Rules from the base commit" in trusted.summary
    assert "This pull request changes \\.tospolicy\\-baseline\\.json, \\.tospolicy\\.yml, " \
           "policies/acme\\.yaml" in trusted.summary

    # The same pull request judged by its own rules: everything it hid stays hidden.
    own, _ = pr.run({"trusted-rules-from-base": "false"})
    assert finding_annotations(own) == []
    assert own.outputs["findings"] == "0"
    assert own.failed is None


def test_declarations_cannot_issue_workflow_commands(tmp_path):
    """Strings with newlines and `::set-output`, and a file name with them,
    reach the log only inside our annotations, escaped."""
    hostile = with_statements(
        CLEAN,
        'use notes for service.provision { consent: "opt_in\\n::set-output name=injected::yes\\n'
        '::add-mask::secret" }',
        'share notes with "Evil\\n::set-output name=recipient::1" { role: "x\\n::error::boom" }')
    name = "evil\n::set-output name=file::x\n::warning file=a::b.tos"
    pr = PullRequest(tmp_path, {"policy.tos": CLEAN}, {"policy.tos": hostile, name: hostile})
    run, _ = pr.run()

    assert_only_our_commands(run)
    annotations = finding_annotations(run)
    wrong_values = [line for line in annotations if "title=CORE004 " in line]
    assert len(wrong_values) == 4  # two CORE004 findings in each file
    assert any("file=evil%0A%3A%3Aset-output name=file%3A%3Ax%0A%3A%3Awarning file=a%3A%3Ab.tos," in line
               for line in annotations)
    assert any('not the string "opt_in%0A::set-output name=injected::ye..."' in line
               for line in annotations)
    for step in run.steps:
        assert set(step.outputs) <= {"python", "sarif-file", "findings", "errors", "upload",
                                     "category", "notice", "failure", "python-path",
                                     "python-version", "sarif-id"}
    assert run.outputs["findings"] == str(len(annotations))
    assert "set\\-output" in run.summary and "\n::" not in run.summary


def test_push_has_no_diff_and_uses_the_workspace_rules(tmp_path):
    """On a push there is no base: no diff, the workspace's own rules, and an upload."""
    pr = PullRequest(tmp_path, {"policy.tos": CLEAN, ".tospolicy.yml": "fail-on: error\n"},
                     {"policy.tos": with_statements(CLEAN, "frobnicate: yes"),
                      ".tospolicy.yml": "fail-on: warning\n"})
    run, uploads = pr.run(event_name="push")

    assert_uploaded(run, uploads)
    assert "Semantic diff" not in run.summary and "base commit" not in run.summary
    assert [line.split("title=")[1].split(" ")[0] for line in finding_annotations(run)] == ["CORE003"]
    assert run.failed is run.steps[-1]
    assert "1 finding at or above warning (fail-on)" in run.steps[-1].stdout


def test_the_action_and_check_write_the_same_sarif_limits_included(tmp_path):
    """One check pipeline: with `max-findings-per-file: 1`, the Action's SARIF is
    byte for byte the one `tospolicy check --format sarif` writes (it once wrote
    every finding, and judged them itself)."""
    config = "limits:\n  max-findings-per-file: 1\n"
    head = with_statements(CLEAN, "use notes for ai.training { consent: opt_out }",
                           *(f"use ghost_{number} for service.provision" for number in range(3)))
    files = {"policy.tos": head, ".tospolicy.yml": config}
    pr = PullRequest(tmp_path, files, files)
    run, _ = pr.run({"trusted-rules-from-base": "true"})
    from_action = Path(run.outputs["sarif-file"]).read_bytes()

    cli = run_tospolicy("check", "--format", "sarif", "--output", str(tmp_path / "cli.sarif"),
                        cwd=pr.workspace, env={"TOSPOLICY_CACHE_DIR": ""})
    assert cli.exit_code == 1, cli.stderr
    from_cli = (tmp_path / "cli.sarif").read_bytes()

    results = json.loads(from_action)["runs"][0]["results"]
    assert [result["ruleId"] for result in results] == [results[0]["ruleId"], "TOS003"]
    assert from_action == from_cli
    # and the verdict is the same: the Action fails the job as check exits 1.
    assert run.failed is run.steps[-1]


# ------------------------------------------------------------ the prose

BOUND = """service "Example Meetings" {
  effective: 2024-01-01
  text: "legal/terms.md"

  data recordings "Recordings" {
    categories: content.audio
    subjects: customer
    origin: user_provided
  }

  use recordings for service.provision {
    basis: contract
    quote: "We use your recordings to provide the service"
  }
}
"""
TERMS = "# Terms\n\nWe use your recordings to provide the service.\n\nYou can delete them at any time.\n"


def test_a_pull_request_changing_only_the_terms_to_add_ai_training_fails_with_diff011(tmp_path):
    terms = TERMS
    changed = terms.replace(
        "You can delete them at any time.",
        "You can delete them at any time.\n\nWe may use your recordings to train our AI models.")
    pr = PullRequest(tmp_path, {"meetings.tos": BOUND, "legal/terms.md": terms},
                     {"legal/terms.md": changed})
    run, uploads = pr.run()

    line = changed.split("\n").index("We may use your recordings to train our AI models.") + 1
    annotations = finding_annotations(run)
    assert [a for a in annotations if a.startswith(f"::error file=legal/terms.md,line={line},")
            and "title=DIFF011 unquoted-passage::" in a], annotations
    assert_only_our_commands(run)
    sarif = assert_uploaded(run, uploads)
    [result] = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "DIFF011"]
    place = result["locations"][0]["physicalLocation"]
    assert place["artifactLocation"]["uri"] == "legal/terms.md"
    assert place["region"]["startLine"] == line
    summary = run.summary
    assert summary.index("### Changes to the bound texts") < summary.index("## tospolicy:")
    assert "**We may use your recordings to train our AI models.**" in summary
    verdict = run.steps[-1]
    assert run.failed is verdict and verdict.exit_code == 1


# ------------------------------------------------------- hostile, round two

def _one_error(run) -> str:
    """The check step failed with one error line of the action's own."""
    assert run.failed is not None and run.failed.id == "check"
    errors = [command for command in run.commands if command.startswith("::error title=tospolicy::")]
    assert len(errors) == 1 and "internal error" not in errors[0], run.log
    assert_only_our_commands(run)
    return errors[0]


def test_a_marker_file_does_not_hide_a_folder_from_the_action(tmp_path):
    pr = PullRequest(tmp_path, {"policies/notes.tos": CLEAN},
                     {"policies/notes.tos": with_statements(CLEAN, "data notes2 { categories: content.text }",
                                                            "retain notes2 for 30 days",
                                                            "use notes2 for ai.training { consent: none }"),
                      "policies/pyvenv.cfg": ""})
    run, _ = pr.run({"fail-on": "error"})
    assert run.failed is not None, run.log
    assert any(" AI001 " in line or "title=AI001" in line for line in run.commands), run.log


@pytest.mark.parametrize("payload", [
    {"pull_request": []},
    {"pull_request": {"base": "main", "head": None}},
    {"pull_request": {"base": {"sha": ["a"]}}},
    "[" * 100_000 + "]" * 100_000,
    "not json",
], ids=["a list", "a string", "a sha list", "nested deep", "not json"])
def test_odd_event_payloads_are_one_clear_error(tmp_path, payload):
    pr = PullRequest(tmp_path, {"policy.tos": CLEAN}, {"policy.tos": CLEAN})
    run, _ = pr.run({"fail-on": "error"}, payload=payload)
    assert "event payload" in _one_error(run)


def test_a_payload_with_odd_repositories_is_taken_as_a_fork(tmp_path):
    pr = PullRequest(tmp_path, {"policy.tos": CLEAN}, {"policy.tos": CLEAN})
    run, uploads = pr.run({"fail-on": "error"}, payload={"pull_request": {
        "base": {"sha": pr.base_sha, "repo": ["octo/notes"]}, "head": {"repo": "octo/notes"}}})
    assert run.failed is None, run.log
    assert uploads == [] and run.step("check").outputs["upload"] == "false"


def test_sarif_file_through_a_committed_folder_link_is_not_written_outside(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()

    def link(workspace):
        (workspace / "reports").symlink_to(outside, target_is_directory=True)

    pr = PullRequest(tmp_path, {"policy.tos": CLEAN}, {"policy.tos": CLEAN}, before_head_commit=link)
    run, _ = pr.run({"sarif-file": "reports/tospolicy.sarif"})
    assert "leads out of the repository" in _one_error(run)
    assert list(outside.iterdir()) == []
