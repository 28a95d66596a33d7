"""Hover: what the word under the cursor means.

A taxonomy term: its label, description, the terms above it and its W3C DPV
and fideslang equivalents. A data name: the `data` statement that declares
it. An attribute key: what it takes. A statement keyword: its form. A rule id
in a suppression comment: the rule's summary.
"""

from __future__ import annotations

import re

from lsprotocol import types

from tospolicy.findings import RuleInfo
from tospolicy.language import model
from tospolicy.language.attributes import attribute_table
from tospolicy.language.taxonomy import Taxonomy
from tospolicy.server.context import NAME_CHARS, context_at
from tospolicy.server.documents import Document

_RULE_ID = re.compile(r"[A-Z][A-Z0-9_]*[0-9]")
_SUPPRESSION = re.compile(r"#\s*tospolicy\s*:\s*ignore\[[^\]]*\]?", re.IGNORECASE)
DOCS_URL = "https://github.com/tospolicy/tospolicy/blob/main/docs"


def statement_doc(keyword: str) -> str:
    """The form of a statement, as `model.py` documents it."""
    kinds = {"data": model.Data, "use": model.Use, "share": model.Share, "retain": model.Retain,
             "license": model.License, "right": model.Right, "never": model.Never,
             "service": model.Service}
    kind = kinds.get(keyword)
    return (kind.__doc__ or "").strip().splitlines()[0] if kind else ""


def word_at(text: str, offset: int) -> tuple[int, int]:
    """The name (dots included) around `offset`, as start and end offsets."""
    start = end = offset
    while start > 0 and NAME_CHARS.fullmatch(text[start - 1]):
        start -= 1
    while end < len(text) and NAME_CHARS.fullmatch(text[end]):
        end += 1
    while end > start and text[end - 1] == ".":
        end -= 1
    return start, end


def hover(document: Document, offset: int, taxonomy: Taxonomy, rules: list[RuleInfo],
          declaration_of) -> types.Hover | None:
    """`declaration_of(name, offset)`: the text of the `data` statement named `name`
    in the service at `offset`, or None."""
    text = document.text
    line_start = text.rfind("\n", 0, offset) + 1
    line_end = text.find("\n", offset)
    line = text[line_start:line_end if line_end >= 0 else len(text)]
    suppression = _SUPPRESSION.search(line)
    if suppression and line_start + suppression.start() <= offset <= line_start + suppression.end():
        return _rule_hover(document, line, line_start, offset, rules)
    start, end = word_at(text, offset)
    if start == end:
        return None
    word = text[start:end]
    context = context_at(text, end)
    markdown = _describe(word, context, taxonomy, declaration_of, start)
    if not markdown:
        return None
    return types.Hover(types.MarkupContent(types.MarkupKind.Markdown, markdown),
                       document.offset_range(start, end))


def _describe(word: str, context, taxonomy: Taxonomy, declaration_of, offset: int) -> str:
    table = attribute_table()
    place = context.place
    if place in ("statement", "top") and statement_doc(word):
        return f"**{word}**: {statement_doc(word)}"
    spec = table.get(context.kind) if context.kind else None
    if place in ("statement", "key") and spec is not None and word in spec.attributes:
        return _attribute_doc(context.kind, word, spec.attributes[word])
    if place in ("value", "part", "connective") and spec is not None:
        value_spec = (spec.attributes.get(context.key) if place == "value"
                      else spec.parts.get(context.key))
        if value_spec is None:
            return ""
        if value_spec.value == "data":
            declared = declaration_of(word, offset)
            if declared is None:
                return f"**{word}**: no `data {word}` in this service"
            return f"**{word}**: data of this service\n\n```tospolicy\n{declared}\n```"
        if value_spec.terms and taxonomy.knows(value_spec.terms, word):
            return term_doc(taxonomy, value_spec.terms, word)
        if word in value_spec.values:
            return f"**{word}**: a value of `{context.key}` ({value_spec.describe()})"
    return ""


def term_doc(taxonomy: Taxonomy, kind: str, key: str) -> str:
    term = taxonomy.term(kind, key)
    lines = [f"**{key}**: {term.label} ({kind})"]
    if term.description:
        lines += ["", term.description]
    above = taxonomy.ancestors(key, kind)[1:]
    if above:
        lines += ["", "Under: " + " → ".join(f"`{parent}`" for parent in above)]
    equivalents = []
    if term.dpv:
        equivalents.append(f"W3C DPV: `{term.dpv}`")
    if term.fideslang:
        equivalents.append(f"fideslang: `{term.fideslang}`")
    if equivalents:
        lines += ["", " · ".join(equivalents)]
    return "\n".join(lines)


def _attribute_doc(kind: str, key: str, spec) -> str:
    owner = "a service" if kind == "service" else f"a `{kind}` statement"
    several = " (one or more)" if spec.list else ""
    return (f"**{key}**: an attribute of {owner}; takes {spec.describe()}{several}\n\n"
            f"[Attributes]({DOCS_URL}/language.md#attributes)")


def with_rules(found: types.Hover | None, diagnostics: list[types.Diagnostic],
               rules: list[RuleInfo]) -> types.Hover | None:
    """The hover, followed by the summary of each rule a diagnostic under the
    cursor comes from."""
    infos = {rule.id: rule for rule in rules}
    sections = []
    for code in dict.fromkeys(diagnostic.code for diagnostic in diagnostics):
        info = infos.get(code)
        if info is not None:
            sections.append(_rule_markdown(info))
    if not sections:
        return found
    text = "\n\n---\n\n".join(([found.contents.value] if found else []) + sections)
    return types.Hover(types.MarkupContent(types.MarkupKind.Markdown, text),
                       found.range if found else None)


def _rule_markdown(info: RuleInfo) -> str:
    return (f"**{info.id}** ({info.name}, {info.severity}): {info.summary}\n\n"
            f"[{info.id} in docs/rules.md]({info.help_uri})")


def _rule_hover(document: Document, line: str, line_start: int, offset: int,
                rules: list[RuleInfo]) -> types.Hover | None:
    for match in _RULE_ID.finditer(line):
        start, end = line_start + match.start(), line_start + match.end()
        if start <= offset <= end:
            info = next((rule for rule in rules if rule.id == match.group()), None)
            if info is None:
                markdown = f"**{match.group()}**: no loaded rule has this id"
            else:
                markdown = _rule_markdown(info)
            return types.Hover(types.MarkupContent(types.MarkupKind.Markdown, markdown),
                               document.offset_range(start, end))
    return None
