"""The built-in taxonomy: the terms LANGUAGE.md requires, their DPV and fideslang
equivalents, and docs/taxonomy.md, which shows rules/taxonomy.yaml as tables.

The fideslang equivalents are checked against the keys of fideslang's default
taxonomy (rules/fideslang.yaml); the Fides importer reads them backwards,
so each must be a real, current key and name at most one term.
"""

from __future__ import annotations

import re

import pytest
import yaml

from conftest import REPO, check_generated_section
from tospolicy.support.resources import resource
from tospolicy.language.taxonomy import KINDS, builtin_taxonomy

# The lists of LANGUAGE.md ("Taxonomy", "Attributes"), copied as written there.
REQUIRED = {
    "purposes": """service.provision service.support service.security service.improvement
        analytics personalization marketing marketing.advertising marketing.advertising.targeted
        marketing.communications ai ai.training ai.training.generative ai.training.non_generative
        ai.training.fine_tuning ai.evaluation
        ai.inference research legal legal.compliance commercial.sale commercial.licensing any""",
    "categories": """content content.audio content.video content.image
        content.text content.chat content.files content.transcript content.screen content.code
        identity identity.name identity.email identity.phone identity.address
        identity.government_id biometric biometric.face biometric.voice biometric.fingerprint
        health financial location location.precise location.coarse device
        device.identifier telemetry telemetry.usage telemetry.diagnostics inferred
        inferred.profile special
        special.health special.genetic special.biometric special.racial_ethnic special.political
        special.religious special.sexual special.union""",
    "regions": "global eu eea uk ch us us.ca us.co us.va ca br in cn jp au",
    "rights": """access rectification erasure portability objection restriction
        withdraw_consent opt_out_sale opt_out_ai_training limit_sensitive human_review""",
    "subjects": "customer end_user participant employee child visitor public",
    "consent": "explicit_opt_in opt_in opt_out none",
    "events": """account.deletion account.closure
        contract.end collection last_activity purpose.fulfilled consent.withdrawal""",
}

TAXONOMY = builtin_taxonomy()
TERMS = [(kind, term) for kind in KINDS for term in TAXONOMY.terms.get(kind, {}).values()]
FIDESLANG = yaml.safe_load(resource("rules", "fideslang.yaml").read_text(encoding="utf-8"))

# Which fideslang list each kind's `fideslang:` values come from; other kinds have none.
FIDESLANG_LIST = {
    "purposes": "data_uses",
    "categories": "data_categories",
    "subjects": "data_subjects",
    "rights": "data_subject_rights",
}
# A DPV CURIE: a namespace of DPV 2.2 and a term as its CSV files spell it.
DPV_CURIE = re.compile(r"(dpv|pd|ai|eu-gdpr|loc):[A-Z][A-Za-z0-9]*(-[A-Za-z0-9]+)*")
DPV_PREFIX = {"regions": "loc:", "rights": "eu-gdpr:"}


def test_every_kind_has_terms():
    assert len(TERMS) > 100
    assert set(TAXONOMY.terms) == set(KINDS)


@pytest.mark.parametrize("kind", sorted(REQUIRED))
def test_every_term_language_md_lists_is_present(kind):
    missing = [key for key in REQUIRED[kind].split() if not TAXONOMY.knows(kind, key)]
    assert missing == []


@pytest.mark.parametrize("kind", ["purposes", "categories", "regions"])
def test_every_dotted_term_sits_under_a_term_of_its_kind(kind):
    orphans = [key for key in TAXONOMY.terms[kind]
               if (parent := TAXONOMY.parent(key, kind)) and not TAXONOMY.knows(kind, parent)]
    assert orphans == []


def test_every_term_has_a_label_and_a_one_line_description():
    for kind, term in TERMS:
        assert term.label.strip() and term.label != term.key, (kind, term.key)
        assert term.description.strip() and "\n" not in term.description, (kind, term.key)


def test_dpv_values_are_curies_of_dpv_namespaces():
    mapped = [(kind, term) for kind, term in TERMS if term.dpv is not None]
    assert len(mapped) > 60
    for kind, term in mapped:
        assert isinstance(term.dpv, str) and DPV_CURIE.fullmatch(term.dpv), (kind, term.key)
        assert term.dpv.startswith(DPV_PREFIX.get(kind, "")), (kind, term.key)


def test_fideslang_values_are_current_keys_of_the_right_fideslang_list():
    mapped = [(kind, term) for kind, term in TERMS if term.fideslang is not None]
    assert len(mapped) > 40
    for kind, term in mapped:
        assert kind in FIDESLANG_LIST, f"fideslang has no {kind}: {term.key}"
        assert isinstance(term.fideslang, str), (kind, term.key)
        assert term.fideslang in FIDESLANG[FIDESLANG_LIST[kind]], (kind, term.key)
        assert term.fideslang not in FIDESLANG["deprecated"], (kind, term.key)


