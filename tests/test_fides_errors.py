"""What Fides skips or mishandles is a clear error of the import, with file, line and column.

Each problem is one line on stderr (`tospolicy: FILE:LINE:COL: message`), every
manifest is read and reported, the exit code is 2, and nothing is written.
"""

from __future__ import annotations

from pathlib import Path

import pytest

SYSTEM = """\
system:
  - fides_key: app
    name: App
    system_type: Service
    privacy_declarations:
      - name: Analytics
        data_categories: [user.contact]
        data_use: analytics
        data_subjects: [customer]
"""
POLICY = """\
policy:
  - fides_key: main
    rules:
      - name: No marketing
        data_categories: {matches: ANY, values: [user]}
        data_uses: {matches: ANY, values: [marketing]}
        data_subjects: {matches: ANY, values: [customer]}
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def run(cli, tmp_path: Path, monkeypatch, *files: tuple[str, str]):
    monkeypatch.chdir(tmp_path)
    for name, text in files:
        write(tmp_path / "fides", name, text)
    return cli("import", "fides", "fides", "--out", "out")


def problems(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if not line.startswith("tospolicy: warning:")]


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param("- system: []\n",
                 "fides/bad.yml:1:1: the file is a list, not a Fides manifest (a mapping of resource "
                 "types: system:, dataset:, policy:, …); Fides skips such a file and evaluates "
                 "without it", id="list-shaped"),
    pytest.param("just text\n", "fides/bad.yml:1:1: the file is a single value, not a Fides manifest",
                 id="scalar"),
    pytest.param("systems: []\n",
                 "fides/bad.yml:1:1: unknown key 'systems' in manifest (did you mean 'system'?)",
                 id="unknown-resource-type"),
    pytest.param(SYSTEM.replace("data_subjects:", "data_subject:"),
                 "fides/bad.yml:9:9: unknown key 'data_subject' in privacy declaration "
                 "(did you mean 'data_subjects'?)", id="misspelled-field"),
    pytest.param(SYSTEM.replace("user.contact]", "user.contcat]"),
                 "fides/bad.yml:7:27: unknown data category 'user.contcat': not in fideslang's "
                 "default taxonomy or the manifests (did you mean 'user.contact'", id="unknown-category"),
    pytest.param(SYSTEM.replace("data_use: analytics", "data_use: analytic"),
                 "fides/bad.yml:8:19: unknown data use 'analytic'", id="unknown-use"),
    pytest.param(SYSTEM.replace("[customer]", "[custmer]"),
                 "fides/bad.yml:9:25: unknown data subject 'custmer'", id="unknown-subject"),
    pytest.param(SYSTEM.replace("    name: App\n", "    name: App\n    name: Again\n"),
                 "fides/bad.yml:4:5: key 'name' appears twice in this mapping (first at line 3)",
                 id="repeated-yaml-key"),
    pytest.param(SYSTEM.replace("        data_use", "      data_use"),
                 "fides/bad.yml:8:7: invalid YAML", id="yaml-syntax"),
    pytest.param(SYSTEM.replace("[user.contact]", "[user.contact, user.name, user.contact]"),
                 "fides/bad.yml:7:52: 'user.contact' is listed twice in data_categories (first at "
                 "line 7): remove one", id="repeated-entry"),
    pytest.param(SYSTEM + "        dataset_references: [users_db]\n",
                 "fides/bad.yml:10:30: no dataset 'users_db' in the manifests", id="missing-dataset"),
    pytest.param(POLICY.replace("matches: ANY, values: [marketing]", "matches: any, values: [marketing]"),
                 "fides/bad.yml:6:30: 'matches' is 'any', not one of ANY, ALL, NONE, OTHER "
                 "(did you mean 'ANY'?)",
                 id="matches-lower-case"),
    pytest.param(POLICY.replace("name: No marketing", "fides_key: no_marketing"),
                 "fides/bad.yml:4:9: missing key 'name' in policy rule", id="rule-without-name"),
    pytest.param(SYSTEM.replace("    system_type: Service\n", ""),
                 "fides/bad.yml:2:5: missing key 'system_type' in system", id="missing-required"),
    pytest.param("data_category:\n  - fides_key: user.extra.deep\n    parent_key: user\n",
                 "fides/bad.yml:3:17: the parent_key of 'user.extra.deep' must be 'user.extra'",
                 id="parent-key-not-the-prefix"),
    pytest.param("data_category:\n  - fides_key: user.extra.deep\n    parent_key: user.extra\n",
                 "fides/bad.yml:3:17: the parent of 'user.extra.deep', 'user.extra', is not a "
                 "data category", id="unknown-parent"),
    pytest.param("data_subject:\n  - fides_key: member.gold\n",
                 "fides/bad.yml:2:16: data subject 'member.gold' has a dot", id="dotted-subject"),
    pytest.param("data_category:\n  - fides_key: content\n",
                 "fides/bad.yml:2:16: data category 'content': 'content' is already a tospolicy "
                 "categories term (the term user.content is written as); rename the key",
                 id="clashing-term"),
    pytest.param("data_use:\n  - fides_key: my-use\n",
                 "fides/bad.yml:2:16: 'my-use' cannot be written as a tospolicy term", id="odd-key"),
])
def test_each_problem_is_one_line_with_its_place(text, expected, cli, tmp_path, monkeypatch):
    good = SYSTEM.replace("fides_key: app", "fides_key: good") + POLICY.replace("main", "good")
    result = run(cli, tmp_path, monkeypatch, ("bad.yml", text), ("good.yml", good))
    assert result.exit_code == 2
    assert any(line.startswith(f"tospolicy: {expected}") for line in problems(result)), result.stderr
    assert problems(result)[-1].endswith(": nothing imported")
    assert not (tmp_path / "out").exists()


def test_every_manifest_is_reported_and_nothing_is_written(cli, tmp_path, monkeypatch):
    result = run(cli, tmp_path, monkeypatch,
                 ("a.yml", "- just: a list\n"),
                 ("b/c.yaml", SYSTEM.replace("data_subjects:", "data_subject:")),
                 ("d.yml", SYSTEM.replace("app", "other").replace("analytics", "analytic") + POLICY))
    assert result.exit_code == 2
    assert problems(result) == [
        "tospolicy: fides/a.yml:1:1: the file is a list, not a Fides manifest (a mapping of "
        "resource types: system:, dataset:, policy:, …); Fides skips such a file and evaluates "
        "without it",
        "tospolicy: fides/b/c.yaml:9:9: unknown key 'data_subject' in privacy declaration "
        "(did you mean 'data_subjects'?)",
        "tospolicy: fides/d.yml:8:19: unknown data use 'analytic': not in fideslang's default "
        "taxonomy or the manifests (did you mean 'analytics'?)",
        "tospolicy: 3 problems: nothing imported",
    ]
    assert not (tmp_path / "out").exists()


def test_two_definitions_of_one_resource_are_an_error(cli, tmp_path, monkeypatch):
    result = run(cli, tmp_path, monkeypatch, ("a.yml", SYSTEM), ("b.yml", SYSTEM + POLICY))
    assert result.exit_code == 2
    assert "tospolicy: fides/b.yml:2:16: system 'app' is already defined at fides/a.yml:2:16" \
        in problems(result)


def test_a_missing_path_and_a_folder_without_manifests_are_errors(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty").mkdir()
    assert problems(cli("import", "fides", "nowhere", "--out", "out"))[0] == \
        "tospolicy: nowhere: no such file or folder"
    result = cli("import", "fides", "empty", "--out", "out")
    assert result.exit_code == 2
    assert problems(result)[0] == "tospolicy: empty: no Fides manifests (*.yml, *.yaml) found"


def test_the_output_must_be_a_folder(cli, tmp_path, monkeypatch):
    write(tmp_path, "out", "not a folder")
    result = run(cli, tmp_path, monkeypatch, ("a.yml", SYSTEM + POLICY))
    assert problems(result) == ["tospolicy: out: --out must name a folder, and this is a file",
                                "tospolicy: 1 problem: nothing imported"]


def test_what_fides_ignores_is_a_warning_and_the_import_goes_on(cli, tmp_path, monkeypatch):
    dataset = """\
