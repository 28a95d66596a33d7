"""What every command shares: one-line errors, exit codes, settings and packs.

Exit codes: 0 nothing at or above `--fail-on`; 1 findings at or above it;
2 usage error, invalid configuration or rule pack, or internal error, always
with a one-line reason on stderr.
"""

from __future__ import annotations

import errno
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
    """Turns any unexpected exception into a one-line error and exit code 2,
    and click's own usage errors into one line like every other error."""

    def main(self, args=None, prog_name=None, **extra):
        show_any_text()
        extra.pop("standalone_mode", None)
        try:
            code = super().main(args, prog_name, standalone_mode=False, **extra)
            sys.stdout.flush()
        except click.ClickException as error:
            _say_usage_error(error)
            sys.exit(error.exit_code)
        except click.exceptions.Abort:
            say("interrupted")
            sys.exit(EXIT_ERROR)
        except OSError as error:  # writing standard output: a closed pipe, a full disk
            if not _writing_output_failed(error):
                raise
            sys.exit(_output_failed(error))
        sys.exit(code if isinstance(code, int) else EXIT_OK)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except KeyboardInterrupt:
            say("interrupted")
            sys.exit(EXIT_ERROR)
        except Exception as error:  # noqa: BLE001 - the last line of defence
            if isinstance(error, OSError) and _writing_output_failed(error):
                sys.exit(_output_failed(error))
            if os.environ.get("TOSPOLICY_DEBUG"):
                raise
            reason = str(error).splitlines()[0] if str(error) else ""
            say(f"internal error: {type(error).__name__}: {reason} "
                "(set TOSPOLICY_DEBUG=1 for details)")
            sys.exit(EXIT_ERROR)


# Errors of writing standard output: not tospolicy's fault, and no traceback.
_OUTPUT_ERRNOS = {errno.EPIPE, errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}


def _writing_output_failed(error: OSError) -> bool:
    return isinstance(error, BrokenPipeError) or error.errno in _OUTPUT_ERRNOS


def _output_failed(error: OSError) -> int:
    """A reader that stopped (`| head -1`) ends the run quietly; standard
    output on a full disk (`> /dev/full`) is one line on stderr. Nothing more
    is written to standard output either way."""
    from tospolicy.support.files import silence_standard_output

    silence_standard_output()  # the interpreter's last flush must not fail again
    if isinstance(error, BrokenPipeError) or error.errno == errno.EPIPE:
        return EXIT_ERROR
    say(f"cannot write to standard output: {error.strerror or error}")
    return EXIT_ERROR


def _say_usage_error(error: click.ClickException) -> None:
    if isinstance(error, UsageError):
        error.show()
        return
    context = getattr(error, "ctx", None)
    if context is None:
        say(error.format_message())
        return
    command = context.command_path.split(" ", 1)  # ["tospolicy", "check"]
    where = f"{command[1]}: " if len(command) > 1 else ""
    say(f"{where}{error.format_message()} (see '{context.command_path} --help')")


def show_any_text() -> None:
    """Standard output and error in an encoding that cannot show every
    character (latin-1, cp437) show the others as escapes (`\u2026`) instead
    of failing on the first `…` or `§`."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding != "utf8" and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="backslashreplace")
            except (ValueError, OSError):  # a stream already in use in another way
                pass


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

