"""Helpers of the binding tests: the real terms texts, read where they are.

The texts are Open Terms Archive versions kept beside the project, in
`../shared/peers/terms/` relative to the repository (one folder further up
from a git worktree under `wt/`); they are never copied into the project.
"""

from __future__ import annotations


from conftest import PEERS

TERMS = PEERS / "terms"


def terms(name: str) -> str:
    """One stored version, as text: `zoom-terms/2023-04-01.md`."""
    return (TERMS / name).read_text(encoding="utf-8")


def line_of(text: str, words: str) -> int:
    """The line (from 1) of the first line of `text` holding `words`."""
    for number, line in enumerate(text.split("\n"), start=1):
        if words in line:
            return number
    raise AssertionError(f"{words!r} is not in the text")
