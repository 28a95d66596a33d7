"""The `tospolicy` command line (click).

Each command imports what it needs when it runs, so that `tospolicy check`
does not pay for the modules of `diff` or `import`.

Exit codes: 0 nothing at or above `--fail-on`; 1 findings at or above it;
2 usage error, invalid configuration or rule pack, or internal error, always
with a one-line reason on stderr.
"""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

import click

from . import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class _Group(click.Group):
    """Turns any unexpected exception into a one-line error and exit code 2."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except KeyboardInterrupt:
            click.echo("tospolicy: interrupted", err=True)
            sys.exit(EXIT_ERROR)
        except Exception as error:  # noqa: BLE001 - the last line of defence
            if os.environ.get("TOSPOLICY_DEBUG"):
                raise
            reason = str(error).splitlines()[0] if str(error) else ""
            click.echo(
                f"tospolicy: internal error: {type(error).__name__}: {reason} "
                "(set TOSPOLICY_DEBUG=1 for details)",
                err=True,
            )
            sys.exit(EXIT_ERROR)


class UsageError(click.ClickException):
    """A problem with what the user asked for: exit code 2, one line on stderr."""

    exit_code = EXIT_ERROR

    def show(self, file=None):
        click.echo(f"tospolicy: {self.format_message()}", err=True)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tospolicy")
def main() -> None:
    """Lint data-use declarations (.tos files) against rule packs."""
    # A run keeps every model it parses until it exits, and models hold no
    # reference cycles: Python's default thresholds would rescan that growing
    # heap again and again (a third of the time of 2,000 files) to free
    # nothing. Young objects are still collected, only far less often.
    gc.set_threshold(50_000, 50, 100)


def _use_colour(stream) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    return hasattr(stream, "isatty") and stream.isatty()


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--fail-on", type=click.Choice(["error", "warning", "note", "never"]),
              default="error", show_default=True,
              help="The least severe finding that makes the run fail (exit 1).")
@click.option("-q", "--quiet", is_flag=True, help="Print findings only, without the summary line.")
def check(paths: tuple[Path, ...], fail_on: str, quiet: bool) -> None:
    """Lint declarations: PATHS are files and folders (default: **/*.tos here)."""
    from .checker import check_files
    from .discovery import discover
    from .findings import fails
    from .reporters import text

    files, missing = discover(list(paths))
    for path in missing:
        click.echo(f"tospolicy: {path}: no such file or folder", err=True)
    report = check_files(files)
    click.echo(text.render(report, colour=_use_colour(sys.stdout), quiet=quiet), nl=False)
    if missing:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if fails(report.findings, fail_on) else EXIT_OK)


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["json"]), default="json",
              show_default=True, help="Output format of the model.")
def parse(file: Path, output_format: str) -> None:
    """Print the model of one declaration, spans included."""
    import json

    from .discovery import display_path
    from .modeljson import declaration_to_data
    from .parser import parse_file
    from .reporters import text

    if not file.exists():
        raise UsageError(f"{file}: no such file")
    result = parse_file(file, display_path(file.resolve()))
    if result.declaration is None:
        for finding in result.findings:
            span = finding.span
            click.echo(f"{span.file}:{span.line}:{span.column}: {finding.rule_id} "
                       f"[{finding.severity}] {text._one_line(finding.message)}", err=True)
        sys.exit(EXIT_FINDINGS)
    data = declaration_to_data(result.declaration)
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))
