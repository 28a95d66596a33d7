"""What every command shares: one-line errors, exit codes, settings and packs.

Exit codes: 0 nothing at or above `--fail-on`; 1 findings at or above it;
2 usage error, invalid configuration or rule pack, or internal error, always
with a one-line reason on stderr.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from tospolicy.reporters.common import one_line

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

def say(message: str) -> None:
    """One line on stderr, `tospolicy: message`. Messages quote file names,
    pack keys and values from a pull request; shown on one line with control
    characters escaped, none can start a workflow command of its own or
    rewrite the CI log."""
    click.echo(f"tospolicy: {one_line(message)}", err=True)


class Group(click.Group):
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


def use_colour(stream) -> bool:
    """Colour only on a terminal, and never with NO_COLOR."""
    if os.environ.get("NO_COLOR"):
        return False
    return hasattr(stream, "isatty") and stream.isatty()


def load_settings(config: Path | None, packs: tuple[str, ...] = (), fail_on: str | None = None,
                  baseline: Path | None = None):
    """The configuration merged with the command line; exit 2 on a bad configuration."""
    from tospolicy.checking.config import ConfigError, settings

    try:
        return settings(config, packs, fail_on, baseline)
    except ConfigError as error:
        for problem in error.problems:
            say(str(problem))
        sys.exit(EXIT_ERROR)


def load_rules(refs, overrides=None, limits=None):
    """Load the packs; every problem on its own line and exit 2 when one cannot be used."""
    from tospolicy.limits import DEFAULT_LIMITS
    from tospolicy.packs.loader import PackError, load_rule_set

    try:
        rule_set = load_rule_set(list(refs), overrides, limits or DEFAULT_LIMITS)
    except PackError as error:
        for problem in error.problems:
            say(str(problem))
        sys.exit(EXIT_ERROR)
    report_rule_warnings(rule_set)
    return rule_set


def report_rule_warnings(rule_set) -> None:
    """The packs' warnings (a rule override naming no rule, …), one line each on stderr."""
    for warning in rule_set.warnings:
        say(f"warning: {warning}")


PACK_HELP = ("A rule pack: a built-in name (core, …) or a path to a YAML pack; repeatable. "
             "Default: the configuration's packs, else every built-in pack.")

