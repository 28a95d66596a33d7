"""What every fuzz test asserts of a run, and running the CLI as users do.

The CLI runs in this process (click's CliRunner, exceptions not caught,
TOSPOLICY_DEBUG set so that the last-resort handler re-raises): an
exception escaping any command fails the test with its traceback, and
hypothesis shrinks the input that caused it.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from tospolicy.cli.main import main

EXIT_CODES = (0, 1, 2)
# A problem on stderr: `tospolicy: FILE:LINE:COL: message` (or a warning).
PROBLEM = re.compile(r"tospolicy: (?:warning: )?(?P<file>[^:]+):(?P<line>\d+):(?P<column>\d+): \S")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str


class Workspace:
    """A folder for one fuzz test, reused by its examples: each example writes
    its files, runs the CLI from there, and the folder is emptied after."""

    def __init__(self):
        self.root = Path(tempfile.mkdtemp(prefix="tospolicy-fuzz-"))
        (self.root / ".git").mkdir()  # stops the search for .tospolicy.yml here

    def write(self, name: str, content: str | bytes) -> Path:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            content = content.encode("utf-8", "surrogatepass")
        path.write_bytes(content)
        return path

    def clear(self) -> None:
        for item in self.root.iterdir():
            if item.name == ".git":
                continue
            if item.is_dir() and not item.is_symlink():
                shutil.rmtree(item)
            else:
                item.unlink()

    def run(self, *args: str) -> Run:
        with _cwd(self.root):
            outcome = CliRunner().invoke(main, list(args), catch_exceptions=False,
                                         env={"TOSPOLICY_DEBUG": "1", "NO_COLOR": "1"})
        return Run(outcome.exit_code, outcome.stdout, outcome.stderr)

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


@contextlib.contextmanager
def _cwd(folder: Path):
    previous = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(previous)


def lines_of(data: bytes) -> list[str] | None:
    """The lines of a declaration as editors and the parser count them (after one BOM),
    or None when it is not UTF-8 text."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return split_lines(text.removeprefix("\ufeff"))


def split_lines(text: str) -> list[str]:
    """LF, CRLF and a lone CR each end a line (LANGUAGE.md 0.2)."""
    return re.split(r"\r\n|\r|\n", text)


def assert_span_inside(span: dict, lines: list[str] | None, what) -> None:
    """A finding's span lies in the file: lines from 1, columns from 1 to the
    line's length + 1, the end not before the start."""
    line, column = span["line"], span["column"]
    end_line, end_column = span["end_line"], span["end_column"]
    if lines is None:  # not text: the finding is at the top of the file
        assert (line, column) == (1, 1), what
        return
    assert 1 <= line <= end_line <= len(lines), what
    assert 1 <= column <= len(lines[line - 1]) + 1, what
    assert 1 <= end_column <= len(lines[end_line - 1]) + 1, what
    assert (line, column) <= (end_line, end_column), what


def assert_clean_stderr(stderr: str) -> None:
    """No traceback, no internal error, every line one `tospolicy:` message
    without control characters that could end a line or move the cursor."""
    assert "Traceback" not in stderr
    assert "internal error" not in stderr, stderr
    for line in stderr.splitlines():
        assert line.startswith("tospolicy: "), stderr
        assert not _CONTROL.search(line), line
        assert "##[" not in line, line  # the runner's old form of workflow command


def check_json(run: Run, files: dict[str, bytes]) -> dict:
    """The JSON report of a `check --format json` run, every span inside its file."""
    assert run.exit_code in EXIT_CODES, run
    assert_clean_stderr(run.stderr)
    if run.exit_code == 2:
        return {}
    report = json.loads(run.stdout)
    for finding in report["findings"]:
        assert finding["path"] in files, finding
        assert_span_inside(finding, lines_of(files[finding["path"]]), finding)
    return report


def assert_problems_located(stderr: str, files: dict[str, str]) -> list[re.Match]:
    """Every problem names a file with a line and column, inside it when it is
    one of `files` (others are the test's files outside the workspace)."""
    matches = []
    for line in stderr.splitlines():
        if line.startswith("tospolicy: warning: rules: "):
            continue
        match = PROBLEM.match(line)
        assert match, line
        if match["file"] not in files:
            continue
        text = files[match["file"]]
        source_lines = text.removeprefix("\ufeff").split("\n")
        number, column = int(match["line"]), int(match["column"])
        assert 1 <= number <= max(len(source_lines), 1), line
        assert 1 <= column <= len(source_lines[number - 1]) + 1 if source_lines else True, line
        matches.append(match)
    return matches
