"""What `tospolicy diff --base REF` needs from git, through the real `git` program.

Every call passes its arguments as a list (no shell), puts `--` before paths,
refuses a ref that could be read as an option, and reads NUL-separated output
(`-z`), so that no file name or ref can change what git is asked. Colour,
external diff drivers and text conversion are turned off so that user
configuration cannot change the output we parse; `GIT_OPTIONAL_LOCKS=0` keeps
the comparison from writing to the repository.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

# A repository with millions of files can take a while; a hung git (a
# credential prompt, a network file system) must still end.
TIMEOUT_SECONDS = 300
SYMLINK_MODE = "120000"
SUBMODULE_MODE = "160000"


class GitError(Exception):
    """git is missing, the folder is not a repository, or the ref does not exist."""


@dataclass(frozen=True)
class Entry:
    """One file that differs between the ref and the working tree.

    `status` is `modified`, `added`, `removed` or `renamed`; paths are relative
    to the repository's top folder, with `/`. `old_path` is None for an added
    file, `new_path` for a removed one.
    """

    status: str
    old_path: str | None
    new_path: str | None
    old_mode: str = ""
    old_object: str = ""


def _run(args: list[str], cwd: Path, *, check: bool = True) -> subprocess.CompletedProcess:
    env = dict(os.environ, GIT_OPTIONAL_LOCKS="0", GIT_TERMINAL_PROMPT="0")
    try:
        completed = subprocess.run(
            ["git", *args], cwd=cwd, env=env, capture_output=True, timeout=TIMEOUT_SECONDS
        )
    except FileNotFoundError:
        raise GitError("git is not installed (or not on PATH)") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} did not finish within {TIMEOUT_SECONDS} seconds") from None
    if check and completed.returncode != 0:
        reason = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(f"git {args[0]} failed: {reason[-1] if reason else 'no reason given'}")
    return completed


def toplevel(cwd: Path) -> Path:
    """The top folder of the repository that holds `cwd`."""
    completed = _run(["rev-parse", "--show-toplevel"], cwd, check=False)
    if completed.returncode != 0:
        raise GitError(f"{cwd} is not inside a git repository")
    return Path(completed.stdout.decode("utf-8", "surrogateescape").strip())


def resolve_commit(ref: str, top: Path) -> str:
    """The commit `ref` names (a branch, tag, sha, `HEAD~1`…), as a full sha."""
    if not ref or ref.startswith("-"):
        raise GitError(f"{ref!r} is not a git revision")
    completed = _run(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], top, check=False)
    if completed.returncode != 0:
        raise GitError(f"unknown git revision {ref!r} (fetch it first, e.g. `git fetch origin {ref}`)")
    return completed.stdout.decode("ascii").strip()


def changed_files(commit: str, top: Path) -> list[Entry]:
    """Tracked files that differ between `commit` and the working tree, renames followed.

    The whole tree is compared (no pathspec), so that a rename is seen even
    when only one of its two paths is among the paths the user asked about.
    """
    completed = _run(
        ["diff", "--raw", "--no-abbrev", "-z", "-M", "--no-color", "--no-ext-diff", "--no-textconv",
         "--ignore-submodules=all", commit, "--"],
        top,
    )
    fields = completed.stdout.decode("utf-8", "surrogateescape").split("\0")
    entries = []
    index = 0
    while index < len(fields) and fields[index].startswith(":"):
        old_mode, new_mode, old_object, _new_object, status = fields[index][1:].split(" ")
        letter = status[0]
        first = fields[index + 1]
        if letter in "RC":
            second = fields[index + 2]
            index += 3
        else:
            second = None
            index += 2
        if SUBMODULE_MODE in (old_mode, new_mode):
            continue
        if letter == "R":
            entries.append(Entry("renamed", first, second, old_mode, old_object))
        elif letter == "C":  # a copy: the source is still there, so the copy is new
            entries.append(Entry("added", None, second))
        elif letter == "A":
            entries.append(Entry("added", None, first))
        elif letter == "D":
            entries.append(Entry("removed", first, None, old_mode, old_object))
        else:  # M, T (type change), U (unmerged)
            entries.append(Entry("modified", first, first, old_mode, old_object))
    return entries


def untracked_files(top: Path) -> list[str]:
    """Files git does not track yet and does not ignore: new declarations not added yet."""
    completed = _run(["ls-files", "--others", "--exclude-standard", "-z", "--"], top)
    names = completed.stdout.decode("utf-8", "surrogateescape").split("\0")
    return [name for name in names if name]


def object_size(obj: str, top: Path) -> int:
    completed = _run(["cat-file", "-s", obj], top)
    return int(completed.stdout.strip())


def read_object(obj: str, top: Path) -> bytes:
    """The bytes of a blob (callers check its size first)."""
    return _run(["cat-file", "blob", obj], top).stdout


# ------------------------------------------------------- a pull request's base

FILE_MODES = ("100644", "100755")


def has_commit(sha: str, top: Path) -> bool:
    return _run(["cat-file", "-e", f"{sha}^{{commit}}"], top, check=False).returncode == 0


def fetch_commit(sha: str, top: Path, remote: str = "origin") -> None:
    """Fetch one commit (a full sha) from `remote`, for a shallow clone that lacks it."""
    if not (len(sha) in (40, 64) and all(char in "0123456789abcdef" for char in sha)):
        raise GitError(f"{sha!r} is not a full commit sha")
    _run(["fetch", "--quiet", "--no-tags", "--no-recurse-submodules", "--depth=1", remote, sha], top)


def file_at(commit: str, path: str, top: Path, max_bytes: int) -> bytes | None:
    """The content of the regular file `path` (relative to the top, `/`-separated)
    in `commit`, or None when the commit has no such file. A symbolic link, a
    folder or a submodule there, or a file over `max_bytes`, is a GitError: none
    of them can be read as the file without reading something else."""
    # --literal-pathspecs: a name is a name, never pathspec magic like `:(glob)`.
    completed = _run(["--literal-pathspecs", "ls-tree", "-z", "--full-tree", commit, "--", path], top)
    entries = [entry for entry in completed.stdout.split(b"\0") if entry]
    if not entries:
        return None
    info, _, name = entries[0].partition(b"\t")
    mode, kind, obj = info.decode("ascii").split(" ")
    if os.fsdecode(name) != path or len(entries) > 1:
        return None
    if mode not in FILE_MODES or kind != "blob":
        raise GitError(f"{path} is not a regular file in {commit[:12]} (mode {mode}); not read")
    size = object_size(obj, top)
    if size > max_bytes:
        raise GitError(f"{path} in {commit[:12]} is larger than {max_bytes} bytes; not read")
    return read_object(obj, top)
