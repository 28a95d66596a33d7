"""Topic: licences (DIFF006): new grantees, broader purposes or scope."""

from __future__ import annotations

from tospolicy.diff.attributes import consent, other_attributes, regions
from tospolicy.diff.change import LICENSE_BROADENED
from tospolicy.diff.parties import parties, party_purposes, party_severity
from tospolicy.diff.session import ServiceDiff
from tospolicy.diff.values import spans_of, terms_in, unique_names


def compare(diff: ServiceDiff) -> None:
    parties(diff, "license", compare_license)


def compare_license(diff: ServiceDiff, before, after) -> None:
    who = after.identity
    severity = party_severity(diff, "license", after, unique_names(after.data))
    old, new = terms_in(before.value("scope")), terms_in(after.value("scope"))
    spans = spans_of(before, after, "scope")
    added = [word for word in new if word not in old]
    gone = [word for word in old if word not in new]
    if added:
        diff.regression(LICENSE_BROADENED, severity, who,
                        f"{who}: licence broadened: now also {', '.join(added)}", *spans, who)
    if gone:
        diff.improvement(LICENSE_BROADENED, who,
                         f"{who}: licence narrowed: no longer {', '.join(gone)}", *spans, who)
    party_purposes(diff, "license", LICENSE_BROADENED, before, after, who, severity)
    consent(diff, before, after, who, severity)
    regions(diff, before, after, LICENSE_BROADENED, False, who, severity)
    other_attributes(diff, before, after, {"scope", "purposes", "consent", "consent_by", "regions", "except_regions"},
                     who, who)
