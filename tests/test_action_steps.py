"""The decisions of tospolicy/action/steps.py, in-process: inputs, the event, the
upload, which findings become annotations, the summary's size, the outputs
file. tests/test_action.py runs the whole action as a runner would."""

from __future__ import annotations

import json

import pytest

from action_runner import read_file_commands
from tospolicy.action import steps as action
from tospolicy.action.steps import ActionError, Inputs, PullRequest, pull_request, split_list, upload_plan
from tospolicy.findings import Finding
from tospolicy.language.model import Span

FLAGS = {"INPUT_UPLOAD_SARIF": "true", "INPUT_DIFF": "true", "INPUT_TRUSTED_RULES_FROM_BASE": "true"}
SHA = "0123456789abcdef0123456789abcdef01234567"


@pytest.mark.parametrize("text, entries", [
    ("", ()),
    ("core", ("core",)),
    ("core  gdpr", ("core", "gdpr")),
    ("core gdpr\n", ("core", "gdpr")),  # a folded YAML block: still one line
    ("my policies\nother one\n\n", ("my policies", "other one")),
    ("  a\n  b c\n", ("a", "b c")),
])
def test_list_inputs(text, entries):
    assert split_list(text) == entries


def test_inputs_are_checked():
    inputs = Inputs.from_environment({**FLAGS, "INPUT_PATHS": "a\nb", "INPUT_FAIL_ON": "warning",
                                      "INPUT_UPLOAD_SARIF": "False"})
    assert inputs.paths == ("a", "b") and inputs.fail_on == "warning" and not inputs.upload_sarif
    with pytest.raises(ActionError, match="input diff must be true or false, not 'yes'"):
        Inputs.from_environment({**FLAGS, "INPUT_DIFF": "yes"})
    with pytest.raises(ActionError, match="input fail-on must be one of error, warning, note, never"):
        Inputs.from_environment({**FLAGS, "INPUT_FAIL_ON": "errors"})


def _event(tmp_path, payload, name="pull_request"):
    path = tmp_path / "event.json"
    path.write_text(json.dumps(payload))
    return {"GITHUB_EVENT_NAME": name, "GITHUB_EVENT_PATH": str(path)}


def _request(base_repo, head_repo, fork_flag=False):
    head = {"sha": SHA, "repo": None if head_repo is None else {"full_name": head_repo, "fork": fork_flag}}
    return {"pull_request": {"base": {"sha": SHA, "repo": {"full_name": base_repo}}, "head": head}}


@pytest.mark.parametrize("head_repo, fork_flag, from_fork", [
    ("octo/notes", False, False),
    ("someone/notes", True, True),
    (None, False, True),  # the fork was deleted
    ("octo/notes", True, False),  # a fork's own branch proposed to that fork
])
def test_forks_are_told_by_the_repositories(tmp_path, head_repo, fork_flag, from_fork):
    request = pull_request(_event(tmp_path, _request("octo/notes", head_repo, fork_flag)))
    assert request == PullRequest("pull_request", SHA, from_fork)


def test_events_other_than_pull_requests_have_no_base(tmp_path):
    assert pull_request(_event(tmp_path, {"ref": "refs/heads/main"}, name="push")) is None
    with pytest.raises(ActionError, match="has no pull_request.base.sha"):
        pull_request(_event(tmp_path, {"pull_request": {"base": {"sha": "main"}}}))


@pytest.mark.parametrize("event, from_fork, actor, upload, why", [
    ("pull_request", False, "octocat", True, None),
    ("pull_request", True, "octocat", False, "a pull request from a fork"),
    ("pull_request", False, "dependabot[bot]", False, "a pull request by dependabot[bot]"),
    # pull_request_target runs with the base repository's token, forks included.
    ("pull_request_target", True, "octocat", True, None),
])
def test_upload_plan(event, from_fork, actor, upload, why):
    inputs = Inputs.from_environment(FLAGS)
    planned, notice = upload_plan(inputs, PullRequest(event, SHA, from_fork), {"GITHUB_ACTOR": actor})
    assert planned is upload
    assert (why in notice) if why else notice == ""
    no_upload = Inputs.from_environment({**FLAGS, "INPUT_UPLOAD_SARIF": "false"})
    assert upload_plan(no_upload, PullRequest(event, SHA, from_fork), {}) == (False, "")


