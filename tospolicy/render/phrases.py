"""Plain-language phrases: the words a person reads in place of a declaration's terms.

Every table here maps a value of the language (LANGUAGE.md) to words; a value
not listed (a term a rule pack adds) falls back to the taxonomy's label, so a
page never shows a dotted term where a label exists.
"""

from __future__ import annotations

from tospolicy.language.taxonomy import Taxonomy

# What a use of data *for* each built-in purpose reads as, after "is used".
# Purposes not listed read as "for <label>", or as their nearest listed parent
# when the taxonomy does not know them at all.
PURPOSE_PHRASES = {
    "any": "for any purpose the service chooses",
    "service": "to run the service",
    "service.provision": "to provide the service",
    "service.support": "for customer support",
    "service.security": "to keep the service secure and prevent fraud",
    "service.improvement": "to improve the service",
    "analytics": "for analytics",
    "personalization": "to personalise what you see",
    "marketing": "for marketing",
    "marketing.advertising": "for advertising",
    "marketing.advertising.targeted": "to target advertising at you",
    "marketing.communications": "to send you marketing messages",
    "ai": "for artificial intelligence",
    "ai.training": "to train AI models",
    "ai.training.generative": "to train generative AI models",
    "ai.training.non_generative": "to train AI models (not generative ones)",
    "ai.training.fine_tuning": "to fine-tune AI models",
    "ai.evaluation": "to test and evaluate AI models",
    "ai.inference": "as input to AI features",
    "ai.inference.interaction": "by an AI system you interact with",
    "ai.inference.generation": "to generate content with AI",
    "ai.inference.emotion_recognition": "to recognise emotions with AI",
    "ai.inference.face_recognition": "to recognise faces with AI",
    "ai.inference.biometric_categorisation": "to sort people by biometric traits with AI",
    "research": "for research",
    "legal": "for legal purposes",
    "legal.compliance": "to comply with the law",
    "commercial.sale": "to be sold",
    "commercial.licensing": "to be licensed to others",
}

# Consent, after the purposes: "… is used to train AI models unless you opt out".
CONSENT_PHRASES = {
    "explicit_opt_in": "only if you explicitly agree",
    "opt_in": "only if you opt in",
    "opt_out": "unless you opt out",
    "none": "and you cannot refuse",
    None: "(the terms do not say whether you can refuse)",
}
# The short form, on diagram edges and in tables.
CONSENT_WORDS = {
    "explicit_opt_in": "explicit opt-in",
    "opt_in": "opt-in",
    "opt_out": "opt-out",
    "none": "no consent",
    None: "consent not stated",
}
CONSENT_BY_PHRASES = {
    "each_user": "each person decides for themselves",
    "account_owner": "the account owner decides for everyone",
    "parent": "a parent decides",
}

BASIS_PHRASES = {
    "consent": "your consent",
    "contract": "the contract with you",
    "legal_obligation": "a legal obligation",
    "vital_interests": "protecting someone's life",
    "public_task": "a task in the public interest",
    "legitimate_interests": "the service's own legitimate interests",
}

# On a diagram's edge, when no consent is asked because another basis applies.
BASIS_WORDS = {
    "contract": "needed for the contract",
    "legal_obligation": "required by law",
    "vital_interests": "to protect a life",
    "public_task": "public task",
    "legitimate_interests": "legitimate interests",
}
# After the purposes, in place of a consent phrase, when the statement gives a
# basis other than consent and says nothing of consent.
BASIS_SENTENCES = {
    "contract": "as part of the contract with you",
    "legal_obligation": "because the law requires it",
    "vital_interests": "to protect someone's life",
    "public_task": "for a task in the public interest",
    "legitimate_interests": "in the service's own interest (you may object)",
}

BY_PHRASES = {
    "first_party": "the service itself",
    "third_party": "other companies",
    "processor": "companies working on the service's behalf",
}

ORIGIN_PHRASES = {
    "user_provided": "what you provide",
    "observed": "recorded as you use the service",
    "derived": "worked out from other data",
    "third_party": "obtained from other companies",
    "public_web": "collected from the public web",
}

# Apple's "Data Linked to You" / "Data Not Linked to You".
FORM_LINKED = {
    "identifiable": "Linked to you",
    "pseudonymized": "Linked to you (under a pseudonym)",
    "deidentified": "Not linked to you",
    "aggregated": "Not linked to you (only in totals)",
    None: "Linked to you",
}

SHARE_ROLE_PHRASES = {
    "processor": "works on the service's behalf",
    "third_party": "uses it for its own purposes",
    "affiliate": "a company of the same group",
    "public": "made public",
    "government": "a public authority",
}

SAFEGUARD_PHRASES = {
    "scc": "standard contractual clauses",
    "adequacy": "an adequacy decision",
    "bcr": "binding corporate rules",
    "consent": "your consent",
    "none": "no safeguard",
}

LICENSE_SCOPE_PHRASES = {
    "perpetual": "forever",
    "irrevocable": "you cannot take it back",
    "worldwide": "anywhere in the world",
    "royalty_free": "without paying you",
    "sublicensable": "they can pass it on to others",
    "transferable": "they can transfer it to another company",
    "exclusive": "only they may use it",
    "survives_deletion": "it lasts after you delete your content",
}

GRANTEE_PHRASES = {
    "provider": "the service",
    "affiliates": "the service's group of companies",
    "third_parties": "other companies",
}

AUDIENCE_PHRASES = {
    "general": "everyone",
    "adults": "adults only",
    "children": "children",
    "mixed": "adults and children",
}


def purpose_phrase(purpose: str, taxonomy: Taxonomy) -> str:
    """What using data for `purpose` reads as: "to train AI models"."""
    if purpose in PURPOSE_PHRASES:
        return PURPOSE_PHRASES[purpose]
    if taxonomy.knows("purposes", purpose):
        return f"for {taxonomy.label('purposes', purpose).lower()}"
    for above in taxonomy.ancestors(purpose, "purposes")[1:]:
        if above in PURPOSE_PHRASES:
            return f"{PURPOSE_PHRASES[above]} ({purpose})"
    return f"for “{purpose}”"


def listing(words: list[str], joiner: str = "and") -> str:
    """`a`, `a and b`, `a, b and c`."""
    words = [word for word in words if word]
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {joiner} {words[-1]}"

