"""`tospolicy render`: the page people read — each service's data-use label and its data flows."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from tospolicy.cli.common import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, PACK_HELP, UsageError, load_settings, say
from tospolicy.reporters.common import line_start, one_line

FORMATS = ("html", "markdown")
MARKDOWN_SUFFIXES = (".md", ".markdown")


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-f", "--format", "output_format", type=click.Choice(FORMATS), default=None,
              help="html: one self-contained page; markdown: Markdown with Mermaid diagrams. "
                   "Default: markdown for an --output ending in .md, else html.")
@click.option("-o", "--output", type=click.Path(path_type=Path), metavar="FILE",
              help="Write the page to FILE instead of standard output.")
@click.option("--force", is_flag=True, help="Replace FILE even if tospolicy did not write it.")
@click.option("--findings", is_flag=True,
              help="Show the loaded packs' findings beside the statements they are about.")
@click.option("-p", "--pack", "packs", multiple=True, metavar="PACK", help=PACK_HELP)
@click.option("--config", type=click.Path(path_type=Path),
              help="The configuration file (default: .tospolicy.yml here or in a folder above).")
def render(files: tuple[Path, ...], output_format: str | None, output: Path | None, force: bool,
           findings: bool, packs: tuple[str, ...], config: Path | None) -> None:
    """Write the data-use label of each service in FILES, with a diagram of its data flows.

    A file with syntax errors is reported on stderr and left out (exit 1); the
    others are still rendered.
    """
    from tospolicy.checking.discovery import display_path
    from tospolicy.language.parser import parse_file
    from tospolicy.language.taxonomy import builtin_taxonomy
    from tospolicy.render import page

    if output_format is None:
        output_format = ("markdown" if output is not None and output.suffix.lower() in MARKDOWN_SUFFIXES
                         else "html")
    missing = [path for path in files if not path.is_file()]
    for path in missing:
        say(f"{path}: no such file" if not path.exists() else f"{path}: not a file")
    parsed, broken = [], False
    for path in files:
        if path in missing:
            continue
        shown = display_path(path)  # as the check pipeline names it, so its findings find their file
        result = parse_file(path, shown)
        errors = [finding for finding in result.findings if finding.severity == "error"]
        if result.declaration is None or errors:
            broken = True
            for finding in errors or result.findings:
                span = finding.span
                click.echo(f"{line_start(span.file)}:{span.line}:{span.column}: {finding.rule_id} "
                           f"[{finding.severity}] {one_line(finding.message)}", err=True)
            continue
        parsed.append((shown, path, result.declaration))
    if not parsed:
        sys.exit(EXIT_ERROR if missing else EXIT_FINDINGS)
    taxonomy, found = builtin_taxonomy(), {}
    if findings:
        taxonomy, found = _findings(config, packs, [path for _, path, _ in parsed])
    pages = [page.file_page(shown, declaration, taxonomy, found.get(shown, []))
             for shown, _, declaration in parsed]
    services = [label for file_page in pages for label in file_page.services]
    title = services[0].name if len(services) == 1 else "Data-use labels"
    write = page.html if output_format == "html" else page.markdown
    text = write(pages, title, findings)
    _emit(text, output, force)
    sys.exit(EXIT_ERROR if missing else EXIT_FINDINGS if broken else EXIT_OK)


def _findings(config, packs, paths) -> tuple:
    """The taxonomy of the loaded packs, and their findings by file, through the one check pipeline."""
    from tospolicy.checking.pipeline import PipelineError, load_rules, run

    settings = load_settings(config, packs)
    try:
        rule_set = load_rules(settings)
        outcome = run(settings, paths, rule_set=rule_set)
    except PipelineError as error:
        for problem in error.problems:
            say(problem)
        sys.exit(EXIT_ERROR)
    by_file: dict[str, list] = {}
    for finding in outcome.report.findings:
        if finding.suppression is None:
            by_file.setdefault(finding.span.file, []).append(finding)
    return rule_set.taxonomy, by_file


def _emit(text: str, output: Path | None, force: bool) -> None:
    from tospolicy.render.page import MARKER
    from tospolicy.support.files import OverwriteRefused, write_file, written_by_tospolicy

    if output is None:
        click.echo(text, nl=False)
        return
    try:
        write_file(output, text, force=force, ours=written_by_tospolicy(MARKER.encode()))
    except (OverwriteRefused, OSError) as error:
        raise UsageError(str(error)) from None
