"""The output options of the commands that report findings (`check`): each
`--output FILE` pairs with the `--format` before it, which click alone does
not keep track of."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from tospolicy.cli.common import UsageError, say, use_colour
from tospolicy.reporters import FORMATS  # light: the format modules load on first use

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
                     help="Replace --output files (and check's baseline) even if tospolicy "
                          "did not write them."),
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

    from tospolicy import reporters
    from tospolicy.support.files import OverwriteRefused

    ok = True
    for name, path in targets:
        if path is None:
            colour = name == "text" and use_colour(sys.stdout)
            click.echo(reporters.render(name, report, replace(options, colour=colour)), nl=False)
            continue
        try:
            reporters.write(name, report, options, path, force=force)
        except OverwriteRefused as refused:
            say(str(refused))
            ok = False
        except OSError as error:
            say(f"cannot write {path}: {error.strerror or error}")
            ok = False
    return ok

