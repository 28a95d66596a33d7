"""Comparing two versions of a set of declarations (`tospolicy diff`).

The versions come from two files, two folders (files matched by their path
inside each folder), or the working tree and a git commit (renames followed).
Each file becomes a `FileDiff`; a file present in one version only is compared
with nothing, so everything in an added file is new.

A version that cannot be read or parsed is a problem of that file (`TOS001`,
`TOS002`) and the file is not compared: a diff against a partly read
declaration would report statements as removed that are only unreadable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tospolicy.support import gitrepo
from tospolicy import limits
from tospolicy.diff.change import REGRESSION, Change, sort_key
from tospolicy.diff.compare import diff_declarations
from tospolicy.checking.discovery import DEFAULT_INCLUDE, discover, glob_to_regex, in_skipped_folder
from tospolicy.support.paths import display_path
from tospolicy.checking.checker import CheckReport
from tospolicy.checking.onefile import FileReport
from tospolicy.diff.rules import DIFF_RULES
from tospolicy.findings import PARSER_RULES, Finding
from tospolicy.language.model import Declaration
from tospolicy.language.parser import parse_text
from tospolicy.language.taxonomy import Taxonomy

MODIFIED, ADDED, REMOVED, RENAMED, UNCHANGED = "modified", "added", "removed", "renamed", "unchanged"
_DECLARATIONS = [glob_to_regex(pattern) for pattern in DEFAULT_INCLUDE]


class DiffInputError(Exception):
    """What was asked cannot be compared (a usage error: exit code 2)."""


@dataclass
class FileDiff:
    """One file's two versions and what changed between them.

    `path` names the file as it is now (as it was, when removed); `old` and
    `new` name each version as locations show it (`main:terms/zoom.tos` for a
    git version), None where that version does not exist.
    """

    path: str
    old: str | None
    new: str | None
    status: str
    changes: list[Change] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)
    declaration: Declaration | None = None  # the new version's model
    old_declaration: Declaration | None = None  # the old version's model (the change's diagram)
    file: Path | None = None  # the new version on disk

    @property
    def regressions(self) -> list[Change]:
        return [change for change in self.changes if change.classification == REGRESSION]


@dataclass
class DiffResult:
    files: list[FileDiff]

    @property
    def changes(self) -> list[Change]:
        return [change for file in self.files for change in file.changes]

    @property
    def regressions(self) -> list[Change]:
        return [change for file in self.files for change in file.regressions]

    @property
    def problems(self) -> list[Finding]:
        return [problem for file in self.files for problem in file.problems]


# A version's text, or the finding that says why there is none.
Source = tuple[str | None, Finding | None]


def compare_sources(
    path: str, status: str,
    old_name: str | None, old: Source | None,
    new_name: str | None, new: Source | None,
    taxonomy: Taxonomy | None = None, bounds: limits.Limits = limits.DEFAULT_LIMITS,
    file: Path | None = None, old_file: Path | None = None, old_reader=None,
) -> FileDiff:
    """Compare two versions of one file; None stands for a version that does not exist.

    `old_file` is where the old version is (its texts are read next to it,
    or by `old_reader` from a commit), `file` where the new one is: the
    texts they bind are compared too (prose.py)."""
    result = FileDiff(path, old_name, new_name, status, file=file)
    identical = old is not None and new is not None and old[0] is not None and old[0] == new[0]
    if identical and (file is None or "text" not in old[0]):
        if status == MODIFIED:
            result.status = UNCHANGED
        return result
    declarations = []
    for name, source in ((old_name, old), (new_name, new)):
        if source is None:
            declarations.append(None)
            continue
        text, problem = source
        if problem is not None:
            result.problems.append(problem)
            declarations.append(None)
            continue
        parsed = parse_text(text, name, bounds)
        result.problems += parsed.findings
        declarations.append(parsed.declaration)
    result.old_declaration, result.declaration = declarations
    if not result.problems:
        result.changes = [] if identical else diff_declarations(declarations[0], declarations[1],
                                                                taxonomy)
        result.changes += _prose(declarations, old_file, file, bounds, old_reader)
    if identical and not result.changes and status == MODIFIED:
        result.status = UNCHANGED
    return result


def _prose(declarations, old_file, new_file, bounds, old_reader) -> list[Change]:
    """DIFF010 and DIFF011: the texts the two versions bind, compared."""
    from tospolicy.binding.texts import binds

    if declarations[1] is None or not binds(declarations[1]):
        return []
    from tospolicy.diff.prose import prose_changes
    from tospolicy.diff.texts import bindings, builtin_topics

    old, new = bindings(declarations[0], old_file, declarations[1], new_file, bounds, old_reader)
    return prose_changes(declarations[0], declarations[1], old, new, builtin_topics())


def _read(path: Path, display: str, bounds: limits.Limits) -> Source:
    return limits.read_text_file(path, display, bounds)


# ------------------------------------------------------------ files, folders

def compare_paths(
    old: Path, new: Path, taxonomy: Taxonomy | None = None,
    bounds: limits.Limits = limits.DEFAULT_LIMITS, cwd: Path | None = None,
) -> DiffResult:
    """Two files, or two folders whose `.tos` files are matched by relative path."""
    cwd = cwd or Path.cwd()
    old_path, new_path = (path if path.is_absolute() else cwd / path for path in (old, new))
    for given, path in ((old, old_path), (new, new_path)):
        if not path.exists() and not path.is_symlink():  # a link that loops is a finding
            raise DiffInputError(f"{given}: no such file or folder")
    if old_path.is_dir() != new_path.is_dir():
        raise DiffInputError(f"compare two files or two folders: {old} and {new} are one of each")
    if not old_path.is_dir():
        # As `check` reads a file named explicitly: not through a link out of here.
        (before,), _ = discover([old_path], cwd=cwd)
        (after,), _ = discover([new_path], cwd=cwd)
        return DiffResult([compare_sources(
            after.display, MODIFIED, before.display, _found_source(before, bounds),
            after.display, _found_source(after, bounds), taxonomy, bounds, new_path,
            old_file=old_path)])
    old_files = _folder(old_path, cwd)
    new_files = _folder(new_path, cwd)
    files = []
    for key in sorted(set(old_files) | set(new_files)):
        before, after = old_files.get(key), new_files.get(key)
        status = MODIFIED if before and after else ADDED if after else REMOVED
        files.append(compare_sources(
            (after or before).display, status,
            before.display if before else None, _found_source(before, bounds) if before else None,
            after.display if after else None, _found_source(after, bounds) if after else None,
            taxonomy, bounds, after.path if after else None,
            old_file=before.path if before else None))
    return DiffResult(files)


def _folder(folder: Path, cwd: Path) -> dict:
    found, _ = discover([folder], cwd=cwd)
    return {item.path.relative_to(folder).as_posix(): item for item in found}


def _found_source(found, bounds: limits.Limits) -> Source:
    if found.problem is not None:
        return None, limits.unreadable(found.display, found.problem)
    return _read(found.path, found.display, bounds)


# ---------------------------------------------------------------- git

def compare_with_ref(
    ref: str, paths: list[Path] | tuple[Path, ...] = (), taxonomy: Taxonomy | None = None,
    bounds: limits.Limits = limits.DEFAULT_LIMITS, cwd: Path | None = None,
) -> DiffResult:
    """The working tree against commit `ref`, for the declarations under `paths`.

    Without paths, every `.tos` file that differs (outside the folders
    discovery skips) is compared; a folder limits that to the files under it;
    a file named explicitly is compared whatever its name. Renames are
    followed, also when only one of the two paths is among `paths`. Files git
    does not track yet count as added. Raises `gitrepo.GitError` when git
    cannot answer and `DiffInputError` for a path outside the repository.
    """
    cwd = cwd or Path.cwd()
    top = gitrepo.toplevel(cwd)
    commit = gitrepo.resolve_commit(ref, top)
    entries = gitrepo.changed_files(commit, top)
    tracked = {entry.new_path for entry in entries}
    entries += [gitrepo.Entry(ADDED, None, name) for name in gitrepo.untracked_files(top)
                if name not in tracked]
    selectors = [_selector(path, cwd, top) for path in paths]
    for selector, given in zip(selectors, paths):
        if selector[1] is None and not any(_chosen(entry, [selector], top) for entry in entries):
            raise DiffInputError(f"{given}: no such file or folder")
    chosen = [entry for entry in entries if _chosen(entry, selectors, top)]
    # A change to a bound text alone is a change of the declarations that bind it.
    from tospolicy.diff.texts import text_only_entries

    chosen += text_only_entries(entries, chosen, top, bounds,
                                lambda entry: _chosen(entry, selectors, top))
    chosen.sort(key=lambda entry: entry.new_path or entry.old_path)
    return DiffResult([_compare_entry(entry, ref, top, cwd, taxonomy, bounds, commit)
                       for entry in chosen])


def _selector(path: Path, cwd: Path, top: Path) -> tuple[str, bool | None]:
    """A path as (repository-relative path, whether it names a folder). A path
    that no longer exists (None) may have been a file or a folder at the ref."""
    absolute = (path if path.is_absolute() else cwd / path).resolve()
    try:
        relative = absolute.relative_to(top.resolve()).as_posix()
    except ValueError:
        raise DiffInputError(f"{path}: outside the git repository at {top}") from None
    return ("" if relative == "." else relative), absolute.is_dir() if absolute.exists() else None


def _is_declaration(relative: str, root: str, top: Path) -> bool:
    inside = relative[len(root) + 1:] if root else relative
    return (any(pattern.fullmatch(inside) for pattern in _DECLARATIONS)
            and not in_skipped_folder(inside))


def _chosen(entry: gitrepo.Entry, selectors, top: Path) -> bool:
    candidates = [path for path in (entry.new_path, entry.old_path) if path is not None]
    if not selectors:
        return any(_is_declaration(path, "", top) for path in candidates)
    for relative, folder in selectors:
        for path in candidates:
            if folder is not True and path == relative:
                return True
            if folder is not False and (not relative or path.startswith(relative + "/")) \
                    and _is_declaration(path, relative, top):
                return True
    return False


def _compare_entry(entry, ref, top, cwd, taxonomy, bounds, commit) -> FileDiff:
    from tospolicy.diff.texts import git_reader

    old_name = old = new_name = new = working = None
    if entry.old_path is not None:
        old_name = f"{ref}:{entry.old_path}"
        old = _blob_source(entry, old_name, ref, top, bounds, commit)
    if entry.new_path is not None:
        working = top / entry.new_path
        new_name = display_path(working, cwd)
        new = _working_source(working, new_name, top, bounds)
    path = new_name or display_path(top / entry.old_path, cwd)
    return compare_sources(path, entry.status, old_name, old, new_name, new, taxonomy, bounds,
                           working, old_file=top / entry.old_path if entry.old_path else None,
                           old_reader=git_reader(commit, top, bounds))


def _blob_source(entry, name: str, ref: str, top: Path, bounds: limits.Limits,
                 commit: str) -> Source:
    if entry.old_mode == gitrepo.SYMLINK_MODE:
        return None, limits.unreadable(name, f"a symbolic link in {ref}: not read")
    if not entry.old_object:  # an unchanged declaration binding a changed text
        try:
            data = gitrepo.file_at(commit, entry.old_path, top, bounds.max_file_bytes)
        except gitrepo.GitError as error:
            return None, limits.unreadable(name, str(error))
        if data is None:
            return None, limits.unreadable(name, f"not in {ref}")
        return limits.text_from_bytes(data, name, bounds)
    if gitrepo.object_size(entry.old_object, top) > bounds.max_file_bytes:
        return None, limits.too_large(name, bounds)
    return limits.text_from_bytes(gitrepo.read_object(entry.old_object, top), name, bounds)


def _working_source(path: Path, name: str, top: Path, bounds: limits.Limits) -> Source:
    # As in discovery: a link is followed only when it stays inside the repository.
    if path.is_symlink() and top.resolve() not in path.resolve().parents:
        return None, limits.unreadable(name, "symbolic link to a file outside the repository: not read")
    return _read(path, name, bounds)


# ------------------------------------------------------------ as findings

def check_report(result: DiffResult):
    """The diff as a `CheckReport`, for the reporters that render findings (SARIF):
    each regression is a `DIFF…` finding at its place in the new version, with
    the statement's identity; syntax errors of new versions are `TOS001`
    findings; those of old versions, which have no place in the working tree,
    are notifications."""
    reports, notifications = [], []
    for file in result.files:
        findings = [as_finding(change) for change in sorted(file.regressions, key=sort_key)]
        for problem in file.problems:
            if problem.span.file == file.new:
                findings.append(problem)
            else:
                span = problem.span
                notifications.append(f"{span.file}:{span.line}:{span.column}: {problem.rule_id} "
                                     f"{problem.message} (the old version could not be compared)")
        findings.sort(key=lambda finding: finding.sort_key)
        reports.append(FileReport(file.file or Path(file.path), file.path, file.declaration, findings))
    return CheckReport(reports, [*PARSER_RULES, *DIFF_RULES], notifications)


def as_finding(change: Change) -> Finding:
    """A regression as a finding at its place in the new version."""
    old = change.old
    was = f" (was at {old.file}:{old.line}:{old.column})" if old else ""
    return Finding(change.rule_id, change.severity, change.message + was, change.new or old,
                   change.statement)
