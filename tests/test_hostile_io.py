"""Odd file types, odd streams and odd names (issue 21): FIFOs and devices
read or written, standard output closed early, full or not UTF-8, paths
printed by init and import, click's own usage errors, `-j` past the CPUs.

Everything runs the real command line in a subprocess (`TOSPOLICY_DEBUG=1`:
an exception escaping would be a traceback), each with a timeout that only
guards the suite against the hangs these inputs used to cause.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

ZOOM = (REPO / "examples" / "zoom-2023-03.tos").read_text(encoding="utf-8")
SYSTEM = ("system:\n  - fides_key: {key}\n    name: App\n    system_type: Service\n"
          "    privacy_declarations:\n      - name: Analytics\n"
          "        data_categories: [user.contact]\n        data_use: analytics\n"
          "        data_subjects: [customer]\n")


def tospolicy(*args: str, cwd: Path, env: dict | None = None, stdout=subprocess.PIPE,
              timeout: float = 60) -> subprocess.CompletedProcess:
    full = {**os.environ, "TOSPOLICY_DEBUG": "1", **(env or {})}
    return subprocess.run([sys.executable, "-m", "tospolicy", *args], cwd=cwd, env=full,
                          stdout=stdout, stderr=subprocess.PIPE, timeout=timeout)


def one_clean_line(stderr: bytes) -> str:
    text = stderr.decode("utf-8")
    assert "Traceback" not in text and "internal error" not in text, text
    lines = [line for line in text.splitlines() if not line.startswith("tospolicy: warning: ")]
    assert len(lines) == 1 and lines[0].startswith("tospolicy: "), lines
    return lines[0]


@pytest.fixture
def project(tmp_path):
    (tmp_path / "zoom.tos").write_text(ZOOM, encoding="utf-8")
    (tmp_path / "old.tos").write_text(ZOOM.replace("consent: none", "consent: opt_in"),
                                      encoding="utf-8")
    return tmp_path


def test_a_fifo_is_a_finding_whether_found_or_named(project):
    os.mkfifo(project / "pipe.tos")
    checked = tospolicy("check", cwd=project)
    assert checked.returncode == 1, checked.stderr
    assert (b"pipe.tos:1:1: TOS002 [error] cannot read file: it is a named pipe (FIFO), "
            b"not a regular file") in checked.stdout
    parsed = tospolicy("parse", "pipe.tos", cwd=project)
    assert parsed.returncode == 1 and b"named pipe (FIFO)" in parsed.stdout + parsed.stderr
    diffed = tospolicy("diff", "old.tos", "pipe.tos", cwd=project)
    assert diffed.returncode == 2 and b"named pipe (FIFO)" in diffed.stdout + diffed.stderr


@pytest.mark.parametrize("target, kind", [("out.fifo", "a named pipe (FIFO)"),
                                          ("/dev/null", "a character device")])
def test_output_is_written_to_regular_files_only(project, target, kind):
    if target == "out.fifo":
        os.mkfifo(project / target)
    result = tospolicy("check", "zoom.tos", "--format", "sarif", "--output", target, cwd=project)
    assert result.returncode == 2
    assert one_clean_line(result.stderr) == (
        f"tospolicy: cannot write {target}: it is {kind}, not a regular file: "
        "tospolicy writes regular files only")
    left = project / target  # an absolute target stays itself
    assert left.exists() and not left.is_file()  # still the pipe or the device


@pytest.mark.parametrize("target", ["/dev/stdout", "/proc/self/fd/1"])
def test_standard_output_named_as_output_is_written_as_a_stream(project, target, tmp_path_factory):
    piped = tospolicy("check", "zoom.tos", "--format", "json", "--output", target, cwd=project)
    assert piped.returncode == 1, piped.stderr
    assert json.loads(piped.stdout)["summary"]["error"] > 0
    into = tmp_path_factory.mktemp("redirected") / "out.json"
    with open(into, "wb") as stream:
        redirected = tospolicy("check", "zoom.tos", "--format", "json", "--output", target,
                               cwd=project, stdout=stream)
    assert redirected.returncode == 1, redirected.stderr
    assert json.loads(into.read_text(encoding="utf-8"))["summary"]["error"] > 0
    assert Path("/dev/stdout").is_symlink() or not Path("/dev/stdout").is_file()


COMMANDS = [
    ("check",), ("check", "zoom.tos", "--format", "sarif"), ("parse", "zoom.tos"),
    ("parse", "zoom.tos", "--format", "json"), ("diff", "old.tos", "zoom.tos"), ("rules",),
    ("explain", "AI001"), ("--help",), ("--version",), ("check", "--help"), ("init", "new"),
    ("import", "fides", "fides", "--out", "imported"),
]


def _with_fides(project: Path) -> Path:
    (project / "fides").mkdir(exist_ok=True)
    (project / "fides" / "system.yml").write_text(SYSTEM.format(key="app"), encoding="utf-8")
    return project


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_reader_that_stops_early_ends_the_run_quietly(project, command):
    # `tospolicy … | head -1`: the reader closes the pipe before anything is written.
    process = subprocess.Popen([sys.executable, "-m", "tospolicy", *command],
                               cwd=_with_fides(project), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env={**os.environ, "TOSPOLICY_DEBUG": "1"})
    process.stdout.close()
    stderr = process.stderr.read().decode("utf-8")
    assert process.wait(timeout=60) in (0, 1, 2)
    assert "Traceback" not in stderr and "internal error" not in stderr
    assert "Exception ignored" not in stderr and "BrokenPipe" not in stderr, stderr


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_full_disk_on_standard_output_is_one_clear_line(project, command):
    with open("/dev/full", "wb") as full:
        result = tospolicy(*command, cwd=_with_fides(project), stdout=full)
    assert result.returncode == 2
    assert one_clean_line(result.stderr) == (
        "tospolicy: cannot write to standard output: No space left on device")


# (ASCII is not among them: click writes UTF-8 to a stream it takes for misconfigured.)
@pytest.mark.parametrize("encoding", ["latin-1", "cp437"])
def test_standard_output_in_another_encoding_shows_what_it_cannot_as_escapes(encoding):
    result = tospolicy("check", "examples", cwd=REPO, env={"PYTHONIOENCODING": encoding})
    assert result.returncode == 1, result.stderr
    text = result.stdout.decode(encoding)
    assert "\\u2026" in text or "…" in text  # latin-1 cannot show …: an escape
    assert "internal error" not in result.stderr.decode(encoding)
    assert text.count("\n") == tospolicy("check", "examples", cwd=REPO).stdout.count(b"\n")


@pytest.mark.parametrize("args, message", [
    (("check", "--frmat", "json"),
     "tospolicy: check: No such option '--frmat'. Did you mean '--format'? "
     "(see 'tospolicy check --help')"),
    (("chek",), "tospolicy: No such command 'chek'. Did you mean 'check'? (see 'tospolicy --help')"),
    (("check", "--format", "yaml"), None),
    (("explain",), None),
    (("check", "-j", "many"), None),
])
def test_usage_errors_of_click_are_one_line(tmp_path, args, message):
    result = tospolicy(*args, cwd=tmp_path)
    assert result.returncode == 2
    line = one_clean_line(result.stderr)
    assert message is None or line == message
    assert result.stdout == b""


@pytest.mark.parametrize("name", ["new\nline", "::error::pwned", "x\n::set-output name=a::b",
                                  "tab\there", "\u202eevil"])
def test_init_and_import_print_each_path_on_one_line(tmp_path, name):
    _with_fides(tmp_path)
    for command in (("init", name), ("import", "fides", "fides", "--out", name)):
        result = tospolicy(*command, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        for line in result.stdout.decode("utf-8").splitlines():
            assert not line.lstrip().startswith("::") and "\u202e" not in line and "\t" not in line
            assert line.startswith(("wrote ", "Imported ", "Check them with: ")), line


def test_a_fides_key_too_long_for_a_file_name_is_imported_under_a_short_one(tmp_path):
    (tmp_path / "fides").mkdir()
    key = "k" * 300
    (tmp_path / "fides" / "system.yml").write_text(SYSTEM.format(key=key), encoding="utf-8")
    (tmp_path / "out").mkdir()
    for _ in range(2):  # into an existing --out, and once more over its own files
        result = tospolicy("import", "fides", "fides", "--out", "out", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
    names = sorted(path.name for path in (tmp_path / "out").iterdir())
    assert len(names) == 2 and all(len(name) <= 130 for name in names), names
    checked = tospolicy("check", "out", "-p", "out/fides-policies.yaml", cwd=tmp_path)
    assert checked.returncode in (0, 1), checked.stderr


def test_jobs_are_capped_at_the_cpus_and_the_files(project):
    from tospolicy.checking.pipeline import jobs_for

    cpus = os.cpu_count() or 1
    assert jobs_for(100_000, 10**6) == cpus
    assert jobs_for(100_000, 1) == cpus  # one file is checked in parts
    assert jobs_for(1, 1) == 1
    assert jobs_for(0, 3) == min(cpus, 3)
    result = tospolicy("check", "-j", "100000", cwd=project)
    assert result.returncode == 1 and b"AI001" in result.stdout, result.stderr
