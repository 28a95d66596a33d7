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


def _holds(type_: PathType) -> set[str]:
    """The categories of atoms a path of this type yields (a retention period:
    durations, or the event of `until`)."""
    return {"duration", "name"} if type_.category == "period" else {type_.category}


def _paid(test, subject: Operand, object_: Operand) -> Evaluator:
    """`test(values, targets)` of the two operands, its pairs counted against
    the file's work budget."""

    def evaluate(node, index) -> bool:
        values = subject(node, index)
        targets = object_(node, index)
        index.budget.spend(len(values) * len(targets))
        return test(values, targets)

    return evaluate


def _comparator(op: str):
    if op in ("==", "in"):
        def test(values, targets):
            return any(_same(value, target) for value in values for target in targets)
    elif op == "!=":
        def test(values, targets):
            return bool(values) and bool(targets) and not any(
                _same(value, target) for value in values for target in targets)
    else:
        order = _ORDER[op]

        def test(values, targets):
            return any(
                category(value) == category(target) and category(value) in _ORDERED
                and order(value, target)
                for value in values for target in targets)
    return test


def _same(value, target) -> bool:
    # Equal values first: cheaper, and rarely true (`True == 1` is why categories count).
    return value == target and category(value) == category(target)


def _text(operand) -> str:
    if isinstance(operand, PathRef):
        return operand.text
    if isinstance(operand, Count):
        return f"count({operand.path.text})"
    if isinstance(operand, Literal):
        return operand.text
    return "[…]"


def _statements(kind: str) -> str:
    return "the service" if kind == "service" else f"{kind} statements"


# ------------------------------------------------------------------ messages
