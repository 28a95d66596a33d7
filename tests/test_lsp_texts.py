"""`tospolicy lsp` and the texts declarations bind: findings shown in the
terms, quotes completed from them. A real git repository with Markdown terms."""

from __future__ import annotations

import asyncio
import json
import subprocess
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types

from lsp_client import SERVER, TIMEOUT, change_document, open_document, published, start, uri

# The emoji before the AI passage: columns are code points in findings, UTF-16 units in LSP.
TERMS = """# Example Meetings terms

🎥 We train our AI models on your recordings.

We may use your recordings to improve our machine learning features. We keep them for 30 days.

The "Services" are the apps and the website. Call them C:\\meetings if you like.

Your recordings belong to you, and we sell them to no one.
"""

DECLARATION = '''service "Example Meetings" {
  effective: 2024-01-01
  contact: "privacy@example.com"
  text: "terms.md"
  quote: "Your recordings belong to you"

  data recordings "Recordings" {
    categories: content.audio
    subjects: customer
    origin: user_provided
  }

  use recordings for service.improvement {
    basis: contract
    quote: "improve our machine learning features"
  }
}
'''
AI_PASSAGE = "We train our AI models on your recordings."


pytestmark = pytest.mark.asyncio


@pytest.fixture
def project(tmp_path) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / ".tospolicy.yml").write_text("packs: [core]\n", encoding="utf-8")
    (tmp_path / "terms.md").write_text(TERMS, encoding="utf-8")
    (tmp_path / "meetings.tos").write_text(DECLARATION, encoding="utf-8")
    return tmp_path


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: pytest_lsp.LanguageClient, project):
    await start(lsp_client, project)
    yield
    await lsp_client.shutdown_session()


def _check_findings(cli, project: Path, monkeypatch) -> list[dict]:
    monkeypatch.chdir(project)
    return json.loads(cli("check", "--no-cache", "-f", "json", "meetings.tos").stdout)["findings"]


async def test_findings_in_the_terms_are_published_for_the_terms(client, project, cli, monkeypatch):
    declaration, terms = project / "meetings.tos", project / "terms.md"
    seen = len(client.published)
    shown = await open_document(client, declaration)
    in_terms = await published(client, uri(terms), seen)
    expected = [finding for finding in _check_findings(cli, project, monkeypatch)
                if finding["path"] == "terms.md"]
    assert [finding["rule"] for finding in expected] == ["TEXT003"]
    assert [(d.code, d.message, d.range.start.line, d.range.start.character) for d in in_terms] == [
        (finding["rule"], finding["message"], finding["line"] - 1, finding["column"] - 1)
        for finding in expected]
    # The end: the emoji is one code point in the finding, two UTF-16 units here.
    line = TERMS.split("\n")[2]
    assert expected[0]["end_column"] - 1 == len(line)
    assert in_terms[0].range.end == types.Position(2, len(line) + 1)
    assert "TEXT003" not in {d.code for d in shown}  # not on the declaration


async def test_the_terms_findings_are_cleared_when_no_longer_found(client, project):
    declaration, terms = project / "meetings.tos", project / "terms.md"
    seen = len(client.published)
    await open_document(client, declaration)
    assert [d.code for d in await published(client, uri(terms), seen)] == ["TEXT003"]
    covered = DECLARATION.replace('quote: "Your recordings belong to you"',
                                  f'quote: ["Your recordings belong to you", "{AI_PASSAGE}"]')
    seen = len(client.published)
    assert await change_document(client, declaration, 2, covered) == []
    assert await published(client, uri(terms), seen) == []
    # Uncovered again, then the declaration closed: cleared again.
    seen = len(client.published)
    await change_document(client, declaration, 3, DECLARATION)
    assert [d.code for d in await published(client, uri(terms), seen)] == ["TEXT003"]
    seen = len(client.published)
    client.text_document_did_close(types.DidCloseTextDocumentParams(
        types.TextDocumentIdentifier(uri(declaration))))
    assert await published(client, uri(terms), seen) == []


async def test_terms_open_in_the_editor_show_their_findings(client, project):
    declaration, terms = project / "meetings.tos", project / "terms.md"
    await open_document(client, declaration)
    assert [d.code for d in await open_document(client, terms, language="markdown")] == ["TEXT003"]


async def test_a_saved_text_checks_its_declarations_again(client, project):
    declaration, terms = project / "meetings.tos", project / "terms.md"
    await open_document(client, declaration)
    terms.write_text(TERMS.replace("improve our machine learning features", "improve things"),
                     encoding="utf-8")
    seen = len(client.published)
    client.text_document_did_save(types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(uri(terms))))
    assert "TEXT001" in {d.code for d in await published(client, uri(declaration), seen)}


async def _complete(client, path: Path, text: str, marker: str) -> types.CompletionList:
    """Completion where `marker` ends in `text`, typed into the declaration
    `path` once open (while typing, it may not parse: the texts are those it
    bound when it last did)."""
    await open_document(client, path)
    await change_document(client, path, 2, text)
    return await _complete_at(client, path, text, text.index(marker) + len(marker))


async def _complete_at(client, path: Path, text: str, offset: int) -> types.CompletionList:
    line = text.count("\n", 0, offset)
    character = offset - (text.rfind("\n", 0, offset) + 1)
    return await asyncio.wait_for(client.text_document_completion_async(types.CompletionParams(
        types.TextDocumentIdentifier(uri(path)), types.Position(line, character))), TIMEOUT)


