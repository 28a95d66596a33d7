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


def _settings(config: Path | None, packs: tuple[str, ...] = (), fail_on: str | None = None,
              baseline: Path | None = None):
    """The configuration merged with the command line; exit 2 on a bad configuration."""
    from .config import ConfigError, settings

    try:
        return settings(config, packs, fail_on, baseline)
    except ConfigError as error:
        for problem in error.problems:
            click.echo(f"tospolicy: {problem}", err=True)
        sys.exit(EXIT_ERROR)


def _rule_set(refs, overrides=None):
    """Load the packs; every problem on its own line and exit 2 when one cannot be used."""
    from .packs import PackError, load_rule_set

    try:
        rule_set = load_rule_set(list(refs), overrides)
    except PackError as error:
        for problem in error.problems:
            click.echo(f"tospolicy: {problem}", err=True)
        sys.exit(EXIT_ERROR)
    for warning in rule_set.warnings:
        click.echo(f"tospolicy: warning: {warning}", err=True)
    return rule_set


_PACK_HELP = ("A rule pack: a built-in name (core, …) or a path to a YAML pack; repeatable. "
              "Default: the configuration's packs, else every built-in pack.")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--fail-on", type=click.Choice(["error", "warning", "note", "never"]),
              default=None,
              help="The least severe finding that makes the run fail (exit 1). "
                   "Default: the configuration's fail-on, else error.")
@click.option("-q", "--quiet", is_flag=True, help="Print findings only, without the summary line.")
@click.option("-p", "--pack", "packs", multiple=True, metavar="PACK", help=_PACK_HELP)
@click.option("--config", type=click.Path(path_type=Path),
              help="The configuration file (default: .tospolicy.yml here or in a folder above).")
@click.option("--baseline", type=click.Path(path_type=Path),
              help="Hide the findings this baseline file holds.")
@click.option("--update-baseline", is_flag=True,
              help="Write the current findings to the baseline file and exit.")
@click.option("--force", is_flag=True,
              help="Replace a baseline file even if tospolicy did not write it.")
def check(paths: tuple[Path, ...], fail_on: str | None, quiet: bool, packs: tuple[str, ...],
          config: Path | None, baseline: Path | None, update_baseline: bool, force: bool) -> None:
    """Lint declarations: PATHS are files and folders (default: the configuration's
    include, else **/*.tos here)."""
    from .checker import check_files
    from .discovery import discover
    from .findings import fails
    from .reporters import text

    settings = _settings(config, packs, fail_on, baseline)
    rule_set = _rule_set(settings.packs, settings.overrides)
    files, missing = discover(list(paths) or settings.default_paths, settings.include,
                              settings.exclude, base=settings.config.folder)
    for path in missing:
        click.echo(f"tospolicy: {path}: no such file or folder", err=True)
    report = check_files(files, settings.limits, rule_set)
    if update_baseline:
        if missing:  # a baseline of part of the project would hide too little
            sys.exit(EXIT_ERROR)
        _update_baseline(settings.baseline, report, force)
        return
    if settings.baseline is not None and (settings.baseline_required or settings.baseline.exists()):
        _apply_baseline(settings.baseline, report)
    click.echo(text.render(report, colour=_use_colour(sys.stdout), quiet=quiet), nl=False)
    if missing:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if fails(report.findings, settings.fail_on) else EXIT_OK)


def _update_baseline(path: Path | None, report, force: bool) -> None:
    from .baseline import write_baseline
    from .files import OverwriteRefused

    if path is None:
        raise UsageError("--update-baseline needs a baseline file: --baseline FILE, "
                         "or baseline: in .tospolicy.yml")
    try:
        count = write_baseline(path, report.findings, force=force)
    except OverwriteRefused as error:
        raise UsageError(str(error)) from None
    click.echo(f"tospolicy: wrote {count} finding{'' if count == 1 else 's'} to the baseline {path}",
               err=True)


