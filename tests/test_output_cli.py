"""`--format`/`--output` as users type them: pairing, files, overwrites, colour."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run_tospolicy
from report_builders import BROKEN
from tospolicy.reporters import FORMATS


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / "broken.tos").write_text(BROKEN, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_one_run_prints_text_and_writes_sarif_and_markdown(project, cli):
    result = cli("check", "--format", "text", "--format", "sarif", "--output", "out/results.sarif",
                 "-f", "markdown", "-o", "summary.md")
    assert result.exit_code == 1
    assert result.stdout.startswith("broken.tos:3:16: TOS001 [error] ")
    assert result.stdout.endswith("in 1 file.\n")
    log = json.loads((project / "out" / "results.sarif").read_text(encoding="utf-8"))
    assert log["runs"][0]["results"][0]["ruleId"] == "TOS001"
    assert (project / "summary.md").read_text(encoding="utf-8").startswith("<!-- tospolicy -->\n")


def test_a_format_without_output_prints_and_an_output_takes_the_format_before_it(project, cli):
    result = cli("check", "-f", "sarif", "-o", "a.sarif", "-o", "b.sarif", "-f", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["tool"] == "tospolicy"
    assert (project / "a.sarif").read_bytes() == (project / "b.sarif").read_bytes()


def test_all_formats_to_files_print_nothing(project, cli):
    result = cli("check", "-f", "github", "-o", "annotations.txt")
    assert result.exit_code == 1 and result.stdout == ""
    assert (project / "annotations.txt").read_text(encoding="utf-8").startswith("::error file=broken.tos,")


@pytest.mark.parametrize("args, reason", [
    (["--output", "x.sarif", "--format", "sarif"], "--output x.sarif: name its format first"),
    (["-f", "json", "-f", "sarif"], "only one format can print to standard output, not json and sarif"),
    (["-f", "json", "-o", "x", "-f", "sarif", "-o", "./x"], "is given twice"),
])
def test_pairing_mistakes_are_usage_errors(project, cli, args, reason):
    result = cli("check", *args)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and reason in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_replaces_its_own_earlier_output_but_not_a_users_file(project, cli, fmt):
    target = project / f"report.{fmt}"
    assert cli("check", "-f", fmt, "-o", str(target)).exit_code == 1
    first = target.read_bytes()
    assert first
    assert cli("check", "-f", fmt, "-o", str(target)).exit_code == 1  # ours: replaced
    assert target.read_bytes() == first

    mine = project / f"mine.{fmt}"
    mine.write_text("my own notes\n", encoding="utf-8")
    refused = cli("check", "-f", fmt, "-o", str(mine))
    assert refused.exit_code == 2
    assert refused.stderr == (f"tospolicy: {mine} exists and was not written by tospolicy; "
                              "pass --force to replace it\n")
    assert mine.read_text(encoding="utf-8") == "my own notes\n"
    forced = cli("check", "-f", fmt, "-o", str(mine), "--force")
    assert forced.exit_code == 1 and mine.read_bytes() == first


def test_a_format_does_not_replace_another_formats_output(project, cli):
    """`--format sarif --output summary.md` is a typo, not a wish to lose the summary."""
    assert cli("check", "-f", "markdown", "-o", "summary.md").exit_code == 1
    result = cli("check", "-f", "sarif", "-o", "summary.md")
    assert result.exit_code == 2 and "pass --force" in result.stderr
    assert (project / "summary.md").read_text(encoding="utf-8").startswith("<!-- tospolicy -->")


def test_a_refused_output_still_prints_and_writes_the_rest(project, cli):
    (project / "taken.sarif").write_text("{}", encoding="utf-8")
    result = cli("check", "-f", "text", "-f", "sarif", "-o", "taken.sarif", "-f", "json", "-o", "ok.json")
    assert result.exit_code == 2
    assert "TOS001" in result.stdout and (project / "ok.json").exists()


def test_include_suppressed_and_fail_on_and_quiet(project, cli):
    assert cli("check", "--fail-on", "never", "-f", "sarif", "--include-suppressed").exit_code == 0
    quiet = cli("check", "-q")
    assert quiet.exit_code == 1 and quiet.stdout.count("\n") == 2 and "finding" not in quiet.stdout


def test_help_explains_the_pairing(cli):
    result = cli("check", "--help")
    assert result.exit_code == 0
    for words in ("--format text --format sarif", "--output results.sarif", "--force",
                  "--include-suppressed", "--sarif-category"):
        assert words in " ".join(result.stdout.split()), words


def run_on_a_terminal(args: list[str], cwd: Path, env: dict) -> str:
    """Runs tospolicy with its standard output on a pseudo-terminal."""
    main, secondary = pty.openpty()
    full_env = {key: value for key, value in os.environ.items() if key != "NO_COLOR"}
    full_env.update(env)
    process = subprocess.Popen([sys.executable, "-m", "tospolicy", *args], cwd=cwd, env=full_env,
                               stdout=secondary, stderr=subprocess.DEVNULL)
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the other end closed (Linux raises EIO)
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=120)
    os.close(main)
    return b"".join(chunks).decode("utf-8")


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_colour_only_on_a_terminal_and_never_with_no_color(project):
    coloured = run_on_a_terminal(["check", "-f", "text", "-f", "json", "-o", "x.json"], project, {})
    assert "\x1b[31merror\x1b[0m" in coloured
    assert "\x1b[" not in (project / "x.json").read_text(encoding="utf-8")
    plain = run_on_a_terminal(["check"], project, {"NO_COLOR": "1"})
    assert "TOS001 [error]" in plain and "\x1b[" not in plain
    piped = run_tospolicy("check", cwd=project)
    assert "TOS001 [error]" in piped.stdout and "\x1b[" not in piped.stdout


def test_annotations_name_files_from_the_repository_root_with_escapes(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    folder = tmp_path / "sub, dir"
    folder.mkdir()
    (folder / "50% a:b.tos").write_text(BROKEN, encoding="utf-8")
    result = run_tospolicy("check", "-f", "github", cwd=folder)
    assert result.exit_code == 1, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    for line in lines:
        assert line.startswith("::error file=sub%2C dir/50%25 a%3Ab.tos,line=")


def test_short_options_are_the_same_on_every_command():
    """`-f` is `--format` and `-o` is `--output` wherever a command has them."""
    import click

    from tospolicy.cli.main import main

    def commands(group):
        for command in group.commands.values():
            if isinstance(command, click.Group):
                yield from commands(command)
            else:
                yield command

    seen = 0
    for command in commands(main):
        for param in command.params:
            for long, short in (("--format", "-f"), ("--output", "-o")):
                if long in param.opts:
                    seen += 1
                    assert short in param.opts, f"{command.name} {long} has no {short}"
    assert seen >= 6
