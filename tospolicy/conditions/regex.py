"""`x matches 're'`: patterns from rule packs, compiled with RE2.

A pack comes with a pull request, so its patterns are hostile: RE2 matches
in time linear in the text whatever the pattern (no backtracking).
"""

from __future__ import annotations

from tospolicy.conditions.tree import ConditionError

# RE2 compiles a pattern into an automaton within this much memory; a pattern
# that needs more is refused when the pack is loaded. Capture groups are
# never built (`never_capture`): with 6,600 groups matching took minutes, and
# `matches` asks only whether a pattern matches. A real pattern is a few dozen
# characters; a longer one is refused before RE2 parses it.
REGEX_MAX_MEM = 8 << 20
REGEX_MAX_LENGTH = 1_000


def compile_regex(pattern: str, offset: int = 0):
    """An RE2 regular expression (linear-time matching), bounded in memory."""
    import re2

    if len(pattern) > REGEX_MAX_LENGTH:
        raise ConditionError(f"regular expression of {len(pattern)} characters: at most "
                             f"{REGEX_MAX_LENGTH} are allowed", offset)
    options = re2.Options()
    options.max_mem = REGEX_MAX_MEM
    options.never_capture = True
    options.log_errors = False
    try:
        return re2.compile(pattern, options=options)
    except re2.error as error:
        reason = error.args[0] if error.args else error
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise ConditionError(f"invalid regular expression: {reason}", offset) from None

