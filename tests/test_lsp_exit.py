"""`tospolicy lsp` ends as LSP says: exit code 0 after `shutdown` then `exit`,
1 after `exit` alone, and nothing on standard error either way."""

from __future__ import annotations

import asyncio
import sys

import pytest
from lsprotocol import types
from pygls.lsp.client import LanguageClient

from lsp_client import TIMEOUT


async def _session(shut_down: bool) -> tuple[int, bytes]:
    client = LanguageClient("exit-test", "1")
    await client.start_io(sys.executable, "-m", "tospolicy", "lsp")
    await asyncio.wait_for(client.initialize_async(types.InitializeParams(
        capabilities=types.ClientCapabilities())), TIMEOUT)
    if shut_down:
        await asyncio.wait_for(client.shutdown_async(None), TIMEOUT)
    client.exit(None)
    code = await asyncio.wait_for(client._server.wait(), TIMEOUT)
    errors = await client._server.stderr.read()
    await client.stop()
    return code, errors


@pytest.mark.parametrize("shut_down, expected", [(True, 0), (False, 1)])
def test_exit_code(shut_down, expected):
    code, errors = asyncio.run(_session(shut_down))
    assert (code, errors.decode()) == (expected, "")
