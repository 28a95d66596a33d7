"""Validating YAML documents against the JSON Schemas in `schemas/`.

The schemas (rule packs, configuration) are published for editors; the same
schemas validate every pack and configuration file tospolicy reads, and each
error becomes a sentence with the line and column of the offending key or
value. jsonschema takes a tenth of a second to import, which a pre-commit
hook should not pay on every run: a document that passed is remembered by a
digest of its content in the user's private cache folder, and the built-in
packs are validated by the test suite instead.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache

from tospolicy import __version__
from tospolicy.support.resources import cache_dir, resource
from tospolicy.support.yamlsource import Document, Mark
from tospolicy.support.suggest import did_you_mean

_TYPE_WORDS = {"string": "a string", "boolean": "true or false", "object": "a mapping",
               "array": "a list", "number": "a number", "integer": "a whole number",
               "null": "empty"}


@lru_cache(maxsize=None)
def _schema_text(name: str) -> str:
    return resource("schemas", name).read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def _validator(name: str):
    from jsonschema import Draft202012Validator, validators

    # `pattern` with RE2 instead of Python's re: `^[A-Z][A-Z0-9_]*[0-9]+$`
    # backtracks in quadratic time on a long id of digits (80,000 took a
    # minute), and every string a pack or configuration holds is untrusted.
    linear = validators.extend(Draft202012Validator, {"pattern": _pattern})
    return linear(json.loads(_schema_text(name)))


def _pattern(validator, pattern, instance, schema):
    from jsonschema.exceptions import ValidationError

    if validator.is_type(instance, "string") and _regex(pattern).search(instance) is None:
        yield ValidationError(f"{_shown(instance)} does not match {pattern!r}")


@lru_cache(maxsize=None)
def _regex(pattern: str):
    import re2

    return re2.compile(pattern)


def _shown(value, limit: int = 80) -> str:
    """A value quoted in a message, cut short: a pack may hold megabyte strings."""
    text = str(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _marker(name: str, document: Document):
    folder = cache_dir()
    if folder is None:
        return None
    key = "\0".join([__version__, _schema_text(name), document.text])
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    return folder / "validated" / f"{digest}.ok"


def schema_problems(document: Document, name: str) -> list[tuple[Mark, str]]:
    """Where `document` breaks the schema `schemas/<name>`, and how, in source order."""
    marker = _marker(name, document)
    if marker is not None and marker.is_file():
        return []
    problems = []
    for error in _validator(name).iter_errors(document.data):
        problems.extend(_explain(document, error))
    # Two branches of a schema can miss the same key: say it once.
    problems = list({(mark.line, mark.column, message): (mark, message)
                     for mark, message in problems}.values())
    problems.sort(key=lambda problem: (problem[0].line, problem[0].column, problem[1]))
    if not problems and marker is not None:
        try:
            marker.parent.mkdir(mode=0o700, exist_ok=True)
            marker.touch()
        except OSError:
            pass
    return problems


def _explain(document: Document, error) -> list[tuple[Mark, str]]:
    path = list(error.absolute_path)
    kind = error.validator
    schema = error.schema
    where = _where(error)
    if "propertyNames" in error.absolute_schema_path:
        key = error.instance
        return [(document.key_mark_at(path + [key]),
                 f"'{_shown(key)}' is not a valid {schema.get('title', 'key')}"
                 + _expectation(schema) + did_you_mean(str(key), schema.get("enum", ())))]
    if kind == "additionalProperties":
        allowed = list(schema.get("properties", {}))
        extras = [key for key in error.instance if key not in allowed]
        return [(document.key_mark_at(path + [key]),
                 f"unknown key '{_shown(key)}'{where}" + did_you_mean(str(key), allowed)) for key in extras]
    if kind == "required":
        missing = [key for key in error.validator_value if key not in error.instance]
        return [(document.mark_at(path), f"missing key '{key}'{where}") for key in missing]
    mark = document.mark_at(path)
    name = _name(path)
    if kind == "enum":
        options = error.validator_value
        return [(mark, f"{name} is '{_shown(error.instance)}', not one of "
                 + ", ".join(str(option) for option in options)
                 + did_you_mean(str(error.instance), options))]
    if kind == "type":
        types = error.validator_value
        types = [types] if isinstance(types, str) else types
        wanted = " or ".join(_TYPE_WORDS.get(type_, type_) for type_ in types)
        return [(mark, f"{name} should be {wanted}")]
    if kind in ("anyOf", "oneOf"):
        # Without a description of its own, the complaint of the branch that fits
        # the value's type is the useful one (`select: usage`: not a kind).
        relevant = [sub for sub in error.context or () if sub.validator != "type"]
        if relevant and "description" not in schema:
            return _explain(document, max(relevant, key=lambda sub: len(sub.absolute_path)))
        if "description" not in schema:  # every branch wants another type
            types = [kind for sub in error.context or ()
                     for kind in ([sub.validator_value] if isinstance(sub.validator_value, str)
                                  else sub.validator_value)]
            if types:
                words = dict.fromkeys(_TYPE_WORDS.get(kind, kind) for kind in types)
                return [(mark, f"{name} should be {' or '.join(words)}")]
        return [(mark, f"{name} should be {schema.get('description', 'something else')}")]
    if kind in ("maximum", "minimum"):
        bound = "at most" if kind == "maximum" else "at least"
        return [(mark, f"{name} is {error.instance}; it can be {bound} {error.validator_value}")]
    if kind == "pattern":
        return [(mark, f"'{_shown(error.instance)}' is not a valid {schema.get('title', name)}"
                 + _expectation(schema))]
    return [(mark, f"{name}: {error.message}")]


def _where(error) -> str:
    """` in rule`, ` in definition`: the titled schema the error is in."""
    title = error.schema.get("title")
    return f" in {title}" if title else ""


def _name(path: list) -> str:
    for step in reversed(path):
        if isinstance(step, str):
            return f"'{step}'"
    return "the document"


def _expectation(schema: dict) -> str:
    description = schema.get("description")
    return f": {description[0].lower()}{description[1:]}" if description else ""

