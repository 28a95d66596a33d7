"""Verdicts a privacy lawyer signs, messages a reviewer trusts: each correction
of the 0.2 rules, checked through the CLI on a declaration of its own
(tests/legal/), with every built-in pack and no configuration.

The pack fixtures (rules/tests/, run by `tospolicy test`) hold each rule's
triggers and near misses; these tests hold what a user sees: which findings a
whole declaration gets, and what their messages say.
"""

from __future__ import annotations

import json

import pytest

from conftest import TESTS

LEGAL = TESTS / "legal"
DIFFS = LEGAL / "diff"


@pytest.fixture
def check(cli, monkeypatch):
    """`tospolicy check FILE --format json` in tests/legal: {(line, rule): message}."""
    monkeypatch.chdir(LEGAL)

    def run(name: str, *options: str) -> dict[tuple[int, str], str]:
        result = cli("check", "--format", "json", "--fail-on", "never", *options, name)
        assert result.exit_code == 0, result.stderr
        return {(finding["line"], finding["rule"]): finding["message"]
                for finding in json.loads(result.stdout)["findings"]}

    return run


@pytest.fixture
def diff(cli, monkeypatch):
    """`tospolicy diff OLD NEW --format json` in tests/legal/diff: its changes."""
    monkeypatch.chdir(DIFFS)

    def run(old: str, new: str) -> list[dict]:
        result = cli("diff", old, new, "--format", "json")
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)["files"][0]["changes"]

    return run


def _rules(found) -> list[str]:
    return sorted(rule for _, rule in found)


# -- verdicts

def test_instructed_processing_is_the_customers_but_improvement_is_the_processors(check):
    found = check("processor-instructed.tos")
    assert _rules(found) == ["GDPR007"]
    assert (12, "GDPR007") in found  # service.improvement, instructed or not
    assert "improving the processor's own service is its own purpose" in found[12, "GDPR007"]


def test_a_childs_name_and_voice_need_parental_consent_but_not_the_parents_email(check):
    found = check("childrens-app.tos")
    # The US state laws read a known child's data the same way (USST001, USST005);
    # the service declares no appeal (USST007).
    assert _rules(found) == ["COPPA001", "USST001", "USST005", "USST007"]
    assert not [key for key in found if key[0] == 16]  # the parent's own email
    assert (15, "USST001") in found
    assert (15, "COPPA001") in found  # service.provision is no exception
    assert "16 CFR 312.5(a)(1)" in found[15, "COPPA001"]


def test_pre_ticked_analytics_consent_is_no_consent(check):
    found = check("cookies-pre-ticked.tos")
    assert _rules(found) == ["GDPR010"]
    assert "Planet49" in found[9, "GDPR010"]


def test_inferring_political_opinions_is_processing_them(check):
    found = check("inferred-politics.tos")
    assert _rules(found) == ["GDPR004"]
    assert "infer special.political" in found[8, "GDPR004"]
    assert "C-184/20" in found[8, "GDPR004"]


def test_everywhere_except_europe(check):
    found = check("outside-europe.tos")
    # The opt-out training outside Europe: AI001 (everywhere) but no GDPR rule.
    assert (9, "AI001") in found
    assert [key for key in found if key[1].startswith("GDPR")] == [(14, "GDPR001")]
    # The European never is not contradicted; the one that includes the US is,
    # and CORE008 says where each applies.
    assert found[12, "CORE008"] == (
        "contradicts 'never posts for marketing.advertising.targeted' (line 11, in eu, eea, "
        "uk, ch, us): posts for marketing.advertising.targeted everywhere except eu, eea, uk, ch")
    assert (13, "GDPR001") not in found  # analytics outside Europe: no GDPR
    assert (14, "GDPR001") in found  # the same in the UK
    # Everywhere but Europe includes the US: the state laws judge the targeted
    # advertising (USST002, USST004, USST005) and ask for an appeal (USST007).
    assert [key for key in found if key[1].startswith("USST")] == [
        (4, "USST007"), (12, "USST002"), (12, "USST004"), (12, "USST005")]
    assert _rules(found) == ["AI001", "CORE008", "GDPR001", "USST002", "USST004", "USST005",
                             "USST007"]


# -- messages

def test_messages_say_what_the_rules_help_says(check):
    found = check("messages.tos")
    assert found[15, "GDPR001"].startswith("posts, public_info are personal data used for analytics")
    assert "de-identified or aggregated, content is still what people wrote" in found[16, "AI001"]
    web = found[17, "AI001"]
    assert "cannot opt in" in web and "legitimate-interests assessment" in web
    assert "needs opt-in" not in web
    sale = found[18, "CCPA001"]
    assert "Do Not Sell or Share" in sale and "Global Privacy Control" in sale
    assert "people cannot opt out" not in sale
    # captions are derived from meetings but not trained on: not listed.
    assert found[19, "AI007"].endswith("used for AI training: summaries")


