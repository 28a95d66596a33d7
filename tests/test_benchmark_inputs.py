"""The benchmark inputs stay valid as the language evolves.

`benchmarks/generate.py` writes the same facts as `.tos` declarations, YAML and
Fides manifests; `benchmarks/run.py` measures tospolicy on them (never here).
These tests keep those inputs honest: the declarations parse without syntax
errors and use only terms the taxonomy knows, every rendering describes the
same services, the output is reproducible, and the Spectral ruleset's value
lists match the taxonomy they stand for.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import REPO, benchmark_generator
from tospolicy.language.taxonomy import builtin_taxonomy

SERVICES = 30


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bench") / "out"
    benchmark_generator().write(out, SERVICES, seed=5, layout="both")
    return out


def test_declarations_check_without_syntax_findings(generated, cli):
    result = cli("check", "--quiet", "--fail-on", "never", str(generated / "tos"))
    assert result.exit_code == 0, result.stderr
    assert "TOS001" not in result.stdout and "TOS002" not in result.stdout, result.stdout
    files = list((generated / "tos").rglob("*.tos"))
    assert len(files) == SERVICES + 2  # one per service, all.tos and one.tos


def test_every_rendering_describes_the_same_services(generated):
    from tospolicy.language.parser import parse_file

    declaration = parse_file(generated / "tos" / "all.tos").declaration
    assert declaration is not None
    names = [service.name.value for service in declaration.services]
    documents = yaml.safe_load((generated / "yaml" / "all.yaml").read_text(encoding="utf-8"))
    systems = yaml.safe_load((generated / "fides" / "systems.yml").read_text(encoding="utf-8"))
    assert len(names) == SERVICES
    assert [service["name"] for service in documents["services"]] == names
    assert [system["name"] for system in systems["system"]] == names
    assert len(list((generated / "yaml" / "services").glob("*.yaml"))) == SERVICES
    assert all(system["privacy_declarations"] for system in systems["system"])
    policy = yaml.safe_load((generated / "fides" / "policy.yml").read_text(encoding="utf-8"))
    assert len(policy["policy"][0]["rules"]) >= 4
    # The same statements, counted in the declaration and in the YAML.
    for service, document in zip(declaration.services, documents["services"]):
        kinds = [statement.kind for statement in service.statements]
        assert kinds.count("use") == len(document.get("uses", []))
        assert kinds.count("share") == len(document.get("shares", []))
        assert kinds.count("right") == len(document.get("rights", []))


def test_generated_terms_are_known_to_the_taxonomy():
    generate = benchmark_generator()
    taxonomy = builtin_taxonomy()
    used: dict[str, set[str]] = {kind: set() for kind in
                                 ("purposes", "categories", "regions", "rights", "subjects",
                                  "consent", "events")}
    for service in generate.make_services(200, seed=11):
        attributes = dict(service.attributes)
        used["regions"].update(attributes["jurisdictions"])
        for statement in service.statements:
            head, values = statement.head, dict(statement.attributes)
            used["categories"].update(values.get("categories", []))
            used["subjects"].update(values.get("subjects", []))
            used["purposes"].update(head.get("purposes", []) + values.get("purposes", []))
            used["regions"].update(values.get("transfer", []))
            used["consent"].update([values["consent"]] if "consent" in values else [])
            used["events"].update(head[key] for key in ("until", "after") if key in head)
            if statement.kind == "right":
                used["rights"].add(head["right"])
    for kind, terms in used.items():
        assert terms, kind
        unknown = sorted(term for term in terms if not taxonomy.knows(kind, term))
        assert not unknown, (kind, unknown)
    # Every purpose and category the generator uses has a Fides equivalent.
    assert used["purposes"] <= set(generate.FIDES_USES)
    assert all(generate._fides_categories([category]) for category in used["categories"])


def test_generation_is_reproducible(tmp_path):
    generate = benchmark_generator()
    first, second = tmp_path / "first", tmp_path / "second"
    generate.write(first, 5, seed=2, layout="one")
    generate.write(second, 5, seed=2, layout="one")
    files = sorted(path.relative_to(first) for path in first.rglob("*") if path.is_file())
    assert len(files) >= 6
    for name in files:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_generator_refuses_to_replace_a_folder_it_did_not_write(tmp_path):
    (tmp_path / "precious.txt").write_text("keep me")
    with pytest.raises(SystemExit):
        benchmark_generator().write(tmp_path, 1)
    assert (tmp_path / "precious.txt").read_text() == "keep me"


def test_spectral_ruleset_matches_the_taxonomy():
    ruleset = yaml.safe_load((REPO / "benchmarks" / "spectral-ruleset.yaml").read_text(encoding="utf-8"))
    rules = ruleset["rules"]
    assert 10 <= len(rules) <= 16
    taxonomy = builtin_taxonomy()
    for rule, kind in (("right-known", "rights"), ("use-consent-known", "consent")):
        values = set(rules[rule]["then"]["functionOptions"]["values"])
        assert values == set(taxonomy.terms[kind]), rule
