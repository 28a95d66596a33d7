"""The pygls server: LSP requests in, the modules of this package at work.

Documents are kept here (documents.py), not in pygls's workspace. A change
re-checks only the document that changed; changes that arrive together are
checked once, with the latest text. A change to a configuration or a pack
(on disk, or saved in the editor) drops the loaded rule sets and re-checks
every open declaration. Findings a declaration's check places in a text it
binds are published for that text (texts.py); saving a text re-checks the
declarations that bind it.
"""

from __future__ import annotations

import asyncio
import re
import sys
from pathlib import Path

from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer

from tospolicy import __version__
from tospolicy.checking.pipeline import PipelineError, run_text
from tospolicy.findings import PARSER_RULES
from tospolicy.language.syntax import KEYWORDS
from tospolicy.language.taxonomy import builtin_taxonomy
from tospolicy.limits import DEFAULT_LIMITS
from tospolicy.server import actions, completion, diagnostics, formatting, hover, names
from tospolicy.server.documents import Document, Documents, path_of
from tospolicy.server.projects import Projects
from tospolicy.server.texts import BoundTexts

LANGUAGE_ID = "tospolicy"
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
WATCHED = ("**/.tospolicy.yml", "**/*.yaml", "**/*.yml")


class TospolicyServer(LanguageServer):
    def __init__(self):
        super().__init__("tospolicy", __version__,
                         text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.documents = Documents()
        self.projects = Projects()
        self.models: dict[str, object] = {}  # uri -> the model of its current text, if it parses
        self.published: dict[str, list[types.Diagnostic]] = {}  # uri -> its diagnostics
        self.texts = BoundTexts()
        self._pending: set[str] = set()
        self.shut_down = False  # a `shutdown` request came: the exit is a clean one

    # ------------------------------------------------------------ checking

    def is_declaration(self, document: Document) -> bool:
        path = document.path
        return document.language == LANGUAGE_ID or (path is not None and path.suffix == ".tos")

    def check(self, document: Document) -> None:
        """Publish the document's diagnostics, from its current text (and those
        of the texts a declaration binds, where they changed)."""
        texts_changed: list[str] = []
        if self.is_declaration(document):
            found, texts_changed = self._declaration_diagnostics(document)
        elif document.language == "yaml" or (document.path is not None
                                             and document.path.suffix.lower() in (".yml", ".yaml")):
            found = diagnostics.yaml_diagnostics(document, self.projects)
        else:  # a text a declaration binds, or a file of no concern
            found = self.texts.diagnostics(document.uri)
        self._publish(document.uri, found, document.version)
        for text_uri in texts_changed:
            if text_uri != document.uri:
                self.publish_text(text_uri)

    def _publish(self, uri: str, found: list[types.Diagnostic], version: int | None = None) -> None:
        self.published[uri] = found
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=uri, diagnostics=found, version=version))

    def publish_text(self, text_uri: str) -> None:
        """A bound text's diagnostics, from every open declaration (empty: cleared)."""
        open_text = self.documents.get(text_uri)
        self._publish(text_uri, self.texts.diagnostics(text_uri),
                      open_text.version if open_text is not None else None)

    def _declaration_diagnostics(self, document: Document) -> tuple[list[types.Diagnostic], list[str]]:
        """The declaration's diagnostics, and the texts whose diagnostics changed."""
        path = document.path
        project = self.projects.for_file(path)
        self.models.pop(document.uri, None)
        if project.problems:
            return diagnostics.unusable(document, project.problems), self.texts.drop(document.uri)
        cwd = self.projects.cwd_for(path)
        binder = self.texts.binder(document.uri, cwd)
        try:
            outcome = run_text(project.settings, project.rule_set, path or Path(document.uri),
                               document.text, cwd=cwd, binder=binder)
        except PipelineError as error:
            return diagnostics.unusable(document, error.problems), self.texts.drop(document.uri)
        report = outcome.report.files[0]
        if report.declaration is not None:
            self.models[document.uri] = report.declaration
        changed = self.texts.place(document.uri, binder.binding, report.findings, report.display,
                                   project.settings.limits)
        return diagnostics.from_findings(document, report.findings, report.display), changed

    def check_soon(self, uri: str) -> None:
        """Check after the messages already received: a burst of changes is checked once."""
        if uri in self._pending:
            return
        self._pending.add(uri)

        async def later():
            await asyncio.sleep(0)
            self._pending.discard(uri)
            document = self.documents.get(uri)
            if document is not None:
                self.check(document)

        asyncio.get_running_loop().create_task(later())

    def reload(self) -> None:
        self.projects.forget()
        for document in self.documents.all():
            self.check(document)

    def recheck_binding(self, path: Path) -> None:
        """A text saved: the open declarations that bind it, checked again."""
        for uri in self.texts.declarations_binding(path):
            document = self.documents.get(uri)
            if document is not None:
                self.check(document)

    # ------------------------------------------------------------- helpers

    def taxonomy_for(self, document: Document):
        project = self.projects.for_file(document.path)
        return project.rule_set.taxonomy if project.rule_set else builtin_taxonomy()

    def rules_for(self, document: Document):
        project = self.projects.for_file(document.path)
        return list(PARSER_RULES) + (project.rule_set.infos if project.rule_set else [])

    def limits_for(self, document: Document):
        project = self.projects.for_file(document.path)
        return project.settings.limits if project.settings else DEFAULT_LIMITS


