"""`tospolicy lsp` diagnostics: check's findings, from the editor's text, as the user types."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types

from conftest import REPO, fixture_files
from lsp_client import SERVER, change_document, open_document, start, uri

EXAMPLES = fixture_files(REPO / "examples")


# One server for the module: starting one costs more than the tests it serves.
pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_lsp.fixture(config=SERVER, scope="module")
async def repo_client(lsp_client: pytest_lsp.LanguageClient):
    await start(lsp_client, REPO)
    yield
    await lsp_client.shutdown_session()


async def test_there_are_examples():
    assert len(EXAMPLES) > 0


def _check_json(cli, path: Path, monkeypatch) -> list[dict]:
    monkeypatch.chdir(REPO)
    result = cli("check", "--no-cache", "-f", "json", str(path.relative_to(REPO)))
    return json.loads(result.stdout)["findings"]


@pytest.mark.parametrize("path", EXAMPLES, ids=[path.name for path in EXAMPLES])
async def test_diagnostics_are_checks_findings(repo_client, cli, monkeypatch, path):
    """Every example: the same findings as `tospolicy check`, messages byte for byte."""
    diagnostics = await open_document(repo_client, path)
    findings = [finding for finding in _check_json(cli, path, monkeypatch)
                if finding["suppression"] is None]
    severities = {"error": 1, "warning": 2, "note": 3}
    expected = [(finding["rule"], finding["message"], severities[finding["severity"]],
                 finding["line"] - 1, finding["column"] - 1) for finding in findings]
    shown = [(diagnostic.code, diagnostic.message, diagnostic.severity.value,
              diagnostic.range.start.line, diagnostic.range.start.character)
             for diagnostic in diagnostics]
    assert shown == expected
    for diagnostic in diagnostics:
        assert diagnostic.source == "tospolicy"
        assert diagnostic.code_description.href.endswith(f"docs/rules.md#{diagnostic.code.lower()}")


DECLARATION = '''service "Notes" {
  effective: 2026-01-01
  contact: "privacy@example.com"
  data notes "Notes people write" { categories: content }
  use notes for ai.training { consent: opt_in }
  retain notes until account.deletion
  right erasure
  right access
}
'''


async def test_diagnostics_follow_the_editors_text_not_the_disk(repo_client, tmp_path):
    path = tmp_path / "notes.tos"
    path.write_text('service "On disk" {\n  use x for y\n}\n', encoding="utf-8")  # never read
    assert await open_document(repo_client, path, DECLARATION) == []
    broken = DECLARATION.replace("consent: opt_in", "consent: opt-in")
    diagnostics = await change_document(repo_client, path, 2, broken)
    hyphen = broken.splitlines()[4].index("-")
    assert [(d.code, d.range.start.line) for d in diagnostics] == [("TOS001", 4)]
    # An incremental change (LSP's usual): the hyphen back to an underscore.
    fixed = types.Range(types.Position(4, hyphen), types.Position(4, hyphen + 1))
    assert await change_document(repo_client, path, 3, "_", fixed) == []
    # The rules run on the new text: opt_out for AI training breaks AI001.
    where = types.Range(types.Position(4, hyphen - 3), types.Position(4, hyphen + 3))
    diagnostics = await change_document(repo_client, path, 4, "opt_out", where)
    assert "AI001" in [diagnostic.code for diagnostic in diagnostics]


async def test_suppressed_findings_are_not_shown(repo_client, tmp_path):
    path = tmp_path / "suppressed.tos"
    text = DECLARATION.replace("{ consent: opt_in }", "{ consent: opt_out }")
    assert "AI001" in [d.code for d in await open_document(repo_client, path, text)]
    suppressed = text.replace("{ consent: opt_out }",
                              "{ consent: opt_out }  # tospolicy: ignore[AI001] the notes are ours")
    diagnostics = await change_document(repo_client, path, 2, suppressed)
    assert "AI001" not in [d.code for d in diagnostics]


async def test_columns_are_counted_in_the_clients_units(repo_client, tmp_path):
    """An emoji is one code point and two UTF-16 units: VS Code's columns."""
    path = tmp_path / "emoji.tos"
    text = 'service "📝 Notes" { audience: everyone }\n'
    diagnostics = await open_document(repo_client, path, text)
    core004 = [d for d in diagnostics if d.code == "CORE004"]
    assert core004, diagnostics
    assert core004[0].range.start == types.Position(0, text.index("everyone") + 1)
