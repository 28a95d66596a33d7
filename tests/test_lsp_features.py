"""`tospolicy lsp` features through a real client: completion, hover, data
names, symbols, formatting and code actions."""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types

from lsp_client import SERVER, open_document, start, uri

pytestmark = pytest.mark.asyncio(loop_scope="module")

TEXT = '''service "Notes" {
  effective: 2026-01-01
  data notes "Notes people write" { categories: content }
  data drafts { derived_from: notes }
  use notes, drafts for ai.training { consent: opt_in }
  retain notes until account.deletion
  right erasure
}
'''


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("workspace")
    (folder / ".git").mkdir()
    return folder


@pytest_lsp.fixture(config=SERVER, scope="module")
async def client(lsp_client: pytest_lsp.LanguageClient, root):
    await start(lsp_client, root)
    yield
    await lsp_client.shutdown_session()


_count = 0


async def opened(client, root: Path, text: str) -> Path:
    """A new document with `text`, open and checked."""
    global _count
    _count += 1
    path = root / f"doc{_count}.tos"
    path.write_text(text, encoding="utf-8")
    await open_document(client, path, text)
    return path


def at(text: str, marker: str, shift: int = 0) -> types.Position:
    """The position of the first `marker` in `text`, plus `shift` characters."""
    offset = text.index(marker) + shift
    line = text.count("\n", 0, offset)
    return types.Position(line, offset - (text.rfind("\n", 0, offset) + 1))


async def completions(client, root, text: str, cursor: str = "|") -> list[types.CompletionItem]:
    offset = text.index(cursor)
    text = text.replace(cursor, "", 1)
    path = await opened(client, root, text)
    line = text.count("\n", 0, offset)
    position = types.Position(line, offset - (text.rfind("\n", 0, offset) + 1))
    result = await client.text_document_completion_async(types.CompletionParams(
        types.TextDocumentIdentifier(uri(path)), position))
    return result.items


def labels(items) -> list[str]:
    return [item.label for item in items]


# ------------------------------------------------------------------ completion

async def test_statement_keywords_and_service_attributes_where_a_statement_starts(client, root):
    items = await completions(client, root, 'service "S" {\n  effective: 2026-01-01\n  |\n}\n')
    names = labels(items)
    assert {"data", "use", "share", "retain", "license", "right", "never"} <= set(names)
    assert "audience" in names and "effective" not in names  # already written


async def test_attribute_keys_of_the_statement(client, root):
    items = await completions(client, root, 'service "S" {\n  data d\n  use d for analytics {\n    |\n  }\n}\n')
    names = labels(items)
    assert {"consent", "basis", "human_review", "regions"} <= set(names)
    assert "categories" not in names  # data's, not use's
    consent = next(item for item in items if item.label == "consent")
    assert consent.text_edit.new_text == "consent: "


async def test_values_of_a_choice_with_the_taxonomys_labels(client, root):
    items = await completions(client, root, 'service "S" {\n  data d\n  use d for analytics { consent: | }\n}\n')
    assert "opt_in" in labels(items) and "opt_out" in labels(items)
    opt_in = next(item for item in items if item.label == "opt_in")
    assert opt_in.detail  # the term's label


async def test_purposes_after_a_dot(client, root):
    items = await completions(client, root, 'service "S" {\n  data d\n  use d for ai.|\n}\n')
    assert "ai.training" in labels(items)
    training = next(item for item in items if item.label == "ai.training")
    assert training.text_edit.range.start.character == len("  use d for ")  # replaces `ai.`
    assert training.detail


async def test_data_names_of_the_service(client, root):
    items = await completions(client, root, 'service "S" {\n  data alpha\n  data beta\n  use |\n}\n'
                                            'service "T" {\n  data gamma\n}\n')
    assert labels(items)[:2] == ["alpha", "beta"]
    assert "gamma" not in labels(items)


