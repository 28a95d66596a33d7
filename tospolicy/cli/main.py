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

from tospolicy import __version__
from tospolicy.reporters import FORMATS  # light: the format modules load on first use
from tospolicy.reporters.common import line_start, one_line

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def say(message: str) -> None:
    """One line on stderr, `tospolicy: message`. Messages quote file names,
    pack keys and values from a pull request; shown on one line with control
    characters escaped, none can start a workflow command of its own or
    rewrite the CI log."""
    click.echo(f"tospolicy: {one_line(message)}", err=True)


class _Group(click.Group):
    """Turns any unexpected exception into a one-line error and exit code 2."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except KeyboardInterrupt:
            say("interrupted")
            sys.exit(EXIT_ERROR)
        except Exception as error:  # noqa: BLE001 - the last line of defence
            if os.environ.get("TOSPOLICY_DEBUG"):
                raise
            reason = str(error).splitlines()[0] if str(error) else ""
            say(f"internal error: {type(error).__name__}: {reason} "
                "(set TOSPOLICY_DEBUG=1 for details)")
            sys.exit(EXIT_ERROR)


class UsageError(click.ClickException):
    """A problem with what the user asked for: exit code 2, one line on stderr."""

    exit_code = EXIT_ERROR

    def show(self, file=None):
        say(self.format_message())


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
            colour = name == "text" and _use_colour(sys.stdout)
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


def _settings(config: Path | None, packs: tuple[str, ...] = (), fail_on: str | None = None,
              baseline: Path | None = None):
    """The configuration merged with the command line; exit 2 on a bad configuration."""
    from tospolicy.checking.config import ConfigError, settings

    try:
        return settings(config, packs, fail_on, baseline)
    except ConfigError as error:
        for problem in error.problems:
            say(str(problem))
        sys.exit(EXIT_ERROR)


def _rule_set(refs, overrides=None, limits=None):
    """Load the packs; every problem on its own line and exit 2 when one cannot be used."""
    from tospolicy.limits import DEFAULT_LIMITS
    from tospolicy.packs.loader import PackError, load_rule_set

    try:
        rule_set = load_rule_set(list(refs), overrides, limits or DEFAULT_LIMITS)
    except PackError as error:
        for problem in error.problems:
            say(str(problem))
        sys.exit(EXIT_ERROR)
    for warning in rule_set.warnings:
        say(f"warning: {warning}")
    return rule_set


_PACK_HELP = ("A rule pack: a built-in name (core, …) or a path to a YAML pack; repeatable. "
              "Default: the configuration's packs, else every built-in pack.")


@main.command(cls=ReportingCommand, epilog=OUTPUT_HELP)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--fail-on", type=click.Choice(["error", "warning", "note", "never"]),
              default=None,
              help="The least severe finding that makes the run fail (exit 1). "
                   "Default: the configuration's fail-on, else error.")
@click.option("-p", "--pack", "packs", multiple=True, metavar="PACK", help=_PACK_HELP)
@click.option("--config", type=click.Path(path_type=Path),
              help="The configuration file (default: .tospolicy.yml here or in a folder above).")
@click.option("--baseline", type=click.Path(path_type=Path),
              help="Hide the findings this baseline file holds.")
@click.option("--update-baseline", is_flag=True,
              help="Write the current findings to the baseline file and exit.")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=1, show_default=True,
              help="Check files in this many processes; 0: one per CPU.")
@click.option("--no-cache", is_flag=True,
              help="Check every file, even one whose findings are known from an earlier run.")
@output_options
@click.pass_context
def check(ctx, paths: tuple[Path, ...], fail_on: str | None, packs: tuple[str, ...],
          config: Path | None, baseline: Path | None, update_baseline: bool, jobs: int,
          no_cache: bool, formats, outputs, force: bool, include_suppressed: bool,
          sarif_category: str | None, quiet: bool) -> None:
    """Lint declarations: PATHS are files and folders (default: the configuration's
    include, else **/*.tos here)."""
    from tospolicy.checking.checker import check_files, limit_findings
    from tospolicy.checking.discovery import discover
    from tospolicy.findings import fails
    from tospolicy.reporters import RenderOptions
    from tospolicy.reporters.sarif import default_category

    targets = output_targets(ctx, formats, outputs)
    settings = _settings(config, packs, fail_on, baseline)
    rule_set = _rule_set(settings.packs, settings.overrides, settings.limits)
    files, missing = discover(list(paths) or settings.default_paths, settings.include,
                              settings.exclude, base=settings.config.folder)
    for path in missing:
        say(f"{path}: no such file or folder")
    report = check_files(files, settings.limits, rule_set, jobs=jobs or os.cpu_count() or 1,
                         cache=not no_cache)
    if update_baseline:
        if missing:  # a baseline of part of the project would hide too little
            sys.exit(EXIT_ERROR)
        _update_baseline(settings.baseline, report, force)
        return
    if settings.baseline is not None and (settings.baseline_required or settings.baseline.exists()):
        _apply_baseline(settings.baseline, report)
    # After the baseline: what it hides does not use up the limit.
    limit_findings(report, settings.limits.max_findings_per_file)
    options = RenderOptions(quiet=quiet, include_suppressed=include_suppressed,
                            category=sarif_category or default_category(config and str(config)))
    written = emit(report, targets, options, force)
    if missing or not written:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if fails(report.findings, settings.fail_on) else EXIT_OK)


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
    say(f"wrote {count} finding{'' if count == 1 else 's'} to the baseline {path}")


def _apply_baseline(path: Path, report) -> None:
    from tospolicy.checking.baseline import BaselineError, apply_baseline

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
@click.option("--format", "output_format", type=click.Choice(["text", "markdown"]), default="text",
              show_default=True,
              help="text: one line per rule; markdown: the full reference, with each rule's help "
                   "and the rules of tospolicy diff (docs/rules.md is this for the built-in packs).")
def rules(packs: tuple[str, ...], config: Path | None, output_format: str) -> None:
    """List the rules of the loaded packs, with their severity (or off)."""
    from tospolicy.findings import PARSER_RULES

    settings = _settings(config, packs)
    rule_set = _rule_set(settings.packs, settings.overrides, settings.limits)
    if output_format == "markdown":
        from tospolicy.packs.docs import markdown

        click.echo(markdown(rule_set), nl=False)
        return
    rows = [(info.id, info.severity, info.pack, info.name, info.summary) for info in PARSER_RULES]
    for rule in rule_set.loaded:
        severity = "off" if rule.info.id in rule_set.off else rule.info.severity
        rows.append((rule.info.id, severity, rule.info.pack, rule.info.name, rule.info.summary))
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    for row in rows:
        cells = [row[column].ljust(widths[column]) for column in range(4)]
        click.echo("  ".join(cells) + "  " + one_line(row[4]))


@main.command()
@click.argument("rule_id", metavar="ID")
@click.option("-p", "--pack", "packs", multiple=True, metavar="PACK", help=_PACK_HELP)
@click.option("--config", type=click.Path(path_type=Path), help="The configuration file.")
def explain(rule_id: str, packs: tuple[str, ...], config: Path | None) -> None:
    """Print the help of one rule (of the loaded packs, any built-in pack, or diff)."""
    import difflib

    from tospolicy.diff.rules import DIFF_RULES
    from tospolicy.findings import PARSER_RULES
    from tospolicy.packs.loader import PackRef, builtin_packs

    settings = _settings(config, packs)
    refs = [*settings.packs, *(PackRef(name) for name in builtin_packs())]
    rule_set = _rule_set(refs, limits=settings.limits)
    infos = {info.id: info for info in (*PARSER_RULES, *rule_set.infos, *DIFF_RULES)}
    info = infos.get(rule_id.upper())
    if info is None:
        close = difflib.get_close_matches(rule_id.upper(), sorted(infos), n=1)
        raise UsageError(f"no rule {rule_id}" + (f" (did you mean {close[0]}?)" if close else ""))
    # Pack text is untrusted: each of its lines is shown on its own line,
    # inert in a terminal or a CI log.
    lines = [f"{info.id} {info.name} ({info.pack}, {info.severity})", "", one_line(info.summary)]
    if info.description:
        lines += ["", *(line_start(line) for line in info.description.rstrip().split("\n"))]
    if info.references:
        lines += ["", "References:"] + [f"  - {one_line(reference)}" for reference in info.references]
    if info.tags:
        lines += ["", "Tags: " + one_line(", ".join(info.tags))]
    lines += ["", f"Help: {info.help_uri}"]
    click.echo("\n".join(lines))


@main.command(name="test")
@click.argument("packs", nargs=-1, required=True, metavar="PACK...")
def test_command(packs: tuple[str, ...]) -> None:
    """Run rule packs against their fixtures (the folder named by each pack's tests:)."""
    from tospolicy.packs.loader import PackRef
    from tospolicy.packs.fixtures import check_fixtures

    rule_set = _rule_set([PackRef(text, Path.cwd()) for text in packs])
    named = {ref.resolve() for ref in _pack_paths(packs)}
    failed = False
    for pack in rule_set.packs:
        if pack.path.resolve() not in named:
            continue
        result = check_fixtures(rule_set, pack)
        for mismatch in result.mismatches:
            click.echo(line_start(str(mismatch)))
        files = f"{result.files} fixture file{'' if result.files == 1 else 's'}"
        if result.mismatches:
            failed = True
            count = len(result.mismatches)
            click.echo(f"{pack.name}: {count} mismatch{'' if count == 1 else 'es'} in {files}.")
        else:
            click.echo(f"{pack.name}: all {result.expectations} expectations met in {files}.")
    sys.exit(EXIT_FINDINGS if failed else EXIT_OK)


def _pack_paths(packs: tuple[str, ...]) -> list[Path]:
    from tospolicy.packs.loader import PackRef
    from tospolicy.support.resources import resource

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
    from tospolicy.checking.discovery import display_path
    from tospolicy.language.modeljson import declaration_json
    from tospolicy.language.parser import parse_file

    if not file.exists():
        raise UsageError(f"{file}: no such file")
    result = parse_file(file, display_path(file.resolve()))
    if result.declaration is None:
        for finding in result.findings:
            span = finding.span
            click.echo(f"{line_start(span.file)}:{span.line}:{span.column}: {finding.rule_id} "
                       f"[{finding.severity}] {one_line(finding.message)}", err=True)
        sys.exit(EXIT_FINDINGS)
    for piece in declaration_json(result.declaration):
        click.echo(piece, nl=False)


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
        say(f"could not compare {', '.join(broken)}: the old or new version has "
            "syntax errors or cannot be read (listed in the report)")
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if fail_on_regression and result.regressions else EXIT_OK)


@main.command()
@click.argument("folder", required=False, default=Path("."),
                type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace files that already exist.")
def init(folder: Path, force: bool) -> None:
    """Start using tospolicy in FOLDER (default: here): a starter declaration
    (policy.tos), .tospolicy.yml and .github/workflows/tospolicy.yml. A file that
    exists is left alone, unless --force is given."""
    from tospolicy.support.files import OverwriteRefused, write_file
    from tospolicy.cli.starter import starter_files

    refused = False
    for relative, content in starter_files():
        path = folder / relative
        if (path.exists() or path.is_symlink()) and not force:
            click.echo(f"tospolicy: {path} exists; left alone (--force replaces it)", err=True)
            refused = True
            continue
        try:
            write_file(path, content, force=force)
        except (OverwriteRefused, OSError) as error:
            click.echo(f"tospolicy: cannot write {path}: {getattr(error, 'strerror', None) or error}",
                       err=True)
            refused = True
            continue
        click.echo(f"wrote {path}")
    sys.exit(EXIT_ERROR if refused else EXIT_OK)
@main.group(name="import")
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
    folder = display_path(out.resolve())
    click.echo(f"Imported {result.systems} system{'' if result.systems == 1 else 's'} and "
               f"{result.rules} policy rule{'' if result.rules == 1 else 's'} into {folder}/ "
               f"({len(result.written)} files).")
    builtin = " ".join(f"-p {name}" for name in builtin_packs())
    click.echo(f"Check them with: tospolicy check {folder} -p {folder}/fides-policies.yaml {builtin}")
