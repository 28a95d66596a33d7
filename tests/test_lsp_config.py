"""`tospolicy lsp` and the configuration: found from the file's folder up, reloaded on change."""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types

from lsp_client import SERVER, open_document, start, uri

# AI005: AI training unless people opt out, with no way to opt out.
AI_TRAINING = 'service "Notes" {\n  data notes\n  use notes for ai.training { consent: opt_out }\n}\n'


pytestmark = pytest.mark.asyncio


@pytest.fixture
def project(tmp_path) -> Path:
    (tmp_path / ".git").mkdir()  # the top of a repository: the lookup stops here
    (tmp_path / "decl").mkdir()
    return tmp_path


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: pytest_lsp.LanguageClient, project):
    await start(lsp_client, project)
    yield
    await lsp_client.shutdown_session()


async def test_packs_and_rules_of_the_configuration_above(client, project):
    (project / ".tospolicy.yml").write_text("packs: [core, ai]\nrules:\n  AI005: off\n")
    path = project / "decl" / "notes.tos"
    codes = {d.code for d in await open_document(client, path, AI_TRAINING)}
    assert "CORE007" in codes  # checked: no effective date
    assert "AI005" not in codes  # turned off
    assert not any(code.startswith("GDPR") for code in codes)  # not a loaded pack


async def test_a_changed_configuration_is_loaded_again(client, project):
    config = project / ".tospolicy.yml"
    config.write_text("packs: [core, ai]\nrules:\n  AI005: off\n")
    path = project / "decl" / "notes.tos"
    assert "AI005" not in {d.code for d in await open_document(client, path, AI_TRAINING)}
    config.write_text("packs: [core, ai]\n")
    waiting = client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
        [types.FileEvent(uri(config), types.FileChangeType.Changed)]))
    await waiting
    assert "AI005" in {d.code for d in client.diagnostics[uri(path)]}


async def test_the_server_watches_configurations_and_packs(client, project):
    # A request answered: the server has handled `initialized` and registered.
    await client.text_document_hover_async(types.HoverParams(
        types.TextDocumentIdentifier(uri(project / "none.tos")), types.Position(0, 0)))
    methods = [registration.method for registration in client.registrations]
    assert types.WORKSPACE_DID_CHANGE_WATCHED_FILES in methods


async def test_a_broken_configuration_is_shown_on_the_declaration(client, project):
    (project / ".tospolicy.yml").write_text("packs: [core, nonesuch]\n")
    diagnostics = await open_document(client, project / "decl" / "notes.tos", AI_TRAINING)
    assert len(diagnostics) == 1
    assert "nonesuch" in diagnostics[0].message
    assert diagnostics[0].message.startswith("not checked: ")


async def test_configuration_in_the_editor_is_validated_at_line_and_column(client, project):
    config = project / ".tospolicy.yml"
    text = "packs: [core]\nfail-on: sometimes\n"
    config.write_text(text)
    diagnostics = await open_document(client, config, text, language="yaml")
    assert len(diagnostics) == 1
    assert diagnostics[0].range.start == types.Position(1, 9)
    assert "sometimes" in diagnostics[0].message


PACK = """pack: acme
rules:
  - id: ACME001
    name: no-ads
    severity: error
    summary: No advertising.
    select: use
    forbid: purposes under advertsing
    message: "{data} is used for advertising"
"""


async def test_a_pack_in_the_editor_is_validated_from_its_text(client, project):
    pack = project / "policies" / "acme.yaml"
    pack.parent.mkdir()
    pack.write_text("pack: acme\n")  # on disk: no problem; the editor's text has one
    diagnostics = await open_document(client, pack, PACK, language="yaml")
    assert len(diagnostics) == 1, diagnostics
    assert diagnostics[0].range.start.line == 7
    assert "advertsing" in diagnostics[0].message


async def test_a_pack_with_a_schema_error(client, project):
    pack = project / "policies" / "bad.yaml"
    pack.parent.mkdir()
    text = PACK.replace("severity: error", "severity: fatal")
    pack.write_text(text)
    diagnostics = await open_document(client, pack, text, language="yaml")
    assert [d.range.start.line for d in diagnostics] == [4]


ADS = 'service "Notes" {\n  data notes\n  use notes for marketing.advertising { consent: opt_in }\n}\n'


async def test_a_saved_pack_is_loaded_again(client, project):
    pack = project / "policies" / "acme.yaml"
    pack.parent.mkdir()
    pack.write_text(PACK.replace("advertsing", "marketing.advertising"))
    (project / ".tospolicy.yml").write_text("packs: [core, ./policies/acme.yaml]\n")
    path = project / "decl" / "ads.tos"
    assert "ACME001" in {d.code for d in await open_document(client, path, ADS)}
    pack.write_text(PACK.replace("advertsing", "analytics"))  # the rule now forbids analytics
    waiting = client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    client.text_document_did_save(types.DidSaveTextDocumentParams(
        types.TextDocumentIdentifier(uri(pack))))
    await waiting
    assert "ACME001" not in {d.code for d in client.diagnostics[uri(path)]}
