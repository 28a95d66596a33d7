"""Watched topics as pack data: a pack's `topics:` used by `check`, tested
by `tospolicy test`, and validated like the rest of a pack."""

from __future__ import annotations

import json

from pull_requests import git, write_files

PACK = """pack: acme-topics
version: 1.0.0
description: Acme's own topics.
tests: ./acme-tests/
topics:
  - name: voice-cloning
    label: cloning a person's voice
    severity: error
    words:
      en: ["voice clon*", "clone* ** voice*"]
      de: ["stimmklon*"]
"""
FIXTURE = """# Voice

We may clone your recorded voice to read messages aloud. <!-- expect-topic: voice-cloning -->

Wir nutzen Stimmklonen nicht. <!-- expect-topic: voice-cloning -->

We store your voice messages for 30 days. <!-- expect-not-topic: voice-cloning -->
"""


def test_a_packs_topics_pass_tospolicy_test(tmp_path, cli, monkeypatch):
    write_files(tmp_path, {"acme.yaml": PACK, "acme-tests/voice.md": FIXTURE})
    monkeypatch.chdir(tmp_path)
    result = cli("test", "acme.yaml")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "all 3 expectations met" in result.stdout


def test_a_topic_without_a_near_miss_or_wrongly_expected_is_a_mismatch(tmp_path, cli, monkeypatch):
    fixture = FIXTURE.replace("expect-not-topic", "expect-topic")
    write_files(tmp_path, {"acme.yaml": PACK, "acme-tests/voice.md": fixture})
    monkeypatch.chdir(tmp_path)
    result = cli("test", "acme.yaml")
    assert result.exit_code == 1
    assert "acme-tests/voice.md:7: expected topic 'voice-cloning', which this block does not reveal" \
        in result.stdout
    assert "acme.yaml:6: topic 'voice-cloning' has no near miss (expect-not-topic)" in result.stdout


def test_check_reports_a_packs_topic_in_the_text(tmp_path, cli, monkeypatch):
    git("init", "--quiet", cwd=tmp_path)
    write_files(tmp_path, {
        "acme.yaml": PACK, "acme-tests/voice.md": FIXTURE,
        "terms.md": "Hello.\n\nWe clone your voice for dubbing.\n",
        "a.tos": 'service "A" {\n  effective: 2024-01-01\n  text: "terms.md"\n}\n'})
    monkeypatch.chdir(tmp_path)
    result = cli("check", "--format", "json", "--no-cache", "-p", "core", "-p", "acme.yaml", "a.tos")
    [finding] = [item for item in json.loads(result.stdout)["findings"] if item["rule"] == "TEXT003"]
    assert (finding["path"], finding["line"]) == ("terms.md", 3)
    assert "cloning a person's voice ('clone your voice')" in finding["message"]


def test_two_packs_cannot_define_one_topic(tmp_path, cli, monkeypatch):
    write_files(tmp_path, {"acme.yaml": PACK,
                           "other.yaml": PACK.replace("pack: acme-topics", "pack: other")})
    monkeypatch.chdir(tmp_path)
    result = cli("check", "-p", "acme.yaml", "-p", "other.yaml")
    assert result.exit_code == 2
    assert "other.yaml:6:11:" in result.stderr
    assert "topic 'voice-cloning' is already defined by pack 'acme-topics'" in result.stderr


def test_a_topic_phrase_is_not_a_regular_expression(tmp_path, cli, monkeypatch):
    git("init", "--quiet", cwd=tmp_path)
    pack = PACK.replace('en: ["voice clon*", "clone* ** voice*"]', 'en: ["(a+)+$", "x{1000}"]')
    write_files(tmp_path, {"acme.yaml": pack, "terms.md": "(a+)+$ and aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\n",
                           "a.tos": 'service "A" {\n  effective: 2024-01-01\n  text: "terms.md"\n}\n'})
    monkeypatch.chdir(tmp_path)
    result = cli("check", "--format", "json", "--no-cache", "-p", "core", "-p", "acme.yaml", "a.tos")
    [finding] = [item for item in json.loads(result.stdout)["findings"] if item["rule"] == "TEXT003"]
    assert "('(a+)+$')" in finding["message"]


def test_a_topic_with_a_bad_shape_is_a_pack_error(tmp_path, cli, monkeypatch):
    write_files(tmp_path, {"acme.yaml": PACK.replace("severity: error", "severity: fatal")})
    monkeypatch.chdir(tmp_path)
    result = cli("check", "-p", "acme.yaml")
    assert result.exit_code == 2
    assert "acme.yaml:" in result.stderr and "fatal" in result.stderr
