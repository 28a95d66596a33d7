"""Keeping Python's cyclic garbage collector off the models of the files checked.

Parsing a file allocates hundreds of thousands of small objects and frees
few; checking it allocates as many short-lived tuples and frees them at once.
Neither makes reference cycles, yet each full collection walks every object
alive, the whole model of the file included, so the collector would run
over and over and find nothing: it is paused while a file is parsed or
checked (halving a parse, and making a check of a large file several times
faster). What waits for the next collection is bounded by the file's size
(`limits.max_file_bytes`) and its work budget (conditions/relations.py).

A run that ends once its files are checked (`tospolicy check`, the Action)
also keeps the collector off what a parse or a check leaves alive (the
models, kept for the report, which hold no cycles and are freed by their
reference counts): with a 4.6 MB declaration alive, one full collection takes
about a second, and re-enabling the collector after the parse set off
several. The language server runs for hours and is not one of them.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager

_freeze_what_is_left = False


def one_shot_run(one_shot: bool = True) -> None:
    """Say whether this process ends once its files are checked (see above):
    the `tospolicy` command and the Action's step say so, the language server
    says not (a test that runs the CLI in its own process says nothing)."""
    global _freeze_what_is_left
    _freeze_what_is_left = one_shot


@contextmanager
def collector_paused():
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if _freeze_what_is_left:
                gc.freeze()
            gc.enable()
