"""Hostile rule packs, round two (issue 21): taxonomies that bend the
hierarchy a built-in rule asks about, `matches` patterns and message
templates that explode, numbers no float or int can hold.

Each runs through `tospolicy check -p PACK` as a user would; every problem is a
located error (exit 2) or a finding, never a traceback, a hang or gigabytes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import REPO, run_tospolicy

MEMORY = 1024 * 1024 * 1024
ZOOM = REPO / "examples" / "zoom-2023-03.tos"


def run_pack(tmp_path: Path, pack: str, declaration: str | None = None, *extra: str,
             max_memory: int | None = MEMORY, timeout: float = 120):
    (tmp_path / "p.yaml").write_text(pack, encoding="utf-8")
    (tmp_path / "d.tos").write_text(declaration or ZOOM.read_text(encoding="utf-8"),
                                    encoding="utf-8")
    return run_tospolicy("check", "-p", "p.yaml", *extra, "d.tos", cwd=tmp_path,
                         max_memory=max_memory, timeout=timeout)


def located_errors(result) -> list[str]:
    assert result.exit_code == 2, (result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert lines and all(line.startswith("tospolicy: p.yaml:") for line in lines), lines
    return lines


TAXONOMY = "pack: bent\nversion: 1\ntaxonomy:\n{terms}\nrules: []\n"


@pytest.mark.parametrize("terms, where, says", [
    ("  categories:\n    content.foo: { label: Foo, parent: content.bar }\n"
     "    content.bar: { label: Bar, parent: content.foo }",
     ["p.yaml:5:5:", "p.yaml:6:5:"], "is its own ancestor"),
    ("  purposes:\n    loop: { label: L, parent: loop }", ["p.yaml:5:5:"], "is its own ancestor"),
    ("  purposes:\n    a.one: { label: A, parent: b.two }\n    b.two: { label: B, parent: c }\n"
     "    c: { label: C, parent: a.one }\n    a: { label: A }\n    b: { label: B }",
     ["p.yaml:5:5:", "p.yaml:6:5:", "p.yaml:7:5:"], "is its own ancestor"),
    ("  purposes:\n    ai.training.internal: { label: Internal, parent: service.provision }",
     ["p.yaml:5:5:"], "not move a term out from under 'ai.training'"),
])
def test_a_taxonomy_that_bends_the_hierarchy_is_a_located_error(tmp_path, terms, where, says):
    lines = located_errors(run_pack(tmp_path, TAXONOMY.format(terms=terms), None, "-p", "ai"))
    assert [line.split(" ")[1] for line in lines] == where
    assert all(says in line for line in lines)


def test_a_pack_may_add_terms_under_existing_ones(tmp_path):
    terms = ("  purposes:\n    ai.training.internal: { label: I, parent: ai.training.generative }\n"
             "    ai.training.internal.raw: { label: Raw }")
    text = ZOOM.read_text(encoding="utf-8").replace("for any {", "for ai.training.internal.raw {")
    result = run_pack(tmp_path, TAXONOMY.format(terms=terms), text, "-p", "ai")
    assert result.exit_code == 1, result.stderr
    assert " AI001 [error] service_generated is used for ai.training.internal.raw" in result.stdout


def rule(forbid: str, message: str = "found {name}", select: str = "data") -> str:
    return ("pack: hostile\nversion: 1\nrules:\n  - id: H001\n    name: hostile\n"
            f"    severity: note\n    summary: A hostile rule.\n    select: {select}\n"
            f"    forbid: {forbid}\n    message: {message}\n")


def test_many_groups_in_a_pattern_match_in_linear_time_and_memory(tmp_path):
    # Capture groups used to be built: 6,600 of them took minutes on one value.
    groups = "(a)" * 200
    text = ('service "S" {\n  data ' + "a" * 250 + " { categories: content.text }\n}\n")
    result = run_pack(tmp_path, rule(f"name matches '{groups}|{'(' * 150}b{')' * 150}'"), text)
    assert result.exit_code == 0, result.stderr
    assert "H001 [note] found aaaa" in result.stdout


@pytest.mark.parametrize("pattern", ["(a)" * 6_600, "(" * 9_900 + "a" + ")" * 9_900])
def test_a_huge_pattern_is_refused_where_it_is_written(tmp_path, pattern):
    (line,) = located_errors(run_pack(tmp_path, rule(f"name matches '{pattern}'")))
    assert line.startswith("tospolicy: p.yaml:9:27: H001 forbid, column 15: regular expression of ")
    assert line.endswith("characters: at most 1000 are allowed")


def test_a_message_is_bounded_after_substitution(tmp_path):
    # 10,000 placeholders over a 90,000-character name: 900 MB if substituted in full.
    text = f'service "{"N" * 90_000}" {{\n  data notes {{ categories: content.text }}\n}}\n'
    result = run_pack(tmp_path, rule("name == notes", '"' + "{service.name}" * 10_000 + '"'),
                      text, "--format", "json")
    assert result.exit_code == 0, result.stderr
    messages = [finding["message"] for finding in json.loads(result.stdout)["findings"]
                if finding["rule"] == "H001"]
    assert messages == ["N" * 1_999 + "…"]


@pytest.mark.parametrize("condition, column", [
    ("period > " + "9" * 400 + " days", 10),
    ("period < " + "9" * 5_000 + " days", 10),
    ("count(data) > " + "1" * 5_000, 15),
    ("name == \"\\ud800\"", 9),
    ("name == \"a\\udfffb\"", 9),
])
def test_numbers_and_strings_no_value_can_hold_are_located(tmp_path, condition, column):
    select = "retain" if condition.startswith("period") else "service" if "count" in condition \
        else "data"
    (line,) = located_errors(run_pack(tmp_path, rule(condition, "found it", select)))
    assert line.startswith(f"tospolicy: p.yaml:9:{12 + column}: H001 forbid, column {column}: ")