dataset:
  - fides_key: users
    retention: 30 days
    collections:
      - name: people
        fields:
          - name: phone
            fides_meta: {data_type: string, data_categories: [user.contact.phone_number]}
          - name: sensor
            data_categories: [user.sensor]
"""
    system = SYSTEM.replace("[customer]", "[customer]\n        data_qualifier: aggregated\n"
                                          "        dataset_references: [users]")
    policy = POLICY.replace("values: [user]", "values: [user.device]")
    result = run(cli, tmp_path, monkeypatch, ("a.yml", system + dataset + policy), ("empty.yml", ""))
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == [
        "tospolicy: warning: fides/a.yml:10:9: 'data_qualifier' is removed in fideslang 3.0; "
        "Fides ignores it, and so does the import",
        "tospolicy: warning: fides/a.yml:14:5: 'retention' is removed in fideslang 3.0; "
        "Fides ignores it, and so does the import",
        "tospolicy: warning: fides/a.yml:19:45: 'data_categories' is not a key of fides_meta: "
        "Fides ignores it, and so does the import (to count, data_categories belongs to the "
        "field itself)",
        "tospolicy: warning: fides/a.yml:21:31: 'user.sensor' is deprecated in fideslang; it is "
        "imported as its replacement, 'user.device.sensor', which changes what FIDES001 matches: "
        "the verdict may differ from fides evaluate until the manifest uses the replacement",
        "tospolicy: warning: fides/empty.yml:1:1: the file is empty: nothing to import",
    ]


DIFFERS = (", which changes what FIDES001 matches: the verdict may differ from fides evaluate "
           "until the manifest uses the replacement")


@pytest.mark.parametrize(("declared", "value", "warning"), [
    ("user.device.sensor", "user.sensor", "fides/a.yml:14:50: 'user.sensor' is deprecated in "
     "fideslang; it is imported as its replacement, 'user.device.sensor'" + DIFFERS),
    ("user.sensor", "user.device", "fides/a.yml:7:27: 'user.sensor' is deprecated in fideslang; "
     "it is imported as its replacement, 'user.device.sensor'" + DIFFERS),
    ("user.sensor", "user", "fides/a.yml:7:27: 'user.sensor' is deprecated in fideslang; "
     "it is imported as its replacement, 'user.device.sensor'"),
])
def test_a_deprecated_key_that_changes_a_match_is_named(declared, value, warning, cli, tmp_path,
                                                        monkeypatch):
    """Fides matches a deprecated key as written; the import reads it as its
    replacement, and says which rule could then judge differently."""
    system = SYSTEM.replace("[user.contact]", f"[{declared}]")
    policy = POLICY.replace("values: [user]", f"values: [{value}]").replace("[marketing]",
                                                                            "[analytics]")
    result = run(cli, tmp_path, monkeypatch, ("a.yml", system + policy))
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [f"tospolicy: warning: {warning}"]
