"""`tospolicy rules` and `tospolicy explain ID`."""

from __future__ import annotations

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
    assert ids == ["TOS001", "TOS002", "TOS003"] + [f"CORE{number:03}" for number in range(1, 11)]
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
        "  - https://example.test/why\n\nTags: contracts\n\n"
        "Help: https://github.com/tospolicy/tospolicy/blob/main/docs/rules.md#mine001\n")
    assert cli("explain", "TOS001").stdout.startswith("TOS001 syntax-error (tospolicy, error)")


def test_explain_an_unknown_rule(cli):
    result = cli("explain", "CORE0006")
    assert result.exit_code == 2
    assert result.stderr == "tospolicy: no rule CORE0006 (did you mean CORE006?)\n"


def test_rules_in_a_fresh_process(tmp_path):
    result = run_tospolicy("rules", cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0].startswith("TOS001")


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