server = TospolicyServer()


@server.feature(types.INITIALIZE)
def initialize(ls: TospolicyServer, params: types.InitializeParams) -> None:
    folders = [path_of(folder.uri) for folder in params.workspace_folders or ()]
    if not folders and params.root_uri:
        folders = [path_of(params.root_uri)]
    ls.projects.roots = [folder for folder in folders if folder is not None]


@server.feature(types.INITIALIZED)
def initialized(ls: TospolicyServer, params: types.InitializedParams) -> None:
    watched = ls.client_capabilities.workspace and ls.client_capabilities.workspace.did_change_watched_files
    if watched and watched.dynamic_registration:
        options = types.DidChangeWatchedFilesRegistrationOptions(
            watchers=[types.FileSystemWatcher(glob_pattern=pattern) for pattern in WATCHED])
        ls.client_register_capability(types.RegistrationParams(registrations=[types.Registration(
            id="tospolicy-watched-files", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=options)]))


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: TospolicyServer, params: types.DidOpenTextDocumentParams) -> None:
    item = params.text_document
    document = ls.documents.open(Document(item.uri, item.text, item.version, item.language_id,
                                          ls.workspace.position_encoding or types.PositionEncodingKind.Utf16))
    ls.check(document)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: TospolicyServer, params: types.DidChangeTextDocumentParams) -> None:
    document = ls.documents.get(params.text_document.uri)
    if document is None:
        return
    for change in params.content_changes:
        document.apply(change)
    document.version = params.text_document.version
    ls.check_soon(document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: TospolicyServer, params: types.DidSaveTextDocumentParams) -> None:
    path = path_of(params.text_document.uri)
    if path is not None and path.suffix in (".yml", ".yaml") and ls.projects.affected_by(path):
        ls.reload()
    elif path is not None:
        ls.recheck_binding(path)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: TospolicyServer, params: types.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    ls.documents.close(uri)
    ls.models.pop(uri, None)
    ls.published.pop(uri, None)
    left = ls.texts.forget(uri)
    if not ls.texts.is_bound(uri):  # a bound text keeps its diagnostics while a declaration binds it
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
    for text_uri in left:
        ls.publish_text(text_uri)


@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def did_change_watched_files(ls: TospolicyServer, params: types.DidChangeWatchedFilesParams) -> None:
    paths = [path_of(change.uri) for change in params.changes]
    if any(path is not None and ls.projects.affected_by(path) for path in paths):
        ls.reload()
        return
    for path in paths:
        if path is not None:
            ls.recheck_binding(path)


# ------------------------------------------------------------------ language

def _document(ls: TospolicyServer, uri: str) -> Document | None:
    document = ls.documents.get(uri)
    return document if document is not None and ls.is_declaration(document) else None


@server.feature(types.TEXT_DOCUMENT_COMPLETION,
                types.CompletionOptions(trigger_characters=[".", ":", " "]))
def complete(ls: TospolicyServer, params: types.CompletionParams):
    document = _document(ls, params.text_document.uri)
    if document is None:
        return None
    offset = document.offset(params.position)
    return completion.complete(document, offset, ls.taxonomy_for(document),
                               lambda service: ls.texts.passages(document.uri, service))


