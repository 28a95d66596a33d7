"""Where the files that ship with tospolicy are found at run time.

`grammar/`, `rules/` and `schemas/` sit at the top of the source tree. A wheel
(built directly or from the sdist) carries them inside the package; an editable
install imports the package from the source tree, where they are the package's
siblings. Looking in both places, packaged copy first, serves every install
mode with one rule.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent  # tospolicy/
_MARKERS = {
    "grammar": "tospolicy.lark",
    "rules": "taxonomy.yaml",
    "schemas": "rulepack.schema.json",
}


def resource_dir(name: str) -> Path:
    """The folder `name` (`grammar`, `rules` or `schemas`) of this installation."""
    marker = _MARKERS[name]
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if (candidate / marker).is_file():
            return candidate
    raise FileNotFoundError(
        f"tospolicy is installed without its {name}/ folder "
        f"(looked in {_PACKAGE / name} and {_PACKAGE.parent / name})"
    )


def resource(name: str, *parts: str) -> Path:
    return resource_dir(name).joinpath(*parts)


def cache_dir() -> Path | None:
    """A private folder for tospolicy's caches (cache.py), or None when there is none.

    `TOSPOLICY_CACHE_DIR` overrides the location; an empty value turns caching
    off. The folder is created readable by its owner only, and not used when
    someone else owns it or can write to it: the cache holds pickles, which must
    never come from another user.
    """
    configured = os.environ.get("TOSPOLICY_CACHE_DIR")
    if configured is not None:
        if not configured:
            return None
        folder = Path(configured)
    else:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        folder = Path(base) / "tospolicy"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        status = folder.stat()
    except OSError:
        return None
    if hasattr(os, "getuid") and (status.st_uid != os.getuid() or status.st_mode & 0o022):
        return None
    return folder
