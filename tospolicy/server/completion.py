"""Completion: what may be written where the cursor is.

Keywords where a statement may start, the attribute keys a statement takes
(`rules/attributes.yaml`, less those already written), and the values an
attribute or part accepts: its choices, the taxonomy's terms of its kind
(the packs' terms included) with their labels, the service's data names,
booleans. Every item replaces the word before the cursor, dots included, so
that `ai.` completes to `ai.training`.
"""

from __future__ import annotations

import re

from lsprotocol import types

from tospolicy.language.attributes import ValueSpec, attribute_table
from tospolicy.language.parser import BOOLEANS
from tospolicy.language.syntax import STATEMENT_KEYWORDS
from tospolicy.language.taxonomy import Taxonomy
from tospolicy.server.context import INDEFINITELY, PARTS, Context, context_at
from tospolicy.server.documents import Document
from tospolicy.server.hover import statement_doc

_DATA_NAME = re.compile(r"(?:^|[;{])[ \t]*data[ \t]+([A-Za-z_][A-Za-z0-9_]*)", re.MULTILINE)
UNITS = ("days", "weeks", "months", "years", "hours")


def data_names(text: str, context: Context) -> list[str]:
    """The names of the `data` statements of the service the cursor is in."""
    end = context.service_end if context.service_end is not None else len(text)
    body = text[context.service_start:end]
    return list(dict.fromkeys(match.group(1) for match in _DATA_NAME.finditer(body)))


def complete(document: Document, offset: int, taxonomy: Taxonomy) -> list[types.CompletionItem]:
    context = context_at(document.text, offset)
    edit_range = document.offset_range(context.prefix_start, offset)
    table = attribute_table()
    items: list[tuple[str, types.CompletionItemKind, str, str, str]] = []  # label, kind, detail, doc, insert
    place = context.place
    if place == "top":
        items.append(("service", types.CompletionItemKind.Keyword, "a service", "", 'service'))
    elif place in ("statement", "key"):
        if place == "statement":
            for keyword in STATEMENT_KEYWORDS:
                items.append((keyword, types.CompletionItemKind.Keyword, "statement",
                              statement_doc(keyword), keyword))
        spec = table.get(context.kind)
        for key, value_spec in (spec.attributes.items() if spec else ()):
            if key in context.used_keys:
                continue
            items.append((key, types.CompletionItemKind.Property, value_spec.describe(),
                          "", f"{key}: "))
    elif place == "value":
        spec = table.get(context.kind)
        value_spec = spec.attributes.get(context.key) if spec else None
        if value_spec is not None:
            items.extend(_values(value_spec, taxonomy, document.text, context))
    elif place == "part":
        spec = table.get(context.kind)
        value_spec = spec.parts.get(context.key) if spec else None
        if value_spec is not None:
            items.extend(_values(value_spec, taxonomy, document.text, context))
        if context.kind == "retain" and context.key == "data" and len(context.after) > 1:
            items.extend(_keywords(("for", INDEFINITELY, "until")))
    elif place == "connective":
        items.extend(_keywords(_connectives(context)))
    elif place == "unit":
        items.extend(_keywords(UNITS))
    return [_item(label, kind, detail, doc, insert, edit_range, number)
            for number, (label, kind, detail, doc, insert) in enumerate(items)]


def _connectives(context: Context) -> tuple[str, ...]:
    parts = PARTS.get(context.kind, ())
    names = [name for name, _ in parts]
    if context.key not in names:  # retain's `indefinitely`
        return ("after",) if context.kind == "retain" else ()
    position = names.index(context.key)
    if context.kind == "retain":
        if context.key == "data":
            return ("for", INDEFINITELY, "until")
        return ("after",) if context.key in ("duration", "until") else ()
    following = [word for _, word in parts[position + 1:] if word]
    return tuple(following[:1])


def _keywords(words) -> list[tuple]:
    return [(word, types.CompletionItemKind.Keyword, "", "", word) for word in words]


def _values(spec: ValueSpec, taxonomy: Taxonomy, text: str, context: Context) -> list[tuple]:
    items = []
    for value in spec.values:
        items.append((value, types.CompletionItemKind.EnumMember, "", "", value))
    if spec.value in ("term", "choice") and spec.terms:
        for key, term in sorted(taxonomy.terms.get(spec.terms, {}).items()):
            if key in spec.values:
                continue
            items.append((key, types.CompletionItemKind.EnumMember, term.label,
                          term.description, key))
    elif spec.value == "data":
        for name in data_names(text, context):
            items.append((name, types.CompletionItemKind.Variable, "data", "", name))
    elif spec.value == "boolean":
        for word in BOOLEANS:
            items.append((word, types.CompletionItemKind.Value, "", "", word))
    return items


def _item(label, kind, detail, doc, insert, edit_range, number) -> types.CompletionItem:
    return types.CompletionItem(
        label=label,
        kind=kind,
        detail=detail or None,
        documentation=types.MarkupContent(types.MarkupKind.Markdown, doc) if doc else None,
        text_edit=types.TextEdit(edit_range, insert),
        filter_text=label,
        sort_text=f"{number:05d}",  # the order given: choices first, then terms by name
    )
