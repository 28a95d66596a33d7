"""fideslang keys as tospolicy terms: `under` must decide exactly what Fides decides.

For every pair of keys of fideslang's default taxonomy (and some a manifest
could add), a declared key is under one of the terms a rule value is written as
if and only if Fides matches it with that value (the value is the key or one of
the keys above it: evaluate.py, get_fides_key_parent_hierarchy). The taxonomy is
the built-in one extended with the terms the generated pack would add.
"""

from __future__ import annotations

import pytest

from tospolicy.importers.fides.vocabulary import FIDES_KINDS, CustomTerm, Vocabulary, fideslang
from tospolicy.language.taxonomy import builtin_taxonomy, terms_from_data

CUSTOM = {
    "data_category": {key: CustomTerm(key, label=key.title()) for key in (
        "user.content.private.drafts", "user.contact.email.work", "user.custom",
        "user.custom.deeper", "acme", "acme.telemetry")},
    "data_use": {key: CustomTerm(key) for key in (
        "marketing.advertising.third_party.targeted.direct_marketing", "essential.service.x",
        "train_ai_system.llm", "acme_use")},
    "data_subject": {key: CustomTerm(key) for key in ("potential_customer",)},
}


def current_keys(vocabulary: Vocabulary, kind: str) -> list[str]:
    return sorted(key for key in vocabulary.keys[kind] if key not in vocabulary.deprecated)


def extended(vocabulary: Vocabulary, kind: str, keys):
    used = [vocabulary.term(kind, key) for key in keys]
    used += [term for key in keys for term in vocabulary.cover(kind, key)]
    terms = terms_from_data({FIDES_KINDS[kind]: vocabulary.extensions(kind, used)})
    return builtin_taxonomy().extended(terms)


@pytest.mark.parametrize("custom", [None, CUSTOM], ids=["default", "with-custom-terms"])
@pytest.mark.parametrize("kind", sorted(FIDES_KINDS))
def test_under_decides_what_fides_decides_for_every_pair_of_keys(kind, custom):
    vocabulary = Vocabulary(custom)
    keys = current_keys(vocabulary, kind)
    assert len(keys) > 10
    taxonomy = extended(vocabulary, kind, keys)
    ours = FIDES_KINDS[kind]
    mismatches = []
    for declared in keys:
        term = vocabulary.term(kind, declared)
        assert taxonomy.knows(ours, term), (kind, declared, term)
        for value in keys:
            fides = vocabulary.matches(kind, declared, value)
            tospolicy = any(taxonomy.is_under(term, target, ours)
                            for target in vocabulary.cover(kind, value))
            if fides != tospolicy:
                mismatches.append((declared, value, fides))
    assert mismatches == []


@pytest.mark.parametrize("kind", sorted(FIDES_KINDS))
def test_no_two_keys_are_written_as_one_term_and_none_clashes(kind):
    vocabulary = Vocabulary(CUSTOM)
    keys = current_keys(vocabulary, kind)
    terms = [vocabulary.term(kind, key) for key in keys]
    assert len(set(terms)) == len(terms)
    assert [key for key in keys if vocabulary.clash(kind, key)] == []


def test_the_unused_equivalents_are_the_documented_ones():
    vocabulary = Vocabulary()
    unused = {kind: sorted(vocabulary.unused[kind]) for kind in FIDES_KINDS}
    assert unused == {"data_category": [], "data_use": ["collect", "essential"],
                      "data_subject": []}
    assert "stands above every term" in vocabulary.unused["data_use"]["collect"].reason
    assert "functional.service.improve" in vocabulary.unused["data_use"]["essential"].reason


def test_root_parents_are_terms_no_key_is_written_as():
    vocabulary = Vocabulary()
    taxonomy = builtin_taxonomy()
    for kind, roots in fideslang().root_parents.items():
        images = set(vocabulary.equivalents[kind].values())
        for key, term in roots.items():
            assert key in vocabulary.keys[kind] and "." not in key
            assert key not in vocabulary.equivalents[kind]
            above = taxonomy.ancestors(term, FIDES_KINDS[kind])
            assert taxonomy.knows(FIDES_KINDS[kind], term)
            assert images.isdisjoint(above), (key, term)


@pytest.mark.parametrize(("kind", "key", "term"), [
    ("data_category", "user.content", "content"),
    ("data_category", "user.contact.email", "identity.email"),
    ("data_category", "user.contact", "user.contact"),
    ("data_category", "user.content.private", "user.content.private"),
    ("data_use", "train_ai_system", "ai.training"),
    ("data_use", "essential.service", "service.provision"),
    ("data_use", "essential", "essential"),
    ("data_use", "marketing.advertising", "marketing.advertising"),
    ("data_subject", "customer", "customer"),
    ("data_subject", "anonymous_user", "anonymous_user"),
    # Deprecated keys are written as their replacement.
    ("data_category", "user.sensor", "user.device.sensor"),
    ("data_category", "user.biometric.voice", "biometric.voice"),
    ("data_use", "personalize.profiling", "personalize.content.profiling"),
])
def test_terms(kind, key, term):
    assert Vocabulary().term(kind, key) == term


def test_rule_values_are_written_with_the_terms_below_them():
    vocabulary = Vocabulary()
    assert vocabulary.cover("data_category", "user.contact") == (
        "user.contact", "identity.address", "identity.email", "identity.phone")
    assert vocabulary.cover("data_category", "user.content") == ("content",)
    cover = vocabulary.cover("data_category", "user")
    assert cover[0] == "user" and "content" in cover and "content.image" not in cover
    assert vocabulary.cover("data_use", "essential") == (
        "essential", "legal.compliance", "service.provision", "service.security",
        "service.support")


def test_extensions_hang_under_the_term_of_their_fides_parent():
    vocabulary = Vocabulary(CUSTOM)
    entries = vocabulary.extensions("data_category", [
        "user.content.private", "user.device.cookie_id", "user.contact.email.work"])
    assert entries == {
        "user.contact.email.work": {"label": "User.Contact.Email.Work", "parent": "identity.email"},
        "user.content.private": {"parent": "content"},
        "user.device.cookie_id": {"parent": "device"},
    }
    assert vocabulary.extensions("data_use", ["essential"]) == {"essential": {"parent": "service"}}
    # Terms of their own bring the terms above them.
    assert vocabulary.extensions("data_category", ["user.contact.address.city"]) == {
        "user.contact.address.city": {"parent": "identity.address"}}
    assert vocabulary.extensions("data_category", ["user.contact.fax_number"]) == {
        "user": {}, "user.contact": {}, "user.contact.fax_number": {}}


def test_a_custom_key_spelled_like_a_tospolicy_term_clashes():
    vocabulary = Vocabulary({"data_category": {"content": CustomTerm("content")}})
    assert "already a tospolicy categories term (the term user.content" in \
        vocabulary.clash("data_category", "content")
