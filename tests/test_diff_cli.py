"""`tospolicy diff` as users run it, on the public record: Zoom's terms of
February, March, 7 August and 11 August 2023, and WeTransfer's licence of
July 2025 and its revision, as files, as folders and as commits of a real git
repository. Each step must report what a privacy reviewer would list: nothing
missing, nothing invented."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import TESTS, check_golden, run_tospolicy

FIXTURES = TESTS / "diff"
GOLDEN = FIXTURES / "golden"
ZOOM = FIXTURES / "zoom"
WETRANSFER = FIXTURES / "wetransfer"

# (DIFF id, classification, severity, subject) of every change of each step.
FEB_TO_MARCH = [
    ("DIFF001", "regression", "error", "use service_generated for any, ai.training"),
    ("DIFF001", "regression", "error", "use communications for ai.training"),
    ("DIFF001", "regression", "error", "use other_content for ai.training"),
    ("DIFF004", "regression", "error", "share service_generated with third_parties"),
    ("DIFF006", "regression", "error", "license communications, other_content to provider"),
    (None, "neutral", None, "service Zoom"),
]
MARCH_TO_AUG_7 = [
    ("DIFF002", "improvement", None, "use communications for ai.training"),
    (None, "neutral", None, "service Zoom"),
]
AUG_7_TO_AUG_11 = [
    ("DIFF001", "improvement", None, "use communications for ai.training"),
    ("DIFF001", "improvement", None, "use other_content for ai.training"),
    ("DIFF006", "improvement", None, "license communications, other_content to provider"),
    ("DIFF009", "improvement", None, "never communications, other_content for ai.training"),
    (None, "neutral", None, "service Zoom"),
]
WETRANSFER_NEW = [  # a declaration added: everything in it is new
    ("DIFF008", "regression", "warning", "data content"),
    ("DIFF001", "regression", "warning", "use content for service.provision"),
    ("DIFF006", "regression", "error", "license content to provider"),
    (None, "neutral", None, "service WeTransfer"),
]
WETRANSFER_REVISED = [
    ("DIFF006", "improvement", None, "license content to provider"),  # scope words
    ("DIFF006", "improvement", None, "license content to provider"),  # purposes
    (None, "neutral", None, "license content to provider"),  # the note on included rights
    (None, "neutral", None, "service WeTransfer"),
]

STEPS = [
    ("zoom-2023-03", ZOOM / "2023-02.tos", ZOOM / "2023-03.tos", FEB_TO_MARCH),
    ("zoom-2023-08-07", ZOOM / "2023-03.tos", ZOOM / "2023-08-07.tos", MARCH_TO_AUG_7),
    ("zoom-2023-08-11", ZOOM / "2023-08-07.tos", ZOOM / "2023-08-11.tos", AUG_7_TO_AUG_11),
    ("wetransfer-2025-07", WETRANSFER / "2025-07-before.tos", WETRANSFER / "2025-07-after.tos",
     WETRANSFER_REVISED),
]


def _found(data: dict) -> list[tuple]:
    return sorted(
        ((change["id"], change["classification"], change["severity"], change["subject"])
         for file in data["files"] for change in file["changes"]),
        key=repr,
    )


def _expected(changes) -> list[tuple]:
    return sorted(changes, key=repr)


# ------------------------------------------------------------------ files

@pytest.mark.parametrize("name, old, new, expected", STEPS, ids=[step[0] for step in STEPS])
def test_each_step_reports_what_a_reviewer_would_list(name, old, new, expected, cli, monkeypatch):
    monkeypatch.chdir(FIXTURES)
    old, new = old.relative_to(FIXTURES).as_posix(), new.relative_to(FIXTURES).as_posix()
    result = cli("diff", old, new, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert _found(data) == _expected(expected)
    assert data["files"][0]["old"] == old and data["files"][0]["new"] == new
    text = cli("diff", old, new)
    assert text.exit_code == 0
    check_golden(text.stdout, GOLDEN / f"{name}.txt")
    assert len(text.stdout.splitlines()) == len(expected) + 3  # header, blank line, summary


def test_the_march_2023_regressions_read_as_a_reviewer_would_write_them(cli, monkeypatch):
    monkeypatch.chdir(FIXTURES)
    lines = cli("diff", "zoom/2023-02.tos", "zoom/2023-03.tos").stdout.splitlines()
    assert (
        "zoom/2023-03.tos:72:41: DIFF001 [error] communications (\"Audio, video and chat Customer "
        "Content\"): new purpose ai.training (AI training), consent none — was used for "
        "service.provision only (was at zoom/2023-02.tos:42:3)"
    ) in lines
    assert lines[-1] == "5 regressions (5 errors) and 1 neutral change in 1 file."


def test_reversing_a_step_turns_its_improvements_into_regressions(cli, monkeypatch):
    monkeypatch.chdir(FIXTURES)
    data = json.loads(cli("diff", "wetransfer/2025-07-after.tos", "wetransfer/2025-07-before.tos",
                          "--format", "json").stdout)
    assert _found(data) == _expected([
        ("DIFF006", "regression", "error", "license content to provider"),
        ("DIFF006", "regression", "error", "license content to provider"),
        (None, "neutral", None, "license content to provider"),
        (None, "neutral", None, "service WeTransfer"),
    ])
    messages = [change["message"] for change in data["files"][0]["changes"]]
    assert any("now also perpetual, worldwide, transferable, sublicensable" in text for text in messages)
    assert any("ai.training.non_generative (Training non-generative AI)" in text for text in messages)


def test_markdown_for_a_pull_request(cli, monkeypatch):
    monkeypatch.chdir(FIXTURES)
    result = cli("diff", "zoom/2023-02.tos", "zoom/2023-03.tos", "--format", "markdown")
    assert result.exit_code == 0
    check_golden(result.stdout, GOLDEN / "zoom-2023-03.md")
    improved = cli("diff", "zoom/2023-08-07.tos", "zoom/2023-08-11.tos", "--format", "markdown")
    check_golden(improved.stdout, GOLDEN / "zoom-2023-08-11.md")


def test_markdown_escapes_what_a_declaration_could_smuggle_in(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.tos").write_text('service "S" {\n  data x\n}\n', encoding="utf-8")
    (tmp_path / "b.tos").write_text(
        'service "S" {\n  data x "<img src=x onerror=alert(1)> | [link](https://evil) `code`"\n}\n',
        encoding="utf-8")
    out = cli("diff", "a.tos", "b.tos", "--format", "markdown").stdout
    assert "<img" not in out and "&lt;img" in out
    assert "\\| \\[link\\]" in out and "\\`code\\`" in out


def test_fail_on_regression(cli, monkeypatch):
    monkeypatch.chdir(FIXTURES)
    assert cli("diff", "zoom/2023-02.tos", "zoom/2023-03.tos").exit_code == 0
    assert cli("diff", "zoom/2023-02.tos", "zoom/2023-03.tos", "--fail-on-regression").exit_code == 1
    assert cli("diff", "zoom/2023-08-07.tos", "zoom/2023-08-11.tos",
               "--fail-on-regression").exit_code == 0


def test_the_installed_program_exits_1_on_regressions():
    result = run_tospolicy("diff", "zoom/2023-02.tos", "zoom/2023-03.tos", "--fail-on-regression",
                           "--format", "json", cwd=FIXTURES)
    assert result.exit_code == 1, result.stderr
    assert json.loads(result.stdout)["summary"]["regressions"] == 5
    assert result.stderr == ""


def test_the_same_input_gives_the_same_bytes():
    outputs = {
        run_tospolicy("diff", "zoom/2023-02.tos", "zoom/2023-08-11.tos", "--format", "json",
                      cwd=FIXTURES, env={"PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1
    assert json.loads(outputs.pop())["summary"]["regressions"] > 0


# ---------------------------------------------------------------- folders

def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)


def test_folders_match_files_by_path_and_report_added_and_removed(tmp_path, cli, monkeypatch):
    _copy(ZOOM / "2023-02.tos", tmp_path / "old" / "terms" / "zoom.tos")
    _copy(ZOOM / "2023-03.tos", tmp_path / "new" / "terms" / "zoom.tos")
    _copy(WETRANSFER / "2025-07-after.tos", tmp_path / "old" / "same.tos")
    _copy(WETRANSFER / "2025-07-after.tos", tmp_path / "new" / "same.tos")
    _copy(WETRANSFER / "2025-07-before.tos", tmp_path / "old" / "gone.tos")
    _copy(WETRANSFER / "2025-07-before.tos", tmp_path / "new" / "fresh.tos")
    (tmp_path / "new" / "notes.txt").write_text("not a declaration", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    data = json.loads(cli("diff", "old", "new", "--format", "json").stdout)
    files = {file["path"]: file for file in data["files"]}
    assert {path: file["status"] for path, file in files.items()} == {
        "new/fresh.tos": "added", "old/gone.tos": "removed",
        "new/same.tos": "unchanged", "new/terms/zoom.tos": "modified",
    }
    assert _found({"files": [files["new/terms/zoom.tos"]]}) == _expected(FEB_TO_MARCH)
    assert _found({"files": [files["old/gone.tos"]]}) == [(None, "neutral", None, "service WeTransfer")]
    assert [change["subject"] for change in files["new/fresh.tos"]["changes"]
            if change["classification"] == "regression"] == [
        "license content to provider", "data content", "use content for service.provision"]
    text = cli("diff", "old", "new").stdout
    assert "tospolicy diff new/fresh.tos (new file)\n" in text
    assert "tospolicy diff old/gone.tos (removed)\n" in text
    assert "same.tos" not in text
    assert text.endswith(" in 4 files.\n")


# ------------------------------------------------------------- usage errors

@pytest.mark.parametrize("args, reason", [
    (["zoom/2023-02.tos"], "give two files or folders"),
    (["zoom/2023-02.tos", "zoom"], "compare two files or two folders"),
    (["zoom/nope.tos", "zoom/2023-02.tos"], "zoom/nope.tos: no such file or folder"),
])
def test_usage_errors_exit_2_with_one_line(args, reason, cli, monkeypatch):
    monkeypatch.chdir(FIXTURES)
    result = cli("diff", *args)
    assert result.exit_code == 2
    assert reason in result.stderr and len(result.stderr.splitlines()) == 1


def test_a_syntax_error_in_either_version_is_reported_and_exits_2(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "old.tos").write_text('service "S" {\n  data x {\n    categories content.text\n  }\n}\n',
                                      encoding="utf-8")
    shutil.copyfile(ZOOM / "2023-02.tos", tmp_path / "new.tos")
    result = cli("diff", "old.tos", "new.tos", "--fail-on-regression")
    assert result.exit_code == 2
    assert result.stdout.splitlines()[:2] == [
        "tospolicy diff old.tos new.tos",
        "old.tos:3:16: TOS001 [error] expected ':' after attribute name 'categories', found name "
        "'content.text'",
    ]
    assert result.stdout.endswith("No changes in 1 file. 1 file could not be compared.\n")
    assert result.stderr.startswith("tospolicy: could not compare new.tos:")
    assert len(result.stderr.splitlines()) == 1


def test_output_is_written_atomically_and_never_over_a_file_we_did_not_write(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(FIXTURES)
    target = tmp_path / "diff.md"
    args = ["diff", "zoom/2023-02.tos", "zoom/2023-03.tos", "--format", "markdown", "--output", str(target)]
    assert cli(*args).exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("<!-- tospolicy diff -->")
    assert cli(*args).exit_code == 0  # our own file: replaced
    foreign = tmp_path / "notes.md"
    foreign.write_text("my notes\n", encoding="utf-8")
    refused = cli(*args[:-1], str(foreign))
    assert refused.exit_code == 2 and "was not written by tospolicy" in refused.stderr
    assert foreign.read_text(encoding="utf-8") == "my notes\n"
    assert cli(*args[:-1], str(foreign), "--force").exit_code == 0
    for form in ("text", "json"):
        out = tmp_path / f"out.{form}"
        assert cli("diff", "zoom/2023-02.tos", "zoom/2023-03.tos", "--format", form,
                   "--output", str(out)).exit_code == 0
        assert cli("diff", "zoom/2023-03.tos", "zoom/2023-08-07.tos", "--format", form,
                   "--output", str(out)).exit_code == 0


# ------------------------------------------------------------------- git

def git(repo: Path, *args: str) -> str:
    completed = subprocess.run(
        ["git", *args], cwd=repo, capture_output=True, text=True, check=True,
        env={**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"},
    )
    return completed.stdout


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> Path:
    """A repository whose commits follow the public record, one tag a version.
    On 11 August the Zoom declaration also moves, from policies/ to terms/."""
    repo = tmp_path_factory.mktemp("history")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", "Test")
    git(repo, "config", "user.email", "test@example.com")
    git(repo, "config", "commit.gpgsign", "false")
    (repo / "README.md").write_text("declarations\n", encoding="utf-8")
    steps = [
        ("zoom-2023-02", ZOOM / "2023-02.tos", "policies/zoom.tos"),
        ("zoom-2023-03", ZOOM / "2023-03.tos", "policies/zoom.tos"),
        ("zoom-2023-08-07", ZOOM / "2023-08-07.tos", "policies/zoom.tos"),
        ("zoom-2023-08-11", ZOOM / "2023-08-11.tos", "terms/zoom.tos"),
        ("wetransfer-2025-06", WETRANSFER / "2025-07-before.tos", "policies/wetransfer.tos"),
        ("wetransfer-2025-07", WETRANSFER / "2025-07-after.tos", "policies/wetransfer.tos"),
    ]
    for tag, source, path in steps:
        if tag == "zoom-2023-08-11":
            (repo / "terms").mkdir()
            git(repo, "mv", "policies/zoom.tos", path)
        _copy(source, repo / path)
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", tag)
        git(repo, "tag", tag)
    return repo


@pytest.fixture
def in_repo(history, monkeypatch):
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.chdir(history)

    def at(tag: str) -> Path:
        git(history, "checkout", "-q", "--force", "--detach", tag)
        git(history, "clean", "-q", "-f", "-d")
        return history

    return at


GIT_STEPS = [
    ("zoom-2023-02", "zoom-2023-03", "modified", "policies/zoom.tos", FEB_TO_MARCH),
    ("zoom-2023-03", "zoom-2023-08-07", "modified", "policies/zoom.tos", MARCH_TO_AUG_7),
    ("zoom-2023-08-07", "zoom-2023-08-11", "renamed", "terms/zoom.tos", AUG_7_TO_AUG_11),
    ("zoom-2023-08-11", "wetransfer-2025-06", "added", "policies/wetransfer.tos", WETRANSFER_NEW),
    ("wetransfer-2025-06", "wetransfer-2025-07", "modified", "policies/wetransfer.tos",
     WETRANSFER_REVISED),
]


@pytest.mark.parametrize("base, head, status, path, expected", GIT_STEPS,
                         ids=[step[1] for step in GIT_STEPS])
def test_each_commit_against_the_one_before(base, head, status, path, expected, in_repo, cli):
    in_repo(head)
    result = cli("diff", "--base", base, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert [(file["status"], file["path"]) for file in data["files"]] == [(status, path)]
    assert _found(data) == _expected(expected)
    old = {"modified": f"{base}:{path}", "renamed": f"{base}:policies/zoom.tos", "added": None}
    assert data["files"][0]["old"] == old[status]


def test_a_rename_is_followed_whichever_path_is_named(in_repo, cli):
    in_repo("zoom-2023-08-11")
    for paths in ([], ["terms"], ["terms/zoom.tos"], ["policies"]):
        result = cli("diff", "--base", "zoom-2023-08-07", *paths)
        assert result.exit_code == 0, (paths, result.stderr)
        lines = result.stdout.splitlines()
        assert lines[0] == "tospolicy diff zoom-2023-08-07:policies/zoom.tos terms/zoom.tos (renamed)"
        assert lines[-1] == "No regressions, 4 improvements and 1 neutral change in 1 file."
        assert "(was at zoom-2023-08-07:policies/zoom.tos:65:5)" in result.stdout


def test_paths_limit_what_is_compared(in_repo, cli):
    in_repo("wetransfer-2025-07")
    everything = json.loads(cli("diff", "--base", "zoom-2023-08-07", "--format", "json").stdout)
    assert [file["path"] for file in everything["files"]] == ["policies/wetransfer.tos",
                                                              "terms/zoom.tos"]
    only = json.loads(cli("diff", "--base", "zoom-2023-08-07", "terms", "--format", "json").stdout)
    assert [file["path"] for file in only["files"]] == ["terms/zoom.tos"]
    missing = cli("diff", "--base", "zoom-2023-08-07", "nowhere")
    assert missing.exit_code == 2 and "nowhere: no such file or folder" in missing.stderr


def test_untracked_declarations_count_as_added_and_skipped_folders_do_not(in_repo, cli):
    repo = in_repo("zoom-2023-03")
    _copy(WETRANSFER / "2025-07-after.tos", repo / "drafts" / "wetransfer.tos")
    _copy(WETRANSFER / "2025-07-after.tos", repo / "node_modules" / "x" / "vendored.tos")
    (repo / "notes.txt").write_text("not a declaration\n", encoding="utf-8")
    data = json.loads(cli("diff", "--base", "HEAD", "--format", "json").stdout)
    assert [(file["status"], file["path"]) for file in data["files"]] == [
        ("added", "drafts/wetransfer.tos")]


def test_diff_base_skips_folders_by_name_not_by_a_marker_file(in_repo, cli):
    # A pull request adding an empty pyvenv.cfg used to hide the folder.
    repo = in_repo("zoom-2023-03")
    _copy(WETRANSFER / "2025-07-after.tos", repo / "drafts" / "new.tos")
    (repo / "drafts" / "pyvenv.cfg").write_text("", encoding="utf-8")
    _copy(WETRANSFER / "2025-07-after.tos", repo / "venv" / "vendored.tos")
    data = json.loads(cli("diff", "--base", "HEAD", "--format", "json").stdout)
    assert [file["path"] for file in data["files"]] == ["drafts/new.tos"]


def test_a_syntax_error_in_the_working_tree_or_at_the_ref(in_repo, cli):
    repo = in_repo("zoom-2023-03")
    (repo / "policies" / "zoom.tos").write_text('service "Zoom" {\n  use x for\n}\n', encoding="utf-8")
    result = cli("diff", "--base", "zoom-2023-02")
    assert result.exit_code == 2
    assert "policies/zoom.tos:3:1: TOS001 [error]" in result.stdout
    assert result.stderr.count("\n") == 1
    git(repo, "commit", "-q", "-a", "-m", "broken")
    _copy(ZOOM / "2023-03.tos", repo / "policies" / "zoom.tos")
    result = cli("diff", "--base", "HEAD")
    assert result.exit_code == 2
    assert "HEAD:policies/zoom.tos:3:1: TOS001 [error]" in result.stdout


def test_a_link_out_of_the_repository_is_not_read(in_repo, cli, tmp_path):
    repo = in_repo("zoom-2023-03")
    secret = tmp_path / "secret.tos"
    secret.write_text("top secret\n", encoding="utf-8")
    (repo / "policies" / "zoom.tos").unlink()
    (repo / "policies" / "zoom.tos").symlink_to(secret)
    result = cli("diff", "--base", "zoom-2023-02")
    assert result.exit_code == 2
    assert "symbolic link to a file outside the repository: not read" in result.stdout
    assert "top secret" not in result.stdout


@pytest.mark.parametrize("ref, reason", [
    ("no-such-branch", "unknown git revision 'no-such-branch'"),
    ("--output=/tmp/x", "'--output=/tmp/x' is not a git revision"),
])
def test_a_bad_ref_exits_2(ref, reason, in_repo, cli):
    in_repo("zoom-2023-03")
    result = cli("diff", "--base", ref)
    assert result.exit_code == 2
    assert result.stderr == f"tospolicy: {reason}" + (
        " (fetch it first, e.g. `git fetch origin no-such-branch`)\n" if ref == "no-such-branch" else "\n")


def test_outside_a_repository_exits_2(tmp_path, cli, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    result = cli("diff", "--base", "main")
    assert result.exit_code == 2
    assert "is not inside a git repository" in result.stderr


def test_no_change_since_the_ref(in_repo, cli):
    in_repo("zoom-2023-03")
    result = cli("diff", "--base", "HEAD", "--fail-on-regression")
    assert (result.exit_code, result.stdout) == (0, "No declarations changed.\n")


# --------------------------------------------------------- as findings

def test_regressions_as_findings_for_the_sarif_reporter(monkeypatch):
    from tospolicy.diff.sources import check_report, compare_paths
    from tospolicy.diff.rules import DIFF_RULES
    from tospolicy.reporters import RenderOptions, text

    monkeypatch.chdir(FIXTURES)
    report = check_report(compare_paths(Path("zoom/2023-02.tos"), Path("zoom/2023-03.tos")))
    findings = report.findings
    assert [(finding.rule_id, finding.severity, finding.span.file, finding.span.line,
             finding.statement) for finding in findings] == [
        ("DIFF001", "error", "zoom/2023-03.tos", 49, "use service_generated for any, ai.training"),
        ("DIFF004", "error", "zoom/2023-03.tos", 54, "share service_generated with third_parties"),
        ("DIFF006", "error", "zoom/2023-03.tos", 64, "license communications, other_content to provider"),
        ("DIFF001", "error", "zoom/2023-03.tos", 72, "use communications, other_content for ai.training"),
        ("DIFF001", "error", "zoom/2023-03.tos", 72, "use communications, other_content for ai.training"),
    ]
    rules = {rule.id: rule for rule in report.rules}
    assert {finding.rule_id for finding in findings} <= set(rules)
    assert {rule.id for rule in DIFF_RULES} == {f"DIFF{number:03d}" for number in range(1, 14)}
    for rule in DIFF_RULES:
        assert rule.summary and len(rule.description) > 200 and rule.tags and rule.pack == "diff"
        assert len(rule.summary) <= 1024 and len(rule.description) <= 1024 * 4
    assert report.files[0].display == "zoom/2023-03.tos"
    assert report.files[0].declaration is not None
    rendered = text.render(report, RenderOptions())
    assert rendered.splitlines()[-1] == "5 findings (5 errors) in 1 file."
    assert "(was at zoom/2023-02.tos:42:3)" in rendered


def test_problems_of_old_versions_become_notifications(in_repo):
    from tospolicy.diff.sources import check_report, compare_with_ref

    repo = in_repo("zoom-2023-03")
    (repo / "policies" / "zoom.tos").write_text('service "Zoom" {\n  use x for\n}\n', encoding="utf-8")
    git(repo, "commit", "-q", "-a", "-m", "broken")
    _copy(ZOOM / "2023-03.tos", repo / "policies" / "zoom.tos")
    report = check_report(compare_with_ref("HEAD"))
    assert report.findings == []
    assert len(report.notifications) == 1
    assert report.notifications[0].startswith("HEAD:policies/zoom.tos:3:1: TOS001 ")


def test_sarif_output_puts_regressions_at_the_new_location_and_validates(tmp_path, cli, monkeypatch):
    from sarif_validation import assert_valid_sarif

    monkeypatch.chdir(FIXTURES)
    output = tmp_path / "diff.sarif"
    result = cli("diff", "zoom/2023-02.tos", "zoom/2023-03.tos", "--format", "sarif",
                 "--output", str(output))
    assert result.exit_code == 0, result.stderr
    log = assert_valid_sarif(output, tmp_path)
    run = log["runs"][0]
    assert run["automationDetails"]["id"].startswith("tospolicy/diff/")
    results = [(item["ruleId"], item["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                item["locations"][0]["physicalLocation"]["region"]["startLine"])
               for item in run["results"]]
    assert sorted(results) == sorted([
        ("DIFF001", "tests/diff/zoom/2023-03.tos", 49),
        ("DIFF004", "tests/diff/zoom/2023-03.tos", 54),
        ("DIFF006", "tests/diff/zoom/2023-03.tos", 64),
        ("DIFF001", "tests/diff/zoom/2023-03.tos", 72),
        ("DIFF001", "tests/diff/zoom/2023-03.tos", 72),
    ])
    rules = {rule["id"] for rule in run["tool"]["driver"]["rules"]}
    assert {"DIFF001", "DIFF004", "DIFF006"} <= rules


def test_github_output_annotates_each_regression_once(cli, monkeypatch):
    monkeypatch.chdir(FIXTURES)
    result = cli("diff", "zoom/2023-02.tos", "zoom/2023-03.tos", "--format", "github")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    annotations = [line for line in lines if line.startswith("::error ")]
    assert len(annotations) == 5
    assert all("file=tests/diff/zoom/2023-03.tos," in line for line in annotations)  # from the repository root


def test_markdown_mentions_nobody_and_writes_no_math(tmp_path, cli, monkeypatch):
    """Found by the output fuzzer: a name written `@octocat` in a declaration
    would notify that account from a pull-request comment."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "old.tos").write_text('service "Shop" {\n}\n', encoding="utf-8")
    (tmp_path / "new.tos").write_text('service "@octocat $x$" {\n}\n', encoding="utf-8")
    result = cli("diff", "old.tos", "new.tos", "--format", "markdown")
    assert result.exit_code == 0
    assert "@&#8203;octocat \\$x\\$" in result.stdout
    assert "@octocat" not in result.stdout


def test_two_files_named_explicitly_are_not_read_through_a_link_out(tmp_path, cli, monkeypatch):
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret\n", encoding="utf-8")
    project = tmp_path / "project"
    project.mkdir()
    (project / "old.tos").write_text('service "S" {\n}\n', encoding="utf-8")
    (project / "new.tos").symlink_to(secret)
    monkeypatch.chdir(project)
    result = cli("diff", "old.tos", "new.tos")
    assert result.exit_code == 2
    assert "new.tos:1:1: TOS002 [error] symbolic link to a file outside the current folder" \
        in result.stdout
    assert "top secret" not in result.stdout
