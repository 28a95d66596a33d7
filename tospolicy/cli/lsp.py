"""`tospolicy lsp`: the language server, over standard input and output."""

from __future__ import annotations

import click


@click.command("lsp")
@click.option("--stdio", is_flag=True, hidden=True,
              help="Accepted for clients that pass it: standard input and output are the only transport.")
def lsp(stdio: bool) -> None:
    """Run the language server (LSP 3.17) on standard input and output, for editors."""
    from tospolicy.server.app import start  # pygls and lsprotocol: only for this command
    from tospolicy.support.collector import one_shot_run

    one_shot_run(False)  # the server runs for hours: its garbage must stay collectable
    start()
