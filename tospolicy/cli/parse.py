"""`tospolicy parse`: the model of one declaration, as JSON."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from tospolicy.cli.common import EXIT_FINDINGS, UsageError
from tospolicy.reporters.common import line_start, one_line


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("-f", "--format", "output_format", type=click.Choice(["json"]), default="json",
              show_default=True, help="Output format of the model.")
def parse(file: Path, output_format: str) -> None:
    """Print the model of one declaration, spans included."""
    from tospolicy.checking.discovery import display_path
    from tospolicy.language.modeljson import declaration_json
    from tospolicy.language.parser import parse_file

    if not file.exists():
        raise UsageError(f"{file}: no such file")
    result = parse_file(file, display_path(file.resolve()))
    if result.declaration is None:
        for finding in result.findings:
            span = finding.span
            click.echo(f"{line_start(span.file)}:{span.line}:{span.column}: {finding.rule_id} "
                       f"[{finding.severity}] {one_line(finding.message)}", err=True)
        sys.exit(EXIT_FINDINGS)
    for piece in declaration_json(result.declaration):
        click.echo(piece, nl=False)


