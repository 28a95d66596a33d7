"""`tospolicy test PACK…`: packs against their fixtures, as pack authors run it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import REPO, run_tospolicy

EVERY_OPERATOR = REPO / "tests" / "packs" / "every-operator.yaml"


def builtin_packs() -> list[str]:
    from tospolicy.packs.loader import builtin_packs as found

    names = sorted(found())
    assert names, "no built-in packs found"
    return names


@pytest.mark.parametrize("name", builtin_packs())
def test_every_builtin_pack_passes_its_fixtures(name, cli):
    result = cli("test", name)
    assert result.exit_code == 0, result.stdout + result.stderr
    summary = re.fullmatch(rf"{name}: all (\d+) expectations met in (\d+) fixture files\.\n",
                           result.stdout)
    assert summary, result.stdout
    expectations, files = map(int, summary.groups())
    assert files > 0 and expectations >= 2 * files


def test_the_builtin_packs_pass_their_fixtures_together(cli):
    """Loaded together, one pack's rules do not upset another's fixtures."""
    names = builtin_packs()
    result = cli("test", *names)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == names


def test_the_every_operator_pack_passes_its_fixtures(cli):
    fixtures = sorted((EVERY_OPERATOR.parent / "every-operator").glob("*.tos"))
    assert len(fixtures) > 10
    result = cli("test", str(EVERY_OPERATOR))
    assert result.exit_code == 0, result.stdout
    assert result.stdout == f"every-operator: all 76 expectations met in {len(fixtures)} fixture files.\n"


def test_several_packs_at_once_from_a_subprocess(tmp_path):
    result = run_tospolicy("test", "core", str(EVERY_OPERATOR), cwd=tmp_path)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == ["core", "every-operator"]


@pytest.fixture
def pack_copy(tmp_path, monkeypatch) -> Path:
    """A copy of the every-operator pack and its fixtures, to break."""
    shutil.copy(EVERY_OPERATOR, tmp_path / "ops.yaml")
    shutil.copytree(EVERY_OPERATOR.parent / "every-operator", tmp_path / "every-operator")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == count
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_wrong_expectation_fails_with_file_and_line(pack_copy, cli):
    edit(pack_copy / "every-operator" / "ops006.tos",
         "use notes for marketing.communications             # expect-not: OPS006",
         "use notes for marketing.communications             # expect: OPS006")
    result = cli("test", "ops.yaml")
    assert result.exit_code == 1
    assert result.stdout == (
        "every-operator/ops006.tos:6: expected OPS006, which was not reported\n"
        "every-operator: 1 mismatch in 18 fixture files.\n")


def test_an_unexpected_finding_and_a_violated_expect_not(pack_copy, cli):
    edit(pack_copy / "every-operator" / "ops001.tos", "  # expect: OPS001", "")
    edit(pack_copy / "every-operator" / "ops001.tos", "{ consent: opt_out }  ", "{ consent: none }     ")
    result = cli("test", "ops.yaml")
    assert result.exit_code == 1
    assert result.stdout == (
        "every-operator/ops001.tos:3: OPS001 was reported but not expected: notes is used for "
        "analytics with no choice\n"
        "every-operator/ops001.tos:4: OPS001 was reported, but the line says expect-not: notes is "
        "used for analytics with no choice\n"
        "ops.yaml:23: OPS001 has no fixture that expects it\n"
        "every-operator: 3 mismatches in 18 fixture files.\n")


def test_every_rule_needs_a_trigger_and_a_near_miss(pack_copy, cli):
    edit(pack_copy / "every-operator" / "ops017.tos", "# expect: OPS017", "# expect: OPS016")
    edit(pack_copy / "every-operator" / "ops017.tos", "# expect-not: OPS017", "", count=2)
    result = cli("test", "ops.yaml")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "every-operator/ops017.tos:3: OPS017 was reported but not expected: Buyer buys notes",
        "every-operator/ops017.tos:3: expected OPS016, which was not reported",
        "ops.yaml:178: OPS017 has no fixture that expects it",
        "ops.yaml:178: OPS017 has no near miss (expect-not) in the fixtures",
        "every-operator: 4 mismatches in 18 fixture files.",
    ]


def test_a_fixture_that_does_not_parse_or_names_an_unknown_rule(pack_copy, cli):
    (pack_copy / "every-operator" / "broken.tos").write_text(
        'service "X" {\n  data notes {\n    categories content.text\n  }\n}\n', encoding="utf-8")
    (pack_copy / "every-operator" / "unknown.tos").write_text(
        'service "X" {\n  data n  # expect: NOPE001\n}\n', encoding="utf-8")
    result = cli("test", "ops.yaml")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "every-operator/broken.tos:3: fixture does not parse: expected ':' after attribute name "
        "'categories', found name 'content.text'",
        "every-operator/unknown.tos:2: NOPE001 is not a rule of the loaded packs",
        "every-operator: 2 mismatches in 20 fixture files.",
    ]


def test_a_pack_without_fixtures(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    rule = ("rules:\n  - id: X001\n    name: x\n    severity: note\n    summary: X.\n"
            "    select: use\n    forbid: true\n")
    (tmp_path / "none.yaml").write_text("pack: none\n" + rule, encoding="utf-8")
    (tmp_path / "gone.yaml").write_text("pack: gone\ntests: ./gone/\n"
                                        + rule.replace("X001", "Y001").replace("x\n", "y\n"),
                                        encoding="utf-8")
    result = cli("test", "none.yaml", "gone.yaml")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "none.yaml:1: pack 'none' names no fixtures folder (tests: ./folder/)",
        "none: 1 mismatch in 0 fixture files.",
        "gone.yaml:2: fixtures folder gone does not exist",
        "gone: 1 mismatch in 0 fixture files.",
    ]


def test_a_broken_pack_is_a_usage_error(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.yaml").write_text("pack: bad\nrules: nope\n", encoding="utf-8")
    result = cli("test", "bad.yaml")
    assert result.exit_code == 2
    assert result.stderr == "tospolicy: bad.yaml:2:8: 'rules' should be a list\n"


def test_suppressed_findings_do_not_count_as_reported(pack_copy, cli):
    edit(pack_copy / "every-operator" / "ops001.tos",
         "use notes for analytics { consent: none }          # expect: OPS001",
         "use notes for analytics { consent: none }  # tospolicy: ignore[OPS001] tested  # expect-not: OPS001")
    result = cli("test", "ops.yaml")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "ops.yaml:23: OPS001 has no fixture that expects it",
        "every-operator: 1 mismatch in 18 fixture files.",
    ]
