"""Finding the declarations to check: `**/*.tos` under the given paths.

Folders that hold tools rather than a project's own declarations (version
control, virtual environments, `node_modules`, caches) are skipped, decided by
their name alone: never by what a folder holds, since a pull request chooses
that (one empty `pyvenv.cfg` used to hide a folder of declarations). A folder
an `include` pattern names (`venv/**/*.tos`) is searched all the same, and
every folder skipped that a pull request could have added is listed in the
summary (`Skipped`), so that nothing is left out unseen. A symbolic
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

# Folders skipped by default, by name, and why (as the summary says it).
SKIPPED_FOLDERS = {
    ".git": "version control", ".hg": "version control", ".svn": "version control",
    "node_modules": "installed packages", "site-packages": "installed packages",
    ".venv": "a virtual environment", "venv": "a virtual environment",
    ".tox": "a virtual environment", ".nox": "a virtual environment",
    "__pycache__": "a cache", ".mypy_cache": "a cache", ".pytest_cache": "a cache",
    ".ruff_cache": "a cache",
}
# git refuses to track anything under `.git`, so a pull request cannot put a
# declaration there: skipping it is not worth a line in every summary.
_UNREPORTED = frozenset({".git"})
# A summary names at most this many skipped folders, then counts the rest.
MAX_SKIPPED_SHOWN = 20
DEFAULT_INCLUDE = ("**/*.tos",)


@dataclass(unsafe_hash=True)
class Skipped:
    """A folder discovery did not search, and why."""

    display: str
    reason: str


def skipped_summary(skipped: list[Skipped]) -> str | None:
    """One line for the summary: the folders skipped and why, or None."""
    if not skipped:
        return None
    skipped = sorted(set(skipped), key=lambda item: item.display)
    shown = [f"{item.display} ({item.reason})" for item in skipped[:MAX_SKIPPED_SHOWN]]
    more = len(skipped) - len(shown)
    if more:
        shown.append(f"and {more} more")
    word = "folder" if len(skipped) == 1 else "folders"
    return (f"Skipped {len(skipped)} {word} by default: {', '.join(shown)}; "
            "name them in `include` to check them.")


def named_folders(include: tuple[str, ...]) -> frozenset[str]:
    """Folder names that `include` patterns spell out (`venv` in
    `venv/**/*.tos`): folders skipped by default that are searched anyway."""
    return frozenset(part for pattern in include for part in pattern.split("/")[:-1]
                     if part in SKIPPED_FOLDERS)


def skip_reason(name: str, include: tuple[str, ...] = DEFAULT_INCLUDE) -> str | None:
    """Why a folder called `name` is not searched, or None when it is."""
    if name in SKIPPED_FOLDERS and name not in named_folders(include):
        return SKIPPED_FOLDERS[name]
    return None


@dataclass(unsafe_hash=True)
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


def in_skipped_folder(relative: str, include: tuple[str, ...] = DEFAULT_INCLUDE) -> bool:
    """Whether `relative` (a `/`-separated path) lies in a folder that
    discovery skips: for files found another way, such as by git."""
    return any(skip_reason(part, include) for part in relative.split("/")[:-1])


def discover(
    paths: list[Path],
    include: tuple[str, ...] = DEFAULT_INCLUDE,
    exclude: tuple[str, ...] = (),
    cwd: Path | None = None,
    base: Path | None = None,
    skipped: list[Skipped] | None = None,
    *,
    force_exclude: bool = False,
    fixtures: tuple[Path, ...] = (),
) -> tuple[list[Found], list[str]]:
    """The files to check, sorted, and the paths given that do not exist.

    A file named explicitly is checked whatever its name, unless
    `force_exclude` (pre-commit names every changed file): then `exclude` and
    `fixtures` apply to it too. Files inside a folder are checked when they
    match `include` and not `exclude`, both relative to that folder, or to
    `base` (the configuration's folder) for files under it. Folders skipped
    by default are added to `skipped`; `fixtures` are folders (resolved) never
    searched: the fixtures of the loaded packs.
    """
    cwd = cwd or Path.cwd()
    patterns = None  # compiled for the first folder: files named one by one need no RE2
    fixtures = frozenset(fixtures)
    found: dict[str, Found] = {}
    missing: list[str] = []
    for given in paths or [cwd]:
        path = given if given.is_absolute() else cwd / given
        if path.is_dir():
            if patterns is None:
                patterns = ([glob_to_regex(pattern) for pattern in include],
                            [glob_to_regex(pattern) for pattern in exclude])
            for item in _walk(path, *patterns, cwd, base, include, skipped, fixtures):
                found.setdefault(item.display, item)
        elif force_exclude and (path.exists() or path.is_symlink()) and _excluded_file(
                path, exclude, cwd, base, fixtures):
            continue
        elif path.exists() or path.is_symlink():
            problem = None
            target = _link_target(path)
            if isinstance(target, str):
                problem = target
            elif target is not None and not _inside(target, cwd.resolve()):
                # Named in a workflow, replaced by a link in a pull request.
                problem = "symbolic link to a file outside the current folder: not read"
            item = Found(path, display_path(path, cwd), problem)
            found.setdefault(item.display, item)
        else:
            missing.append(str(given))
    return [found[key] for key in sorted(found)], missing


def _inside(target: Path, folder: Path) -> bool:
    return target == folder or folder in target.parents


def _link_target(path: Path) -> Path | str | None:
    """Where a symbolic link leads (None: `path` is no link), or why it leads
    nowhere (a loop of links, a chain too long), as a TOS002 message."""
    try:
        if not path.is_symlink():
            return None
    except OSError as error:  # a path too long to look at
        return f"cannot read file: {error.strerror or error}"
    try:
        return path.resolve()
    except (RuntimeError, OSError):  # RuntimeError: Python 3.12 and older, on a loop
        return "symbolic link that leads round in a loop: not read"


def _matchable(relative: str) -> tuple[str, str | None]:
    """The path as patterns can match it, and why it cannot be read, if so.
    A name that is not UTF-8 (bytes kept as surrogates) cannot be matched by
    RE2 nor shown in SARIF: it is matched with U+FFFD for each bad byte, and
    a match is a TOS002 finding, so that such a name cannot hide a file."""
    try:
        relative.encode("utf-8")
        return relative, None
    except UnicodeEncodeError:
        shown = relative.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        return shown, "file name is not UTF-8 text: rename it to check it"


def _excluded_file(path: Path, exclude: tuple[str, ...], cwd: Path, base: Path | None,
                   fixtures: frozenset[Path]) -> bool:
    """Whether a file named on the command line falls under `exclude` (relative
    to `base` when it is inside, else to `cwd`) or in a pack's fixture folder."""
    absolute = Path(os.path.abspath(path))
    resolved = path.resolve()
    if any(folder in resolved.parents or folder in absolute.parents for folder in fixtures):
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
          include: tuple[str, ...] = DEFAULT_INCLUDE, skipped: list[Skipped] | None = None,
          fixtures: frozenset[Path] = frozenset()):
    real_root = root.resolve()
    # Patterns match from `base` when the folder searched is inside it.
    prefix = Path()
    if base is not None:
        try:
            prefix = real_root.relative_to(base.resolve())
        except ValueError:
            pass
    unreadable: list[OSError] = []
    for folder, subfolders, files in os.walk(root, onerror=unreadable.append):
        yield from _unreadable_folders(unreadable, cwd)
        here = Path(folder)
        searched = []
        for name in sorted(subfolders):
            reason = skip_reason(name, include)
            if reason is None:
                try:
                    if not (here / name).is_symlink() and (here / name).resolve() not in fixtures:
                        searched.append(name)
                except OSError as error:  # a path too long to look at
                    unreadable.append(error)
            elif skipped is not None and name not in _UNREPORTED:
                skipped.append(Skipped(display_path(here / name, cwd), reason))
        subfolders[:] = searched
        for name in sorted(files):
            path = here / name
            relative, problem = _matchable((prefix / path.relative_to(root)).as_posix())
            if not any(rx.fullmatch(relative) for rx in includes):
                continue
            if any(rx.fullmatch(relative) for rx in excludes):
                continue
            target = _link_target(path)
            if isinstance(target, str):
                problem = target
            elif target is not None and real_root not in target.parents:
                problem = f"symbolic link to a file outside {display_path(root, cwd)}: not read"
            yield Found(path, display_path(path, cwd), problem)
    yield from _unreadable_folders(unreadable, cwd)


def _unreadable_folders(errors: list[OSError], cwd: Path):
    """A folder that cannot be listed is a finding, never a silent gap."""
    for error in errors:
        path = Path(error.filename)
        yield Found(path, display_path(path, cwd),
                    f"cannot read folder: {error.strerror or error}; its files are not checked")
    errors.clear()
