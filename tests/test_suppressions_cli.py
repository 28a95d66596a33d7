"""Inline suppressions: what they cover, and what reporters receive.

The core pack's fixtures (rules/tests/core/core009-*.tos, run by
test_packtest_cli.py) pin down CORE009; these tests pin down coverage.
"""

from __future__ import annotations

from pathlib import Path

PACK = """\
pack: probe
rules:
  - id: P001
    name: no-opt-out
    severity: error
    summary: Opt-out is not enough.
    select: use
    forbid: consent == opt_out
    at: consent
"""

DECLARATION = """\
service "S" {
  effective: 2024-01-01
  data notes
  # tospolicy: ignore[P001] the legal team accepted this (ticket 12)
  use notes for analytics { consent: opt_out }
  use notes for research { consent: opt_out }  # tospolicy: ignore[P001] research exemption
  use notes for personalization { consent: opt_out }
  use notes for marketing {
    basis: consent
    consent: opt_out  # tospolicy: ignore[P001] marketing is opt-out by law here
  }
  use notes for legal {
    # tospolicy: ignore[P001] the line above the attribute counts too
    consent: opt_out
  }
  use notes for ai.inference { consent: opt_out }
}
"""


def setup(tmp_path: Path) -> None:
    (tmp_path / "probe.yaml").write_text(PACK, encoding="utf-8")
    (tmp_path / "d.tos").write_text(DECLARATION, encoding="utf-8")


def test_suppressed_findings_are_not_printed_and_do_not_fail(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    setup(tmp_path)
    result = cli("check", "-p", "probe.yaml", "-p", "core", "d.tos")
    # A trailing suppression covers its own line only, not the next statement (line 7).
    assert result.stdout.splitlines() == [
        "d.tos:7:35: P001 [error] Opt-out is not enough.",
        "d.tos:16:32: P001 [error] Opt-out is not enough.",
        "2 findings (2 errors) in 1 file.",
    ]


def test_reporters_receive_suppressed_findings_with_their_reason(tmp_path, monkeypatch):
    """The interface the other reporters use: suppressed findings stay, with the reason."""
    from tospolicy.checking.checker import check_files
    from tospolicy.checking.discovery import discover
    from tospolicy.packs.loader import PackRef, load_rule_set

    monkeypatch.chdir(tmp_path)
    setup(tmp_path)
    rule_set = load_rule_set([PackRef("probe.yaml", tmp_path), PackRef("core")])
    files, _ = discover([Path("d.tos")])
    report = check_files(files, rule_set=rule_set)
    assert [(f.span.line, f.rule_id, f.suppression) for f in report.findings] == [
        (5, "P001", "the legal team accepted this (ticket 12)"),
        (6, "P001", "research exemption"),
        (7, "P001", None),
        (10, "P001", "marketing is opt-out by law here"),
        (14, "P001", "the line above the attribute counts too"),
        (16, "P001", None),
    ]
    assert report.findings[0].statement == "service S / use notes for analytics"
    assert [rule.id for rule in report.rules][:4] == ["TOS001", "TOS002", "TOS003", "P001"]
    assert len(report.rules) == 3 + 1 + 11 + 4  # the parser's, P001, core's CORE and TEXT rules


def test_a_suppression_with_a_huge_id_is_judged_in_linear_time(tmp_path):
    """`[A-Z][A-Z0-9_]*[0-9]+` backtracked quadratically on a long run of digits:
    one comment of 99,000 digits took minutes. The subprocess timeout only
    guards against the hang."""
    from conftest import run_tospolicy

    comment = "# tospolicy: ignore[A" + "1" * 99_000 + "a] why\n"
    (tmp_path / "a.tos").write_text(
        'service "S" {\n  effective: 2024-01-01\n  ' + comment + "  data d\n  use d for analytics\n}\n",
        encoding="utf-8")
    result = run_tospolicy("check", "-p", "core", "a.tos", cwd=tmp_path, timeout=60)
    assert result.exit_code == 0, result.stderr
    assert "a.tos:3:3: CORE009 [warning] malformed suppression" in result.stdout


def test_a_comment_after_punctuation_is_trailing_not_alone(tmp_path, cli, monkeypatch):
    """`;` or `for` before a suppression on its line are code: the comment
    covers its own line, not the statement below, as `fmt` keeps it (it was
    taken for a comment alone when a line held no word of the model)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "probe.yaml").write_text(PACK, encoding="utf-8")
    (tmp_path / "d.tos").write_text(
        'service "S" {\n'
        "  data notes\n"
        "  ; # tospolicy: ignore[P001] after a semicolon\n"
        "  use notes for analytics { consent: opt_out }\n"
        "  use notes\n"
        "  for # tospolicy: ignore[P001] after a keyword\n"
        "  research { consent: opt_out }\n"
        "  \t# tospolicy: ignore[P001] alone, after blanks\n"
        "  use notes for legal { consent: opt_out }\n"
        "}\n", encoding="utf-8")
    result = cli("check", "-p", "probe.yaml", "d.tos")
    assert result.stdout.splitlines() == [
        "d.tos:4:29: P001 [error] Opt-out is not enough.",
        "d.tos:7:14: P001 [error] Opt-out is not enough.",
        "2 findings (2 errors) in 1 file.",
    ]
