"""SARIF 2.1.0 as code scanning receives it: both validators, URIs, fingerprints."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from conftest import run_tospolicy
from report_builders import BROKEN, LONG, engine_like_report, write_project
from sarif_validation import assert_valid_sarif, multitool_problems, schema_errors
from tospolicy.reporters import RenderOptions, render

# A folder name with a space, `#` and non-ASCII letters.
ODD_FOLDER = "my project #1 ü"


def git_init(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", str(folder)], check=True)
    return folder


def results_by_uri(log: dict) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for result in log["runs"][0]["results"]:
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        out.setdefault(uri, []).append(result)
    return out


def test_check_sarif_from_a_subfolder_of_a_repository_passes_both_validators(tmp_path):
    repo = git_init(tmp_path / "repo")
    project = repo / ODD_FOLDER
    write_project(project)
    (project / "binary.tos").write_bytes(b"\x00\x01binary")
    (project / "100% broken, ü.tos").write_text(BROKEN, encoding="utf-8")
    result = run_tospolicy("check", "--format", "sarif", "--output", "out.sarif", ".", cwd=project)
    assert result.exit_code == 1, result.stderr
    assert result.stdout == ""
    log = assert_valid_sarif(project / "out.sarif", tmp_path)

    run = log["runs"][0]
    prefix = "my%20project%20%231%20%C3%BC/"
    # Syntax errors in three files, and the built-in packs' findings in the others.
    assert sorted(results_by_uri(log)) == [
        prefix + "100%25%20broken%2C%20%C3%BC.tos",
        prefix + "50%25%20%C3%BCn%C3%AFcode.tos",
        prefix + "binary.tos",
        prefix + "broken%20%231.tos",
        prefix + "meetings.tos",
        prefix + "sub%20dir/more%20meetings.tos",
    ]
    assert {result["ruleId"] for result in results_by_uri(log)[prefix + "meetings.tos"]} >= {
        "AI001", "GDPR005"}
    rules = run["tool"]["driver"]["rules"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert set(location["region"]) == {"startLine", "startColumn", "endLine", "endColumn"}
    syntax = [result for result in run["results"] if result["ruleId"] == "TOS001"]
    assert len(syntax) >= 2  # parsing resumes: every error of the file
    assert "%SRCROOT%" in run["originalUriBaseIds"]
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["automationDetails"]["id"] == "tospolicy/check/"
    # The unreadable file is a result and a tool execution notification.
    notifications = run["invocations"][0]["toolExecutionNotifications"]
    assert [n["associatedRule"]["id"] for n in notifications] == ["TOS002"]


def test_engine_like_report_passes_both_validators(tmp_path):
    """Rule findings, suppressions, 33 rules with long descriptions, a rule
    without a descriptor, notifications: what the rule engine will produce."""
    project = git_init(tmp_path / ODD_FOLDER)
    write_project(project)
    report = engine_like_report(project)
    logs = []
    for include in (False, True):
        text = render("sarif", report, RenderOptions(include_suppressed=include, cwd=project))
        path = tmp_path / f"include-{include}.sarif"
        path.write_text(text, encoding="utf-8")
        log = json.loads(text)
        assert schema_errors(log) == []
        logs.append(log)
    assert multitool_problems([tmp_path / "include-False.sarif", tmp_path / "include-True.sarif"],
                              tmp_path) == []

    default, included = (log["runs"][0] for log in logs)
    unsuppressed = [result for result in included["results"] if "suppressions" not in result]
    assert unsuppressed == default["results"]  # fingerprints included
    assert {result["ruleId"] for result in default["results"]} == {"TOS001", "AI001", "ACME999"}
    suppressed = [result for result in included["results"] if "suppressions" in result]
    assert sorted(result["ruleId"] for result in suppressed) == ["AI005"] * 3 + ["GDPR005"] * 3
    for result in suppressed:
        expected = {"kind": "inSource"}
        if result["ruleId"] == "AI005":
            expected["justification"] = "reviewed by legal, ticket 42"
        assert result["suppressions"] == [expected]

    rules = default["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules][:6] == ["TOS001", "TOS002", "TOS003", "AI001", "AI005",
                                                  "GDPR005"]
    assert rules[-1]["id"] == "ACME999"  # no RuleInfo: a minimal descriptor
    assert "no description was loaded" in rules[-1]["shortDescription"]["text"]
    made_up = next(rule for rule in rules if rule["id"] == "PACK000")
    assert len(LONG) > 1024 and len(made_up["fullDescription"]["text"]) <= 1024
    assert made_up["help"]["text"].count(LONG.strip()) == 1  # the help keeps all of it
    assert "https://example.com/why" in made_up["help"]["markdown"]
    assert made_up["properties"]["precision"] and len(made_up["properties"]["tags"]) == 20
    ai001 = next(rule for rule in rules if rule["id"] == "AI001")
    assert ai001["defaultConfiguration"] == {"level": "error"}
    assert ai001["helpUri"].endswith("#ai001")
    for result in default["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    assert default["invocations"][0]["executionSuccessful"] is False
    assert any("made-up failure" in n["message"]["text"]
               for n in default["invocations"][0]["toolExecutionNotifications"])


def test_uri_reference_format_is_really_checked():
    """Without rfc3986-validator the schema's `uri-reference` check passes anything."""
    log = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{
        "message": {"text": "m"}, "ruleId": "X1",
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a b#c#d.tos"}}}],
    }]}]}
    assert any("uri-reference" in error for error in schema_errors(log))


