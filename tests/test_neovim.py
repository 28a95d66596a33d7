"""`tospolicy lsp` in a real editor: headless Neovim's built-in client opens a
declaration, shows its diagnostics and formats it (tests/neovim/*.lua).

Neovim comes from Debian's `neovim` package (.ci/run installs it): a missing
`nvim` fails this test rather than skipping it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import TESTS

SCRIPT = TESTS / "neovim" / "check_and_format.lua"
MESSY = 'service "Notes" {\n data notes\n    use notes for ai.training {consent: opt_out}\n}\n'


@pytest.mark.slow
def test_neovim_shows_checks_diagnostics_and_formats(tmp_path, cli, monkeypatch):
    from tospolicy.formatting import format_text

    nvim = shutil.which("nvim")
    if nvim is None:
        pytest.fail("nvim is not installed: apt-get install neovim (as .ci/run does)")
    (tmp_path / ".git").mkdir()
    declaration = tmp_path / "notes.tos"
    declaration.write_text(MESSY, encoding="utf-8")
    out = tmp_path / "result.json"
    env = dict(os.environ, TOSPOLICY_NVIM_OUT=str(out), HOME=str(tmp_path),
               XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"),
               XDG_STATE_HOME=str(tmp_path / "state"),
               PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    completed = subprocess.run([nvim, "--headless", "--clean", "-n", str(declaration),
                                "-c", f"luafile {SCRIPT}"],
                               cwd=tmp_path, env=env, capture_output=True, text=True, timeout=180,
                               stdin=subprocess.DEVNULL)
    assert out.exists(), completed.stdout + completed.stderr
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["client"] and result["got_diagnostics"], result
    monkeypatch.chdir(tmp_path)
    check = json.loads(cli("check", "--no-cache", "-f", "json", "notes.tos").stdout)["findings"]
    expected = sorted((f["line"] - 1, f["column"] - 1, f["message"]) for f in check)
    shown = sorted((d["line"], d["column"], d["message"]) for d in result["diagnostics"])
    assert shown == expected
    assert format_text(MESSY) != MESSY
    assert result["formatted"] == format_text(MESSY)
