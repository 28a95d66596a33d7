"""What tospolicy keeps between runs in its cache folder (`resources.cache_dir()`).

Every entry is plain JSON data, never code or a pickle, named by a digest of
everything that decides its content: an entry is never out of date, because
any change gives another name. A missing, damaged or unreadable entry is a
miss, and the work is done again; a folder that cannot be written means no
cache this time. Entries of one kind are bounded in number: writing one
removes the oldest beyond the bound.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from functools import lru_cache
from pathlib import Path
from typing import Callable

from tospolicy import __version__
from tospolicy.support.resources import cache_dir, resource, resource_dir
from tospolicy.support.files import write_file

_PACKAGE = Path(__file__).resolve().parent.parent  # tospolicy/


def digest(*parts: str | bytes) -> str:
    """A short hex digest of `parts`, each kept apart from the next."""
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()[:32]


# The libraries whose behaviour shows in findings or pack problems: Lark words
# syntax errors, PyYAML reads packs, jsonschema validates them, RE2 matches;
# markdown-it-py and lxml read bound texts into blocks, rapidfuzz finds the
# closest passage of a lost quote.
LIBRARIES = ("lark", "yaml", "jsonschema", "re2", "markdown_it", "lxml", "rapidfuzz")


@lru_cache(maxsize=1)
def installation() -> str:
    """A digest of this installation: tospolicy's version, the name, size and
    modification time of each of its modules, grammars and schemas, and of
    the libraries that decide what it reports (LIBRARIES).

    The version alone would not do: in a source checkout the code changes
    under the same version, and a cache entry made by other code must not be
    used. Stat calls, not contents: this costs about a millisecond.
    """
    from importlib.util import find_spec

    entries = [__version__, sys.version]
    for name in LIBRARIES:
        spec = find_spec(name)
        origin = spec.origin if spec is not None else None
        if origin and os.path.exists(origin):
            status = os.stat(origin)
            entries.append(f"{origin} {status.st_size} {status.st_mtime_ns}")
        else:
            entries.append(f"{name} missing")
    folders = [(_PACKAGE, ".py", True), (resource_dir("grammar"), ".lark", False),
               (resource_dir("schemas"), ".json", False)]
    for folder, suffix, recursive in folders:
        for root, directories, files in os.walk(folder):
            directories[:] = sorted(name for name in directories
                                    if recursive and name != "__pycache__")
            for name in sorted(files):
                if name.endswith(suffix):
                    status = os.stat(os.path.join(root, name))
                    entries.append(f"{os.path.join(root, name)} {status.st_size} {status.st_mtime_ns}")
    return digest(*entries)


def read_json(name: str):
    """The data of entry `name`, or None when there is none that can be read."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        return json.loads((folder / name).read_bytes())
    except (OSError, ValueError, RecursionError):
        return None


def write_json(name: str, data, keep: int | None = None) -> None:
    """Write entry `name`; with `keep`, remove the oldest entries that share its
    prefix (up to the first `-`) beyond `keep`."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        write_file(folder / name, json.dumps(data, separators=(",", ":")), force=True)
    except (OSError, ValueError, TypeError, RecursionError):
        return  # no cache this time; the next run tries again
    if keep is not None:
        prune(folder, name.split("-", 1)[0] + "-", keep)


def prune(folder: Path, prefix: str, keep: int) -> None:
    """Remove the least recently written entries named `prefix…` beyond `keep`."""
    try:
        entries = [(entry.stat().st_mtime_ns, entry.path) for entry in os.scandir(folder)
                   if entry.name.startswith(prefix) and entry.name.endswith(".json")]
    except OSError:
        return
    entries.sort(reverse=True)
    for _, path in entries[keep:]:
        try:
            os.unlink(path)
        except OSError:
            pass


def shipped_data(filename: str, parse: Callable[[Path], object]):
    """The data of `rules/<filename>` (taxonomy, attribute table), parsed by
    `parse` the first time and read from the cache as JSON afterwards, so that
    a run need not import PyYAML for them. Data JSON cannot hold exactly (a
    date) is parsed every time."""
    path = resource("rules", filename)
    content = path.read_bytes()
    name = f"data-{path.stem}-{digest(installation(), content)}.json"
    cached = read_json(name)
    if isinstance(cached, dict):
        return cached
    data = parse(path)
    try:
        exact = json.loads(json.dumps(data)) == data
    except (ValueError, TypeError):
        exact = False
    if exact:
        write_json(name, data, keep=16)
    return data
