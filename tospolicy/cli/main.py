"""The `tospolicy` command group: one module per command (check.py, diff.py, …).

Each command imports what it needs when it runs, so that `tospolicy check`
does not pay for the modules of `diff` or `import`; exit codes and one-line
errors are in common.py.
"""

from __future__ import annotations

import gc

import click

from tospolicy import __version__
from tospolicy.cli.check import check
from tospolicy.cli.diff import diff
from tospolicy.cli.fmt import fmt
from tospolicy.cli.imports import import_group
from tospolicy.cli.init import init
from tospolicy.cli.lsp import lsp
from tospolicy.cli.parse import parse
from tospolicy.cli.quote import quote
from tospolicy.cli.render import render
from tospolicy.cli.rules import explain, rules, test_command
from tospolicy.cli.common import Group
from tospolicy.support.collector import one_shot_run


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tospolicy")
def main() -> None:
    """Lint data-use declarations (.tos files) against rule packs."""
    # A run keeps every model it parses until it exits, and models hold no
    # reference cycles: Python's default thresholds would rescan that growing
    # heap again and again (a third of the time of 2,000 files) to free
    # nothing. Young objects are still collected, only far less often.
    gc.set_threshold(50_000, 50, 100)



for command in (check, rules, explain, test_command, parse, quote, diff, fmt, init,
                import_group, render, lsp):
    main.add_command(command)


def run() -> None:
    """`tospolicy` as a command (the console script, `python -m tospolicy`): a
    process that ends once its files are checked (support/collector.py)."""
    one_shot_run()
    main(prog_name="tospolicy")
