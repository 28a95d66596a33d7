"""The parser's fast path answers exactly what Lark's recovering parse answers.

`tospolicy/language/fastpath.py` parses files without syntax errors with a loop of its
own over Lark's tables, and gives up on any other file. These tests hold it to
Lark's answer, spans and value types included, on every fixture, the examples,
generated benchmark declarations, and random and mutated declarations.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO, TESTS, benchmark_generator, fixture_files
from fuzz.strategies import declarations
from tospolicy.language.modeljson import declaration_to_data
from tospolicy.language.parser import _Parser

VALID = fixture_files(TESTS / "language" / "valid") + fixture_files(REPO / "examples")
INVALID = fixture_files(TESTS / "language" / "invalid")


def both(text: str, path: str = "case.tos"):
    """(fast path's declaration or None, Lark's ParseResult) for one text."""
    parser = _Parser.get()
    text = text.lstrip("\ufeff")
    return parser.parse_fast(text, path), parser.parse_recovering(text, path)


def as_json(declaration) -> str:
    # JSON tells 30 from 30.0 and true from 1, which == on the model does not.
    return json.dumps(declaration_to_data(declaration), ensure_ascii=False)


def assert_same(text: str) -> None:
    fast, slow = both(text)
    if fast is None:
        return
    assert slow.declaration is not None, (text, slow.findings)
    assert fast == slow.declaration
    assert as_json(fast) == as_json(slow.declaration)


def test_fast_path_drives_the_grammar():
    assert _Parser.get().fast is not None
    assert len(VALID) >= 9 and len(INVALID) >= 10


@pytest.mark.parametrize("path", VALID, ids=lambda path: path.name)
def test_valid_files_take_the_fast_path_to_the_same_model(path: Path):
    text = path.read_text(encoding="utf-8")
    fast, slow = both(text)
    assert fast is not None
    assert as_json(fast) == as_json(slow.declaration)
    assert fast == slow.declaration


@pytest.mark.parametrize("path", INVALID, ids=lambda path: path.name)
def test_invalid_files_are_left_to_lark(path: Path):
    text = path.read_text(encoding="utf-8", errors="replace")
    fast, slow = both(text)
    assert fast is None
    assert slow.declaration is None


@pytest.mark.parametrize("text", [
    'service "S" { data x }   \n\n  ',          # trailing whitespace
    'service "S" { retain x for 30 days }',      # a unit after a number
    'service "S" { data days { n: 30 } }',       # a unit word as a name
    'service "S" { x: 30\n days: 2 }',           # ... where Lark makes it a unit: an error
    'service "S" { data data }',                 # a keyword as a name: an error
    'service "S" { data x { n: 2024-02-30 } }',  # not a date: an error
    'service "S" { data x { t: "\\ud800" } }',   # a lone surrogate: an error
    'service "S" { data x } # end',              # a comment at the end
    'service "S" {\r\n  data x\r\n}\r\n',        # CRLF
    'service "S" { data x }\u00a0',              # whitespace Lark does not skip: an error
])
def test_edge_cases_agree(text):
    fast, slow = both(text)
    assert (fast is None) == (slow.declaration is None), slow.findings
    assert_same(text)


def test_generated_benchmark_declarations_take_the_fast_path():
    generate = benchmark_generator()
    texts = [generate.render_tos(service) for service in generate.make_services(40, seed=7)]
    text = "\n".join(texts)
    fast, slow = both(text)
    assert fast is not None and len(fast.services) == 40
    assert as_json(fast) == as_json(slow.declaration)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(declarations(), st.data())
def test_random_and_mutated_declarations_agree(case, data):
    _, text = case
    if data.draw(st.booleans()):
        position = data.draw(st.integers(0, len(text)))
        text = text[:position] + data.draw(st.text(max_size=4)) + text[position + data.draw(st.integers(0, 6)):]
    fast, slow = both(text)
    assert (fast is None) == (slow.declaration is None), (text, slow.findings)
    assert_same(text)


PROBE = (
    "import sys; from pathlib import Path; from tospolicy.language.parser import parse_file;"
    "result = parse_file(Path(sys.argv[1]));"
    "print(len(result.declaration.services), 'lark' in sys.modules)"
)


@pytest.mark.parametrize("cache", ["fresh", "off"])
def test_valid_files_are_parsed_without_importing_lark_once_tables_are_cached(cache, tmp_path):
    import os
    import subprocess
    import sys

    env = dict(os.environ, TOSPOLICY_CACHE_DIR=str(tmp_path / "cache") if cache == "fresh" else "")
    runs = [subprocess.run([sys.executable, "-c", PROBE, str(REPO / "examples" / "notes-app.tos")],
                           env=env, capture_output=True, text=True, timeout=120) for _ in range(2)]
    for run in runs:
        assert run.returncode == 0, run.stderr
    # The first run builds the tables with Lark; later runs read them from the cache.
    assert runs[0].stdout.split() == ["1", "True"]
    assert runs[1].stdout.split() == ["1", "False" if cache == "fresh" else "True"]
    if cache == "fresh":
        assert len(list((tmp_path / "cache").glob("*.fast.json"))) == 1
