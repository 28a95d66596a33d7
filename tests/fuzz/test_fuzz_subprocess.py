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
    exit code 2 (here a parser that raises, injected with -c)."""
    import subprocess

    (tmp_path / "a.tos").write_text('service "S" {}\n', encoding="utf-8")
    code = ("import sys, tospolicy.language.parser as p\n"
            "def boom(*args, **kwargs): raise RuntimeError('injected\\nsecond line')\n"
            "p.parse_text = boom\n"
            "from tospolicy.cli.main import main\n"
            "sys.argv = ['tospolicy', 'check', '--no-cache', 'a.tos']\n"
            "main()\n")
    completed = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                               text=True, timeout=120)
    assert completed.returncode == 2
    assert completed.stderr == ("tospolicy: internal error: RuntimeError: injected "
                                "(set TOSPOLICY_DEBUG=1 for details)\n")
