"""`tospolicy diff`: what a change to declarations does."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from tospolicy.cli.common import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, UsageError, say, use_colour


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--base", metavar="REF",
              help="Compare the working tree with this git commit, branch or tag; PATHS then "
                   "limit the comparison (default: every changed .tos file).")
@click.option("-f", "--format", "output_format",
              type=click.Choice(["text", "markdown", "json", "sarif", "github"]),
              default="text", show_default=True,
              help="Output format: sarif and github report the regressions as findings "
                   "at their place in the new version.")
@click.option("-o", "--output", type=click.Path(path_type=Path), metavar="FILE",
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
    from tospolicy.diff import render as diff_render
    from tospolicy import reporters
    from tospolicy.diff.sources import DiffInputError, check_report, compare_paths, compare_with_ref
    from tospolicy.support.files import OverwriteRefused, write_file, written_by_tospolicy
    from tospolicy.support.gitrepo import GitError

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
        report = diff_render.text(result, colour=output is None and use_colour(sys.stdout))
    if output is None:
        click.echo(report, nl=False)
    else:
        try:
            write_file(output, report, force=force, ours=recognise)
        except (OverwriteRefused, OSError) as error:
            raise UsageError(str(error)) from None
    broken = [file.path for file in result.files if file.problems]
    if broken:
        say(f"could not compare {', '.join(broken)}: the old or new version has "
            "syntax errors or cannot be read (listed in the report)")
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if fail_on_regression and result.regressions else EXIT_OK)


