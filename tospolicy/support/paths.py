"""How findings, problems and reports name a file."""

from __future__ import annotations

import os
from pathlib import Path


def display_path(path: Path, cwd: Path | None = None) -> str:
    """The path as findings show it: relative to the current folder, with `/`."""
    cwd = cwd or Path.cwd()
    try:
        shown = os.path.relpath(path, cwd)
    except ValueError:  # another drive on Windows
        shown = str(path)
    return shown.replace(os.sep, "/")
