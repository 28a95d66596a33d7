"""The model as plain JSON data (`tospolicy parse --format json`).

Keys come in the order the dataclasses declare their fields, after `kind`;
spans leave out the file, which the top level names once.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
from collections.abc import Iterator

from tospolicy.language.model import Declaration, Span


def declaration_to_data(declaration: Declaration) -> dict:
    return {
        "path": declaration.path,
        "services": [to_data(service) for service in declaration.services],
        "comments": [to_data(comment) for comment in declaration.comments],
    }


def declaration_json(declaration: Declaration) -> Iterator[str]:
    """`declaration_to_data` as indented JSON, piece by piece: the same text as
    `json.dumps(…, indent=2)`, without the whole model as data and as text in
    memory at once (a 16 MB declaration makes gigabytes of both)."""
    yield "{\n" + f'  "path": {_dumps(declaration.path)},\n'
    for key, values, end in (("services", declaration.services, ","),
                             ("comments", declaration.comments, "")):
        if not values:
            yield f'  "{key}": []{end}\n'
            continue
        yield f'  "{key}": [\n'
        for number, value in enumerate(values, start=1):
            text = _dumps(to_data(value)).replace("\n", "\n    ")
            yield "    " + text + ("," if number < len(values) else "") + "\n"
        yield f"  ]{end}\n"
    yield "}\n"


def _dumps(data) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False)


def span_to_data(span: Span) -> dict:
    return {
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
    }


def to_data(value):
    if isinstance(value, Span):
        return span_to_data(value)
    if dataclasses.is_dataclass(value):
        data = {"kind": value.kind} if hasattr(value, "kind") else {}
        for field in dataclasses.fields(value):
            data[field.name] = to_data(getattr(value, field.name))
        return data
    if isinstance(value, tuple):
        return [to_data(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value
