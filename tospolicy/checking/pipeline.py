"""The one check pipeline: settings → rule set → discovery → check → baseline → limits → verdict.

`tospolicy check`, the GitHub Action and the language server all call this,
so that the same files, configuration and packs give the same findings, the
same SARIF and the same verdict wherever they are checked. A front end only
decides where its settings come from (the command line, the Action's inputs
and the base commit, an editor's workspace) and how it shows the outcome.

A problem that stops the check as a whole (a pack that cannot be loaded, a
baseline that cannot be read) is a `PipelineError` with one line per
problem; a problem of one file is a finding of that file, and the check goes on.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from tospolicy.binding.texts import bind
from tospolicy.checking.baseline import BaselineError, apply_baseline
from tospolicy.checking.checker import CheckReport, check_files, check_text, limit_findings
from tospolicy.checking.onefile import FileReport
from tospolicy.checking.config import Settings
from tospolicy.checking.discovery import Skipped, discover, skipped_summary
from tospolicy.findings import PARSER_RULES, fails
from tospolicy.limits import too_large
from tospolicy.support.paths import display_path
from tospolicy.support.words import plural

if TYPE_CHECKING:
    from tospolicy.packs.loader import RuleSet


class PipelineError(Exception):
    """The check cannot run as asked; `problems` are one line each."""

    def __init__(self, *problems: str):
        super().__init__(problems[0] if problems else "")
        self.problems = [str(problem) for problem in problems]


@dataclass
class Outcome:
    """What one run of the pipeline found, and how it judges it."""

    report: CheckReport
    rule_set: RuleSet
    settings: Settings
    missing: list[str] = field(default_factory=list)  # paths given that do not exist
    # Judged on every finding before `max-findings-per-file` cut the report:
    # 1,000 padding notes must not push an error out of the verdict.
    verdict: bool | None = None

    @property
    def fails(self) -> bool:
        """Whether a finding is at or above the settings' `fail-on`, among all
        of them, also those past the limit of findings reported."""
        if self.verdict is not None:
            return self.verdict
        return fails(self.report.findings, self.settings.fail_on)


def load_rules(settings: Settings) -> RuleSet:
    """The settings' packs with their rule overrides and limits."""
    from tospolicy.packs.loader import PackError, load_rule_set

    try:
        return load_rule_set(list(settings.packs), settings.overrides, settings.limits)
    except PackError as error:
        raise PipelineError(*error.problems) from None


def declaration_files(settings: Settings, paths: list[Path] = (), *, cwd: Path | None = None,
                      rule_set: RuleSet | None = None, force_exclude: bool = False,
                      skipped: list[Skipped] | None = None):
    """The declarations `paths` name (default: the configuration's), as `check` and
    `fmt` read them, and the paths that do not exist.

    The fixture folders of the loaded packs (`tests:`) are never searched:
    their declarations are wrong on purpose. With `force_exclude`, the
    configuration's `exclude` and those folders apply to files named one by
    one too, as pre-commit names them. Folders skipped by default (version
    control, virtual environments…) are added to `skipped`.
    """
    cwd = cwd or Path.cwd()
    rule_set = rule_set if rule_set is not None else load_rules(settings)
    return discover(list(paths) or settings.default_paths, settings.include, settings.exclude,
                    cwd=cwd, base=settings.config.folder, skipped=skipped, force_exclude=force_exclude,
                    fixtures=_fixture_folders(rule_set, cwd, settings.config.folder))


def _fixture_folders(rule_set: RuleSet, cwd: Path, config_folder: Path | None) -> tuple[Path, ...]:
    """The packs' `tests:` folders, except one that holds the project itself
    (`tests: .` beside a pack at the top would otherwise hide every declaration)."""
    project = [folder.resolve() for folder in (cwd, config_folder) if folder is not None]
    folders = set()
    for pack in rule_set.packs:
        if pack.tests is None:
            continue
        folder = pack.tests.resolve()
        if not any(place == folder or folder in place.parents for place in project):
            folders.add(folder)
    return tuple(sorted(folders))