def _apply(text: str, edit: types.TextEdit) -> str:
    lines = text.split("\n")
    start = sum(len(line) + 1 for line in lines[:edit.range.start.line]) + edit.range.start.character
    end = sum(len(line) + 1 for line in lines[:edit.range.end.line]) + edit.range.end.character
    return text[:start] + edit.new_text + text[end:]


async def test_quotes_complete_from_the_bound_text(client, project):
    path = project / "meetings.tos"
    typing = DECLARATION.replace('quote: "improve our machine learning features"', 'quote: "We may"')
    found = await _complete(client, path, typing, 'quote: "We may')
    assert found.is_incomplete  # filtered here: asked again as the user types
    passage = "We may use your recordings to improve our machine learning features."
    inserts = [item.text_edit.new_text for item in found.items]
    assert inserts == [f'"{passage} We keep them for 30 days."', f'"{passage}"']  # the block, its sentence
    item = found.items[1]
    assert item.label.startswith("We may use your recordings") and item.label.endswith("…")
    assert item.detail == "terms.md:5"
    # Chosen: the string typed (closed by the editor) is replaced, and the quote is found.
    chosen = _apply(typing, item.text_edit)
    assert f'quote: "{passage}"\n' in chosen
    assert "TEXT001" not in {d.code for d in await change_document(client, path, 3, chosen)}


async def test_quotes_are_filtered_by_words_further_on_and_encoded(client, project):
    path = project / "meetings.tos"
    typing = DECLARATION.replace('quote: "Your recordings belong to you"', 'quote: "apps and')
    found = await _complete(client, path, typing, 'quote: "apps and')
    inserts = [item.text_edit.new_text for item in found.items]
    # The passage holding the words, as a string of the language: its quotes and backslash escaped.
    assert inserts == ['"The \\"Services\\" are the apps and the website. Call them C:\\\\meetings if you like."',
                       '"The \\"Services\\" are the apps and the website."']
    assert all(item.filter_text == '"apps and' for item in found.items)
    chosen = _apply(typing, found.items[1].text_edit)
    assert 'quote: "The \\"Services\\" are the apps and the website."\n' in chosen
    assert "TEXT001" not in {d.code for d in await change_document(client, path, 3, chosen)}


async def test_no_quotes_outside_a_quote(client, project):
    path = project / "meetings.tos"
    typing = DECLARATION.replace('contact: "privacy@example.com"', 'contact: "We')
    found = await _complete(client, path, typing, 'contact: "We')
    assert list(found.items) == []


async def test_texts_kept_between_changes_are_found_at_their_new_place(client, project):
    """The binding is kept while its files do not change: its findings move with the text."""
    path = project / "meetings.tos"
    missing = DECLARATION.replace('text: "terms.md"', 'text: ["terms.md", "gone.md"]')
    unreadable = [d for d in await open_document(client, path, missing) if d.code == "TEXT002"]
    assert [d.range.start.line for d in unreadable] == [3]
    moved = [d for d in await change_document(client, path, 2, "# the terms\n" + missing)
             if d.code == "TEXT002"]
    assert [(d.range.start.line, d.message) for d in moved] == [(4, unreadable[0].message)]
    # The missing text written: read now.
    (project / "gone.md").write_text("Nothing to see.\n", encoding="utf-8")
    assert "TEXT002" not in {d.code for d in await change_document(client, path, 3, missing)}


async def test_quotes_come_from_the_texts_of_the_service_they_are_in(client, project):
    (project / "legal").mkdir()
    (project / "legal" / "other.md").write_text("We may share nothing at all.\n", encoding="utf-8")
    path = project / "meetings.tos"
    other = ('service "Other" {\n  effective: 2024-01-01\n  text: "legal/other.md"\n'
             '  quote: "We may share nothing at all."\n}\n')
    await open_document(client, path, DECLARATION + other)
    typing = DECLARATION + other.replace('quote: "We may share nothing at all."', 'quote: "We may')
    await change_document(client, path, 2, typing)
    found = await _complete_at(client, path, typing, typing.rindex('"We may') + len('"We may'))
    assert [(item.text_edit.new_text, item.detail) for item in found.items] == [
        ('"We may share nothing at all."', "legal/other.md:1")]
    found = await _complete_at(client, path, typing, typing.index('quote: "Your') + len('quote: "'))
    assert {item.detail.split(":")[0] for item in found.items} == {"terms.md"}


async def test_declarations_binding_one_text_each_add_their_findings(client, project):
    first, second, terms = project / "meetings.tos", project / "again.tos", project / "terms.md"
    seen = len(client.published)
    await open_document(client, first)
    assert len(await published(client, uri(terms), seen)) == 1
    seen = len(client.published)
    await open_document(client, second, DECLARATION.replace("Example Meetings", "Second Meetings"))
    both = await published(client, uri(terms), seen)
    assert [("Second" in d.message, d.code) for d in both] == [(True, "TEXT003"), (False, "TEXT003")]
    seen = len(client.published)
    client.text_document_did_close(types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri(second))))
    assert [d.message for d in await published(client, uri(terms), seen)] == [both[1].message]
