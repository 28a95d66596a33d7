"""Reporters turn a report's findings into one output format each.

Every format is a module here with the same two functions:

- `render(report, options) -> str`: the whole output for a `CheckReport`
  (its files, findings and rules) under `RenderOptions`;
- `recognise(head: bytes) -> bool`: whether a file's first 4 KiB are that
  format's own earlier output, which `--output` may then replace.

Call them through `render(name, …)` and `write(name, …)` below: these also
make the text valid Unicode, so any output encodes as UTF-8. A command with
findings of its own (`tospolicy diff`) builds a `CheckReport` of them and
renders it the same way. Modules are imported on first use: `check` with
the text format does not load the SARIF code.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING

from tospolicy.reporters.common import DEFAULT_CATEGORY, RenderOptions, valid_unicode
from tospolicy.support.files import write_file

if TYPE_CHECKING:
    from tospolicy.checking.checker import CheckReport

FORMATS = ("text", "json", "sarif", "github", "markdown")

__all__ = ["DEFAULT_CATEGORY", "FORMATS", "RenderOptions", "render", "write"]


def _module(name: str):
    if name not in FORMATS:
        raise ValueError(f"unknown output format {name!r}; choose one of {', '.join(FORMATS)}")
    return importlib.import_module(f"{__name__}.{name}")


def render(name: str, report: CheckReport, options: RenderOptions) -> str:
    return valid_unicode(_module(name).render(report, options))


def recogniser(name: str):
    """The test that a file is this format's own earlier output."""
    return _module(name).recognise


def write(name: str, report: CheckReport, options: RenderOptions, path: Path,
          force: bool = False) -> None:
    """Render to `path` atomically; raises `files.OverwriteRefused` when the
    file exists and is not this format's earlier output (unless `force`)."""
    module = _module(name)
    write_file(path, valid_unicode(module.render(report, options)), force=force, ours=module.recognise)
