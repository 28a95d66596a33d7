"""The prose in `tospolicy diff`: bound texts compared block by block between
two versions (DIFF010 at the quoting statement, DIFF011 in the new text), in
real git repositories with real terms texts, in every output format."""

from __future__ import annotations

import json

import pytest

from binding_helpers import line_of, terms
from pull_requests import git, write_files

ZOOM = """service "Zoom" {
  effective: 2023-02-01
  text: "legal/terms.md"

  data content "Customer Content" {
    categories: content.audio
    subjects: customer
    origin: user_provided
  }

  use content for service.provision {
    basis: contract
    quote: "QUOTE"
  }
}
"""
# In the 1 February 2023 terms (section 7); rewritten as 11.2 on 31 March 2023.
FEBRUARY_QUOTE = "The Services are intended for business use"


def two_commits(tmp_path, base: dict, head: dict):
    git("init", "--quiet", "--initial-branch=main", cwd=tmp_path)
    write_files(tmp_path, base)
    git("add", "--all", cwd=tmp_path)
    git("commit", "--quiet", "--message=base", cwd=tmp_path)
    write_files(tmp_path, head)
    return tmp_path


def diff_json(cli, *args):
    result = cli("diff", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return [change for file in json.loads(result.stdout)["files"] for change in file["changes"]]


def test_zoom_march_2023_adds_unquoted_ai_passages_as_diff011_errors(tmp_path, cli, monkeypatch):
    new = terms("zoom-terms/2023-04-01.md")
    two_commits(tmp_path, {"zoom.tos": ZOOM.replace("QUOTE", FEBRUARY_QUOTE),
                           "legal/terms.md": terms("zoom-terms/2023-02-01.md")},
                {"legal/terms.md": new})
    monkeypatch.chdir(tmp_path)
    changes = diff_json(cli, "--base", "main")  # only the text changed
    ai = [change for change in changes if change["id"] == "DIFF011" and change["severity"] == "error"]
    lines = {change["new"]["line"] for change in ai}
    assert line_of(new, "**10.2 Service Generated Data; Consent to Use**") in lines
    assert line_of(new, "**10.4 Customer License Grant**") in lines
    assert all(change["new"]["file"] == "legal/terms.md" for change in ai)
    assert any("AI training and machine learning ('machine learning', 'artificial intelligence'"
               in change["message"] for change in ai)
    [quoted] = [change for change in changes if change["id"] == "DIFF010"]
    assert quoted["new"] == {**quoted["new"], "file": "zoom.tos", "line": 13}
    assert quoted["statement"] == "service Zoom / use content for service.provision"
    assert quoted["words"], quoted  # the words that changed


def test_zoom_august_2024_re_extraction_is_no_change_at_all(tmp_path, cli, monkeypatch):
    old, new = terms("zoom-terms/2023-08-11.md"), terms("zoom-terms/2024-08-08.md")
    assert old != new
    quote = "Zoom does not use any of your audio, video, chat, screen sharing, attachments"
    assert quote in old
    two_commits(tmp_path, {"zoom.tos": ZOOM.replace("QUOTE", quote), "legal/terms.md": old},
                {"legal/terms.md": new})
    monkeypatch.chdir(tmp_path)
    assert diff_json(cli, "--base", "main") == []
    result = cli("diff", "--base", "main")
    assert "No changes in 1 file." in result.stdout


def test_a_moved_and_renumbered_block_is_not_a_change(tmp_path, cli, monkeypatch):
    old = "1. We train our AI models on your data.\n\n2. We keep logs.\n"
    new = "1. We keep logs.\n\n7. We train our AI models on your data.\n"
    two_commits(tmp_path, {"a.tos": ZOOM.replace("QUOTE", "We keep logs"), "legal/terms.md": old},
                {"legal/terms.md": new})
    monkeypatch.chdir(tmp_path)
    assert diff_json(cli, "--base", "main") == []


def _google(tmp_path):
    old, new = terms("google-privacy/2023-01-19.md"), terms("google-privacy/2023-06-29.md")
    quote = "help train Google’s language models and build features like Google Translate"
    declaration = ZOOM.replace("QUOTE", quote).replace('"legal/terms.md"', '"privacy.md"')
    write_files(tmp_path / "old", {"google.tos": declaration, "privacy.md": old})
    write_files(tmp_path / "new", {"google.tos": declaration, "privacy.md": new})
    return line_of(new, "help train Google’s AI models")


def test_google_july_2023_in_two_folders_shows_the_changed_words(tmp_path, cli, monkeypatch):
    line = _google(tmp_path)
    monkeypatch.chdir(tmp_path)
    changes = diff_json(cli, "old", "new")
    [quoted] = [change for change in changes if change["id"] == "DIFF010"]
    assert quoted["severity"] == "error"  # the passage is about AI training
    assert f"changed at new/privacy.md:{line} (the quote no longer matches)" in quoted["message"]
    assert "[-language-]{+AI+}" in quoted["message"]
    assert {"old": "language", "new": "AI"} in quoted["words"]
    [added] = [change for change in changes if change["id"] == "DIFF011"
               and change["severity"] == "error"]
    assert added["new"]["line"] == line and added["new"]["file"] == "new/privacy.md"
    assert "AI training and machine learning ('train google's ai models'" in added["message"]


@pytest.mark.parametrize("output_format, expected", [
    ("text", "[-language-]{+AI+}"),
    ("markdown", "~~language~~ **AI**"),
    ("github", "title=DIFF011 unquoted-passage::"),
])
def test_prose_changes_in_every_format(tmp_path, cli, monkeypatch, output_format, expected):
    _google(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = cli("diff", "--format", output_format, "old/google.tos", "new/google.tos")
    assert result.exit_code == 0, result.stderr
    assert expected in result.stdout


def test_prose_changes_in_sarif_are_located_in_the_text(tmp_path, cli, monkeypatch):
    line = _google(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = cli("diff", "--format", "sarif", "old/google.tos", "new/google.tos")
    log = json.loads(result.stdout)
    places = {(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
               r["locations"][0]["physicalLocation"]["region"]["startLine"])
              for r in log["runs"][0]["results"]}
    assert ("DIFF011", "new/privacy.md", line) in places
    assert ("DIFF010", "new/google.tos", 13) in places
    rules = {rule["id"] for rule in log["runs"][0]["tool"]["driver"]["rules"]}
    assert {"DIFF010", "DIFF011"} <= rules


def test_fail_on_regression_counts_prose_changes(tmp_path, cli, monkeypatch):
    _google(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert cli("diff", "--fail-on-regression", "old", "new").exit_code == 1


def test_a_text_that_did_not_change_is_no_prose_change(tmp_path, cli, monkeypatch):
    text = terms("google-privacy/2023-01-19.md")
    declaration = ZOOM.replace("QUOTE", "help train Google’s language models")
    two_commits(tmp_path, {"g.tos": declaration, "legal/terms.md": text},
                {"g.tos": declaration.replace("2023-02-01", "2023-02-02")})
    monkeypatch.chdir(tmp_path)
    assert [change["id"] for change in diff_json(cli, "--base", "main")] == [None]  # neutral
