"""Where findings are, as code scanning and GitHub annotations need it:
relative to the repository root, not to the folder tospolicy ran in."""

from __future__ import annotations

import functools
import os
from pathlib import Path
from urllib.parse import quote

from tospolicy.reporters.common import RenderOptions


@functools.lru_cache(maxsize=16)
def repository_root(cwd: Path) -> Path:
    """The git top level of `cwd`, or `cwd` itself outside a repository
    (or where git is missing or refuses, e.g. a folder owned by another user)."""
    import subprocess  # only the formats that need the repository's root pay for it

    try:
        completed = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],
            cwd=cwd, capture_output=True, timeout=30, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return cwd
    top = os.fsdecode(completed.stdout).rstrip("\n")
    if completed.returncode != 0 or not top:
        return cwd
    return Path(top)


class Locator:
    """Maps display paths (relative to `cwd`) to paths relative to the root."""

    def __init__(self, options: RenderOptions):
        self.cwd = (options.cwd or Path.cwd()).resolve()
        self.root = (options.root or repository_root(self.cwd)).resolve()

    def absolute(self, display: str) -> str:
        return os.path.normpath(os.path.join(self.cwd, display))

    def relative(self, display: str) -> str | None:
        """The path relative to the root with `/`, or None when it is outside."""
        absolute = self.absolute(display)
        try:
            if os.path.commonpath([absolute, str(self.root)]) != str(self.root):
                return None
        except ValueError:  # another drive on Windows
            return None
        return os.path.relpath(absolute, self.root).replace(os.sep, "/")

    def shown(self, display: str) -> str:
        """For annotations: relative to the root when inside it, else as displayed."""
        relative = self.relative(display)
        return display if relative is None else relative


def uri_path(path: str) -> str:
    """A path percent-encoded as an RFC 3986 URI path: every byte of its UTF-8
    (or, for a file name that is not UTF-8, its original bytes) outside the
    unreserved characters and `/` is encoded, so spaces, `#`, `%`, `?`, `:`
    and non-ASCII letters cannot change what the URI means."""
    return quote(os.fsencode(path), safe="/")


def file_uri(absolute: str) -> str:
    """An absolute `file:` URI, for a file outside the repository root."""
    return Path(absolute).as_uri()
