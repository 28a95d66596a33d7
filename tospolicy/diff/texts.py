"""The bound texts of both versions, for the prose diff (prose.py).

The new version's texts are read from the working tree (or the new folder)
as `check` reads them; the old version's from the old folder, or from the
commit compared against, through git (never the working tree). With
`--base`, a declaration whose bound text changed is compared even when the
declaration itself did not change (`text_only_entries`).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from tospolicy.binding.texts import bind, binds, locate, max_text_bytes, repository_root, text_values
from tospolicy.language.parser import parse_text
from tospolicy.limits import Limits, read_text_file
from tospolicy.support import gitrepo


@lru_cache(maxsize=1)
def builtin_topics() -> tuple:
    """The watched topics of the built-in `core` pack (the diff loads no other pack)."""
    from tospolicy.packs.loader import PackRef, load_rule_set

    return tuple(load_rule_set([PackRef("core")]).topics)


def git_reader(commit: str, top: Path, bounds: Limits):
    """Reads a text as it is in `commit`: bytes, or why there are none."""

    def read(path: Path, given: str):
        try:
            relative = Path(os.path.abspath(path)).relative_to(Path(os.path.abspath(top))).as_posix()
            data = gitrepo.file_at(commit, relative, top, max_text_bytes(bounds))
        except (ValueError, gitrepo.GitError) as error:
            return None, f"'{given}' cannot be read at {commit[:12]}: {error}"
        if data is None:
            return None, f"'{given}' does not exist at {commit[:12]}"
        return data, None

    return read


def bindings(old_declaration, old_file, new_declaration, new_file, bounds, old_reader=None):
    """(old binding, new binding), None for a version that binds nothing."""
    old = new = None
    if old_declaration is not None and old_file is not None and binds(old_declaration):
        old = bind(old_declaration, old_file, bounds, reader=old_reader)
    if new_declaration is not None and new_file is not None and binds(new_declaration):
        new = bind(new_declaration, new_file, bounds)
    return old, new


def text_only_entries(entries: list, chosen: list, top: Path, bounds: Limits, wanted) -> list:
    """Entries for the declarations of the working tree that did not change but
    bind a text that did; `wanted(entry)` says whether the user asked for it."""
    from tospolicy.checking.discovery import discover

    changed = {path for entry in entries for path in (entry.new_path, entry.old_path) if path}
    done = {entry.new_path for entry in chosen}
    if not changed - done:
        return []
    found, _ = discover([top], cwd=top)
    extra = []
    for item in found:
        relative = item.path.relative_to(top).as_posix()
        if relative in done or relative in changed or item.problem is not None:
            continue
        text, problem = read_text_file(item.path, relative, bounds)
        if text is None or "text" not in text:
            continue
        declaration = parse_text(text, relative, bounds).declaration
        if declaration is None:
            continue
        root = repository_root(item.path)
        for service in declaration.services:
            named = [locate(value.value, item.path, root)[0] for value in text_values(service)]
            paths = {Path(path).relative_to(top).as_posix() for path in named if path is not None
                     and _under(path, top)}
            if paths & changed:
                entry = gitrepo.Entry("modified", relative, relative, "100644", "")
                if wanted(entry):
                    extra.append(entry)
                break
    return extra


def _under(path: Path, top: Path) -> bool:
    try:
        Path(path).relative_to(top)
    except ValueError:
        return False
    return True