async def test_rights_regions_and_connectives(client, root):
    rights = labels(await completions(client, root, 'service "S" {\n  right |\n}\n'))
    assert "erasure" in rights and "access" in rights
    regions = labels(await completions(client, root, 'service "S" {\n  jurisdictions: |\n}\n'))
    assert "eu" in regions or "global" in regions
    connective = labels(await completions(client, root, 'service "S" {\n  data d\n  use d |\n}\n'))
    assert connective == ["for"]
    booleans = labels(await completions(
        client, root, 'service "S" {\n  data d\n  use d for analytics { human_review: | }\n}\n'))
    assert "yes" in booleans and "no" in booleans


async def test_service_at_the_top(client, root):
    assert labels(await completions(client, root, "|")) == ["service"]


# ----------------------------------------------------------------------- hover

async def hover_at(client, path: Path, position: types.Position) -> str:
    result = await client.text_document_hover_async(types.HoverParams(
        types.TextDocumentIdentifier(uri(path)), position))
    return result.contents.value if result else ""


async def test_hover_a_term_a_data_name_an_attribute_and_a_rule_id(client, root):
    text = TEXT.replace("right erasure", "right erasure  # tospolicy: ignore[CORE006] kept on purpose")
    path = await opened(client, root, text)
    term = await hover_at(client, path, at(text, "ai.training", 4))
    assert "**ai.training**" in term and "Under: `ai`" in term and "DPV" in term
    data = await hover_at(client, path, at(text, "notes, drafts", 1))
    assert 'data notes "Notes people write"' in data
    attribute = await hover_at(client, path, at(text, "consent:", 2))
    assert "**consent**" in attribute and "use" in attribute
    rule = await hover_at(client, path, at(text, "CORE006", 2))
    assert "**CORE006**" in rule and "docs/rules.md#core006" in rule


async def test_hover_over_a_finding_gives_its_rules_summary(client, root):
    text = TEXT.replace("{ consent: opt_in }", "{ consent: opt_out }")
    path = await opened(client, root, text)
    ai005 = next(d for d in client.diagnostics[uri(path)] if d.code == "AI005")
    shown = await hover_at(client, path, ai005.range.start)
    assert "**AI005**" in shown and "docs/rules.md#ai005" in shown


# ------------------------------------------------------------------ data names

async def test_definition_references_and_rename(client, root):
    path = await opened(client, root, TEXT)
    document = types.TextDocumentIdentifier(uri(path))
    use = at(TEXT, "notes, drafts", 2)
    definition = await client.text_document_definition_async(types.DefinitionParams(document, use))
    assert definition.range.start == at(TEXT, "notes \"Notes")
    found = await client.text_document_references_async(types.ReferenceParams(
        text_document=document, position=use, context=types.ReferenceContext(include_declaration=True)))
    assert sorted((location.range.start.line, location.range.start.character) for location in found) == [
        (2, 7), (3, 30), (4, 6), (5, 9)]
    edit = await client.text_document_rename_async(types.RenameParams(document, use, "jottings"))
    edits = edit.changes[uri(path)]
    assert len(edits) == 4 and all(item.new_text == "jottings" for item in edits)


async def test_rename_refuses_a_name_that_is_not_one(client, root):
    path = await opened(client, root, TEXT)
    with pytest.raises(Exception, match="not a data name"):
        await client.text_document_rename_async(types.RenameParams(
            types.TextDocumentIdentifier(uri(path)), at(TEXT, "notes,"), "two words"))


async def test_document_symbols(client, root):
    path = await opened(client, root, TEXT)
    symbols = await client.text_document_document_symbol_async(types.DocumentSymbolParams(
        types.TextDocumentIdentifier(uri(path))))
    assert [symbol.name for symbol in symbols] == ["Notes"]
    children = [child.name for child in symbols[0].children]
    assert children[:2] == ["notes", "drafts"]
    assert "use notes, drafts for ai.training" in children


