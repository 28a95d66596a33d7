"""`tospolicy render`, as users run it: the label page in HTML and Markdown.

Pages are read back with html5lib, the HTML5 parsing algorithm browsers use,
so that "nothing from the declaration becomes markup" is checked on the tree
a browser would build, not on the text.
"""

from __future__ import annotations

import base64
import hashlib
import re

import html5lib
import pytest

from conftest import REPO, TESTS, check_golden, fixture_files
from tospolicy.language.parser import parse_file
from tospolicy.language.taxonomy import builtin_taxonomy

EXAMPLES = fixture_files(REPO / "examples")
HOSTILE = TESTS / "render" / "hostile.tos"
# The examples whose rendered pages are checked in (examples/rendered/).
RENDERED = ("zoom-2023-03", "social-network-ai-licensing")
XHTML = "{http://www.w3.org/1999/xhtml}"
SVG = "{http://www.w3.org/2000/svg}"
# Every element a page may hold; anything else came from a declaration.
ALLOWED = {XHTML + name for name in (
    "html head meta title style body header main footer nav article section figure figcaption "
    "h1 h2 h3 h4 p ul li dl dt dd div span strong a code table caption thead tbody tr th td").split()}
ALLOWED |= {SVG + name for name in "svg title g text tspan path rect line".split()}


def tree(page: str):
    return html5lib.parse(page, treebuilder="etree", namespaceHTMLElements=True)


def text_of(root) -> str:
    return " ".join("".join(element.itertext()) for element in root.iter(XHTML + "body"))


def data_labels(path) -> list[str]:
    """Every label a page must show: data sets, their categories, purposes, recipients."""
    taxonomy = builtin_taxonomy()
    declaration = parse_file(path, path.name).declaration
    labels = []
    for service in declaration.services:
        for statement in service.statements:
            if statement.kind == "data":
                labels.append(statement.label.value if statement.label else statement.name.value)
                value = statement.value("categories")
                for item in getattr(value, "items", (value,) if value else ()):
                    labels.append(taxonomy.label("categories", item.value))
            if statement.kind in ("use", "never"):
                labels += [taxonomy.label("purposes", term.value) for term in statement.purposes]
            if statement.kind == "share" and statement.recipient.kind == "text":
                labels.append(statement.recipient.value)
    return labels


def assert_inert(page: str) -> None:
    """No element, attribute or link that the page's own template did not make."""
    root = tree(page)
    for element in root.iter():
        assert element.tag in ALLOWED, element.tag
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (element.tag, name)
            if name in ("href", "src", "xlink:href"):
                assert value.startswith(("#", "https://", "http://")), value
            assert "javascript:" not in value.lower(), (element.tag, name, value)


def test_every_example_renders_with_every_label(cli, monkeypatch):
    assert EXAMPLES
    monkeypatch.chdir(REPO)
    for path in EXAMPLES:
        result = cli("render", str(path.relative_to(REPO)))
        assert result.exit_code == 0, result.stderr
        assert result.stdout.startswith("<!DOCTYPE html>")
        assert_inert(result.stdout)
        shown = text_of(tree(result.stdout))
        for label in data_labels(path):
            assert label in shown, (path.name, label)


def test_hostile_names_stay_text(cli, tmp_path):
    page = tmp_path / "hostile.html"
    result = cli("render", str(HOSTILE), "-o", str(page))
    assert result.exit_code == 0, result.stderr
    html = page.read_text(encoding="utf-8")
    assert_inert(html)
    shown = text_of(tree(html))
    for name in ("<script>alert('service')</script>", '"><img src=x onerror=alert(2)>',
                 "javascript:alert('recipient')", "</title></svg><script>alert(5)</script>",
                 '<a href="javascript:alert(6)">click</a>', "javascript:alert(document.domain)"):
        assert name in shown, name
    # The `source:` is not a web address, so it is no link at all.
    assert not [a for a in tree(html).iter(XHTML + "a") if "alert" in a.get("href", "")]


def test_the_page_is_self_contained_under_a_strict_policy(cli):
    html = cli("render", str(REPO / "examples" / "zoom-2023-03.tos")).stdout
    root = tree(html)
    policy = [meta.get("content") for meta in root.iter(XHTML + "meta")
              if meta.get("http-equiv", "").lower() == "content-security-policy"]
    assert len(policy) == 1
    assert "default-src 'none'" in policy[0] and "img-src 'none'" in policy[0]
    assert "script-src" not in policy[0] and "unsafe-inline" not in policy[0]
    styles = list(root.iter(XHTML + "style"))
    assert len(styles) == 1
    digest = base64.b64encode(hashlib.sha256(styles[0].text.encode("utf-8")).digest()).decode()
    assert f"style-src 'sha256-{digest}'" in policy[0]
    assert not list(root.iter(XHTML + "script"))
    assert not any("style" in element.attrib for element in root.iter())  # the policy would block them
    # Nothing is fetched: no src, no url() in the stylesheet, links only to the terms.
    assert not any("src" in element.attrib for element in root.iter())
    assert "url(" not in styles[0].text and "@import" not in styles[0].text
    assert [a.get("href") for a in root.iter(XHTML + "a")] == ["https://explore.zoom.us/en/terms/"]


