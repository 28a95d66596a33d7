"""Completion: what may be written where the cursor is.

Keywords where a statement may start, the attribute keys a statement takes
(`rules/attributes.yaml`, less those already written), and the values an
attribute or part accepts: its choices, the taxonomy's terms of its kind
(the packs' terms included) with their labels, the service's data names,
booleans. Every item replaces the word before the cursor, dots included, so
that `ai.` completes to `ai.training`.

Inside the string of a `quote:`, the passages of the texts the service binds
(server/texts.py: each block, and each sentence of a block of several), as
string literals that replace the string typed so far. They are filtered
here, by what the string says so far after normalisation (as quotes are
matched): passages that start with it first, then those that hold it. The
list is marked incomplete, so that the client asks again as the user types.
"""

from __future__ import annotations

import re
from typing import Callable

from lsprotocol import types

from tospolicy.binding.normalise import normalise
from tospolicy.language.attributes import ValueSpec, attribute_table
from tospolicy.language.literals import decode_string, encode_string
from tospolicy.language.parser import BOOLEANS
from tospolicy.language.syntax import STATEMENT_KEYWORDS
from tospolicy.language.taxonomy import Taxonomy
from tospolicy.server.context import INDEFINITELY, PARTS, Context, context_at
from tospolicy.server.documents import Document
from tospolicy.server.hover import statement_doc
from tospolicy.server.texts import Passage

_DATA_NAME = re.compile(r"(?:^|[;{])[ \t]*data[ \t]+([A-Za-z_][A-Za-z0-9_]*)", re.MULTILINE)
UNITS = ("days", "weeks", "months", "years", "hours")
QUOTES_SHOWN = 100  # passages offered at most: a policy has a thousand sentences
LABEL_LENGTH = 60


def data_names(text: str, context: Context) -> list[str]:
    """The names of the `data` statements of the service the cursor is in."""
    end = context.service_end if context.service_end is not None else len(text)
    body = text[context.service_start:end]
    return list(dict.fromkeys(match.group(1) for match in _DATA_NAME.finditer(body)))


def complete(document: Document, offset: int, taxonomy: Taxonomy,
             passages: Callable[[int | None], list[Passage]] = lambda service: []) -> types.CompletionList:
    """What may be written at `offset`; `passages(service number)` gives the
    passages of the texts a service binds."""
    context = context_at(document.text, offset)
    if context.place == "string":
        if context.key != "quote":
            return types.CompletionList(is_incomplete=False, items=[])
        return _quotes(document, offset, context, passages(context.service_number))
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
    return types.CompletionList(is_incomplete=False, items=[
        _item(label, kind, detail, doc, insert, edit_range, number)
        for number, (label, kind, detail, doc, insert) in enumerate(items)])


def _quotes(document: Document, offset: int, context: Context,
            passages: list[Passage]) -> types.CompletionList:
    typed = context.prefix[1:]
    try:
        typed = decode_string(typed)
    except (KeyError, ValueError):  # an escape half typed: read as written
        pass
    wanted = " ".join(normalise(typed).split())
    starting, holding, seen = [], [], set()
    for passage in passages:
        if passage.normalised in seen:
            continue
        if passage.normalised.startswith(wanted):
            starting.append(passage)
        elif wanted and wanted in passage.normalised:
            holding.append(passage)
        else:
            continue
        seen.add(passage.normalised)
    string = document.text[context.prefix_start:context.string_end]
    # A closed string is replaced whole; an unclosed one runs to the line's end: up to the cursor.
    end = context.string_end if len(string) > 1 and string.endswith('"') and offset < context.string_end else offset
    edit_range = document.offset_range(context.prefix_start, end)
    items = []
    for number, passage in enumerate((starting + holding)[:QUOTES_SHOWN]):
        literal = encode_string(passage.text)
        label = passage.text if len(passage.text) <= LABEL_LENGTH else passage.text[:LABEL_LENGTH - 1].rstrip() + "…"
        items.append(types.CompletionItem(
            label=label,
            kind=types.CompletionItemKind.Text,
            detail=f"{passage.display}:{passage.line}",
            documentation=types.MarkupContent(types.MarkupKind.PlainText, passage.text),
            text_edit=types.TextEdit(edit_range, literal),
            # What the client filters by: the literal for a passage that starts
            # as typed; what is typed for one that holds it further on.
            filter_text=literal if number < len(starting) else context.prefix,
            sort_text=f"{number:05d}",
        ))
    return types.CompletionList(is_incomplete=True, items=items)


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
