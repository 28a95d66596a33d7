"""docs/language.md: its attribute tables are rules/attributes.yaml, and its
prose covers every statement, keyword and attribute the language has."""

from __future__ import annotations

import re

import yaml

from conftest import REPO, check_generated_section
from tospolicy.language.attributes import attribute_table
from tospolicy.language.syntax import KEYWORDS, STATEMENT_KEYWORDS

DOC = REPO / "docs" / "language.md"
SOURCE = REPO / "rules" / "attributes.yaml"
MARKER = ("<!-- Generated from rules/attributes.yaml by tests/test_language_docs.py; "
          "TOSPOLICY_UPDATE_GOLDEN=1 rewrites everything below this line. -->")


def _value(entry: dict) -> str:
    """What a part or attribute holds, in the words of the table of kinds."""
    kind = entry["value"]
    words = f"`{kind}`"
    if entry.get("values"):
        words += ": " + " ".join(f"`{value}`" for value in entry["values"])
    if entry.get("terms"):
        words += ("; or " if entry.get("values") else ": ") + f"a term of `{entry['terms']}`"
    return words


def _table(rows: list[tuple[str, str, dict]]) -> list[str]:
    lines = ["| name | is | value | list |", "|---|---|---|---|"]
    for name, what, entry in rows:
        lines.append(f"| `{name}` | {what} | {_value(entry)} | {'yes' if entry.get('list') else ''} |")
    return lines


def render_tables() -> str:
    data = yaml.safe_load(SOURCE.read_text(encoding="utf-8"))
    lines = []
    for kind, entry in data["statements"].items():
        lines += [f"### Parts and attributes of `{kind}`", ""]
        rows = [(name, "part", spec) for name, spec in (entry.get("parts") or {}).items()]
        rows += [(name, "attribute", spec) for name, spec in (entry.get("attributes") or {}).items()]
        lines += _table(rows) + [""]
    lines += ["### Attributes of every statement and the service", ""]
    lines += _table([(name, "attribute", spec) for name, spec in data["every_statement"].items()])
    return "\n".join(lines) + "\n"


def test_docs_language_md_shows_the_attribute_table():
    check_generated_section(DOC, MARKER, render_tables())


def test_the_generated_tables_list_every_part_and_attribute():
    text = DOC.read_text(encoding="utf-8").split(MARKER)[1]
    every = text.split("### Attributes of every statement and the service")[1]
    common = {name for name in yaml.safe_load(SOURCE.read_text(encoding="utf-8"))["every_statement"]}
    table = attribute_table()
    assert len(table) == 8 and common
    for kind, spec in table.items():
        section = text.split(f"### Parts and attributes of `{kind}`")[1].split("###")[0]
        for name in [*spec.parts, *spec.attributes]:
            assert f"| `{name}` |" in (every if name in common else section), (kind, name)


def test_the_prose_covers_every_statement_and_keyword():
    prose = DOC.read_text(encoding="utf-8").split(MARKER)[0]
    for keyword in ("service", *STATEMENT_KEYWORDS):
        assert re.search(rf"^### `{keyword}`$", prose, re.M), keyword
    listed = re.search(r"\*\*Keywords\*\*: `([^`]*)`", prose.replace("\n  ", " ")).group(1)
    assert set(listed.split()) == KEYWORDS


def test_the_page_is_the_projects_own_reference():
    """Users read docs/language.md, not the draft: it does not send them there."""
    text = DOC.read_text(encoding="utf-8")
    assert "LANGUAGE.md" not in text
    assert "implements the draft" not in text


def test_the_starter_links_to_the_published_reference(tmp_path, cli, monkeypatch):
    """The policy.tos `init` writes names pages by their published address: a
    project that uses tospolicy has no docs/ folder of its own."""
    monkeypatch.chdir(tmp_path)
    assert cli("init").exit_code == 0
    starter = (tmp_path / "policy.tos").read_text(encoding="utf-8")
    published = "https://github.com/tospolicy/tospolicy/blob/main/"
    links = re.findall(re.escape(published) + r"(\S+)", starter)
    assert "docs/language.md" in links
    assert all((REPO / link).is_file() for link in links), links
    assert not re.search(r"(?<!/main/)docs/\w+\.md", starter)
