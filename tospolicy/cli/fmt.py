"""`tospolicy fmt`: declarations rewritten in the canonical form (docs/language.md)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from tospolicy.cli.common import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, load_settings, say
from tospolicy.reporters.common import line_start, one_line
from tospolicy.support.words import plural


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--check", "check_only", is_flag=True,
              help="Write nothing; exit 1 when a file is not in the canonical form.")
@click.option("--diff", "show_diff", is_flag=True,
              help="Write nothing; print what would change as a unified diff (exit 1 when "
                   "something would).")
@click.option("--config", type=click.Path(path_type=Path),
              help="The configuration file (default: .tospolicy.yml here or in a folder above).")
@click.option("--force-exclude", is_flag=True,
              help="Apply the configuration's exclude to files named on the command line too "
                   "(as pre-commit names them).")
@click.option("-q", "--quiet", is_flag=True, help="Print only problems, no summary.")
def fmt(paths: tuple[Path, ...], check_only: bool, show_diff: bool, config: Path | None,
        force_exclude: bool, quiet: bool) -> None:
    """Write declarations in the canonical form: PATHS are files and folders, found
    as `check` finds them (default: the configuration's include, else **/*.tos here).
    A file with a syntax error is left alone and reported."""
    from tospolicy.checking.pipeline import PipelineError, declaration_files
    from tospolicy.formatting.files import format_file, unified_diff
    from tospolicy.support.files import write_file

    settings = load_settings(config)
    try:
        files, missing = declaration_files(settings, list(paths), force_exclude=force_exclude)
    except PipelineError as error:
        for problem in error.problems:
            say(problem)
        sys.exit(EXIT_ERROR)
    for path in missing:
        say(f"{path}: no such file or folder")
    changed = unchanged = failed = 0
    for found in files:
        if found.problem is not None:
            say(f"{found.display}: {found.problem}")
            failed += 1
            continue
        result = format_file(found.path, found.display, settings.limits)
        if result.findings:
            for finding in result.findings:
                span = finding.span
                click.echo(f"{line_start(span.file)}:{span.line}:{span.column}: {finding.rule_id} "
                           f"[{finding.severity}] {one_line(finding.message)}", err=True)
            failed += 1
            continue
        if not result.changed:
            unchanged += 1
            continue
        changed += 1
        if show_diff:
            click.echo(unified_diff(result), nl=False)
        elif check_only:
            say(f"would reformat {found.display}")
        else:
            # Through a link (one discovery allows: it stays inside the folder) to its file.
            write_file(found.path.resolve(), result.formatted, force=True)
            if not quiet:
                say(f"reformatted {found.display}")
    if not quiet:
        verb = "would be reformatted" if check_only or show_diff else "reformatted"
        parts = [f"{plural(changed, 'file')} {verb}"] if changed or not unchanged else []
        if unchanged:
            parts.append(f"{plural(unchanged, 'file')} left unchanged")
        if failed:
            parts.append(f"{plural(failed, 'file')} not formatted (errors above)")
        say(", ".join(parts))
    if missing:
        sys.exit(EXIT_ERROR)
    if failed or (changed and (check_only or show_diff)):
        sys.exit(EXIT_FINDINGS)
    sys.exit(EXIT_OK)
