"""Data names: where one is declared, where it is used, renaming it; symbols.

Read from the model of the document's current text, so these answer only
while the text parses (a half-written statement has no model to trust). A
data name belongs to its service: `data x` in one service and `x` in another
are different data. The places that hold data names are read from the
attribute table (`value: data`), so a new attribute of that kind counts
without a change here.
"""

from __future__ import annotations

from dataclasses import dataclass

from lsprotocol import types

from tospolicy.language.attributes import attribute_table, part_values
from tospolicy.language.model import Declaration, Name, Service, items_of
from tospolicy.server.documents import Document


@dataclass(frozen=True)
class Occurrence:
    service: Service
    name: Name
    declares: bool  # the `data NAME` that declares it


def occurrences(declaration: Declaration) -> list[Occurrence]:
    table = attribute_table()
    found = []
    for service in declaration.services:
        for statement in service.statements:
            spec = table[statement.kind]
            if statement.kind == "data":
                found.append(Occurrence(service, statement.name, True))
            for part, value_spec in spec.parts.items():
                if value_spec.value == "data":
                    found.extend(Occurrence(service, name, False)
                                 for name in part_values(statement, part) if isinstance(name, Name))
            for attribute in statement.attributes:
                value_spec = spec.attributes.get(attribute.key)
                if value_spec is not None and value_spec.value == "data":
                    found.extend(Occurrence(service, item, False)
                                 for item in items_of(attribute.value) if isinstance(item, Name))
    return found


def occurrence_at(document: Document, declaration: Declaration, offset: int) -> Occurrence | None:
    for occurrence in occurrences(declaration):
        span = occurrence.name.span
        start = document.span_offset(span.line, span.column)
        end = document.span_offset(span.end_line, span.end_column)
        if start <= offset <= end:
            return occurrence
    return None


def same_data(declaration: Declaration, target: Occurrence) -> list[Occurrence]:
    return [occurrence for occurrence in occurrences(declaration)
            if occurrence.service is target.service and occurrence.name.value == target.name.value]


def definition(document: Document, declaration: Declaration, offset: int) -> types.Location | None:
    target = occurrence_at(document, declaration, offset)
    if target is None:
        return None
    declared = next((occurrence for occurrence in same_data(declaration, target)
                     if occurrence.declares), None)
    if declared is None:
        return None
    return types.Location(document.uri, document.span_range(declared.name.span))


def references(document: Document, declaration: Declaration, offset: int,
               include_declaration: bool) -> list[types.Location]:
    target = occurrence_at(document, declaration, offset)
    if target is None:
        return []
    return [types.Location(document.uri, document.span_range(occurrence.name.span))
            for occurrence in same_data(declaration, target)
            if include_declaration or not occurrence.declares]


def rename_range(document: Document, declaration: Declaration, offset: int) -> types.Range | None:
    target = occurrence_at(document, declaration, offset)
    return document.span_range(target.name.span) if target else None


def rename(document: Document, declaration: Declaration, offset: int,
           new_name: str) -> types.WorkspaceEdit | None:
    target = occurrence_at(document, declaration, offset)
    if target is None:
        return None
    edits = [types.TextEdit(document.span_range(occurrence.name.span), new_name)
             for occurrence in same_data(declaration, target)]
    return types.WorkspaceEdit(changes={document.uri: edits})


def symbols(document: Document, declaration: Declaration) -> list[types.DocumentSymbol]:
    result = []
    for service in declaration.services:
        children = []
        for statement in service.statements:
            if statement.kind == "data":
                name, kind = statement.name.value, types.SymbolKind.Variable
                detail = statement.label.value if statement.label else ""
                selection = statement.name.span
            else:
                name, kind, detail = statement.identity, types.SymbolKind.Event, statement.kind
                selection = statement.span
            children.append(types.DocumentSymbol(
                name=name, kind=kind, detail=detail or None,
                range=document.span_range(statement.span),
                selection_range=document.span_range(selection)))
        result.append(types.DocumentSymbol(
            name=service.name.value or "(unnamed service)", kind=types.SymbolKind.Module,
            detail="service", range=document.span_range(service.span),
            selection_range=document.span_range(service.name.span), children=children))
    return result
