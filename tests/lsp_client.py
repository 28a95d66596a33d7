"""Driving `tospolicy lsp` as an editor does: pytest-lsp starts it as a
subprocess and speaks LSP over its standard input and output."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

SERVER = ClientServerConfig(server_command=[sys.executable, "-m", "tospolicy", "lsp"])
# How long a test waits for a notification before it fails: never forever.
TIMEOUT = 30


def uri(path: Path) -> str:
    return path.resolve().as_uri()


async def start(client: LanguageClient, root: Path, spec: str = "visual-studio-code"):
    """Initialize a session with the workspace folder `root`, as the client `spec`."""
    client.registrations = []
    _read_code_actions_as_editors_do(client)
    _record_diagnostics(client)

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams):
        client.registrations.extend(params.registrations)

    await client.initialize_session(types.InitializeParams(
        capabilities=client_capabilities(spec),
        root_uri=uri(root),
        workspace_folders=[types.WorkspaceFolder(uri(root), root.name)],
    ))


async def open_document(client: LanguageClient, path: Path, text: str | None = None,
                        language: str = "tospolicy") -> list[types.Diagnostic]:
    """Open `path` (with `text`, else its content) and wait for its diagnostics."""
    text = path.read_text(encoding="utf-8") if text is None else text
    seen = len(client.published)
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        types.TextDocumentItem(uri(path), language, 1, text)))
    return await published(client, uri(path), seen)


async def change_document(client: LanguageClient, path: Path, version: int, text: str,
                          edit_range: types.Range | None = None) -> list[types.Diagnostic]:
    """Replace `edit_range` (default: the whole text) and wait for the diagnostics."""
    change = (types.TextDocumentContentChangeWholeDocument(text) if edit_range is None
              else types.TextDocumentContentChangePartial(edit_range, text))
    seen = len(client.published)
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        types.VersionedTextDocumentIdentifier(version=version, uri=uri(path)), [change]))
    return await published(client, uri(path), seen)


async def published(client: LanguageClient, document_uri: str, seen: int) -> list[types.Diagnostic]:
    """The first diagnostics published for `document_uri` after the first `seen`
    notifications (`len(client.published)` before the request); fails after TIMEOUT."""

    async def arrival():
        while True:
            for params in client.published[seen:]:
                if params.uri == document_uri:
                    return list(params.diagnostics)
            await asyncio.sleep(0.01)

    try:
        return await asyncio.wait_for(arrival(), TIMEOUT)
    except asyncio.TimeoutError:
        logged = "\n".join(message.message for message in client.log_messages)
        raise AssertionError(f"no diagnostics for {document_uri} within {TIMEOUT} s; "
                             f"the server logged:\n{logged}") from None


def _record_diagnostics(client: LanguageClient) -> None:
    """Keep every publishDiagnostics in order of arrival (`client.published`).

    pytest-lsp keeps only the latest diagnostics of each URI and one waiter
    per method: two notifications read together (a declaration's, then its
    terms') wake one waiter and the second is never awaited. A test waits for
    the URI it means, after the notifications it has seen (`published`)."""
    client.published = []
    handle = client.protocol._handle_notification

    def recording(method_name, params):
        if method_name == types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS:
            client.published.append(params)
        return handle(method_name, params)

    client.protocol._handle_notification = recording


def _read_code_actions_as_editors_do(client: LanguageClient) -> None:
    """lsprotocol reads any code action that has a `command` as a bare Command,
    dropping its edit; editors tell them apart by the type of `command` (a
    string in a Command, an object in a CodeAction), and so does this client."""
    from typing import Union

    converter = client.protocol._converter

    def structure(value, _type):
        if isinstance(value.get("command"), str):
            return converter.structure(value, types.Command)
        return converter.structure(value, types.CodeAction)

    converter.register_structure_hook(Union[types.Command, types.CodeAction], structure)
