"""`tospolicy rules`, `explain` and `test`: what the loaded packs hold, and their fixtures."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from tospolicy.support.suggest import close_matches
from tospolicy.cli.common import EXIT_FINDINGS, EXIT_OK, PACK_HELP, UsageError, load_rules, load_settings, say
from tospolicy.reporters.common import line_start, one_line


@click.command()
@click.option("-p", "--pack", "packs", multiple=True, metavar="PACK", help=PACK_HELP)
@click.option("--config", type=click.Path(path_type=Path), help="The configuration file.")
@click.option("-f", "--format", "output_format", type=click.Choice(["text", "markdown"]), default="text",
              show_default=True,
              help="text: one line per rule; markdown: the full reference, with each rule's help "
                   "and the rules of tospolicy diff (docs/rules.md is this for the built-in packs).")
def rules(packs: tuple[str, ...], config: Path | None, output_format: str) -> None:
    """List the rules of the loaded packs, with their severity (or off)."""
    from tospolicy.findings import PARSER_RULES

    settings = load_settings(config, packs)
    rule_set = load_rules(settings.packs, settings.overrides, settings.limits)
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


@click.command()
@click.argument("rule_id", metavar="ID")
@click.option("-p", "--pack", "packs", multiple=True, metavar="PACK", help=PACK_HELP)
@click.option("--config", type=click.Path(path_type=Path), help="The configuration file.")
def explain(rule_id: str, packs: tuple[str, ...], config: Path | None) -> None:
    """Print the help of one rule (of the loaded packs, any built-in pack, or diff)."""
    from tospolicy.diff.rules import DIFF_RULES
    from tospolicy.findings import PARSER_RULES
    from tospolicy.packs.loader import PackRef, builtin_packs

    settings = load_settings(config, packs)
    refs = [*settings.packs, *(PackRef(name) for name in builtin_packs())]
    rule_set = load_rules(refs, limits=settings.limits)
    infos = {info.id: info for info in (*PARSER_RULES, *rule_set.infos, *DIFF_RULES)}
    info = infos.get(rule_id.upper())
    if info is None:
        close = close_matches(rule_id.upper(), sorted(infos))
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
    if info.help_uri:  # a custom rule whose pack names no url has none
        lines += ["", f"Help: {info.help_uri}"]
    click.echo("\n".join(lines))


@click.command(name="test")
@click.argument("packs", nargs=-1, metavar="[PACK]...")
@click.option("--config", type=click.Path(path_type=Path),
              help="Without PACK: the configuration whose pack files to test.")
def test_command(packs: tuple[str, ...], config: Path | None) -> None:
    """Run rule packs against their fixtures (the folder named by each pack's tests:).
    Without PACK: the pack files the configuration loads (not the built-in packs),
    as the pre-commit hook tospolicy-test runs it."""
    from tospolicy.packs.loader import PackRef
    from tospolicy.packs.fixtures import check_fixtures

    if packs:
        rule_set = load_rules([PackRef(text, Path.cwd()) for text in packs])
        named = {ref.resolve() for ref in _pack_paths(packs)}
    else:
        settings = load_settings(config)
        rule_set = load_rules(settings.packs, settings.overrides, settings.limits)
        named = {pack.path.resolve() for pack in rule_set.packs if not pack.builtin}
        if not named:
            say("no rule pack files to test: name them, or list them in .tospolicy.yml (packs:)")
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


