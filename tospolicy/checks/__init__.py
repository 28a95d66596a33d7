"""Checks written in Python, for what the condition language cannot say.

A rule in a pack names one with `check: NAME` instead of select/where/
require/forbid; its id, severity and help still live in the pack. The names
are fixed here: a pack can choose among these checks, never name code of its
own. Each check is a module of this package that declares its NAME and PHASE
and defines `hits(declaration, context)` (protocol.py); REGISTRY reads those
declarations. A new check is a new module and one more entry in CHECKS.
"""

from __future__ import annotations

from tospolicy.checks import (contradicted_never, derivation_cycles, duplicate_data, empty_lists, text_quotes,
                              text_topics, text_unbound, text_unreadable, undeclared_data, unknown_attributes,
                              unknown_terms, unused_suppressions, value_kinds)

# In the order `tospolicy rules` and pack errors list them.
CHECKS = (
    undeclared_data,
    unknown_terms,
    unknown_attributes,
    value_kinds,
    duplicate_data,
    contradicted_never,
    derivation_cycles,
    unused_suppressions,
    empty_lists,
    text_unreadable,
    text_quotes,
    text_topics,
    text_unbound,
)

# check name (as packs write it) -> its module
REGISTRY = {module.NAME: module for module in CHECKS}
