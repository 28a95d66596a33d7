"""The pack cache (tospolicy/packs/cache.py) never changes a verdict: the same
findings whether the cache is cold, warm or off; a pack that changes is read
and validated again; a damaged entry is a miss; a warm run imports neither
Lark nor PyYAML."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import REPO, run_tospolicy

EVERY_OPERATOR = REPO / "tests" / "packs" / "every-operator.yaml"

# (what, the arguments of `check` from REPO): every built-in pack on the
# examples, and a pack using every construct of the condition language (dates,
# durations, `indefinitely`, regular expressions, definitions, its own terms)
# on its fixtures.
RUNS = [
    ("built-in packs", ["examples"]),
    ("every operator", ["-p", str(EVERY_OPERATOR), "-p", "core",
                        str(EVERY_OPERATOR.parent / "every-operator")]),
]


def check(args, cache, *extra: str, env: dict | None = None):
    return run_tospolicy("check", "--format", "json", *extra, *args, cwd=REPO,
                         env={"TOSPOLICY_CACHE_DIR": str(cache), **(env or {})})


@pytest.mark.parametrize("args", [args for _, args in RUNS], ids=[name for name, _ in RUNS])
def test_the_same_findings_with_the_cache_cold_warm_and_off(tmp_path, args):
    cache = tmp_path / "cache"
    cold = check(args, cache)
    assert cold.exit_code == 1 and cold.stderr == ""
    assert len(json.loads(cold.stdout)["findings"]) > 10
    assert len(list(cache.glob("rules-*.json"))) == 1
    warm = check(args, cache, env={"PYTHONPROFILEIMPORTTIME": "1"})
    off = check(args, "")
    assert warm.stdout == cold.stdout and off.stdout == cold.stdout
    assert warm.exit_code == off.exit_code == 1 and off.stderr == ""
    imported = {line.split("|")[-1].strip() for line in warm.stderr.splitlines()}
    assert "tospolicy.packs.cache" in imported
    assert not {"lark", "yaml", "tospolicy.conditions.larkparser", "jsonschema"} & imported


def test_the_configuration_applies_to_a_cached_rule_set(tmp_path):
    """Severities and `off` come from the configuration on every run, cache or not."""
    cache = tmp_path / "cache"
    shutil.copy(REPO / "examples" / "social-network-ai-licensing.tos", tmp_path / "social.tos")
    plain = run_tospolicy("check", "social.tos", cwd=tmp_path, env={"TOSPOLICY_CACHE_DIR": str(cache)})
    assert " AI001 [error]" in plain.stdout
    (tmp_path / ".tospolicy.yml").write_text("rules:\n  AI001: { severity: warning }\n  AI003: off\n",
                                             encoding="utf-8")
    configured = run_tospolicy("check", "social.tos", cwd=tmp_path,
                               env={"TOSPOLICY_CACHE_DIR": str(cache)})
    assert " AI001 [warning]" in configured.stdout and " AI001 [error]" not in configured.stdout
    assert " AI003 " in plain.stdout and " AI003 " not in configured.stdout


PACK = """\
pack: mine
rules:
  - id: MINE001
    name: no-analytics
    severity: {severity}
    summary: No analytics.
    select: use
    forbid: purposes overlap {purpose}
    message: "{{data}} is used for {{purposes}}"
"""
DECLARATION = 'service "S" {\n  data d\n  use d for analytics\n}\n'


def test_a_changed_pack_is_read_and_validated_again(tmp_path):
    cache = tmp_path / "cache"
    env = {"TOSPOLICY_CACHE_DIR": str(cache)}
    (tmp_path / "a.tos").write_text(DECLARATION, encoding="utf-8")
    pack = tmp_path / "mine.yaml"

    def run():
        return run_tospolicy("check", "-p", "mine.yaml", "a.tos", cwd=tmp_path, env=env)

    pack.write_text(PACK.format(severity="error", purpose="analytics"), encoding="utf-8")
    assert run().stdout.startswith("a.tos:3:3: MINE001 [error] d is used for analytics\n")
    assert run().stdout.startswith("a.tos:3:3: MINE001 [error] d is used for analytics\n")
    pack.write_text(PACK.format(severity="note", purpose="analytics"), encoding="utf-8")
    assert run().stdout.startswith("a.tos:3:3: MINE001 [note] d is used for analytics\n")
    pack.write_text(PACK.format(severity="error", purpose="marketing"), encoding="utf-8")
    assert run().stdout == "No findings in 1 file.\n"
    pack.write_text(PACK.format(severity="error", purpose="analytcs"), encoding="utf-8")
    broken = run()
    assert broken.exit_code == 2
    assert "mine.yaml:8:30: MINE001 forbid, column 18: 'analytcs' is not a known term" in broken.stderr
    assert len(list(cache.glob("rules-*.json"))) == 3  # one for each pack that loaded


@pytest.mark.parametrize("damage", [
    b"not json",
    b'{"format": 1}',
    b'{"format": 1, "files": [], "packs": [], "taxonomy": {}, "definitions": [], "rules": []}',
])
def test_a_damaged_entry_is_a_miss(tmp_path, damage):
    cache = tmp_path / "cache"
    args = RUNS[1][1]
    expected = check(args, cache).stdout
    (entry,) = cache.glob("rules-*.json")
    entry.write_bytes(damage)
    again = check(args, cache)
    assert again.stdout == expected and again.stderr == ""


def test_condition_trees_survive_plain_data():
    """Every condition of the built-in packs and of the every-operator pack,
    through JSON and back, is the same tree."""
    from tospolicy.conditions.tree import tree_from_data, tree_to_data
    from tospolicy.packs.loader import PackRef, builtin_packs, load_rule_set

    rule_set = load_rule_set([PackRef(name) for name in builtin_packs()]
                             + [PackRef(str(EVERY_OPERATOR))])
    trees = [definition.tree for definition in rule_set.definitions.values()]
    for rule in rule_set.loaded:
        if rule.written is not None:
            trees += [rule.written.where, rule.written.require, rule.written.forbid]
            trees += [when for when, _, _ in rule.written.cases]
    trees = [tree for tree in trees if tree is not None]
    assert len(trees) > 80
    for tree in trees:
        assert tree_from_data(json.loads(json.dumps(tree_to_data(tree)))) == tree