def _finding(file, line, severity):
    return Finding("X001", severity, "m", Span(file, line, 1, line, 2))


def test_annotations_prefer_the_files_the_pull_request_changes():
    findings = [_finding("a.tos", line, "error") for line in range(1, 8)]
    findings += [_finding("b.tos", line, "error") for line in range(1, 8)]
    findings += [_finding("a.tos", 1, "note"), _finding("c.tos", 1, "warning")]
    chosen = action.select_annotations(findings, changed={"b.tos"})
    errors = [(f.span.file, f.span.line) for f in chosen if f.severity == "error"]
    assert errors == [("b.tos", line) for line in range(1, 8)] + [("a.tos", 1), ("a.tos", 2), ("a.tos", 3)]
    assert [f.severity for f in chosen].count("warning") == 1
    assert [f.severity for f in chosen].count("note") == 1


def test_a_diff_too_long_for_the_summary_is_left_out():
    findings = "<!-- tospolicy -->\n## tospolicy: no findings in 1 file\n"
    small = action.job_summary(findings, ["a note"], "### Semantic diff\n\nshort\n", SHA)
    assert small.endswith("short\n") and "- a note\n" in small
    huge = "x" * action.SUMMARY_LIMIT
    summary = action.job_summary(findings, [], huge, SHA)
    assert huge not in summary
    assert f"run `tospolicy diff --base {SHA}` to read it" in summary
    assert len(summary.encode()) < action.SUMMARY_LIMIT


def test_outputs_cannot_be_forged(tmp_path):
    path = tmp_path / "output"
    path.write_text("")
    hostile = "a\nfindings=0\nerrors<<EOF\n0\nEOF\n::set-output name=x::y"
    action.set_outputs(str(path), {"sarif-file": hostile, "findings": "3"})
    assert read_file_commands(path.read_text()) == {"sarif-file": hostile, "findings": "3"}


def test_a_problem_is_one_escaped_error_line(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    for name, value in {**FLAGS, "RUNNER_TEMP": str(tmp_path), "GITHUB_EVENT_NAME": "push",
                        "INPUT_PATHS": "missing%0A\n::set-output name=x::y"}.items():
        monkeypatch.setenv(name, value)
    for name in ("GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "INPUT_PACKS", "INPUT_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    assert action.main() == 2
    assert capsys.readouterr().out.splitlines() == [
        "::error title=tospolicy::input paths: missing%250A: no such file or folder",
        "::error title=tospolicy::input paths: ::set-output name=x::y: no such file or folder",
    ]


def test_a_shallow_clone_fetches_the_base_commit(tmp_path):
    from pull_requests import TwoCommits, git

    origin = TwoCommits(tmp_path / "origin", {"a.tos": "x"}, {"a.tos": "y"})
    clone = tmp_path / "clone"
    git("clone", "--quiet", "--depth=1", "--branch=feature", f"file://{origin.workspace}", str(clone),
        cwd=tmp_path)
    request = PullRequest("pull_request", origin.base_sha, False)
    notes: list[str] = []
    assert action._base_commit(request, Inputs.from_environment(FLAGS), clone, notes) == origin.base_sha
    assert git("cat-file", "-t", origin.base_sha, cwd=clone) == "commit" and notes == []

    # Where it cannot be fetched: the trusted rules stop the run, the diff alone notes it.
    lonely = tmp_path / "lonely"
    git("clone", "--quiet", "--depth=1", "--branch=feature", f"file://{origin.workspace}", str(lonely),
        cwd=tmp_path)
    git("remote", "set-url", "origin", str(tmp_path / "gone"), cwd=lonely)
    with pytest.raises(ActionError, match="trusted-rules-from-base needs it"):
        action._base_commit(request, Inputs.from_environment(FLAGS), lonely, notes)
    diff_only = Inputs.from_environment({**FLAGS, "INPUT_TRUSTED_RULES_FROM_BASE": "false"})
    assert action._base_commit(request, diff_only, lonely, notes) is None
    assert notes and notes[0].startswith(f"No semantic diff: cannot read the base commit {origin.base_sha}")
