"""Binding to the prose through `tospolicy check` and `tospolicy quote`: real
terms texts (TEXT001, TEXT003), hostile texts (TEXT002), the edge cases of
reading Markdown and HTML, and the result cache watching the texts."""

from __future__ import annotations

import json
import os

import pytest

from binding_helpers import line_of, terms
from pull_requests import git, write_files

ZOOM_SERVICE_GENERATED = (
    "for any purpose … machine learning or artificial intelligence (including for the "
    "purposes of training and tuning of algorithms and models)")


def repository(tmp_path, files: dict[str, str]):
    git("init", "--quiet", "--initial-branch=main", cwd=tmp_path)
    write_files(tmp_path, files)
    return tmp_path


def declaration(text: str = "legal/terms.md", quotes: dict[str, str] | None = None,
                service_quote: str | None = None) -> str:
    """A small declaration bound to `text`; `quotes` maps a purpose to the quote of its use."""
    lines = ['service "Example" {', "  effective: 2024-01-01", f'  text: "{text}"']
    if service_quote:
        lines.append(f'  quote: "{service_quote}"')
    lines += ['  data content "Content" {', "    categories: content.text", "    subjects: customer",
              "    origin: user_provided", "  }"]
    for purpose, quote in (quotes or {}).items():
        lines += [f"  use content for {purpose} {{", "    basis: contract", f'    quote: "{quote}"', "  }"]
    return "\n".join([*lines, "}", ""])


def findings(cli, *args, rule=None):
    result = cli("check", "--format", "json", "--no-cache", *args)
    assert result.exit_code in (0, 1), result.stderr
    found = json.loads(result.stdout)["findings"]
    return [item for item in found if rule is None or item["rule"] == rule]


def test_zoom_march_2023_section_10_2_is_an_uncovered_ai_passage_in_the_text(tmp_path, cli,
                                                                             monkeypatch):
    text = terms("zoom-terms/2023-04-01.md")
    repository(tmp_path, {"legal/terms.md": text, "zoom.tos": declaration()})
    monkeypatch.chdir(tmp_path)
    found = findings(cli, "zoom.tos", rule="TEXT003")
    line = line_of(text, "**10.2 Service Generated Data; Consent to Use**")
    at_10_2 = [item for item in found if item["line"] == line]
    assert at_10_2, found
    assert at_10_2[0]["path"] == "legal/terms.md"
    assert "AI training and machine learning ('machine learning', 'artificial intelligence'" \
        in at_10_2[0]["message"]


def test_a_quote_of_section_10_2_covers_it(tmp_path, cli, monkeypatch):
    text = terms("zoom-terms/2023-04-01.md")
    repository(tmp_path, {"legal/terms.md": text,
                          "zoom.tos": declaration(quotes={"ai.training": ZOOM_SERVICE_GENERATED})})
    monkeypatch.chdir(tmp_path)
    line = line_of(text, "**10.2 Service Generated Data; Consent to Use**")
    assert findings(cli, "zoom.tos", rule="TEXT001") == []
    assert [item for item in findings(cli, "zoom.tos", rule="TEXT003")
            if item["line"] == line] == []


def test_the_sarif_result_of_text003_is_in_the_text_file(tmp_path, cli, monkeypatch):
    text = terms("zoom-terms/2023-04-01.md")
    repository(tmp_path, {"legal/terms.md": text, "zoom.tos": declaration()})
    monkeypatch.chdir(tmp_path)
    result = cli("check", "--format", "sarif", "--no-cache", "zoom.tos")
    log = json.loads(result.stdout)
    from sarif_validation import schema_errors

    assert schema_errors(log) == []
    line = line_of(text, "**10.2 Service Generated Data; Consent to Use**")
    places = [(result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
               result["locations"][0]["physicalLocation"]["region"]["startLine"])
              for result in log["runs"][0]["results"] if result["ruleId"] == "TEXT003"]
    assert ("legal/terms.md", line) in places


def test_google_july_2023_tells_the_words_that_changed(tmp_path, cli, monkeypatch):
    old_quote = ("help train Google’s language models and build features like Google Translate")
    assert old_quote in terms("google-privacy/2023-01-19.md")
    new = terms("google-privacy/2023-06-29.md")
    repository(tmp_path, {"legal/privacy.md": new,
                          "google.tos": declaration("legal/privacy.md", {"ai.training": old_quote})})
    monkeypatch.chdir(tmp_path)
    [finding] = findings(cli, "google.tos", rule="TEXT001")
    line = line_of(new, "help train Google’s AI models")
    assert finding["line"] == 11  # the quote in the declaration
    message = finding["message"]
    assert f"the closest passage is at legal/privacy.md:{line}:" in message
    assert "[-language-]{+ai+}" in message
    assert "{+products and+} features, like google translate, {+bard and cloud ai capabilities.+}" \
        in message