def jobs_for(requested: int, files: int) -> int:
    """Worker processes: `requested` (0: one per CPU), never more than the
    CPUs, nor than the files when there are several (one file alone is
    checked in parts, split.py), so that `-j 100000` cannot fork a process
    per number."""
    cpus = os.cpu_count() or 1
    wanted = min(requested or cpus, cpus)
    return max(1, wanted if files <= 1 else min(wanted, files))


def run(
    settings: Settings,
    paths: list[Path] = (),
    *,
    cwd: Path | None = None,
    rule_set: RuleSet | None = None,
    jobs: int = 1,
    cache: bool = True,
    apply_baseline_file: bool = True,
    baseline_folder: Path | None = None,
    force_exclude: bool = False,
) -> Outcome:
    """Check `paths` (default: the configuration's) under `settings`.

    `apply_baseline_file=False` stops before the baseline and the limits
    (`--update-baseline` records every finding). `baseline_folder` is the
    folder the baseline's file names are relative to when the baseline was
    read from elsewhere (the Action's trusted rules). `force_exclude`: see
    `declaration_files`."""
    cwd = cwd or Path.cwd()
    rule_set = rule_set if rule_set is not None else load_rules(settings)
    skipped: list[Skipped] = []
    files, missing = declaration_files(settings, paths, cwd=cwd, rule_set=rule_set,
                                       force_exclude=force_exclude, skipped=skipped)
    report = check_files(files, settings.limits, rule_set, jobs=jobs_for(jobs, len(files)),
                         cache=cache)
    report.skipped = skipped_summary(skipped)
    outcome = Outcome(report, rule_set, settings, missing)
    if not apply_baseline_file:
        return outcome
    return _hide_and_limit(outcome, cwd, baseline_folder)


def run_text(settings: Settings, rule_set: RuleSet, path: Path, text: str, *,
             cwd: Path, binder=None) -> Outcome:
    """Check `text` as the content of the declaration `path` (an editor's
    buffer, not yet saved): the same parse, rules, baseline and limits as
    `run`, with `path` and the texts it binds named as `check` run from `cwd`
    names them. `binder`: see `checker.check_text` (default: `bind` from `cwd`)."""
    display = display_path(path, cwd)
    binder = binder or partial(bind, cwd=cwd)
    if len(text.encode("utf-8", "surrogatepass")) > settings.limits.max_file_bytes:
        checked = FileReport(path, display, None, [too_large(display, settings.limits)])
    else:
        checked = check_text(text, path, display, settings.limits, rule_set, binder=binder)
    report = CheckReport([checked], list(PARSER_RULES) + rule_set.infos)
    return _hide_and_limit(Outcome(report, rule_set, settings), cwd, None)


def _hide_and_limit(outcome: Outcome, cwd: Path, baseline_folder: Path | None) -> Outcome:
    """The baseline's findings hidden, then at most the limit of findings a file."""
    settings, report = outcome.settings, outcome.report
    baseline = settings.baseline
    if baseline is not None and (settings.baseline_required or baseline.exists()):
        if not baseline.is_file():
            raise PipelineError(f"{baseline}: no such baseline file (write one with --update-baseline)")
        try:
            hidden = apply_baseline(report, baseline, cwd=cwd, folder=baseline_folder)
        except BaselineError as error:
            raise PipelineError(str(error)) from None
        if hidden:
            # Named as the user knows it: a copy read from the base commit by its original folder.
            shown = baseline_folder / baseline.name if baseline_folder else baseline
            report.notifications.append(f"{plural(hidden, 'finding')} hidden by the baseline {shown}")
    # The verdict from every finding the baseline leaves, before the limit
    # cuts what is reported; after the baseline, what it hides does not use
    # up the limit.
    outcome.verdict = fails(report.findings, settings.fail_on)
    limit_findings(report, settings.limits.max_findings_per_file)
    return outcome
