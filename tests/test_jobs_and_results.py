"""`check --jobs N` and the result cache (tospolicy/checking/resultcache.py) never change
what is reported: the same bytes out with one process or several, with the
cache cold, warm or bypassed; a file, pack or setting that changes is checked
again."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import REPO, fixture_files, run_tospolicy


@pytest.fixture
def project(tmp_path):
    """The examples and the language fixtures (syntax errors included), a file
    that is not UTF-8 and one with a suppression, in one folder."""
    folder = tmp_path / "project"
    folder.mkdir()
    (tmp_path / ".git").mkdir()  # no configuration from a folder above
    files = (fixture_files(REPO / "examples") + fixture_files(REPO / "tests" / "language" / "valid")
             + fixture_files(REPO / "tests" / "language" / "invalid"))
    assert len(files) > 20
    for number, path in enumerate(files):
        shutil.copy(path, folder / f"{number:02d}-{path.name}")
    (folder / "latin1.tos").write_bytes('service "Café" {}\n'.encode("latin-1"))
    (folder / "suppressed.tos").write_text(SUPPRESSED, encoding="utf-8")
    return folder


SUPPRESSED = """\
service "S" {
  data d { subjects: customer }
  use d for ai.training { consent: opt_out }  # tospolicy: ignore[AI001] reviewed
}
"""


def check(project, cache, *args: str, env: dict | None = None):
    """(the JSON printed, the SARIF written, stderr)."""
    sarif = project.parent / "out.sarif"
    result = run_tospolicy("check", "--format", "json", "--format", "sarif", "--output",
                           str(sarif), "--force", *args, "project", cwd=project.parent,
                           env={"TOSPOLICY_CACHE_DIR": str(cache), **(env or {})})
    assert result.exit_code == 1, result.stderr
    return result.stdout, sarif.read_text(encoding="utf-8"), result.stderr


def test_the_same_report_with_any_jobs_and_the_cache_cold_warm_or_bypassed(project, tmp_path):
    cache = tmp_path / "cache"
    expected = check(project, cache, "--no-cache")
    assert expected[2] == ""
    findings = json.loads(expected[0])["findings"]
    assert len(findings) > 50
    assert {"TOS001", "TOS002", "AI001", "GDPR001"} <= {f["rule"] for f in findings}
    assert json.loads(expected[0])["summary"]["suppressed"] == 1
    assert list(cache.glob("results-*.json")) == []  # --no-cache writes nothing either
    assert check(project, cache, "--jobs", "2", "--no-cache") == expected
    assert check(project, cache, "--jobs", "0", "--no-cache") == expected
    assert check(project, cache) == expected  # cold: fills the cache
    shards = list(cache.glob("results-*.json"))
    assert len(shards) > 1  # the files' findings spread over shards of one namespace
    assert len({shard.name.rsplit("-", 1)[0] for shard in shards}) == 1
    assert check(project, cache, "--jobs", "2") == expected
    assert check(project, "") == expected  # no cache folder at all
    # Warm: every file's findings from the cache, so the rules never run.
    json_out, sarif_out, imports = check(project, cache, env={"PYTHONPROFILEIMPORTTIME": "1"})
    assert (json_out, sarif_out) == expected[:2]
    imported = {line.split("|")[-1].strip() for line in imports.splitlines()}
    assert "tospolicy.checking.resultcache" in imported and "tospolicy.checking.engine" not in imported


def test_what_changes_is_checked_again(project, tmp_path):
    """An edited file, another severity in the configuration, an edited pack
    and a damaged cache file: each gives what a run without cache gives."""
    cache = tmp_path / "cache"

    def same_as_uncached(*args: str):
        assert check(project, cache, *args) == check(project, "", *args)

    same_as_uncached()
    (project / "suppressed.tos").write_text(SUPPRESSED.replace("opt_out", "none"), encoding="utf-8")
    same_as_uncached()
    config = project.parent / ".tospolicy.yml"
    config.write_text("rules:\n  AI001: { severity: note }\n", encoding="utf-8")
    same_as_uncached()
    config.write_text("rules:\n  GDPR001: off\n", encoding="utf-8")
    same_as_uncached()
    config.write_text("limits:\n  max-line-length: 60\n", encoding="utf-8")
    same_as_uncached()
    config.unlink()
    pack = project.parent / "mine.yaml"
    pack.write_text(PACK.format(severity="error"), encoding="utf-8")
    same_as_uncached("-p", "mine.yaml", "-p", "core")
    pack.write_text(PACK.format(severity="warning"), encoding="utf-8")
    same_as_uncached("-p", "mine.yaml", "-p", "core")
    for entry in cache.glob("results-*.json"):
        data = json.loads(entry.read_text(encoding="utf-8"))
        for key in data["files"]:
            data["files"][key] = [["X", "error"]]  # not a finding
        entry.write_text(json.dumps(data), encoding="utf-8")
    same_as_uncached()
    same_as_uncached("-p", "mine.yaml", "-p", "core")


PACK = """\
pack: mine
rules:
  - id: MINE001
    name: no-ai-training
    severity: {severity}
    summary: No AI training.
    select: use
    forbid: purposes overlap ai.training
"""


def test_jobs_must_be_a_count(tmp_path):
    result = run_tospolicy("check", "--jobs", "-1", cwd=tmp_path)
    assert result.exit_code == 2
    assert "-1 is not in the range x>=0" in result.stderr


def test_the_caches_are_bounded(tmp_path, monkeypatch, cli):
    """Writing an entry removes the oldest of its kind beyond the bound, and
    the result cache keeps at most MAX_FILES files' findings, this run's first."""
    import os

    from tospolicy.checking import resultcache
    from tospolicy.support import cache

    folder = tmp_path / "cache"
    monkeypatch.setenv("TOSPOLICY_CACHE_DIR", str(folder))
    for age, name in enumerate(["rules-a.json", "rules-b.json", "rules-c.json"]):
        cache.write_json(name, {"n": age}, keep=2)
        os.utime(folder / name, ns=(age, age))  # written in order, a second apart
    cache.write_json("rules-d.json", {}, keep=2)
    assert sorted(path.name for path in folder.glob("rules-*.json")) == ["rules-c.json",
                                                                          "rules-d.json"]

    monkeypatch.setattr(resultcache, "MAX_FILES", 3)
    monkeypatch.setattr(resultcache, "SHARDS", 1)
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()
    for number in range(5):
        (tmp_path / f"{number}.tos").write_text(f'service "S{number}" {{}}\n', encoding="utf-8")
    assert "2 findings" in cli("check", "0.tos", "1.tos").stdout
    assert "3 findings" in cli("check", "2.tos", "3.tos", "4.tos").stdout
    (entry,) = folder.glob("results-*.json")
    kept = json.loads(entry.read_text(encoding="utf-8"))["files"]
    assert len(kept) == 3  # the three of the last run
