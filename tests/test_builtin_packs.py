"""The built-in packs and data files: valid, documented, and cheap to load.

At run time the built-in packs skip JSON Schema validation (importing
jsonschema costs a pre-commit hook a tenth of a second); this suite is where
they are validated instead.
"""

from __future__ import annotations

import json

import pytest

from conftest import REPO, check_golden, run_tospolicy
from tospolicy.packs.refs import DATA_FILES

SCHEMAS = sorted((REPO / "schemas").glob("*.schema.json"))
PACK_FILES = sorted(path for path in (REPO / "rules").glob("*.yaml")
                    if path.name not in DATA_FILES)


def test_there_is_something_to_check():
    assert len(SCHEMAS) >= 2
    assert {path.stem for path in PACK_FILES} >= {
        "core", "definitions", "ai", "gdpr", "ccpa", "coppa", "euaiact", "usstates", "bipa"}


@pytest.mark.parametrize("schema", SCHEMAS, ids=lambda path: path.name)
def test_schemas_are_valid_json_schemas(schema):
    from jsonschema import Draft202012Validator

    Draft202012Validator.check_schema(json.loads(schema.read_text(encoding="utf-8")))


@pytest.mark.parametrize("pack", PACK_FILES, ids=lambda path: path.name)
def test_builtin_packs_follow_the_schema(pack):
    from jsonschema import Draft202012Validator

    from tospolicy.support.yamlsource import read_yaml

    schema = json.loads((REPO / "schemas" / "rulepack.schema.json").read_text(encoding="utf-8"))
    errors = list(Draft202012Validator(schema).iter_errors(read_yaml(pack).data))
    assert errors == []


def test_every_definition_is_described_and_compiles():
    from tospolicy.packs.loader import load_rule_set

    rule_set = load_rule_set([])
    assert len(rule_set.definitions) >= 10
    for definition in rule_set.definitions.values():
        assert definition.description, definition.name


def test_the_attribute_table_names_known_taxonomy_kinds():
    from tospolicy.language.attributes import VALUE_KINDS, attribute_table
    from tospolicy.language.taxonomy import KINDS, builtin_taxonomy

    taxonomy = builtin_taxonomy()
    table = attribute_table()
    assert set(table) == {"service", "data", "use", "share", "retain", "license", "right", "never"}
    for spec in table.values():
        for value in (*spec.parts.values(), *spec.attributes.values()):
            assert value.value in VALUE_KINDS
            if value.value in ("term", "choice") and not value.values:
                assert value.terms in KINDS and taxonomy.terms.get(value.terms)


def test_checking_with_builtin_packs_does_not_import_jsonschema(tmp_path):
    (tmp_path / "a.tos").write_text('service "A" {\n  effective: 2024-01-01\n}\n', encoding="utf-8")
    result = run_tospolicy("check", "a.tos", cwd=tmp_path, env={"PYTHONPROFILEIMPORTTIME": "1"})
    assert result.exit_code == 0, result.stderr
    assert "tospolicy.packs.loader" in result.stderr
    assert "jsonschema" not in result.stderr


def test_a_user_pack_is_validated_once_per_content(tmp_path):
    (tmp_path / "a.tos").write_text('service "A" {\n  effective: 2024-01-01\n}\n', encoding="utf-8")
    (tmp_path / "p.yaml").write_text("pack: mine\n", encoding="utf-8")
    env = {"PYTHONPROFILEIMPORTTIME": "1", "TOSPOLICY_CACHE_DIR": str(tmp_path / "cache")}
    first = run_tospolicy("check", "-p", "p.yaml", "a.tos", cwd=tmp_path, env=env)
    second = run_tospolicy("check", "-p", "p.yaml", "a.tos", cwd=tmp_path, env=env)
    assert "jsonschema" in first.stderr
    assert "jsonschema" not in second.stderr
    (tmp_path / "p.yaml").write_text("pack: mine\nbogus: 1\n", encoding="utf-8")
    third = run_tospolicy("check", "-p", "p.yaml", "a.tos", cwd=tmp_path, env=env)
    assert third.exit_code == 2
    assert "tospolicy: p.yaml:2:1: unknown key 'bogus' in pack" in third.stderr


def test_docs_rules_md_is_what_the_cli_generates(tmp_path, cli, monkeypatch):
    """docs/rules.md is `tospolicy rules --format markdown` with every built-in pack."""
    monkeypatch.chdir(tmp_path)  # no configuration here: every built-in pack
    result = cli("rules", "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    check_golden(result.stdout, REPO / "docs" / "rules.md")


def _github_anchor(heading: str) -> str:
    """The anchor GitHub gives a markdown heading."""
    text = heading.strip().lower()
    text = "".join(char for char in text if char.isalnum() or char in " -_")
    return text.replace(" ", "-")


def test_every_help_uri_and_pack_url_has_its_section_in_docs_rules_md():
    from tospolicy.diff.rules import DIFF_RULES
    from tospolicy.findings import PARSER_RULES, RULES_DOCS_URL
    from tospolicy.packs.loader import PackRef, builtin_packs, load_rule_set

    text = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    anchors = {_github_anchor(line.lstrip("#")) for line in text.splitlines() if line.startswith("#")}
    rule_set = load_rule_set([PackRef(name) for name in builtin_packs()])
    infos = [*PARSER_RULES, *rule_set.infos, *DIFF_RULES]
    assert len(infos) > 40
    for info in infos:
        url, _, fragment = info.help_uri.partition("#")
        assert url == RULES_DOCS_URL and fragment in anchors, info.id
    packs = [pack for pack in rule_set.packs if pack.rule_ids]
    assert [pack.name for pack in packs] == ["core", "ai", "bipa", "ccpa", "coppa", "euaiact",
                                                "gdpr", "usstates"]
    for pack in packs:
        url, _, fragment = pack.url.partition("#")
        assert url == RULES_DOCS_URL and fragment == pack.name in anchors, pack.name
