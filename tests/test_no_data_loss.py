"""No data loss: every file tospolicy writes goes through `files.write_file`,
which replaces a file in one step and only when tospolicy wrote it (or with
`--force`). Through the commands that write: `check --output`,
`check --update-baseline`, `diff --output` (`init` and `import` use the same
function).
"""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest

from conftest import REPO

DECLARATION = 'service "S" {\n  data d\n  use d for nonsense\n}\n'
USERS = "my own notes, not to be lost\n"

# The commands that write a file, and the file each writes.
WRITERS = {
    "check --output": (["check", "--format", "sarif", "--output", "target"], "target"),
    "check --update-baseline": (["check", "--baseline", "target", "--update-baseline"], "target"),
    "diff --output": (["diff", "a.tos", "b.tos", "--format", "markdown", "--output", "target"],
                      "target"),
}


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    (tmp_path / "a.tos").write_text(DECLARATION, encoding="utf-8")
    (tmp_path / "b.tos").write_text(DECLARATION.replace("nonsense", "analytics"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.name.endswith(".tmp"))


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_a_users_file_is_never_replaced_without_force(writer, project, cli):
    args, target = WRITERS[writer]
    (project / target).write_text(USERS, encoding="utf-8")
    result = cli(*args)
    assert result.exit_code == 2
    assert "was not written by tospolicy; pass --force to replace it" in result.stderr
    assert (project / target).read_text(encoding="utf-8") == USERS
    assert cli(*args, "--force").exit_code in (0, 1)
    assert (project / target).read_text(encoding="utf-8") != USERS
    assert cli(*args).exit_code in (0, 1), "its own earlier output is replaced without --force"


@pytest.mark.parametrize("writer", sorted(WRITERS))
@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_an_interrupted_write_leaves_the_old_file_whole(writer, failing, project, cli, monkeypatch):
    """The disk fills up (fsync fails) or the process is killed before the
    rename: the old file is untouched and no temporary file is left behind."""
    args, target = WRITERS[writer]
    assert cli(*args, "--force").exit_code in (0, 1)
    before = (project / target).read_bytes()
    (project / "a.tos").write_text(DECLARATION + DECLARATION.replace('"S"', '"T"'),
                                   encoding="utf-8")

    def fail(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, failing, fail)
    result = cli(*args)
    monkeypatch.undo()
    assert result.exit_code == 2
    assert "No space left on device" in result.stderr and len(result.stderr.splitlines()) == 1
    assert (project / target).read_bytes() == before
    assert leftovers(project) == []


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_a_symbolic_link_is_replaced_never_written_through(writer, project, cli, tmp_path_factory):
    """`--output report.sarif` where report.sarif links to a user's file: refused;
    with --force the link itself is replaced and the file it pointed at kept."""
    args, target = WRITERS[writer]
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "precious.txt"
    elsewhere.write_text(USERS, encoding="utf-8")
    (project / target).symlink_to(elsewhere)
    assert cli(*args).exit_code == 2
    assert cli(*args, "--force").exit_code in (0, 1)
    assert elsewhere.read_text(encoding="utf-8") == USERS
    assert not (project / target).is_symlink()


# Calls that write, move or delete files; only files.py may make them.
_MODULE_CALLS = {"os": {"replace", "rename", "renames", "remove", "unlink", "link", "symlink",
                        "truncate", "open", "fdopen"},
                 "shutil": {"copy", "copy2", "copyfile", "copytree", "move", "rmtree"}}
_PATH_METHODS = {"write_text", "write_bytes", "symlink_to", "hardlink_to", "unlink", "touch"}


def _writes(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        function = node.func
        if isinstance(function, ast.Attribute):
            owner = function.value.id if isinstance(function.value, ast.Name) else None
            if function.attr in _MODULE_CALLS.get(owner, ()):
                lines.append(node.lineno)
            elif function.attr in _PATH_METHODS:
                lines.append(node.lineno)
            elif (function.attr in ("replace", "rename") and len(node.args) == 1
                  and not node.keywords and owner not in ("os", "dataclasses")):
                lines.append(node.lineno)  # Path.replace(target), not str.replace(a, b)
        if getattr(function, "id", None) == "open" and len(node.args) >= 2:
            mode = node.args[1]
            if not isinstance(mode, ast.Constant) or set(str(mode.value)) & set("wax+"):
                lines.append(node.lineno)
    return lines


# Writes to tospolicy's private cache folder, never a user's file.
# Writes that are not a user's files: the validated-pack cache, the removal of
# the oldest cache entries, and the files the Actions runner hands a step to
# append to (outputs, job summary), whose protocol is appending.
_CACHE_WRITES = {"tospolicy/packs/schema.py": 1, "tospolicy/support/cache.py": 1, "tospolicy/action/steps.py": 2}


def test_only_files_py_writes_files():
    """A guard for new commands (init, import…): writing goes through write_file."""
    sources = sorted((REPO / "tospolicy").rglob("*.py"))
    assert len(sources) > 20
    offenders = {}
    for path in sources:
        if path.name == "files.py":
            continue
        name = str(path.relative_to(REPO))
        lines = _writes(ast.parse(path.read_text(encoding="utf-8")))
        if len(lines) > _CACHE_WRITES.get(name, 0):
            offenders[name] = sorted(lines)
    assert offenders == {}
