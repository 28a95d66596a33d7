"""`tospolicy init`: the starter files of a project."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from tospolicy.cli.common import EXIT_ERROR, EXIT_OK, say


@click.command()
@click.argument("folder", required=False, default=Path("."),
                type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace files that already exist.")
def init(folder: Path, force: bool) -> None:
    """Start using tospolicy in FOLDER (default: here): a starter declaration
    (policy.tos), .tospolicy.yml and .github/workflows/tospolicy.yml. A file that
    exists is left alone, unless --force is given."""
    from tospolicy.support.files import OverwriteRefused, write_file
    from tospolicy.cli.starter import starter_files
    from tospolicy.reporters.common import one_line

    refused = False
    for relative, content in starter_files():
        path = folder / relative
        if (path.exists() or path.is_symlink()) and not force:
            say(f"{path} exists; left alone (--force replaces it)")
            refused = True
            continue
        try:
            write_file(path, content, force=force)
        except (OverwriteRefused, OSError) as error:
            say(f"cannot write {path}: {getattr(error, 'strerror', None) or error}")
            refused = True
            continue
        click.echo(f"wrote {one_line(str(path))}")  # a folder name may hold a line break
    sys.exit(EXIT_ERROR if refused else EXIT_OK)
