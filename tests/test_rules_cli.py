"""`tospolicy rules` and `tospolicy explain ID`."""

from __future__ import annotations

import re

import pytest

from conftest import run_tospolicy

MINE = """\
pack: mine
rules:
  - id: MINE001
    name: no-analytics
    severity: warning
    summary: No analytics.
    description: |
      Analytics needs a **separate** agreement.
    references: ["Contract §4", "https://example.test/why"]
    tags: [contracts]
    select: use
    forbid: purposes under analytics
"""


def test_rules_lists_the_parser_then_each_pack_in_order(cli):
    result = cli("rules", "-p", "core")
    assert result.exit_code == 0
    ids = [line.split()[0] for line in result.stdout.splitlines()]
    assert ids == (["TOS001", "TOS002", "TOS003"] + [f"CORE{number:03}" for number in range(1, 12)]
                   + [f"TEXT{number:03}" for number in range(1, 5)])
    assert result.stdout.splitlines()[3] == (
        "CORE001  error    core       undeclared-data         "
        "A statement names data that is not declared.")


def test_explain_prints_a_rules_help(cli):
    result = cli("explain", "core006")
    assert result.exit_code == 0
    assert result.stdout.startswith(
        "CORE006 unused-data (core, note)\n\nData declared but never used, shared, retained or "
        "licensed.\n\nA `data` statement no `use`")
    assert result.stdout.endswith(
        "References:\n  - LANGUAGE.md \"Statements\"\n\nTags: completeness\n\n"
        "Help: https://github.com/tospolicy/tospolicy/blob/main/docs/rules.md#core006\n")


def test_explain_finds_rules_of_named_packs_and_the_parser(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine.yaml").write_text(MINE, encoding="utf-8")
    result = cli("explain", "MINE001", "-p", "mine.yaml")
    assert result.stdout == (
        "MINE001 no-analytics (mine, warning)\n\nNo analytics.\n\n"
        "Analytics needs a **separate** agreement.\n\nReferences:\n  - Contract §4\n"
        "  - https://example.test/why\n\nTags: contracts\n")  # no url: no help link
    assert cli("explain", "TOS001").stdout.startswith("TOS001 syntax-error (tospolicy, error)")


def test_explain_an_unknown_rule(cli):
    result = cli("explain", "CORE0006")
    assert result.exit_code == 2
    assert result.stderr == "tospolicy: no rule CORE0006 (did you mean CORE006?)\n"


def test_rules_in_a_fresh_process(tmp_path):
    result = run_tospolicy("rules", cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0].startswith("TOS001")


def _law_pack_rules():
    from tospolicy.packs.loader import PackRef, load_rule_set

    rule_set = load_rule_set([PackRef(name) for name in ("ai", "gdpr", "ccpa", "coppa")])
    infos = rule_set.infos
    assert len(infos) == 25  # AI001–AI007, GDPR001–GDPR010, CCPA001–CCPA004, COPPA001–COPPA004
    return infos


LAW_RULES = _law_pack_rules()
# What a source looks like: an article, a section, a CFR part, an opinion, a case.
CITATION = re.compile(r"Art\. \d|§\s?\d|\bCFR\b|Opinion \d|Guidelines \d|\bC-\d+/\d\d\b|"
                      r"\bFTC\b|ILCS|U\.S\.C\.")


def test_explain_ai001_prints_its_help(cli):
    result = cli("explain", "ai001")
    assert result.exit_code == 0
    text = result.stdout
    assert text.startswith("AI001 training-without-opt-in (ai, error)\n\n"
                           "AI training on personal data or user content without opt-in.\n\n")
    assert "EDPB Opinion 28/2024" in text and "GDPR Art. 4(11), 6(1)(a), 7" in text
    assert "**Fix.**" in text and "consent: opt_in" in text
    assert text.endswith("Help: https://github.com/tospolicy/tospolicy/blob/main/docs/rules.md#ai001\n")


@pytest.mark.parametrize("info", LAW_RULES, ids=lambda info: info.id)
def test_every_rules_help_names_its_source_and_the_fix(info, cli):
    result = cli("explain", info.id)
    assert result.exit_code == 0
    assert info.references, "no references"
    assert CITATION.search(info.description), "the description cites no source"
    assert any(CITATION.search(reference) for reference in info.references), info.references
    assert "References:\n" in result.stdout and "**Fix.**" in result.stdout


@pytest.mark.parametrize("info", LAW_RULES, ids=lambda info: info.id)
def test_every_fix_is_a_declaration_that_parses(info):
    from tospolicy.language.parser import parse_text

    snippets = re.findall(r"```tos\n(.*?)```", info.description, re.S)
    assert snippets, "no ```tos fix"
    for snippet in snippets:
        result = parse_text('service "Fix" {\n' + snippet + "}\n", "fix.tos")
        assert result.declaration is not None, [finding.message for finding in result.findings]


def test_explain_a_diff_rule(cli):
    result = cli("explain", "DIFF004")
    assert result.exit_code == 0
    assert result.stdout.startswith("DIFF004 new-or-escalated-share (diff, warning)")
    assert result.stdout.endswith("docs/rules.md#diff004\n")
def test_pack_text_cannot_write_workflow_commands(tmp_path, cli, monkeypatch):
    """`rules` and `explain` print a pack's own words: each stays on its lines, inert."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "p.yaml").write_text(
        "pack: evil\nrules:\n  - id: EV001\n    name: evil\n    severity: note\n"
        '    summary: "one\\n::error::two ##[add-mask]x"\n'
        '    description: "first\\n::set-output name=a::b\\n  ::warning::c\\u001b[2J"\n'
        "    select: use\n    require: true\n", encoding="utf-8")
    rules = cli("rules", "-p", "p.yaml").stdout
    assert rules.splitlines()[-1].endswith("one\\x0a::error::two ##\\x5badd-mask]x")
    explained = cli("explain", "EV001", "-p", "p.yaml").stdout.splitlines()
    assert explained[2:7] == ["one\\x0a::error::two ##\\x5badd-mask]x", "", "first",
                              "\\x3a:set-output name=a::b", "  \\x3a:warning::c\\x1b[2J"]
    for line in rules.splitlines() + explained:
        assert not line.lstrip().startswith("::") and "##[" not in line