@pytest.mark.parametrize("field", ["dpv", "fideslang"])
def test_no_two_terms_of_a_kind_share_an_equivalent(field):
    for kind in KINDS:
        values = [getattr(term, field) for term in TAXONOMY.terms[kind].values()]
        values = [value for value in values if value is not None]
        assert len(values) == len(set(values)), (kind, field)


@pytest.mark.parametrize(("kind", "key", "dpv", "fideslang"), [
    ("purposes", "ai.training", "ai:ModelTraining", "train_ai_system"),
    ("purposes", "service.provision", "dpv:RequestedServiceProvision", "essential.service"),
    ("purposes", "service.improvement", "dpv:ImproveExistingProductsAndServices",
     "functional.service.improve"),
    ("purposes", "marketing.advertising.targeted", "dpv:TargetedAdvertising", None),
    ("purposes", "legal.compliance", "dpv:LegalCompliance", "essential.legal_obligation"),
    ("purposes", "commercial.sale", "dpv:SellDataToThirdParties", None),
    ("purposes", "ai.inference", None, None),
    ("categories", "identity.email", "pd:EmailAddress", "user.contact.email"),
    ("categories", "biometric", "pd:Biometric", "user.biometrics"),
    ("categories", "special.genetic", "pd:Genetic", "user.health.genetic"),
    ("categories", "special", "dpv:SpecialCategoryPersonalData", None),
    ("regions", "us.ca", "loc:US-CA", None),
    ("regions", "uk", "loc:GB", None),
    ("rights", "erasure", "eu-gdpr:A17", "Erasure"),
    ("rights", "withdraw_consent", "eu-gdpr:A7-3", "Withdraw Consent"),
    ("subjects", "customer", "dpv:Customer", "customer"),
    ("consent", "explicit_opt_in", "dpv:ExplicitlyExpressedConsent", None),
])
def test_verified_mappings(kind, key, dpv, fideslang):
    term = TAXONOMY.term(kind, key)
    assert (term.dpv, term.fideslang) == (dpv, fideslang)


# docs/taxonomy.md: hand-written prose above MARKER, tables generated below it.
DOC = REPO / "docs" / "taxonomy.md"
MARKER = ("<!-- Generated from rules/taxonomy.yaml by tests/test_taxonomy.py; "
          "TOSPOLICY_UPDATE_GOLDEN=1 rewrites everything below this line. -->")
TITLES = {
    "purposes": "Purposes", "categories": "Data categories", "regions": "Regions",
    "rights": "Rights", "subjects": "Data subjects", "consent": "Consent", "events": "Events",
}
FIELDS = ("dpv", "fideslang")


def mapping_notes(yaml_text: str) -> dict[tuple[str, str, str], str]:
    """The comments that qualify a mapping, by (kind, term, field).

    `dpv: X  # note` qualifies a value; `# dpv: none; note` explains its absence.
    """
    notes: dict[tuple[str, str, str], str] = {}
    kind = key = None
    for line in yaml_text.splitlines():
        if match := re.fullmatch(r"(\w+):\s*", line):
            kind = match.group(1)
        elif match := re.fullmatch(r"  (\S+):\s*", line):
            key = match.group(1)
        elif match := re.fullmatch(r"    (dpv|fideslang): .*?\s+#\s*(.+)", line):
            notes[(kind, key, match.group(1))] = match.group(2)
        elif match := re.fullmatch(r"    #\s*(dpv|fideslang): none; (.+)", line):
            notes[(kind, key, match.group(1))] = match.group(2)
    return notes


def cell(text: str) -> str:
    return text.replace("|", "\\|")


def equivalent(term, field: str, note: str | None) -> str:
    value = getattr(term, field)
    shown = f"`{value}`" if value else "—"
    return cell(f"{shown} ({note})" if note else shown)


def render_tables() -> str:
    notes = mapping_notes(resource("rules", "taxonomy.yaml").read_text(encoding="utf-8"))
    parts = []
    for kind in KINDS:
        parts.append(f"## {TITLES[kind]}\n")
        parts.append("| term | label | description | DPV | fideslang |")
        parts.append("|---|---|---|---|---|")
        for key, term in TAXONOMY.terms[kind].items():
            parts.append("| " + " | ".join([
                f"`{key}`", cell(term.label), cell(term.description),
                *(equivalent(term, field, notes.get((kind, key, field))) for field in FIELDS),
            ]) + " |")
        parts.append("")
    return "\n".join(parts)


def test_mapping_notes_are_found():
    notes = mapping_notes(resource("rules", "taxonomy.yaml").read_text(encoding="utf-8"))
    assert notes[("purposes", "ai.training", "dpv")].startswith("DPV 2.2 models training")
    assert notes[("purposes", "ai", "dpv")].startswith("the DPV AI extension")
    assert len(notes) > 20


def test_docs_taxonomy_md_shows_the_yaml():
    check_generated_section(DOC, MARKER, render_tables())