def test_the_multitool_reports_what_code_scanning_would_reject(tmp_path):
    """The harness can fail: our own log without the driver's version and a rule's help."""
    (tmp_path / "x.tos").write_text(BROKEN, encoding="utf-8")
    log = json.loads(run_tospolicy("check", "-f", "sarif", cwd=tmp_path).stdout)
    driver = log["runs"][0]["tool"]["driver"]
    del driver["version"], driver["semanticVersion"], driver["rules"][0]["help"]
    bad = tmp_path / "bad.sarif"
    bad.write_text(json.dumps(log), encoding="utf-8")
    problems = multitool_problems([bad], tmp_path)
    assert any(problem.startswith("SARIF2005 warning") for problem in problems), problems
    assert any(problem.startswith("GH2012 error") for problem in problems), problems


def test_uris_are_relative_to_the_current_folder_outside_a_repository(tmp_path):
    project = tmp_path / ODD_FOLDER
    (project / "a b").mkdir(parents=True)
    (project / "a b" / "x#y.tos").write_text(BROKEN, encoding="utf-8")
    env = {"GIT_CEILING_DIRECTORIES": str(tmp_path)}
    result = run_tospolicy("check", "-f", "sarif", cwd=project, env=env)
    assert result.exit_code == 1, result.stderr
    assert sorted(results_by_uri(json.loads(result.stdout))) == ["a%20b/x%23y.tos"]
    # Without git at all, the same.
    without_git = run_tospolicy("check", "-f", "sarif", cwd=project, env={"PATH": ""})
    assert without_git.stdout == result.stdout


def test_files_outside_the_repository_get_absolute_file_uris(tmp_path):
    repo = git_init(tmp_path / "repo")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "x.tos").write_text(BROKEN, encoding="utf-8")
    result = run_tospolicy("check", "-f", "sarif", str(outside / "x.tos"), cwd=repo)
    log = json.loads(result.stdout)
    assert schema_errors(log) == []
    [uri] = results_by_uri(log)
    assert uri == (outside / "x.tos").resolve().as_uri()


def test_category_option_sets_automation_details(tmp_path):
    (tmp_path / "x.tos").write_text(BROKEN, encoding="utf-8")
    result = run_tospolicy("check", "-f", "sarif", "--sarif-category", "front end/eu", cwd=tmp_path)
    assert json.loads(result.stdout)["runs"][0]["automationDetails"]["id"] == "tospolicy/front-end/eu/"


def fingerprints_of(log: dict) -> list[tuple[str, str, int]]:
    return [
        (result["ruleId"], result["partialFingerprints"]["primaryLocationLineHash"],
         result["locations"][0]["physicalLocation"]["region"]["startLine"])
        for result in log["runs"][0]["results"]
    ]


def test_a_comment_line_at_the_top_of_each_file_changes_no_fingerprint(tmp_path):
    project = git_init(tmp_path / ODD_FOLDER)
    paths = write_project(project)
    (project / "twice.tos").write_text(BROKEN + BROKEN, encoding="utf-8")  # identical lines
    options = RenderOptions(include_suppressed=True, cwd=project)
    before = fingerprints_of(json.loads(render("sarif", engine_like_report(project), options)))
    cli_before = fingerprints_of(json.loads(
        run_tospolicy("check", "-f", "sarif", cwd=project).stdout))

    for path in [*paths, project / "twice.tos"]:
        path.write_text("# a comment added at the top\n" + path.read_text(encoding="utf-8"),
                        encoding="utf-8")
    after = fingerprints_of(json.loads(render("sarif", engine_like_report(project), options)))
    cli_after = fingerprints_of(json.loads(
        run_tospolicy("check", "-f", "sarif", cwd=project).stdout))

    assert len(before) >= 12 and len(cli_before) >= 6
    for old, new in ((before, after), (cli_before, cli_after)):
        assert [(rule, digest) for rule, digest, _ in new] == [(rule, digest) for rule, digest, _ in old]
        assert [line for _, _, line in new] == [line + 1 for _, _, line in old]
        assert len({digest for _, digest, _ in old}) == len(old)  # each finding its own
    assert any(digest.endswith(":2") for _, digest, _ in cli_before)  # identical lines told apart


def test_editing_the_line_of_a_finding_changes_its_fingerprint(tmp_path):
    (tmp_path / "x.tos").write_text(BROKEN, encoding="utf-8")
    before = fingerprints_of(json.loads(run_tospolicy("check", "-f", "sarif", cwd=tmp_path).stdout))
    respaced = BROKEN.replace("categories content.text", "categories  content.text  # hm")
    (tmp_path / "x.tos").write_text(respaced, encoding="utf-8")
    same = fingerprints_of(json.loads(run_tospolicy("check", "-f", "sarif", cwd=tmp_path).stdout))
    (tmp_path / "x.tos").write_text(BROKEN.replace("content.text", "content.files"), encoding="utf-8")
    after = fingerprints_of(json.loads(run_tospolicy("check", "-f", "sarif", cwd=tmp_path).stdout))
    assert same[0][1] == before[0][1]  # whitespace and a trailing comment do not count
    assert after[0][1] != before[0][1]


@pytest.mark.parametrize("fmt", ["sarif", "json", "markdown", "github", "text"])
def test_identical_input_gives_byte_identical_output(tmp_path, fmt):
    project = git_init(tmp_path / ODD_FOLDER)
    write_project(project)
    first = run_tospolicy("check", "-f", fmt, "-o", "first.out", cwd=project)
    second = run_tospolicy("check", "-f", fmt, "-o", "second.out", cwd=project)
    assert first.exit_code == second.exit_code == 1, first.stderr
    data = (project / "first.out").read_bytes()
    assert data and data == (project / "second.out").read_bytes()
    assert b"\r" not in data
    data.decode("utf-8")
