"""Topic: shares (DIFF004): new recipients, roles, sale, transfers abroad."""

from __future__ import annotations

from tospolicy.diff.attributes import basis, consent, other_attributes, regions
from tospolicy.diff.change import NEW_SHARE
from tospolicy.diff.parties import NO_SAFEGUARD, parties, party_purposes, party_severity
from tospolicy.diff.session import ServiceDiff
from tospolicy.diff.values import first_term, is_yes, spans_of, terms_in, unique_names

# How far a share takes data from the people it is about.
ROLE_RANK = {"processor": 0, "affiliate": 1, "third_party": 2, "government": 2, "public": 3}


def compare(diff: ServiceDiff) -> None:
    parties(diff, "share", compare_share)


def compare_share(diff: ServiceDiff, before, after) -> None:
    who = after.identity
    severity = party_severity(diff, "share", after, unique_names(after.data))
    old_role, new_role = first_term(before.value("role")), first_term(after.value("role"))
    if old_role != new_role:
        spans = spans_of(before, after, "role")
        old_rank, new_rank = ROLE_RANK.get(old_role), ROLE_RANK.get(new_role)
        if old_rank is None or new_rank is None or old_rank == new_rank:
            diff.neutral(who, f"{who}: role changed from {old_role or 'not stated'} to "
                         f"{new_role or 'not stated'}", *spans, who)
        else:
            worse = new_rank > old_rank
            diff.judge(NEW_SHARE, worse, severity, who,
                       f"{who}: role {'escalated' if worse else 'reduced'} from {old_role} "
                       f"to {new_role}", *spans, who)
    old_sale, new_sale = is_yes(before.value("sale")), is_yes(after.value("sale"))
    if old_sale != new_sale:
        diff.judge(NEW_SHARE, new_sale, "error", who,
                   f"{who}: {'now a sale of the data' if new_sale else 'no longer a sale'}",
                   *spans_of(before, after, "sale"), who)
    party_purposes(diff, "share", NEW_SHARE, before, after, who, severity)
    transfers(diff, before, after, who, severity)
    consent(diff, before, after, who, severity)
    basis(diff, before, after, who, severity)
    regions(diff, before, after, NEW_SHARE, False, who, severity)
    other_attributes(diff, before, after, {
        "role", "sale", "purposes", "transfer", "safeguards", "consent", "consent_by",
        "basis", "regions", "except_regions"}, who, who)


def transfers(diff: ServiceDiff, before, after, who, severity) -> None:
    """A new destination outside the EU/EEA without safeguards is a regression;
    with safeguards, or inside the EU/EEA, it is neutral."""
    old, new = terms_in(before.value("transfer")), terms_in(after.value("transfer"))
    old_guard, new_guard = first_term(before.value("safeguards")), first_term(after.value("safeguards"))
    spans = spans_of(before, after, "transfer")
    added, gone = diff.broader("regions", new, old), diff.broader("regions", old, new)

    def outside(regions):
        return [region for region in regions
                if not any(diff.taxonomy.is_under(region, home, "regions") for home in ("eu", "eea"))]

    if outside(added) and new_guard in NO_SAFEGUARD:
        diff.regression(NEW_SHARE, severity, who, f"{who}: now transferred to "
                        f"{diff.terms('regions', outside(added))} without safeguards",
                        *spans, who)
    elif added:
        guard = f" under {new_guard}" if new_guard not in NO_SAFEGUARD else ""
        diff.neutral(who, f"{who}: now also transferred to {diff.terms('regions', added)}{guard}",
                     *spans, who)
    if gone:
        diff.neutral(who, f"{who}: no longer transferred to {diff.terms('regions', gone)}",
                     *spans, who)
    if old_guard == new_guard:
        return
    spans = spans_of(before, after, "safeguards")
    still_abroad = [region for region in outside(new) if region in old]
    if still_abroad and (old_guard in NO_SAFEGUARD) != (new_guard in NO_SAFEGUARD):
        worse = new_guard in NO_SAFEGUARD
        words = (f"transfers to {', '.join(still_abroad)} no longer under safeguards "
                 f"(were under {old_guard})" if worse else
                 f"transfers to {', '.join(still_abroad)} now under {new_guard}")
        diff.judge(NEW_SHARE, worse, severity, who, f"{who}: {words}", *spans, who)
    else:
        diff.neutral(who, f"{who}: safeguards changed from {old_guard or 'not stated'} to "
                     f"{new_guard or 'not stated'}", *spans, who)
