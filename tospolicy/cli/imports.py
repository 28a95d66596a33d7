"""`tospolicy import`: other tools' files as declarations and rule packs."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from tospolicy.cli.common import EXIT_ERROR


@click.group(name="import")
def import_group() -> None:
    """Convert other tools' files into declarations and rule packs."""


@import_group.command(name="fides")
@click.argument("paths", nargs=-1, required=True, metavar="MANIFEST|DIR...",
                type=click.Path(path_type=Path))
@click.option("--out", required=True, metavar="DIR", type=click.Path(path_type=Path),
              help="The folder for the declarations (one .tos per system) and fides-policies.yaml.")
@click.option("--force", is_flag=True,
              help="Replace files in DIR even if the import did not write them.")
def import_fides(paths: tuple[Path, ...], out: Path, force: bool) -> None:
    """Convert Fides manifests: each system to a .tos declaration, the policies to the
    rule pack DIR/fides-policies.yaml, whose verdicts are those of `fides evaluate`.

    \b
    Folders are searched for *.yml and *.yaml files, as Fides does. Nothing is
    written when any manifest has a problem; every problem is listed.
    Then check them with the pack and the built-in packs, as the summary says.
    """
    from tospolicy.checking.discovery import display_path
    from tospolicy.importers.fides import import_fides as run
    from tospolicy.packs.loader import builtin_packs
    from tospolicy.reporters.common import one_line

    result = run(list(paths), out, force)
    for warning in result.warnings:  # manifests are untrusted: one line each, always
        click.echo(f"tospolicy: warning: {one_line(str(warning))}", err=True)
    for error in result.errors:
        click.echo(f"tospolicy: {one_line(str(error))}", err=True)
    if result.errors:
        count = len(result.errors)
        click.echo(f"tospolicy: {count} problem{'' if count == 1 else 's'}: nothing imported",
                   err=True)
        sys.exit(EXIT_ERROR)
    folder = one_line(display_path(out.resolve()))  # one line, whatever the folder's name
    click.echo(f"Imported {result.systems} system{'' if result.systems == 1 else 's'} and "
               f"{result.rules} policy rule{'' if result.rules == 1 else 's'} into {folder}/ "
               f"({len(result.written)} files).")
    builtin = " ".join(f"-p {name}" for name in builtin_packs())
    click.echo(f"Check them with: tospolicy check {folder} -p {folder}/fides-policies.yaml {builtin}")
