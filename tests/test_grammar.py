"""The grammar itself: conflict-free LALR, literal keywords, no collisions."""

from __future__ import annotations

import lark
import pytest

from tospolicy.language.parser import parse_text
from tospolicy.language.syntax import KEYWORDS
from tospolicy.support.resources import resource


def test_grammar_builds_in_strict_mode():
    """strict=True fails on any LALR conflict or terminal collision (needs interegular)."""
    pytest.importorskip("interegular")
    text = resource("grammar", "tospolicy.lark").read_text(encoding="utf-8")
    lark.Lark(text, parser="lalr", lexer="contextual", strict=True)


def test_keywords_and_units_are_string_literals():
    """A regex alternation of words would collide with names; literals do not."""
    text = resource("grammar", "tospolicy.lark").read_text(encoding="utf-8")
    grammar = lark.Lark(text, parser="lalr", lexer="contextual")
    literals = {t.pattern.value for t in grammar.terminals if t.pattern.type == "str"}
    assert KEYWORDS <= literals
    assert {"hour", "hours", "day", "days", "week", "weeks", "month", "months", "year", "years"} <= literals


@pytest.mark.parametrize("name", ["data_retention", "user_data", "days_active", "forever", "tos", "service_x"])
def test_names_that_start_with_a_keyword_are_names(name):
    result = parse_text(f'service "s" {{ data {name}; {name}: 30 days }}')
    assert result.findings == []
    service = result.declaration.services[0]
    assert service.statements[0].name.value == name
    assert service.attributes[0].key == name


def test_dotted_terms_may_contain_keyword_segments():
    result = parse_text('service "s" { data d; use d for service.provision; retain d until account.deletion }')
    assert result.findings == []


def test_a_date_is_not_read_as_a_number():
    result = parse_text('service "s" { effective: 2023-08-07; count: 2023 }')
    values = [attribute.value for attribute in result.declaration.services[0].attributes]
    assert [value.kind for value in values] == ["date", "number"]


def test_unit_words_are_names_where_no_number_precedes():
    result = parse_text('service "s" { data days; retain days for 3 days }')
    assert result.findings == []
    retain = result.declaration.services[0].statements[1]
    assert retain.data[0].value == "days" and retain.duration.days == 3


def test_month_and_year_lengths():
    result = parse_text('service "s" { a: 12 months; b: 1 year; c: 2 weeks; d: 48 hours }')
    a, b, c, d = (attribute.value for attribute in result.declaration.services[0].attributes)
    assert a.days == b.days == 365.25
    assert c.days == 14 and d.days == 2


@pytest.mark.parametrize("text", ['plain', 'quote " and \\ backslash', "line\nbreak\ttab",
                                  "bell \x07 nel \x85 sep \u2028", "café 🍵 日本"])
def test_encode_string_round_trips_through_the_parser(text):
    from tospolicy.language.literals import encode_string

    literal = encode_string(text)
    assert "\n" not in literal
    result = parse_text(f"service {literal} {{}}")
    assert result.findings == []
    assert result.declaration.services[0].name.value == text
