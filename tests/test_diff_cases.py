"""Classification of every kind of change, from `tests/diff/cases.yaml`, and
properties that hold for any declaration: comparing a declaration with itself,
or with its statements in another order, finds nothing."""

from __future__ import annotations

import random

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings

from conftest import REPO, TESTS, fixture_files
from fuzz.strategies import declarations
from tospolicy.diff.change import CLASSIFICATIONS
from tospolicy.diff.compare import diff_declarations
from tospolicy.diff.rules import DIFF_RULES
from tospolicy.language.model import Declaration
from tospolicy.language.parser import parse_text

CASES = yaml.safe_load((TESTS / "diff" / "cases.yaml").read_text(encoding="utf-8"))
RULE_IDS = {rule.id for rule in DIFF_RULES}


def _parse(body: str, name: str) -> Declaration:
    indented = "".join(f"  {line}\n" for line in body.splitlines())
    result = parse_text(f'service "S" {{\n{indented}}}\n', name)
    assert result.declaration is not None, result.findings
    return result.declaration


def test_the_cases_cover_every_rule_both_ways():
    assert len(CASES) > 40
    seen = {(rule_id, classification) for case in CASES
            for rule_id, classification, _, _ in case["expect"]}
    # DIFF010 and DIFF011 are about the prose of bound texts: test_binding_diff.py.
    for rule_id in sorted(RULE_IDS - {"DIFF010", "DIFF011"}):
        assert (rule_id, "regression") in seen, rule_id
        assert (rule_id, "improvement") in seen or rule_id in {"DIFF012", "DIFF013"}, rule_id


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_case(case):
    changes = diff_declarations(_parse(case["old"], "old.tos"), _parse(case["new"], "new.tos"))
    found = sorted((change.rule_id or "~", change.classification, change.severity or "~",
                    change.subject) for change in changes)
    expected = sorted((rule_id or "~", classification, severity or "~", subject)
                      for rule_id, classification, severity, subject in case["expect"])
    assert found == expected, [change.message for change in changes]
    for change in changes:
        assert change.classification in CLASSIFICATIONS
        assert (change.rule_id in RULE_IDS) == (change.classification != "neutral")
        assert (change.severity is not None) == (change.classification == "regression")
        assert change.new is None or change.new.file == "new.tos"
        assert change.old is None or change.old.file == "old.tos"
    for words, change in zip(case.get("says", []), changes):
        assert words in change.message, (words, change.message)


FIXTURES = (fixture_files(TESTS / "language" / "valid") + fixture_files(REPO / "examples")
            + fixture_files(TESTS / "diff", "*/*.tos"))


def test_there_are_fixtures_to_compare():
    assert len(FIXTURES) >= 10


@pytest.mark.parametrize("path", FIXTURES, ids=lambda path: path.name)
def test_a_declaration_compared_with_itself_reordered_has_no_changes(path):
    text = path.read_text(encoding="utf-8")
    declaration = parse_text(text, "a.tos").declaration
    assert declaration is not None
    shuffled = _shuffled(declaration, random.Random(path.name))
    assert diff_declarations(declaration, declaration) == []
    assert diff_declarations(declaration, shuffled) == []


def _shuffled(declaration: Declaration, rng: random.Random) -> Declaration:
    import dataclasses

    services = []
    for service in declaration.services:
        statements = list(service.statements)
        rng.shuffle(statements)
        services.append(dataclasses.replace(service, statements=tuple(statements)))
    return dataclasses.replace(declaration, services=tuple(services))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(declarations(), declarations())
def test_any_two_declarations_compare_without_error(first, second):
    old = parse_text(first[1], "old.tos").declaration
    new = parse_text(second[1], "new.tos").declaration
    assume(old is not None and new is not None)
    assert diff_declarations(old, old) == []
    for change in diff_declarations(old, new):
        # A subject quotes names as written (a service name may hold "\n");
        # every format escapes it where a line break would matter.
        assert change.message and change.subject
        assert change.new is None or change.new.file == "new.tos"
        assert change.old is None or change.old.file == "old.tos"
