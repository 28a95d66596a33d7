"""Rules from a pull request's base commit (tospolicy/action/trusted.py), on real git
repositories: what is read from the base, what is refused, and how paths keep
their meaning. tests/test_action.py runs it through the action."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pull_requests import TwoCommits, git
from tospolicy.checking.discovery import discover
from tospolicy.action.trusted import TrustedRulesError, repository_path, trusted_settings

PACK = "pack: acme\nversion: 1.0.0\ndescription: d\nrules: []\n"


def _trusted(repo: TwoCommits, config=None, packs=(), cwd=None):
    return trusted_settings(repo.base_sha, cwd or repo.workspace, repo.tmp_path / "private",
                            config, tuple(packs), None)


def test_a_rule_turned_off_by_the_pull_request_stays_on(tmp_path):
    repo = TwoCommits(tmp_path, {".tospolicy.yml": "fail-on: warning\n"},
                      {".tospolicy.yml": "fail-on: never\nrules:\n  CORE008: off\n"})
    trusted = _trusted(repo)
    assert trusted.settings.overrides == {}
    assert trusted.settings.fail_on == "warning"
    assert trusted.read == [".tospolicy.yml"] and trusted.changed == [".tospolicy.yml"]


def test_without_a_configuration_in_the_base_the_defaults_apply(tmp_path):
    repo = TwoCommits(tmp_path, {"a.tos": ""}, {".tospolicy.yml": "packs: [core]\nrules:\n  CORE008: off\n"})
    trusted = _trusted(repo)
    assert trusted.settings.overrides == {} and trusted.settings.fail_on == "error"
    assert trusted.read == [] and trusted.changed == [".tospolicy.yml"]
    assert len(trusted.settings.packs) >= 1 and all(not ref.is_path for ref in trusted.settings.packs)


def test_packs_are_the_base_versions_named_relative_to_the_configuration(tmp_path):
    repo = TwoCommits(tmp_path,
                      {"sub/.tospolicy.yml": "packs: [core, ../rules/acme.yaml]\ninclude: ['policies/**/*.tos']\n",
                       "rules/acme.yaml": PACK, "sub/policies/x/a.tos": "", "b.tos": ""},
                      {"rules/acme.yaml": PACK.replace("1.0.0", "6.6.6")})
    trusted = _trusted(repo, config="sub/.tospolicy.yml")
    texts = [ref.text for ref in trusted.settings.packs]
    assert texts == ["core", "../rules/acme.yaml"]
    copy = trusted.settings.packs[1].base / "../rules/acme.yaml"
    assert "1.0.0" in copy.read_text() and not copy.resolve().is_relative_to(repo.workspace)
    assert trusted.changed == ["rules/acme.yaml"]
    # include patterns match from the configuration's folder in the working tree
    merged = trusted.settings
    files, missing = discover(merged.default_paths, merged.include, merged.exclude,
                              cwd=repo.workspace, base=merged.config.folder)
    assert [found.display for found in files] == ["sub/policies/x/a.tos"] and missing == []


def test_packs_given_to_the_action_are_read_from_the_base(tmp_path):
    repo = TwoCommits(tmp_path, {"acme.yaml": PACK}, {"acme.yaml": PACK.replace("1.0.0", "6.6.6")})
    trusted = _trusted(repo, packs=["core", "./acme.yaml"])
    refs = trusted.settings.packs
    assert refs[0].text == "core"
    assert "1.0.0" in Path(refs[1].text).read_text()
    with pytest.raises(TrustedRulesError, match="pack 'new.yaml' does not exist in the base commit"):
        _trusted(TwoCommits(tmp_path / "other", {"a": ""}, {"new.yaml": PACK}), packs=["new.yaml"])


@pytest.mark.parametrize("pack", ["../outside.yaml", "rules/../../outside.yaml", "/etc/passwd.yaml"])
def test_a_pack_outside_the_repository_is_refused(tmp_path, pack):
    repo = TwoCommits(tmp_path, {".tospolicy.yml": f"packs: ['{pack}']\n"}, {})
    with pytest.raises(TrustedRulesError, match="is not a path inside the repository"):
        _trusted(repo)
    with pytest.raises(TrustedRulesError, match="is not a path inside the repository"):
        _trusted(repo, packs=[pack])


def test_a_symbolic_link_in_the_base_is_not_followed(tmp_path):
    repo = TwoCommits(tmp_path, {"a.tos": ""}, {})
    git("checkout", "--quiet", "main", cwd=repo.workspace)
    os.symlink("/etc/hostname", repo.workspace / "evil.yaml")
    git("add", "evil.yaml", cwd=repo.workspace)
    git("commit", "--quiet", "-m", "link", cwd=repo.workspace)
    base = git("rev-parse", "HEAD", cwd=repo.workspace)
    with pytest.raises(TrustedRulesError, match="evil.yaml is not a regular file"):
        trusted_settings(base, repo.workspace, tmp_path / "private", None, ("evil.yaml",), None)


def test_the_baseline_is_the_base_one_and_names_files_from_its_own_folder(tmp_path):
    repo = TwoCommits(tmp_path, {".tospolicy.yml": "baseline: ci/baseline.json\n"},
                      {"ci/baseline.json": '{"tospolicy-baseline": 1, "findings": []}'})
    trusted = _trusted(repo)
    # Not in the base: nothing is hidden, whatever the pull request adds.
    assert not trusted.settings.baseline.exists()
    assert trusted.baseline_folder == (repo.workspace / "ci").resolve()
    assert trusted.changed == ["ci/baseline.json"]
    untouched = TwoCommits(tmp_path / "untouched", {".tospolicy.yml": "baseline: ci/baseline.json\n"}, {})
    assert _trusted(untouched).changed == []


def test_repository_paths(tmp_path):
    top = tmp_path
    assert repository_path("./a/../b.yaml", top / "sub", top) == "sub/b.yaml"
    assert repository_path("../b.yaml", top / "sub", top) == "b.yaml"
    for text in ("", ".", "..", "../x", "/x", "sub/../../x"):
        with pytest.raises(TrustedRulesError):
            repository_path(text, top, top)