def test_the_page_is_accessible(cli):
    root = tree(cli("render", str(REPO / "examples" / "zoom-2023-03.tos")).stdout)
    assert root.get("lang") == "en"
    for landmark in ("header", "main", "footer"):
        assert len(list(root.iter(XHTML + landmark))) == 1
    assert len(list(root.iter(XHTML + "h1"))) == 1
    headings = [h.text for h in root.iter(XHTML + "h3")]
    assert {"At a glance", "Data collected", "How it is used", "Shared with others",
            "How long it is kept", "The licence over your content",
            "Your rights and how to use them", "Promises", "Where the data flows"} <= set(headings)
    svg = next(root.iter(SVG + "svg"))
    assert svg.get("role") == "img" and svg.get("aria-labelledby")
    table = next(root.iter(XHTML + "table"))
    assert [th.get("scope") for th in table.iter(XHTML + "th")] == ["col"] * 4
    rows = list(next(table.iter(XHTML + "tbody")).iter(XHTML + "tr"))
    # The text alternative lists every flow the SVG draws.
    assert len(rows) == len([path for path in svg.iter(SVG + "path")]) == 11
    flows = {tuple("".join(td.itertext()) for td in row.iter(XHTML + "td")) for row in rows}
    assert ("Customer Content", "AI training", "licence", "no consent") in flows


def test_plain_words_not_terms(cli):
    root = tree(cli("render", str(REPO / "examples" / "social-network-ai-licensing.tos")).stdout)
    shown = text_of(root)
    assert "to train AI models" in shown
    assert not re.search(r"\b(ai\.training|content\.\w+|opt_out|opt_in|royalty_free)\b", shown)


def test_findings_beside_their_statements(cli, monkeypatch):
    monkeypatch.chdir(REPO / "examples")  # no configuration: every built-in pack
    plain = cli("render", "zoom-2023-03.tos").stdout
    with_findings = cli("render", "--findings", "zoom-2023-03.tos")
    assert with_findings.exit_code == 0, with_findings.stderr
    assert "AI001" not in plain
    root = tree(with_findings.stdout)
    beside = ["".join(note.itertext()) for note in root.iter(XHTML + "div")
              if note.get("class") == "beside"]
    assert any("AI001" in note for note in beside)
    assert "GDPR001" in with_findings.stdout
    only_core = cli("render", "--findings", "-p", "core", "zoom-2023-03.tos").stdout
    assert "AI001" not in only_core


def test_markdown_from_the_suffix_or_the_option(cli, tmp_path):
    target = tmp_path / "zoom.md"
    assert cli("render", str(REPO / "examples" / "zoom-2023-03.tos"), "-o", str(target)).exit_code == 0
    text = target.read_text(encoding="utf-8")
    assert text.startswith("<!-- tospolicy render -->") and "```mermaid\nflowchart LR\n" in text
    printed = cli("render", "-f", "markdown", str(REPO / "examples" / "zoom-2023-03.tos")).stdout
    assert printed == text


def test_output_is_byte_identical_run_after_run(cli):
    paths = [str(path) for path in EXAMPLES]
    first = cli("render", *paths).stdout
    assert first == cli("render", *paths).stdout
    assert first.count('<article class="service"') == len(EXAMPLES)


def test_a_broken_file_is_reported_and_the_others_rendered(cli, tmp_path):
    broken = tmp_path / "broken.tos"
    broken.write_text('service "B" {\n  data x {\n    categories content.text\n  }\n}\n', encoding="utf-8")
    result = cli("render", str(broken), str(REPO / "examples" / "notes-app.tos"))
    assert result.exit_code == 1
    assert re.search(r"broken\.tos:3:\d+: TOS001 \[error\] ", result.stderr)
    assert "Traceback" not in result.stderr
    assert "Notes" in result.stdout and 'service "B"' not in result.stdout


def test_missing_files_and_unwritable_outputs(cli, tmp_path):
    result = cli("render", str(tmp_path / "nowhere.tos"))
    assert result.exit_code == 2 and "nowhere.tos: no such file" in result.stderr
    mine = tmp_path / "mine.html"
    mine.write_text("my own notes\n", encoding="utf-8")
    refused = cli("render", str(REPO / "examples" / "notes-app.tos"), "-o", str(mine))
    assert refused.exit_code == 2 and "--force" in refused.stderr
    assert mine.read_text(encoding="utf-8") == "my own notes\n"
    ours = tmp_path / "ours.html"
    for _ in range(2):  # the second run replaces what the first wrote
        assert cli("render", str(REPO / "examples" / "notes-app.tos"), "-o", str(ours)).exit_code == 0


@pytest.mark.parametrize("stem", RENDERED)
@pytest.mark.parametrize("suffix", ("html", "md"))
def test_the_rendered_examples_are_current(stem, suffix, cli, monkeypatch):
    monkeypatch.chdir(REPO)
    result = cli("render", "-f", "html" if suffix == "html" else "markdown", f"examples/{stem}.tos")
    assert result.exit_code == 0, result.stderr
    check_golden(result.stdout, REPO / "examples" / "rendered" / f"{stem}.{suffix}")
