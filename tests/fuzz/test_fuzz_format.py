"""What `fmt` promises of every declaration (LANGUAGE.md "Canonical form"):
the output parses to the same model (spans, the order of attributes and the
list form aside), formatting it again changes nothing, and checking it gives
the same findings, suppressed or not, as checking the original.

Over every `.tos` file of the repository (examples, fixtures of the language
and of the packs, golden cases) and over the fuzz suite's generated
declarations, whose layout is random.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given

from conftest import REPO
from strategies import declarations, fuzz_settings
from tospolicy.checking.config import settings
from tospolicy.checking.engine import run
from tospolicy.checking.suppressions import suppressions_of
from tospolicy.formatting import FormatError, format_text
from tospolicy.language.modeljson import to_data
from tospolicy.language.parser import parse_text
from tospolicy.packs.loader import load_rule_set

_SKIPPED = {".venv", "node_modules", ".git"}
FILES = sorted(path for path in REPO.rglob("*.tos")
               if not _SKIPPED & set(path.relative_to(REPO).parts))
# Messages that name another line (`first on line 12`) name where it is now.
_LINE = re.compile(r"\bline \d+")


@pytest.fixture(scope="module")
def rule_set():
    return load_rule_set(list(settings().packs))


def model(text: str):
    """The declaration as data without spans, attributes sorted by key (a
    stable sort: repeated keys keep their order) and lists without their form."""
    declaration = parse_text(text, "case.tos").declaration
    assert declaration is not None
    services = []
    for service in declaration.services:
        data = _without_layout(to_data(service))
        data["attributes"].sort(key=lambda attribute: attribute["key"])
        for statement in data["statements"]:
            statement["attributes"].sort(key=lambda attribute: attribute["key"])
        services.append(data)
    comments = [comment.text.rstrip(" \t\f\r") for comment in declaration.comments]
    return services, sorted(comments)


def _without_layout(data):
    if isinstance(data, dict):
        return {key: _without_layout(value) for key, value in data.items()
                if key not in ("span", "key_span", "bracketed")}
    if isinstance(data, list):
        return [_without_layout(item) for item in data]
    return data


def findings(rule_set, text: str, suppressions: bool = True):
    declaration = parse_text(text, "case.tos").declaration
    # Without `suppressions`: not whether each is suppressed, nor CORE009 (which
    # says a suppression suppresses nothing).
    return sorted((finding.rule_id, _LINE.sub("line N", finding.message), finding.statement)
                  + ((finding.suppression is not None, finding.suppression or "") if suppressions else ())
                  for finding in run(rule_set, declaration)
                  if suppressions or finding.rule_id != "CORE009")


def plain_suppressions(text: str) -> bool:
    """Whether every suppression stands where it covers one thing: beside or above
    one statement (or the service's header), or beside one attribute written on
    a line of its own.

    The canonical form keeps those covering exactly what they covered. One
    written beside several statements on one line (`data a; data b  # …`), or
    beside the `;` that ends a statement three lines down, stays beside the
    same statement but cannot cover the same lines (docs/language.md)."""
    declaration = parse_text(text, "case.tos").declaration
    anchors: dict[int, int] = {}
    for service in declaration.services:
        for node in (service, *service.statements):
            anchors[node.span.line] = anchors.get(node.span.line, 0) + 1
            for attribute in node.attributes:
                if attribute.span.line != node.span.line:
                    anchors[attribute.span.line] = anchors.get(attribute.span.line, 0) + 1
    for suppression in suppressions_of(declaration):
        covered = {suppression.span.line} | ({suppression.span.line + 1} if suppression.alone else set())
        if sum(anchors.get(line, 0) for line in covered) != 1:
            return False
    return True


def assert_canonical(rule_set, text: str) -> bool:
    """Asserts the promises; returns whether suppressions were compared too."""
    formatted = format_text(text, "case.tos")
    assert format_text(formatted, "case.tos") == formatted, "formatting again changed the text"
    assert model(formatted) == model(text)
    strict = plain_suppressions(text)
    assert findings(rule_set, formatted, strict) == findings(rule_set, text, strict)
    return strict


def test_the_repository_has_declarations_to_format():
    assert len(FILES) > 50


@pytest.mark.parametrize("path", FILES, ids=lambda path: str(path.relative_to(REPO)))
def test_every_declaration_of_the_repository(path, rule_set):
    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        format_text(text, "case.tos")
    except FormatError as error:
        # Only the fixtures of syntax errors do not parse, and fmt says where.
        assert error.findings and all(f.rule_id in ("TOS001", "TOS002") for f in error.findings)
        assert "invalid" in path.parts or "hostile" in path.name, path
        return
    assert assert_canonical(rule_set, text)


@fuzz_settings(100)
@given(declarations())
def test_generated_declarations(rule_set, case):
    _, text = case
    assert_canonical(rule_set, text)
