"""`tospolicy check`: lint declarations through the one check pipeline."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from tospolicy.cli.common import (EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, PACK_HELP, UsageError, load_settings,
                                  report_rule_warnings, say)
from tospolicy.support.words import plural
from tospolicy.cli.output import OUTPUT_HELP, ReportingCommand, emit, output_options, output_targets


@click.command(cls=ReportingCommand, epilog=OUTPUT_HELP)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--fail-on", type=click.Choice(["error", "warning", "note", "never"]),
              default=None,
              help="The least severe finding that makes the run fail (exit 1). "
                   "Default: the configuration's fail-on, else error.")
@click.option("-p", "--pack", "packs", multiple=True, metavar="PACK", help=PACK_HELP)
@click.option("--config", type=click.Path(path_type=Path),
              help="The configuration file (default: .tospolicy.yml here or in a folder above).")
@click.option("--baseline", type=click.Path(path_type=Path),
              help="Hide the findings this baseline file holds.")
@click.option("--update-baseline", is_flag=True,
              help="Write the current findings to the baseline file and exit.")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=1, show_default=True,
              help="Check files, or one large file by service, in this many processes; 0: one per CPU.")
@click.option("--no-cache", is_flag=True,
              help="Check every file, even one whose findings are known from an earlier run.")
@click.option("--force-exclude", is_flag=True,
              help="Apply the configuration's exclude, and skip the packs' fixture folders, "
                   "for files named on the command line too (as pre-commit names them).")
@output_options
@click.pass_context
def check(ctx, paths: tuple[Path, ...], fail_on: str | None, packs: tuple[str, ...],
          config: Path | None, baseline: Path | None, update_baseline: bool, jobs: int,
          no_cache: bool, force_exclude: bool, formats, outputs, force: bool, include_suppressed: bool,
          sarif_category: str | None, quiet: bool) -> None:
    """Lint declarations: PATHS are files and folders (default: the configuration's
    include, else **/*.tos here)."""
    from tospolicy.checking.pipeline import PipelineError, load_rules, run
    from tospolicy.reporters import RenderOptions
    from tospolicy.reporters.sarif import default_category

    targets = output_targets(ctx, formats, outputs)
    settings = load_settings(config, packs, fail_on, baseline)
    try:
        rule_set = load_rules(settings)
        report_rule_warnings(rule_set)
        outcome = run(settings, list(paths), rule_set=rule_set, jobs=jobs, cache=not no_cache,
                      apply_baseline_file=not update_baseline, force_exclude=force_exclude)
    except PipelineError as error:
        for problem in error.problems:
            say(problem)
        sys.exit(EXIT_ERROR)
    for path in outcome.missing:
        say(f"{path}: no such file or folder")
    if update_baseline:
        if outcome.missing:  # a baseline of part of the project would hide too little
            sys.exit(EXIT_ERROR)
        _update_baseline(settings.baseline, outcome.report, force)
        return
    options = RenderOptions(quiet=quiet, include_suppressed=include_suppressed,
                            category=sarif_category or default_category(config and str(config)))
    written = emit(outcome.report, targets, options, force)
    if outcome.missing or not written:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if outcome.fails else EXIT_OK)


def _update_baseline(path: Path | None, report, force: bool) -> None:
    from tospolicy.checking.baseline import write_baseline
    from tospolicy.support.files import OverwriteRefused

    if path is None:
        raise UsageError("--update-baseline needs a baseline file: --baseline FILE, "
                         "or baseline: in .tospolicy.yml")
    try:
        count = write_baseline(path, report.findings, force=force)
    except OverwriteRefused as error:
        raise UsageError(str(error)) from None
    say(f"wrote {plural(count, 'finding')} to the baseline {path}")
