"""docs/fides.md: prose above its marker line, the mapping table generated below it.

The table shows every key of fideslang's default taxonomy (rules/fideslang.yaml)
with the term the import writes it as and the terms a rule value becomes, read
from the importer itself (tospolicy/importers/fides/vocabulary.py), so it cannot
drift from what the import does.
"""

from __future__ import annotations

from conftest import REPO, check_generated_section
from tospolicy.importers.fides.vocabulary import FIDES_KINDS, Vocabulary

DOC = REPO / "docs" / "fides.md"
MARKER = ("<!-- Generated from rules/fideslang.yaml and rules/taxonomy.yaml by "
          "tests/test_fides_docs.py; TOSPOLICY_UPDATE_GOLDEN=1 rewrites everything below this "
          "line. -->")
TITLES = {"data_use": "Data uses (purposes)", "data_category": "Data categories (categories)",
          "data_subject": "Data subjects (subjects)"}


def how(vocabulary: Vocabulary, kind: str, key: str) -> str:
    current = vocabulary.current(kind, key)
    if current != key:
        return f"deprecated: read as its replacement, `{current}`"
    if key in vocabulary.equivalents[kind]:
        term = vocabulary.taxonomy.term(FIDES_KINDS[kind], vocabulary.term(kind, key))
        if term.fideslang == key:
            return "the tospolicy term that means the same (rules/taxonomy.yaml)"
        return "the tospolicy term of the same name"
    unused = vocabulary.unused[kind].get(key)
    parent = vocabulary.extension_parent(kind, key)
    text = f"a term of its own, under `{parent}`" if parent else "a term of its own, at the top"
    if unused is not None:
        text += (f"; its equivalent `{unused.term}` in rules/taxonomy.yaml is not used: "
                 f"{unused.reason}")
    return text


def render_tables() -> str:
    vocabulary = Vocabulary()
    parts = []
    for kind in ("data_use", "data_category", "data_subject"):
        parts += [f"### {TITLES[kind]}", "",
                  "| fideslang key | written as | as a rule value | how |", "|---|---|---|---|"]
        for key in sorted(vocabulary.keys[kind]):
            cover = ", ".join(f"`{term}`" for term in vocabulary.cover(kind, key))
            parts.append(f"| `{key}` | `{vocabulary.term(kind, key)}` | {cover} | "
                         f"{how(vocabulary, kind, key).replace('|', '/')} |")
        parts.append("")
    return "\n".join(parts)


def test_every_kind_is_shown():
    assert set(TITLES) == set(FIDES_KINDS)
    assert render_tables().count("\n| `") > 190


def test_docs_fides_md_shows_the_mapping():
    check_generated_section(DOC, MARKER, render_tables())
