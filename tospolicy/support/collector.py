"""Pausing Python's cyclic garbage collector while one file is parsed or checked.

Parsing a file allocates hundreds of thousands of small objects and frees
few; checking it allocates as many short-lived tuples and frees them at once.
Neither makes reference cycles, yet each full collection walks every object
alive, the whole model of the file included, so the collector would run
over and over and find nothing: pausing it halves a parse and makes a check
of a large file several times faster. What waits for the next collection is
bounded by the file's size (`limits.max_file_bytes`) and its work budget
(conditions/relations.py).
"""

from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def collector_paused():
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
