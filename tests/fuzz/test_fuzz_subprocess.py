"""The fuzzers' inputs through the installed program in a process of its own,
as CI runs it: whatever a declaration, a pack and a configuration hold,
stderr carries `tospolicy:` lines only, never a traceback. (The in-process
fuzz tests cover many more inputs; these prove the real entry point.)
"""

from __future__ import annotations

import sys

from hypothesis import given

from conftest import run_tospolicy
from invariants import Workspace, assert_clean_stderr
from strategies import broken_declarations, config_data, fuzz_settings, pack_data, yaml_texts


@fuzz_settings(4)
@given(broken_declarations(), yaml_texts(pack_data()), yaml_texts(config_data()))
def test_no_traceback_reaches_stderr(declaration, pack, config):
    space = Workspace()
    try:
        space.write("a.tos", declaration)
        space.write("p.yaml", pack)
        space.write(".tospolicy.yml", config)
        for args in (["check", "--format", "github"], ["check", "-p", "p.yaml", "a.tos"]):
            result = run_tospolicy(*args, cwd=space.root, timeout=120)
            assert result.exit_code in (0, 1, 2)
            assert_clean_stderr(result.stderr)
    finally:
        space.close()


def test_an_internal_error_is_one_line_without_a_traceback(tmp_path):
    """The last line of defence: a bug becomes `tospolicy: internal error: …`,
    exit code 2 (here discovery that raises, injected with -c; a bug while
    checking one file is a finding of that file instead, as the next test shows)."""
    import subprocess

    (tmp_path / "a.tos").write_text('service "S" {}\n', encoding="utf-8")
    code = ("import sys, tospolicy.checking.discovery as d\n"
            "def boom(*args, **kwargs): raise RuntimeError('injected\\nsecond line')\n"
            "d.discover = boom\n"
            "from tospolicy.cli.main import main\n"
            "sys.argv = ['tospolicy', 'check', '--no-cache', 'a.tos']\n"
            "main()\n")
    completed = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                               text=True, timeout=120)
    assert completed.returncode == 2
    assert completed.stderr == ("tospolicy: internal error: RuntimeError: injected "
                                "(set TOSPOLICY_DEBUG=1 for details)\n")


def test_a_bug_while_checking_one_file_is_a_finding_of_that_file(tmp_path):
    """One bad file does not stop the others, even through a bug: the file
    gets a TOS002 finding (failing the check), the others are checked."""
    import subprocess

    (tmp_path / "a.tos").write_text('service "S" {}\n', encoding="utf-8")
    (tmp_path / "b.tos").write_text('service "T" {\n  use x for\n}\n', encoding="utf-8")
    code = ("import sys, tospolicy.checking.engine as e\n"
            "def boom(*args, **kwargs): raise RuntimeError('injected\\nsecond line')\n"
            "e.run = boom\n"
            "from tospolicy.cli.main import main\n"
            "sys.argv = ['tospolicy', 'check', '--no-cache']\n"
            "main()\n")
    completed = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                               text=True, timeout=120)
    assert completed.returncode == 1, completed.stderr
    assert completed.stderr == ""
    lines = completed.stdout.splitlines()
    assert lines[0] == ("a.tos:1:1: TOS002 [error] internal error while checking this file, "
                        "please report it: RuntimeError: injected")
    assert lines[1].startswith("b.tos:3:1: TOS001 [error]")