@server.feature(types.TEXT_DOCUMENT_HOVER)
def on_hover(ls: TospolicyServer, params: types.HoverParams):
    document = _document(ls, params.text_document.uri)
    if document is None:
        return None

    def declaration_of(name: str, offset: int) -> str | None:
        model = ls.models.get(document.uri)
        if model is None:
            return None
        for service in model.services:
            span = service.span
            start = document.span_offset(span.line, span.column)
            end = document.span_offset(span.end_line, span.end_column)
            if not start <= offset <= end:
                continue
            for statement in service.statements:
                if statement.kind == "data" and statement.name.value == name:
                    span = statement.span
                    return document.text[document.span_offset(span.line, span.column):
                                         document.span_offset(span.end_line, span.end_column)]
        return None

    offset = document.offset(params.position)
    rules = ls.rules_for(document)
    found = hover.hover(document, offset, ls.taxonomy_for(document), rules, declaration_of)
    here = [diagnostic for diagnostic in ls.published.get(document.uri, ())
            if diagnostic.code and document.offset(diagnostic.range.start) <= offset
            <= document.offset(diagnostic.range.end)]
    return hover.with_rules(found, here, rules)


@server.feature(types.TEXT_DOCUMENT_DEFINITION)
def definition(ls: TospolicyServer, params: types.DefinitionParams):
    document, model = _with_model(ls, params.text_document.uri)
    if model is None:
        return None
    return names.definition(document, model, document.offset(params.position))


@server.feature(types.TEXT_DOCUMENT_REFERENCES)
def references(ls: TospolicyServer, params: types.ReferenceParams):
    document, model = _with_model(ls, params.text_document.uri)
    if model is None:
        return None
    return names.references(document, model, document.offset(params.position),
                            params.context.include_declaration)


@server.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)
def prepare_rename(ls: TospolicyServer, params: types.PrepareRenameParams):
    document, model = _with_model(ls, params.text_document.uri)
    if model is None:
        return None
    return names.rename_range(document, model, document.offset(params.position))


@server.feature(types.TEXT_DOCUMENT_RENAME, types.RenameOptions(prepare_provider=True))
def rename(ls: TospolicyServer, params: types.RenameParams):
    if not _NAME.match(params.new_name) or params.new_name in KEYWORDS:
        raise JsonRpcInvalidParams(f"'{params.new_name}' is not a data name (letters, digits, _; not a keyword)")
    document, model = _with_model(ls, params.text_document.uri)
    if model is None:
        return None
    return names.rename(document, model, document.offset(params.position), params.new_name)


@server.feature(types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
def document_symbols(ls: TospolicyServer, params: types.DocumentSymbolParams):
    document, model = _with_model(ls, params.text_document.uri)
    if model is None:
        return []
    return names.symbols(document, model)


def _with_model(ls: TospolicyServer, uri: str):
    document = _document(ls, uri)
    if document is None:
        return None, None
    return document, ls.models.get(uri)


@server.feature(types.TEXT_DOCUMENT_FORMATTING)
def format_document(ls: TospolicyServer, params: types.DocumentFormattingParams):
    document = _document(ls, params.text_document.uri)
    if document is None:
        return None
    return formatting.format_document(document, ls.limits_for(document))


@server.feature(types.TEXT_DOCUMENT_RANGE_FORMATTING)
def format_range(ls: TospolicyServer, params: types.DocumentRangeFormattingParams):
    document = _document(ls, params.text_document.uri)
    if document is None:
        return None
    return formatting.format_range(document, params.range, ls.limits_for(document))


@server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
def code_action(ls: TospolicyServer, params: types.CodeActionParams):
    document = _document(ls, params.text_document.uri)
    if document is None:
        return None
    return actions.code_actions(document, list(params.context.diagnostics))


@server.command(actions.PLACE_CURSOR)
def place_cursor(ls: TospolicyServer, uri: str, line: int, character: int):
    """After "suppress with a reason": the cursor where the reason goes."""
    window = ls.client_capabilities.window
    if not (window and window.show_document and window.show_document.support):
        return None
    position = types.Position(int(line), int(character))
    ls.window_show_document(types.ShowDocumentParams(
        uri=uri, take_focus=True, selection=types.Range(position, position)))
    return None


@server.feature(types.SHUTDOWN)
def shutdown(ls: TospolicyServer, params: None) -> None:
    ls.shut_down = True


def start() -> None:
    server.start_io()
    # pygls closes standard output on `exit` and drops the exit code LSP asks
    # for (0 after `shutdown`, else 1): exit with it here, before anything
    # flushes the closed stream (a traceback and code 1 on every clean exit).
    sys.exit(0 if server.shut_down else 1)
