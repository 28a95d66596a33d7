"""`tospolicy quote FILE LINE`: the block of a text at a line, ready to paste as a quote.

The block is shown as quotes are matched (NFKC, typographic quotes and
dashes folded, whitespace collapsed), with its case kept so that it reads
as the text does (matching folds case anyway), written as a `.tos` string.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from tospolicy.cli.common import EXIT_FINDINGS, UsageError


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.argument("line", type=click.IntRange(min=1))
def quote(file: Path, line: int) -> None:
    """Print the block of a text (Markdown, HTML, plain) at LINE as `quote: "…"`."""
    from tospolicy.binding.reading import read_blocks
    from tospolicy.binding.normalise import plain
    from tospolicy.binding.texts import MAX_TEXT_BYTES, read_text_bytes
    from tospolicy.support.paths import display_path
    from tospolicy.language.literals import encode_string
    from tospolicy.limits import text_from_bytes

    display = display_path(file)
    data, problem = read_text_bytes(file, display, MAX_TEXT_BYTES)
    if data is None:
        raise UsageError(problem)
    text, finding = text_from_bytes(data, display)
    if text is None:
        raise UsageError(f"{display}: {finding.message}")
    blocks = read_blocks(text, file.name)
    block = next((block for block in blocks if block.line <= line <= block.end_line), None)
    if block is None:
        click.echo(f"{display}:{line}: no block of text on this line", err=True)
        sys.exit(EXIT_FINDINGS)
    click.echo(f"quote: {encode_string(plain(block.text))}")