def test_a_french_ai_passage_is_found_by_the_french_topics(tmp_path, cli, monkeypatch):
    text = terms("facebook-privacy-fr/2024-06-26.md")
    repository(tmp_path, {"politique.md": text, "meta.tos": declaration("politique.md")})
    monkeypatch.chdir(tmp_path)
    found = findings(cli, "meta.tos", rule="TEXT003")
    line = line_of(text, "nous reportons la modification de notre utilisation")
    [banner] = [item for item in found if item["line"] == line]
    assert "AI training and machine learning ('ia')" in banner["message"]
    line = line_of(text, "technologie d’intelligence artificielle")
    [purpose] = [item for item in found if item["line"] == line]
    assert "'intelligence artificielle'" in purpose["message"]


EDGE_MARKDOWN = """\
# Terms &amp; conditions

We **never** sell your *personal* data &mdash; [ever](https://example.com).

1. Outer item about storage
   - Inner item about backups
2. Second item

| Purpose | Consent |
|---------|---------|
| Training our models | opt-in |

We may use your data for research.

We may use your data for research.
"""


@pytest.mark.parametrize("quote, found", [
    ("Terms & conditions", True),                     # an entity decoded
    ("We never sell your personal data - ever", True),  # across emphasis and a link, dash folded
    ("We NEVER sell", True),                          # case folded
    ("Outer item about storage", True),               # a list item without its nested list
    ("Outer item about storage Inner item", False),   # a quote across blocks
    ("Inner item about backups", True),
    ("Training our models", True),                    # a table cell
    ("Training our models opt-in", False),            # across cells
    ("We … for research", True),                      # fragments in order
    ("for research … We", False),                     # fragments out of order
    ("We never sell your personal dat", False),       # whole words only
    ("https://example.com", False),                   # a link target is not text
])
def test_quotes_in_markdown_are_found_exactly(tmp_path, cli, monkeypatch, quote, found):
    repository(tmp_path, {"legal/terms.md": EDGE_MARKDOWN,
                          "a.tos": declaration(quotes={"research": quote})})
    monkeypatch.chdir(tmp_path)
    assert bool(findings(cli, "a.tos", rule="TEXT001")) is not found


def test_one_quote_covers_both_of_two_identical_passages(tmp_path, cli, monkeypatch):
    text = "We train our AI models on your data.\n\nOther words.\n\nWe train our AI models on your data.\n"
    repository(tmp_path, {"legal/terms.md": text,
                          "a.tos": declaration(quotes={"ai.training": "We train our AI models"})})
    monkeypatch.chdir(tmp_path)
    assert findings(cli, "a.tos", rule="TEXT003") == []
    repository(tmp_path, {"a.tos": declaration()})
    assert [item["line"] for item in findings(cli, "a.tos", rule="TEXT003")] == [1, 5]


EDGE_HTML = """<!DOCTYPE html>
<html><head><title>Terms</title><script>var ai = "machine learning";</script></head>
<body>
<h1>Privacy &amp; AI</h1>
<p>We use your <b>content</b> to train
our <a href="/ai">AI&nbsp;models</a>.</p>
<ul><li>First item<ul><li>Nested item</li></ul></li></ul>
<table><tr><td>Cell one</td><td>Cell two</td></tr></table>
</body></html>
"""


@pytest.mark.parametrize("quote, found", [
    ("Privacy & AI", True),
    ("We use your content to train our AI models.", True),
    ("First item", True),
    ("First item Nested item", False),
    ("Cell one", True),
    ("Cell one Cell two", False),
    ("var ai", False),  # a script is not text
])
def test_quotes_in_html_are_found_exactly(tmp_path, cli, monkeypatch, quote, found):
    repository(tmp_path, {"legal/terms.html": EDGE_HTML,
                          "a.tos": declaration("legal/terms.html", {"research": quote})})
    monkeypatch.chdir(tmp_path)
    assert bool(findings(cli, "a.tos", rule="TEXT001")) is not found


def test_html_findings_point_at_the_line_of_their_block(tmp_path, cli, monkeypatch):
    repository(tmp_path, {"legal/terms.html": EDGE_HTML, "a.tos": declaration("legal/terms.html")})
    monkeypatch.chdir(tmp_path)
    lines = [item["line"] for item in findings(cli, "a.tos", rule="TEXT003")]
    assert lines == [4, 5]  # the heading and the paragraph; not the script on line 2


def test_a_quote_without_text_is_a_warning(tmp_path, cli, monkeypatch):
    repository(tmp_path, {"a.tos": 'service "A" {\n  effective: 2024-01-01\n  quote: "x"\n}\n'})
    monkeypatch.chdir(tmp_path)
    [finding] = findings(cli, "a.tos", rule="TEXT004")
    assert finding["severity"] == "warning" and finding["line"] == 3


