"""CORE004: a value of the wrong kind, outside its set, a list where one value
is taken, or an attribute given twice (only the first would count)."""

from __future__ import annotations

from tospolicy.language.model import Boolean, Date, Duration, List, Name, Number, Text
from tospolicy.checks.protocol import WITH_RULES, Hit
from tospolicy.findings import Fix
from tospolicy.language.suggestions import suggest
from tospolicy.support.suggest import suggesting

_KINDS = {"text": (Text,), "name": (Name,), "party": (Text, Name), "date": (Date,),
          "duration": (Duration,), "number": (Number,), "boolean": (Boolean,),
          "term": (Name,), "choice": (Name,), "data": (Name,)}

NAME = "value-kinds"
PHASE = WITH_RULES


def hits(declaration, context):
    seen: dict[int, dict[str, int]] = {}
    for item in context.written:
        spec = item.spec
        if spec is None:
            continue
        if item.attribute is not None:
            keys = seen.setdefault(id(item.node), {})
            if item.name in keys:
                yield Hit(item.attribute.key_span,
                          f"'{item.name}' is given twice (first on line {keys[item.name]}); "
                          "only the first counts", item.node, item.service)
                continue
            keys[item.name] = item.attribute.key_span.line
            value = item.attribute.value
            if not spec.list and (len(item.values) != 1 or isinstance(value, List)):
                yield Hit(value.span, f"'{item.name}' takes one value, not a list",
                          item.node, item.service)
                continue
        for value in item.values:
            problem, close = _problem(spec, value, context.taxonomy, item.name)
            if problem:
                yield Hit(value.span, f"'{item.name}' takes {problem}, not {_shown(value)}",
                          item.node, item.service, fix=Fix(value.span, close[0]) if close else None)


def _problem(spec, value, taxonomy, key: str) -> tuple[str | None, list[str]]:
    """What `value` should have been (None when it is fine), and the suggestions."""
    choices = spec.values or tuple(taxonomy.terms.get(spec.terms, {})) if spec.value == "choice" else ()
    if not isinstance(value, _KINDS[spec.value]):
        if choices:  # `consent: yes`: say which words it takes
            return "one of " + ", ".join(choices), []
        return spec.describe(), []
    if spec.value == "party" and isinstance(value, Name) and spec.values \
            and value.value not in spec.values:
        close = suggest(value.value, spec.values, "values", key)
        return spec.describe() + suggesting(close), close
    if spec.value == "choice":
        known = value.value in spec.values if spec.values else taxonomy.knows(spec.terms, value.value)
        if not known:
            close = suggest(value.value, choices, "values", key)
            return "one of " + ", ".join(choices) + suggesting(close), close
    return None, []


def _shown(value) -> str:
    if isinstance(value, Text):
        text = value.value if len(value.value) <= 40 else value.value[:37] + "..."
        return f'the string "{text}"'
    if isinstance(value, Boolean):
        return "yes" if value.value else "no"
    if isinstance(value, Date):
        return value.value.isoformat()
    if isinstance(value, Duration):
        return str(value)
    return f"'{value.value}'"
