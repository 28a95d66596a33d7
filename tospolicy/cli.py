"""The `tospolicy` command line (click).

Each command imports what it needs when it runs, so that `tospolicy check`
does not pay for the modules of `diff` or `import`.

Exit codes: 0 nothing at or above `--fail-on`; 1 findings at or above it;
2 usage error, invalid configuration or rule pack, or internal error, always
with a one-line reason on stderr.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from . import __version__
from .reporters import FORMATS  # light: the format modules load on first use

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


def _use_colour(stream) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    return hasattr(stream, "isatty") and stream.isatty()


_OPTION_ORDER = "tospolicy.option_order"


class ReportingCommand(click.Command):
    """A command that reports findings (with `@output_options`): it remembers
    the order of its options on the command line, which click does not keep
    across options, because `--output` pairs with the `--format` before it."""

    def make_parser(self, ctx):
        parser = super().make_parser(ctx)
        parse = parser.parse_args

        def parse_args(args):
            opts, rest, order = parse(args=args)
            ctx.meta[_OPTION_ORDER] = [param.name for param in order]
            return opts, rest, order

        parser.parse_args = parse_args
        return parser


OUTPUT_HELP = """
Output: each --output FILE receives the format of the nearest --format before
it; a --format with no --output after it prints to standard output (at most
one can). Without --format, text is printed. So `--format text --format sarif
--output results.sarif` prints text and writes SARIF. An existing file is
replaced only if tospolicy wrote it in that format, or with --force.
"""


def output_options(command):
    """The output options of every command that reports findings (check, diff);
    such a command is a `ReportingCommand` and calls `output_targets`."""
    for decorator in reversed((
        click.option("-f", "--format", "formats", multiple=True, type=click.Choice(FORMATS),
                     help="Output format; repeat it to produce several (see Output below)."),
        click.option("-o", "--output", "outputs", multiple=True, metavar="FILE",
                     type=click.Path(path_type=Path),
                     help="Write the format named just before to FILE instead of printing it."),
        click.option("--force", is_flag=True,
                     help="Replace --output files even if tospolicy did not write them."),
        click.option("--include-suppressed", is_flag=True,
                     help="Keep suppressed findings in SARIF and JSON, with their justification."),
        click.option("--sarif-category", metavar="NAME",
                     help="SARIF automationDetails category, so several configurations can "
                          "upload side by side (default: check)."),
        click.option("-q", "--quiet", is_flag=True,
                     help="Text output: print findings only, without the summary line."),
    )):
        command = decorator(command)
    return command


def output_targets(ctx: click.Context, formats, outputs) -> list[tuple[str, Path | None]]:
    """Pairs formats with output files (None: standard output), in the order given."""
    if _OPTION_ORDER not in ctx.meta:
        raise TypeError(f"{ctx.command.name}: a command with output options must be a ReportingCommand")
    order = ctx.meta[_OPTION_ORDER]
    formats, outputs = iter(formats), iter(outputs)
    targets: list[tuple[str, Path | None]] = []
    current, written = None, False
    for name in order:
        if name == "formats":
            if current is not None and not written:
                targets.append((current, None))
            current, written = next(formats), False
        elif name == "outputs":
            path = next(outputs)
            if current is None:
                raise UsageError(f"--output {path}: name its format first, "
                                 f"as in --format sarif --output {path}")
            targets.append((current, path))
            written = True
    if current is not None and not written:
        targets.append((current, None))
    printed = [name for name, path in targets if path is None]
    if len(printed) > 1:
        raise UsageError(f"only one format can print to standard output, not {' and '.join(printed)}: "
                         "give the others an --output FILE after them")
    paths = [os.path.abspath(path) for _, path in targets if path is not None]
    for path in paths:
        if paths.count(path) > 1:
            raise UsageError(f"--output {path} is given twice")
    return targets or [("text", None)]


def emit(report, targets, options, force: bool) -> bool:
    """Prints and writes every target; False when a file could not be written
    (each reason is one line on stderr)."""
    from dataclasses import replace

    from . import reporters
    from .files import OverwriteRefused

    ok = True
    for name, path in targets:
        if path is None:
            colour = name == "text" and _use_colour(sys.stdout)
            click.echo(reporters.render(name, report, replace(options, colour=colour)), nl=False)
            continue
        try:
            reporters.write(name, report, options, path, force=force)
        except OverwriteRefused as refused:
            click.echo(f"tospolicy: {refused}", err=True)
            ok = False
        except OSError as error:
            click.echo(f"tospolicy: cannot write {path}: {error.strerror or error}", err=True)
            ok = False
    return ok


@main.command(cls=ReportingCommand, epilog=OUTPUT_HELP)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--fail-on", type=click.Choice(["error", "warning", "note", "never"]),
              default="error", show_default=True,
              help="The least severe finding that makes the run fail (exit 1).")
@output_options
@click.pass_context
def check(ctx, paths: tuple[Path, ...], fail_on: str, formats, outputs, force: bool,
          include_suppressed: bool, sarif_category: str | None, quiet: bool) -> None:
    """Lint declarations: PATHS are files and folders (default: **/*.tos here)."""
    from .checker import check_files
    from .discovery import discover
    from .findings import fails
    from .reporters import RenderOptions
    from .reporters.sarif import default_category

    targets = output_targets(ctx, formats, outputs)
    files, missing = discover(list(paths))
    for path in missing:
        click.echo(f"tospolicy: {path}: no such file or folder", err=True)
    report = check_files(files)
    options = RenderOptions(quiet=quiet, include_suppressed=include_suppressed,
                            category=sarif_category or default_category())
    written = emit(report, targets, options, force)
    if missing or not written:
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
    from .reporters.common import one_line

    if not file.exists():
        raise UsageError(f"{file}: no such file")
    result = parse_file(file, display_path(file.resolve()))
    if result.declaration is None:
        for finding in result.findings:
            span = finding.span
            click.echo(f"{span.file}:{span.line}:{span.column}: {finding.rule_id} "
                       f"[{finding.severity}] {one_line(finding.message)}", err=True)
        sys.exit(EXIT_FINDINGS)
    data = declaration_to_data(result.declaration)
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--base", metavar="REF",
              help="Compare the working tree with this git commit, branch or tag; PATHS then "
                   "limit the comparison (default: every changed .tos file).")
@click.option("--format", "output_format",
              type=click.Choice(["text", "markdown", "json", "sarif", "github"]),
              default="text", show_default=True,
              help="Output format: sarif and github report the regressions as findings "
                   "at their place in the new version.")
@click.option("--output", type=click.Path(path_type=Path), metavar="FILE",
              help="Write the report to FILE instead of standard output.")
@click.option("--force", is_flag=True,
              help="With --output, replace FILE even if tospolicy did not write it.")
@click.option("--fail-on-regression", is_flag=True,
              help="Exit 1 when any change is a regression.")
def diff(paths: tuple[Path, ...], base: str | None, output_format: str, output: Path | None,
         force: bool, fail_on_regression: bool) -> None:
    """Explain what a change to declarations does: regressions, improvements, the rest.

    \b
    tospolicy diff OLD NEW            two files, or two folders (files matched by path)
    tospolicy diff --base REF [PATH…] the working tree against a git commit
    """
    from . import diff_render, reporters
    from .comparison import DiffInputError, check_report, compare_paths, compare_with_ref
    from .files import OverwriteRefused, write_file, written_by_tospolicy
    from .gitrepo import GitError

    try:
        if base is not None:
            result = compare_with_ref(base, list(paths))
        elif len(paths) == 2:
            result = compare_paths(paths[0], paths[1])
        else:
            raise UsageError("give two files or folders (OLD NEW), or --base REF [PATH…]")
    except (DiffInputError, GitError) as error:
        raise UsageError(str(error)) from None
    recognise = written_by_tospolicy(diff_render.MARKER)
    if output_format in ("sarif", "github"):
        options = reporters.RenderOptions(category="diff")
        report = reporters.render(output_format, check_report(result), options)
        recognise = reporters.recogniser(output_format)
    elif output_format == "json":
        report = diff_render.json_text(result)
    elif output_format == "markdown":
        report = diff_render.markdown(result)
    else:
        report = diff_render.text(result, colour=output is None and _use_colour(sys.stdout))
    if output is None:
        click.echo(report, nl=False)
    else:
        try:
            write_file(output, report, force=force, ours=recognise)
        except (OverwriteRefused, OSError) as error:
            raise UsageError(str(error)) from None
    broken = [file.path for file in result.files if file.problems]
    if broken:
        click.echo(f"tospolicy: could not compare {', '.join(broken)}: the old or new version has "
                   "syntax errors or cannot be read (listed in the report)", err=True)
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if fail_on_regression and result.regressions else EXIT_OK)