def _hostile(tmp_path):
    outside = tmp_path / "outside.md"
    outside.write_text("secret words\n", encoding="utf-8")
    repo = tmp_path / "repo"
    repo.mkdir()
    repository(repo, {"empty.md": ""})
    (repo / "nul.md").write_bytes(b"line one\n\0 NUL\n")
    (repo / "latin1.md").write_bytes("caf\xe9\n".encode("latin-1"))
    with open(repo / "huge.md", "wb") as stream:
        stream.truncate(50 * 1024 * 1024)  # 50 MB, sparse
    os.symlink(outside, repo / "link-out.md")
    os.symlink(repo / "loop-b.md", repo / "loop-a.md")
    os.symlink(repo / "loop-a.md", repo / "loop-b.md")
    os.mkfifo(repo / "fifo.md")
    (repo / "folder.md").mkdir()
    return repo


@pytest.mark.parametrize("path, reason", [
    ("missing.md", "'missing.md' does not exist"),
    ("../outside.md", "is outside the repository"),
    ("/etc/passwd", "is an absolute path"),
    ("link-out.md", "goes through a symbolic link out of the repository"),
    ("loop-a.md", "link"),
    ("fifo.md", "not a regular file (a FIFO or a device)"),
    ("folder.md", "is a folder"),
    ("huge.md", "larger than the limit of 4194304 bytes"),
    ("nul.md", "not a text file: NUL byte on line 2"),
    ("latin1.md", "not UTF-8 text: byte 0xe9 on line 1"),
])
def test_a_text_that_cannot_be_read_is_text002_at_its_path(tmp_path, cli, monkeypatch, path, reason):
    repo = _hostile(tmp_path)
    write_files(repo, {"a.tos": declaration(path, {"research": "secret words"}),
                       "b.tos": declaration("empty.md")})
    monkeypatch.chdir(repo)
    found = findings(cli, "a.tos", "b.tos")
    [finding] = [item for item in found if item["rule"] == "TEXT002"]
    assert (finding["path"], finding["line"], finding["column"]) == ("a.tos", 3, 9)
    assert reason in finding["message"]
    assert "secret" not in json.dumps(found).replace("secret words\\\"", "")  # nothing read out
    assert not [item for item in found if item["rule"] == "TEXT001"]  # not checked against nothing


def test_deeply_nested_html_and_markdown_end_in_a_bounded_result(tmp_path, cli, monkeypatch):
    nested_html = "<div>" * 100_000 + "We train AI models." + "</div>" * 100_000
    nested_markdown = "> " * 10_000 + "We train AI models.\n" + "- " * 10_000 + "item\n"
    repository(tmp_path, {"deep.html": nested_html, "deep.md": nested_markdown,
                          "a.tos": declaration("deep.html"), "b.tos": declaration("deep.md")})
    monkeypatch.chdir(tmp_path)
    result = cli("check", "--format", "json", "--no-cache", "a.tos", "b.tos")
    assert result.exit_code in (0, 1), result.stderr
    json.loads(result.stdout)


def test_a_changed_text_is_checked_again_not_taken_from_the_result_cache(tmp_path, cli,
                                                                        monkeypatch):
    repository(tmp_path, {"legal/terms.md": "We keep your files safe.\n",
                          "a.tos": declaration(quotes={"research": "We keep your files safe"})})
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TOSPOLICY_CACHE_DIR", str(tmp_path / "cache"))

    def text_findings():
        result = cli("check", "--format", "json", "a.tos")
        return [item["rule"] for item in json.loads(result.stdout)["findings"]
                if item["rule"].startswith("TEXT")]

    assert text_findings() == []
    assert text_findings() == []  # from the cache
    write_files(tmp_path, {"legal/terms.md": "We train our AI models on your files.\n"})
    assert text_findings() == ["TEXT001", "TEXT003"]
    write_files(tmp_path, {"legal/terms.md": "We keep your files safe.\n"})
    assert text_findings() == []


def test_quote_prints_the_block_at_a_line_ready_to_paste(tmp_path, cli, monkeypatch):
    text = terms("zoom-terms/2023-04-01.md")
    repository(tmp_path, {"legal/terms.md": text})
    monkeypatch.chdir(tmp_path)
    line = line_of(text, "**10.2 Service Generated Data; Consent to Use**")
    result = cli("quote", "legal/terms.md", str(line))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith('quote: "10.2 Service Generated Data; Consent to Use. Customer')
    assert "(\\\"Service Generated Data\\\")" in result.stdout  # typographic quotes folded, escaped
    pasted = result.stdout.strip().removeprefix("quote: ")
    write_files(tmp_path, {"a.tos": declaration(quotes={"ai.training": pasted[1:-1]})})
    assert findings(cli, "a.tos", rule="TEXT001") == []
    result = cli("quote", "legal/terms.md", str(line + 1))  # a blank line
    assert result.exit_code == 1 and "no block of text on this line" in result.stderr
