"""The bundled examples, as the README's "Try it" runs them: each invented
service shows the pack it was written for, and the one meant to pass does."""

from __future__ import annotations

import json

import pytest

from conftest import REPO, fixture_files, run_tospolicy

EXAMPLES = fixture_files(REPO / "examples")

# Every finding each example gets from the built-in packs, by rule.
FINDINGS = {
    "notes-app": set(),
    # The US state laws ask every service for a way to appeal a refused request.
    "zoom-2023-08": {"USST007"},
    "zoom-2023-03": {"AI001", "AI003", "GDPR001", "GDPR002", "GDPR005", "CCPA004", "USST007"},
    "kids-reading-app": {"COPPA001", "COPPA002", "COPPA003", "COPPA004", "CCPA001", "CCPA003",
                         "USST001", "USST002", "USST004", "USST005", "USST006", "USST007"},
    "location-data-broker": {"CCPA001", "CCPA002", "CCPA004",
                             "USST001", "USST002", "USST004", "USST005", "USST007"},
    "helpdesk-processor": {"GDPR005", "GDPR006", "GDPR007", "GDPR008", "GDPR009", "AI001"},
    "social-network-ai-licensing": {"AI001", "AI002", "AI003", "AI004", "AI007", "GDPR004",
                                    "CCPA002", "BIPA001", "BIPA002", "USST005", "USST007"},
}
# The pack each example illustrates, and the share of its rules it shows.
ILLUSTRATES = {"kids-reading-app": ("COPPA", 4), "location-data-broker": ("CCPA", 3),
               "helpdesk-processor": ("GDPR", 5), "social-network-ai-licensing": ("AI", 5)}


def test_every_example_is_described_here():
    assert len(EXAMPLES) >= 7
    assert {path.stem for path in EXAMPLES} == set(FINDINGS)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.stem)
def test_each_example_gets_the_findings_it_was_written_for(path, cli, monkeypatch):
    monkeypatch.chdir(path.parent)  # no configuration: every built-in pack
    result = cli("check", "--format", "json", "--fail-on", "never", path.name)
    assert result.exit_code == 0, result.stderr
    rules = {finding["rule"] for finding in json.loads(result.stdout)["findings"]}
    assert rules == FINDINGS[path.stem]
    if path.stem in ILLUSTRATES:
        prefix, at_least = ILLUSTRATES[path.stem]
        assert len({rule for rule in rules if rule.startswith(prefix)}) >= at_least


def test_the_notes_app_passes_every_builtin_pack(cli, monkeypatch):
    monkeypatch.chdir(REPO / "examples")
    result = cli("check", "--fail-on", "note", "notes-app.tos")
    assert result.exit_code == 0, result.stdout
    assert result.stdout == "No findings in 1 file.\n"


def test_try_it_exits_1_with_findings_and_nothing_on_stderr(tmp_path):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert ".venv/bin/tospolicy check examples" in readme and "exits with code 1" in readme
    result = run_tospolicy("check", str(REPO / "examples"), cwd=tmp_path)
    assert result.exit_code == 1
    assert result.stderr == ""
    assert result.stdout.splitlines()[-1].endswith(f"in {len(EXAMPLES)} files.")
