"""The generated rules decide what Fides decides, beyond the few peer manifests.

Hypothesis writes manifests (systems with privacy declarations, datasets with
nested fields referenced from them, policies with rules over every kind of
`matches`, empty lists included) from keys chosen to be related, so that
matches are frequent. Each manifest is imported and checked through the CLI,
and the violations found (which rule, which system, which declaration) must be
exactly those of tests/fides_reference.py, a re-implementation of Fides'
evaluation written from its source.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fides_reference import evaluate
from test_fides_parity import FINDING
from tospolicy.importers.fides.vocabulary import fideslang

CATEGORIES = [
    "user", "user.contact", "user.contact.email", "user.contact.address",
    "user.contact.address.city", "user.contact.fax_number", "user.content",
    "user.content.private", "user.content.self_image", "user.name", "user.device",
    "user.device.cookie_id", "user.device.device_id", "user.health", "user.health.genetic",
    "user.demographic", "user.demographic.political_opinion", "user.biometrics",
    "user.biometrics.voice", "system", "system.operations", "user.custom.notes",
]
USES = [
    "essential", "essential.service", "essential.service.operations.support",
    "essential.legal_obligation", "essential.fraud_detection", "functional",
    "functional.service.improve", "marketing", "marketing.advertising",
    "marketing.advertising.third_party", "marketing.advertising.first_party.targeted",
    "train_ai_system", "collect", "personalize", "analytics", "analytics.reporting",
    "marketing.advertising.third_party.targeted.direct_marketing",
]
SUBJECTS = ["customer", "employee", "anonymous_user", "visitor", "patient", "potential_customer"]
# Terms a manifest adds to the taxonomy, as Fides allows.
CUSTOM = {
    "data_category": [{"fides_key": "user.custom", "parent_key": "user", "name": "Custom"},
                      {"fides_key": "user.custom.notes", "parent_key": "user.custom"}],
    "data_use": [{"fides_key": "marketing.advertising.third_party.targeted.direct_marketing",
                  "parent_key": "marketing.advertising.third_party.targeted"}],
    "data_subject": [{"fides_key": "potential_customer", "name": "Potential Customer"}],
}
MATCHES = ["ANY", "ALL", "NONE", "OTHER"]


def keys(pool, max_size=3, unique=True):
    if not pool:
        return st.just([])
    return st.lists(st.sampled_from(pool), max_size=max_size, unique=unique)


@st.composite
def fields(draw, depth=0):
    found = []
    for number in range(draw(st.integers(1, 3))):
        field = {"name": f"f{number}", "data_categories": draw(keys(CATEGORIES, 2))}
        if depth < 2 and draw(st.booleans()):
            field["fields"] = draw(fields(depth + 1))
        found.append(field)
    return found


@st.composite
def manifests(draw):
    datasets = [{
        "fides_key": f"ds{number}",
        "data_categories": draw(keys(CATEGORIES, 2)),
        "collections": [{"name": f"c{index}", "data_categories": draw(keys(CATEGORIES, 1)),
                         "fields": draw(fields())} for index in range(draw(st.integers(1, 2)))],
    } for number in range(draw(st.integers(0, 2)))]
    systems = [{
        "fides_key": f"sys{number}",
        "system_type": "Service",
        "privacy_declarations": [{
            "name": f"decl{index}",
            "data_categories": draw(keys(CATEGORIES)),
            "data_use": draw(st.sampled_from(USES)),
            "data_subjects": draw(keys(SUBJECTS, 2)),
            "dataset_references": draw(keys([dataset["fides_key"] for dataset in datasets], 2)),
        } for index in range(draw(st.integers(1, 3)))],
    } for number in range(draw(st.integers(1, 2)))]
    rules = [{
        "name": f"rule {number}",
        **{dimension: {"matches": draw(st.sampled_from(MATCHES)),
                       "values": draw(keys(pool, unique=False))}
           for dimension, pool in (("data_categories", CATEGORIES), ("data_uses", USES),
                                   ("data_subjects", SUBJECTS))},
    } for number in range(draw(st.integers(1, 3)))]
    return {**CUSTOM, "dataset": datasets, "system": systems,
            "policy": [{"fides_key": "policy", "rules": rules}]}


def fides_violations(manifest: dict) -> set[tuple[str, str, int]]:
    data = fideslang()
    defaults = {kind: set(keys) for kind, keys in data.keys.items()}
    names = [rule["name"] for rule in manifest["policy"][0]["rules"]]
    return {(f"FIDES{names.index(violation.rule) + 1:03d}", violation.system, violation.declaration)
            for violation in evaluate(manifest, defaults)}


def tospolicy_violations(manifest: dict, cli) -> set[tuple[str, str, int]]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "fides.yml").write_text(yaml.safe_dump(manifest, sort_keys=False),
                                        encoding="utf-8")
        out = root / "out"
        imported = cli("import", "fides", str(root / "fides.yml"), "--out", str(out))
        assert imported.exit_code == 0, imported.stderr
        checked = cli("check", str(out), "-p", str(out / "fides-policies.yaml"))
    assert checked.exit_code in (0, 1), checked.stderr
    found = set()
    for line in checked.stdout.splitlines()[:-1]:
        finding = FINDING.match(line)
        assert finding and finding["id"].startswith("FIDES"), line
        declaration = re.match(r"data decl(\d+)", finding["message"])
        found.add((finding["id"], Path(finding["file"]).stem, int(declaration.group(1))))
    return found


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(manifest=manifests())
def test_tospolicy_finds_the_violations_fides_finds(manifest, cli):
    assert tospolicy_violations(manifest, cli) == fides_violations(manifest)


def test_the_generated_manifests_reach_both_verdicts(cli):
    """The strategy is not vacuous: some manifests violate a rule, some do not."""
    seen = set()

    @settings(max_examples=40, deadline=None, derandomize=True)
    @given(manifest=manifests())
    def collect(manifest):
        seen.add(bool(fides_violations(manifest)))

    collect()
    assert seen == {True, False}
