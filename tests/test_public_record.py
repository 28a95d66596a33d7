"""Declarations written from the public record of real changes to terms of
service, checked through the CLI with every built-in pack.

Each file carries the verdict a privacy reviewer would give, statement by
statement: `# expect: ID` on the line a finding of that rule starts on,
`# expect-not: ID` where a near miss must stay quiet. The verdicts are
complete: a finding no comment expects fails the test, whatever its pack, as
does an expected one that is not reported.
"""

from __future__ import annotations

import json

import pytest

from conftest import TESTS, fixture_files

FILES = fixture_files(TESTS / "public_record")


def test_the_public_record_is_all_there():
    assert {path.stem for path in FILES} >= {
        "zoom-2023-03-31", "zoom-2023-08-07", "zoom-2023-08-11",
        "wetransfer-2025-06-23", "wetransfer-2025-07-15", "x-2024-11-15", "reddit-2023",
        "slack-2024-05", "meta-2024-06-eu", "clearview-ai", "chatgpt-eu-2023-2024",
        "gpt4-gptbot-2023", "mobilewalla-2024",
        "adobe-2024-06-18", "linkedin-2024-09-18", "linkedin-2025-11-03", "google-2023-07-01",
        "anthropic-2025-09-28", "tumblr-2024-02-27", "otter-2024"}


def verdicts(path) -> tuple[set, set]:
    from tospolicy.packs.fixtures import expectations
    from tospolicy.language.parser import parse_file

    parsed = parse_file(path, path.name)
    assert parsed.declaration is not None, [finding.message for finding in parsed.findings]
    return expectations(parsed.declaration)


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.stem)
def test_the_builtin_packs_give_the_reviewers_verdict(path, cli, monkeypatch):
    monkeypatch.chdir(path.parent)  # no configuration: every built-in pack
    result = cli("check", "--format", "json", "--fail-on", "never", path.name)
    assert result.exit_code == 0, result.stderr
    findings = json.loads(result.stdout)["findings"]
    reported = {(finding["line"], finding["rule"]): finding["message"] for finding in findings}
    expected, excluded = verdicts(path)
    assert expected, "a public-record declaration states its verdict"
    unexpected = [f"{line}: {rule} {message}" for (line, rule), message in sorted(reported.items())
                  if (line, rule) not in expected]
    missing = [f"{line}: {rule}" for line, rule in sorted(expected) if (line, rule) not in reported]
    assert (unexpected, missing) == ([], [])
    assert not excluded & set(reported)