# ------------------------------------------------------------------ formatting

MESSY = 'service "Notes" {\n effective: 2026-01-01\n   data notes\n  use notes for analytics {consent: opt_in}\n}\n'


async def test_formatting_gives_the_canonical_form(client, root):
    from tospolicy.formatting import format_text

    path = await opened(client, root, MESSY)
    edits = await client.text_document_formatting_async(types.DocumentFormattingParams(
        types.TextDocumentIdentifier(uri(path)), types.FormattingOptions(2, True)))
    assert edits
    assert _apply(MESSY, edits) == format_text(MESSY)


async def test_range_formatting_changes_only_the_lines_in_range(client, root):
    path = await opened(client, root, MESSY)
    edits = await client.text_document_range_formatting_async(types.DocumentRangeFormattingParams(
        types.TextDocumentIdentifier(uri(path)),
        types.Range(types.Position(2, 0), types.Position(2, 5)), types.FormattingOptions(2, True)))
    assert edits and all(edit.range.start.line <= 2 <= max(edit.range.end.line, 2) for edit in edits)


async def test_a_document_with_a_syntax_error_is_not_formatted(client, root):
    path = await opened(client, root, MESSY.replace("opt_in", "opt-in"))
    edits = await client.text_document_formatting_async(types.DocumentFormattingParams(
        types.TextDocumentIdentifier(uri(path)), types.FormattingOptions(2, True)))
    assert not edits


def _apply(text: str, edits: list[types.TextEdit]) -> str:
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        start = starts[edit.range.start.line] + edit.range.start.character
        end = starts[edit.range.end.line] + edit.range.end.character
        text = text[:start] + edit.new_text + text[end:]
    return text


# ---------------------------------------------------------------- code actions

async def test_did_you_mean_and_suppress(client, root):
    text = TEXT.replace("right erasure", "right erasur")
    path = await opened(client, root, text)
    diagnostics = [d for d in client.diagnostics[uri(path)] if d.code == "CORE002"]
    assert diagnostics and "did you mean 'erasure'" in diagnostics[0].message
    result = await client.text_document_code_action_async(types.CodeActionParams(
        types.TextDocumentIdentifier(uri(path)), diagnostics[0].range,
        types.CodeActionContext(diagnostics=diagnostics)))
    fix = next(action for action in result if action.title == "Replace with 'erasure'")
    assert _apply(text, fix.edit.changes[uri(path)]) == TEXT
    suppress = next(action for action in result if action.title.startswith("Suppress CORE002"))
    suppressed = _apply(text, suppress.edit.changes[uri(path)])
    assert "  right erasur  # tospolicy: ignore[CORE002] \n" in suppressed
    # The command puts the cursor after the comment, where the reason goes.
    await client.workspace_execute_command_async(types.ExecuteCommandParams(
        suppress.command.command, suppress.command.arguments))
    shown = client.shown_documents[-1]
    line = suppressed.split("\n")[shown.selection.start.line]
    assert line[:shown.selection.start.character].endswith("ignore[CORE002] ")


async def test_a_findings_own_fix_is_the_quick_fix(client, root):
    """`right delete` carries the fix `erasure` (Finding.fix): the diagnostic
    holds it, and the quick fix writes it."""
    text = TEXT.replace("right erasure", "right delete")
    path = await opened(client, root, text)
    diagnostic = next(d for d in client.diagnostics[uri(path)] if d.code == "CORE002")
    assert diagnostic.data["fix"]["replacement"] == "erasure"
    result = await client.text_document_code_action_async(types.CodeActionParams(
        types.TextDocumentIdentifier(uri(path)), diagnostic.range,
        types.CodeActionContext(diagnostics=[diagnostic])))
    fix = next(action for action in result if action.title == "Replace with 'erasure'")
    assert fix.is_preferred
    assert _apply(text, fix.edit.changes[uri(path)]) == TEXT