def test_a_custom_rule_links_to_its_own_help(cli, monkeypatch):
    monkeypatch.chdir(LEGAL)
    own = cli("explain", "ACME101", "--pack", "acme-pack.yaml").stdout
    assert "Help: https://example.com/acme/rules/acme101" in own
    packs = cli("explain", "ACME102", "--pack", "acme-pack.yaml").stdout
    assert "Help: https://example.com/acme/policies" in packs
    assert "docs/rules.md" not in own + packs
    sarif = json.loads(cli("check", "--pack", "acme-pack.yaml", "--format", "sarif",
                           "--fail-on", "never", "messages.tos").stdout)
    uris = {rule["id"]: rule.get("helpUri") for run in sarif["runs"]
            for rule in run["tool"]["driver"]["rules"]}
    assert uris["ACME101"] == "https://example.com/acme/rules/acme101"
    assert uris["ACME102"] == "https://example.com/acme/policies"


def test_a_custom_pack_without_url_gives_no_link(cli, tmp_path, monkeypatch):
    pack = (LEGAL / "acme-pack.yaml").read_text(encoding="utf-8").replace(
        "url: https://example.com/acme/policies\n", "")
    (tmp_path / "acme.yaml").write_text(pack, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert "Help:" not in cli("explain", "ACME102", "--pack", "acme.yaml").stdout


def test_a_rule_url_must_be_a_web_address(cli, tmp_path, monkeypatch):
    pack = (LEGAL / "acme-pack.yaml").read_text(encoding="utf-8").replace(
        "https://example.com/acme/rules/acme101", "'javascript:alert(1)'")
    (tmp_path / "acme.yaml").write_text(pack, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = cli("explain", "ACME101", "--pack", "acme.yaml")
    assert result.exit_code != 0
    assert "acme.yaml:10:" in result.stderr and "Traceback" not in result.stderr


def test_a_suppression_of_an_unknown_rule_is_reported(check):
    found = check("suppression-unknown-rule.tos")
    assert _rules(found) == ["CORE009"]
    assert "no loaded pack defines rule GDPR01" in found[7, "CORE009"]
    assert "GDPR001" in found[7, "CORE009"]


# -- the diff

def _summary(changes) -> list[tuple]:
    return sorted((change["id"] or "~", change["classification"], change["severity"] or "~",
                   change["subject"]) for change in changes)


def test_restoring_opt_in_with_the_withdrawal_path_moved_is_no_regression(diff):
    changes = diff("consent-restored-old.tos", "consent-restored-new.tos")
    assert [change for change in changes if change["classification"] == "regression"] == []
    assert any("consent now withdrawn through right withdraw_consent" in change["message"]
               for change in changes)


def test_retention_extended_for_training_is_an_error_and_commitments_say_where(diff):
    changes = {(change["id"], change["subject"]): change for change in diff(
        "retention-old.tos", "retention-new.tos") if change["classification"] == "regression"}
    assert changes["DIFF005", "retain chats"]["severity"] == "error"
    assert changes["DIFF005", "retain logs"]["severity"] == "warning"
    broadened = changes["DIFF001", "use chats for ai.training"]["message"]
    assert "purpose broadened from ai.training.generative to ai.training" in broadened
    removed = changes["DIFF009", "never drafts for ai.training"]["message"]
    assert removed.endswith("for ai.training (AI training) in eu, eea, uk, ch")
    narrowed = changes["DIFF009", "never chats for ai.inference"]
    assert narrowed["new"]["line"] == 9  # the never that is left, not the service
    assert narrowed["new"]["column"] == 19


def test_zoom_march_to_august_2023_is_a_retreat(diff):
    changes = diff("zoom-2023-03-31.tos", "zoom-2023-08-11.tos")
    assert [change for change in changes if change["classification"] == "regression"] == []
    assert ("DIFF006", "improvement", "~", "license communications, other_content to provider") \
        in _summary(changes)
    needed = [change["message"] for change in changes if change["classification"] == "neutral"
              and "which running the service lawfully needs" in change["message"]]
    assert len(needed) == 3  # two data sets' uses and the licence
    assert all("service.security" in message and "legal.compliance" in message
               for message in needed)


def test_the_data_use_label_says_where_a_statement_does_not_apply(cli, monkeypatch):
    monkeypatch.chdir(LEGAL)
    page = cli("render", "--format", "markdown", "outside-europe.tos").stdout
    assert "Except in: European Union, European Economic Area, United Kingdom, Switzerland" in page
