"""The "did you mean" of check for what newcomers get wrong, through
`tospolicy check`, with the fix each finding carries in the JSON output."""

from __future__ import annotations

import json

import pytest

SLIPS = """service "S" {
  effective: 2024-01-01
  data notes { categories: content.text; subject: customer }
  use notes for ai.training { consent: yes; lawful_basis: consent }
  use notes for training { consent: optin; basis: legitimate_interest }
  share notes with "X" { purpose: analytics; role: vendor }
  right delete
  use note for analytics
}
"""


@pytest.fixture
def findings(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)

    def run(text: str) -> list[dict]:
        (tmp_path / "slips.tos").write_text(text)
        result = cli("check", "-p", "core", "--format", "json", "slips.tos")
        return json.loads(result.stdout)["findings"]

    return run


@pytest.mark.parametrize("written, message, replacement", [
    ("subject", "unknown attribute 'subject' for data statements (did you mean 'subjects'?)", "subjects"),
    ("lawful_basis", "unknown attribute 'lawful_basis' for use statements (did you mean 'basis'?)", "basis"),
    ("purpose", "unknown attribute 'purpose' for share statements (did you mean 'purposes'?)", "purposes"),
    ("delete", "unknown right 'delete' (did you mean 'erasure'?)", "erasure"),
    ("training", "unknown purpose 'training' (did you mean 'ai.training'?)", "ai.training"),
    ("optin", "(did you mean 'opt_in'?), not 'optin'", "opt_in"),
    ("vendor", "(did you mean 'processor'?), not 'vendor'", "processor"),
    ("note", "'note' is not declared in this service (did you mean 'notes'?)", "notes"),
])
def test_a_slip_gets_a_suggestion_and_its_fix(findings, written, message, replacement):
    found = [finding for finding in findings(SLIPS) if message in finding["message"]]
    assert len(found) == 1, [finding["message"] for finding in findings(SLIPS)]
    fix = found[0]["fix"]
    assert fix["replacement"] == replacement
    line = SLIPS.split("\n")[fix["line"] - 1]
    assert line[fix["column"] - 1:fix["end_column"] - 1] == written


def test_a_value_of_the_wrong_kind_lists_the_allowed_ones(findings):
    messages = [finding["message"] for finding in findings(SLIPS)]
    assert "'consent' takes one of explicit_opt_in, opt_in, opt_out, none, not yes" in messages


def test_a_hyphen_in_a_name_says_what_to_write(findings):
    text = 'service "S" {\n  data notes\n  use notes for ai.training { consent: opt-in }\n}\n'
    (finding,) = findings(text)
    assert finding["rule"] == "TOS001"
    assert finding["message"] == ("'opt-in' is not a name: names join their words with '_', "
                                  "not '-' (did you mean 'opt_in'?)")
    assert finding["fix"] == {"line": 3, "column": 40, "end_line": 3, "end_column": 46,
                              "replacement": "opt_in"}


def test_a_finding_without_a_suggestion_has_no_fix(findings):
    text = 'service "S" {\n  effective: 2024-01-01\n  data notes { zzzzqqq: 1 }\n}\n'
    (finding,) = [finding for finding in findings(text) if finding["rule"] == "CORE003"]
    assert finding["message"] == "unknown attribute 'zzzzqqq' for data statements"
    assert finding["fix"] is None


def test_a_pack_definition_is_suggested_from_its_abbreviation(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "p.yaml").write_text(
        "pack: p\ndefinitions:\n  communications: purposes under marketing.communications\n"
        "rules:\n  - id: P001\n    name: p\n    severity: note\n    summary: P.\n"
        "    select: use\n    forbid: $comms\n")
    (tmp_path / "a.tos").write_text('service "S" { data a }\n')
    result = cli("check", "-p", "p.yaml", "a.tos")
    assert result.exit_code == 2
    assert "(did you mean '$communications'?)" in result.stderr


def test_the_fix_survives_the_result_cache(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.tos").write_text('service "S" {\n  effective: 2024-01-01\n  right delete\n}\n')
    runs = [json.loads(cli("check", "-p", "core", "--format", "json", "a.tos").stdout)
            for _ in range(2)]
    assert runs[0]["findings"] == runs[1]["findings"]
    assert runs[1]["findings"][0]["fix"]["replacement"] == "erasure"
