"""Finding the declarations to check: `**/*.tos` under the given paths.

Folders that hold tools rather than a project's own declarations (version
control, virtual environments, `node_modules`, caches) are skipped. A symbolic
link is followed only when it stays inside the folder being searched (for a
file named on the command line, the current folder): a pull request could
otherwise add `x.tos -> /some/secret` and have its content quoted back in
syntax errors.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from tospolicy.support.paths import display_path

SKIPPED_FOLDERS = frozenset({
    ".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", "venv", ".tox", ".nox",
    ".mypy_cache", ".pytest_cache", ".ruff_cache", "site-packages",
})
DEFAULT_INCLUDE = ("**/*.tos",)


@dataclass(frozen=True)
class Found:
    """A file to check: where it is, and how findings name it."""

    path: Path
    display: str
    problem: str | None = None  # why it is not read, for a TOS002 finding


class GlobError(ValueError):
    """A pattern that cannot be used (an invalid `[…]` class)."""


# Special in RE2 syntax outside a class; everything else stands for itself.
_REGEX_SPECIAL = set("\\.+*?()|[]{}^$")


def glob_to_regex(pattern: str):
    """`**` spans folders, `*` and `?` stay inside one; matched (`fullmatch`)
    against `a/b/c.tos`.

    Patterns come from the configuration, which a pull request can change:
    they are compiled with RE2, so matching takes time linear in the path
    whatever the pattern (`**/**/**/…` took exponential time with Python's
    `re`), and a pattern that cannot be compiled is a GlobError.
    """
    import re2

    out = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if pattern.startswith("**/", index):
            out.append("(?:.*/)?")
            index += 3
            continue
        if pattern.startswith("**", index):
            out.append(".*")
            index += 2
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            end = pattern.find("]", index + 1)
            if end < 0:
                out.append("\\[")
            else:
                body = pattern[index + 1:end].replace("\\", "\\\\")
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append(f"[{body}]")
                index = end
        else:
            out.append("\\" + char if char in _REGEX_SPECIAL else char)
        index += 1
    options = re2.Options()
    options.log_errors = False
    options.dot_nl = True  # a file name may hold a line break
    try:
        return re2.compile("".join(out), options=options)
    except re2.error as error:
        reason = error.args[0] if error.args else error
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise GlobError(f"'{pattern}' is not a valid pattern: {reason}") from None


def _is_virtualenv(folder: Path) -> bool:
    return (folder / "pyvenv.cfg").is_file()


def in_skipped_folder(root: Path, relative: str) -> bool:
    """Whether `relative` (a `/`-separated path under `root`) lies in a folder
    that discovery skips: for files found another way, such as by git."""
    parts = relative.split("/")[:-1]
    folder = root
    for part in parts:
        folder = folder / part
        if part in SKIPPED_FOLDERS or _is_virtualenv(folder):
            return True
    return False


def discover(
    paths: list[Path],
    include: tuple[str, ...] = DEFAULT_INCLUDE,
    exclude: tuple[str, ...] = (),
    cwd: Path | None = None,
    base: Path | None = None,
    *,
    force_exclude: bool = False,
    skipped: tuple[Path, ...] = (),
) -> tuple[list[Found], list[str]]:
    """The files to check, sorted, and the paths given that do not exist.

    A file named explicitly is checked whatever its name, unless
    `force_exclude` (pre-commit names every changed file): then `exclude` and
    `skipped` apply to it too. Files inside a folder are checked when they
    match `include` and not `exclude`, both relative to that folder, or to
    `base` (the configuration's folder) for files under it. `skipped` are
    folders (resolved) never searched: the fixtures of the loaded packs.
    """
    cwd = cwd or Path.cwd()
    patterns = None  # compiled for the first folder: files named one by one need no RE2
    skipped = frozenset(skipped)
    found: dict[str, Found] = {}
    missing: list[str] = []
    for given in paths or [cwd]:
        path = given if given.is_absolute() else cwd / given
        if path.is_dir():
            if patterns is None:
                patterns = ([glob_to_regex(pattern) for pattern in include],
                            [glob_to_regex(pattern) for pattern in exclude])
            for item in _walk(path, *patterns, cwd, base, skipped):
                found.setdefault(item.display, item)
        elif force_exclude and (path.exists() or path.is_symlink()) and _excluded_file(
                path, exclude, cwd, base, skipped):
            continue
        elif path.exists() or path.is_symlink():
            problem = None
            if path.is_symlink() and not _inside(path.resolve(), cwd.resolve()):
                # Named in a workflow, replaced by a link in a pull request.
                problem = "symbolic link to a file outside the current folder: not read"
            item = Found(path, display_path(path, cwd), problem)
            found.setdefault(item.display, item)
        else:
            missing.append(str(given))
    return [found[key] for key in sorted(found)], missing


def _inside(target: Path, folder: Path) -> bool:
    return target == folder or folder in target.parents


def _excluded_file(path: Path, exclude: tuple[str, ...], cwd: Path, base: Path | None,
                   skipped: frozenset[Path]) -> bool:
    """Whether a file named on the command line falls under `exclude` (relative
    to `base` when it is inside, else to `cwd`) or in a `skipped` folder."""
    absolute = Path(os.path.abspath(path))
    resolved = path.resolve()
    if any(folder in resolved.parents or folder in absolute.parents for folder in skipped):
        return True
    if not exclude:
        return False
    for root in (base, cwd):
        if root is None:
            continue
        try:
            relative = absolute.relative_to(Path(os.path.abspath(root))).as_posix()
        except ValueError:
            continue
        return any(glob_to_regex(pattern).fullmatch(relative) for pattern in exclude)
    return False


def _walk(root: Path, includes, excludes, cwd: Path, base: Path | None = None,
          skipped: frozenset[Path] = frozenset()):
    real_root = root.resolve()
    # Patterns match from `base` when the folder searched is inside it.
    prefix = Path()
    if base is not None:
        try:
            prefix = real_root.relative_to(base.resolve())
        except ValueError:
            pass
    for folder, subfolders, files in os.walk(root):
        here = Path(folder)
        subfolders[:] = sorted(
            name for name in subfolders
            if name not in SKIPPED_FOLDERS
            and not (here / name).is_symlink()
            and not _is_virtualenv(here / name)
            and not (skipped and (here / name).resolve() in skipped)
        )
        for name in sorted(files):
            path = here / name
            relative = (prefix / path.relative_to(root)).as_posix()
            if not any(rx.fullmatch(relative) for rx in includes):
                continue
            if any(rx.fullmatch(relative) for rx in excludes):
                continue
            problem = None
            if path.is_symlink():
                target = path.resolve()
                if real_root not in target.parents:
                    problem = f"symbolic link to a file outside {display_path(root, cwd)}: not read"
            yield Found(path, display_path(path, cwd), problem)