def _apply_baseline(path: Path, report) -> None:
    from .baseline import BaselineError, apply_baseline

    if not path.is_file():
        raise UsageError(f"{path}: no such baseline file (write one with --update-baseline)")
    try:
        hidden = apply_baseline(report, path)
    except BaselineError as error:
        raise UsageError(str(error)) from None
    if hidden:
        report.notifications.append(
            f"{hidden} finding{'' if hidden == 1 else 's'} hidden by the baseline {path}")


@main.command()
@click.option("-p", "--pack", "packs", multiple=True, metavar="PACK", help=_PACK_HELP)
@click.option("--config", type=click.Path(path_type=Path), help="The configuration file.")
def rules(packs: tuple[str, ...], config: Path | None) -> None:
    """List the rules of the loaded packs, with their severity (or off)."""
    from .findings import PARSER_RULES

    settings = _settings(config, packs)
    rule_set = _rule_set(settings.packs, settings.overrides)
    rows = [(info.id, info.severity, info.pack, info.name, info.summary) for info in PARSER_RULES]
    for rule in rule_set.loaded:
        severity = "off" if rule.info.id in rule_set.off else rule.info.severity
        rows.append((rule.info.id, severity, rule.info.pack, rule.info.name, rule.info.summary))
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    for row in rows:
        cells = [row[column].ljust(widths[column]) for column in range(4)]
        click.echo("  ".join(cells) + "  " + row[4])


@main.command()
@click.argument("rule_id", metavar="ID")
@click.option("-p", "--pack", "packs", multiple=True, metavar="PACK", help=_PACK_HELP)
@click.option("--config", type=click.Path(path_type=Path), help="The configuration file.")
def explain(rule_id: str, packs: tuple[str, ...], config: Path | None) -> None:
    """Print the help of one rule (of the loaded packs or any built-in pack)."""
    import difflib

    from .findings import PARSER_RULES
    from .packs import PackRef, builtin_packs

    settings = _settings(config, packs)
    refs = [*settings.packs, *(PackRef(name) for name in builtin_packs())]
    rule_set = _rule_set(refs)
    infos = {info.id: info for info in (*PARSER_RULES, *rule_set.infos)}
    info = infos.get(rule_id.upper())
    if info is None:
        close = difflib.get_close_matches(rule_id.upper(), sorted(infos), n=1)
        raise UsageError(f"no rule {rule_id}" + (f" (did you mean {close[0]}?)" if close else ""))
    lines = [f"{info.id} {info.name} ({info.pack}, {info.severity})", "", info.summary]
    if info.description:
        lines += ["", info.description.rstrip()]
    if info.references:
        lines += ["", "References:"] + [f"  - {reference}" for reference in info.references]
    if info.tags:
        lines += ["", "Tags: " + ", ".join(info.tags)]
    lines += ["", f"Help: {info.help_uri}"]
    click.echo("\n".join(lines))


@main.command(name="test")
@click.argument("packs", nargs=-1, required=True, metavar="PACK...")
def test_command(packs: tuple[str, ...]) -> None:
    """Run rule packs against their fixtures (the folder named by each pack's tests:)."""
    from .packs import PackRef
    from .packtest import check_fixtures

    rule_set = _rule_set([PackRef(text, Path.cwd()) for text in packs])
    named = {ref.resolve() for ref in _pack_paths(packs)}
    failed = False
    for pack in rule_set.packs:
        if pack.path.resolve() not in named:
            continue
        result = check_fixtures(rule_set, pack)
        for mismatch in result.mismatches:
            click.echo(str(mismatch))
        files = f"{result.files} fixture file{'' if result.files == 1 else 's'}"
        if result.mismatches:
            failed = True
            count = len(result.mismatches)
            click.echo(f"{pack.name}: {count} mismatch{'' if count == 1 else 'es'} in {files}.")
        else:
            click.echo(f"{pack.name}: all {result.expectations} expectations met in {files}.")
    sys.exit(EXIT_FINDINGS if failed else EXIT_OK)


def _pack_paths(packs: tuple[str, ...]) -> list[Path]:
    from .packs import PackRef
    from .resources import resource

    paths = []
    for text in packs:
        ref = PackRef(text, Path.cwd())
        paths.append(Path(text) if ref.is_path else resource("rules", f"{text}.yaml"))
    return paths


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
