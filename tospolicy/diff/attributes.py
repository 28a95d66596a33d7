"""Attributes several kinds of statement share, compared the same way for
each: consent, basis, form, regions, and the attributes no rule judges
(labels, citations, notes: neutral)."""

from __future__ import annotations

from tospolicy.diff.change import BASIS_AWAY_FROM_CONSENT, CONSENT_WEAKENED, SAFEGUARD_WEAKENED
from tospolicy.diff.session import ServiceDiff
from tospolicy.diff.values import first_term, same_values, spans_of, value_text
from tospolicy.language import regions as region_sets

# How identifiable data is; data that does not say is taken as identifiable.
FORM_RANK = {"aggregated": 0, "deidentified": 1, "pseudonymized": 2, "identifiable": 3}

# Who gives consent: each person (or a parent for a child), or one account owner for everyone.
CONSENT_BY_RANK = {"each_user": 1, "parent": 1, "account_owner": 0}
CONSENT_BY_WORDS = {
    "each_user": "each user", "parent": "a parent", "account_owner": "the account owner for everyone",
}


def other_attributes(diff: ServiceDiff, before, after, handled, who, statement) -> None:
    """Attributes that make no one more or less protected: citations, notes,
    the version, dates, unknown keys. Reported as neutral changes."""
    keys = list(dict.fromkeys(
        attribute.key for attribute in (*before.attributes, *after.attributes)
        if attribute.key not in handled))
    for key in keys:
        old, new = before.attribute(key), after.attribute(key)
        if old is not None and new is not None and same_values(old.value, new.value):
            continue
        if old is None:
            words = f"{key} added: {value_text(new.value)}"
        elif new is None:
            words = f"{key} removed (was {value_text(old.value)})"
        else:
            words = f"{key} changed from {value_text(old.value)} to {value_text(new.value)}"
        diff.neutral(statement, f"{who}: {words}", (old or before).span, (new or after).span,
                     statement)


def regions(diff: ServiceDiff, before, after, rule_id, protective: bool, who, severity) -> None:
    """`regions:` less `except_regions` (neither: everywhere). A permissive
    statement applying in more places, or a protective one (right, commitment)
    in fewer, is a regression."""
    old = list(region_sets.effective(before, diff.taxonomy, diff.old.service) or ["global"])
    new = list(region_sets.effective(after, diff.taxonomy, diff.new.service) or ["global"])
    spans = spans_of(before, after, "regions")
    if after.attribute("regions") is None and after.attribute("except_regions") is not None:
        spans = spans_of(before, after, "except_regions")
    wider = diff.broader("regions", new, old)
    narrower = diff.broader("regions", old, new)
    # Regions left out are told as written, not as the long list of those left.
    excepted = any(statement.attribute("except_regions") is not None
                   for statement in (before, after))
    change = (f"now applies{region_sets.described(after) or ' everywhere'} "
              f"(was{region_sets.described(before) or ' everywhere'})")
    if wider:
        words = change if excepted else f"now also applies in {places(diff, wider)}"
        diff.judge(rule_id, not protective, severity, after.identity,
                   f"{who}: {words}", *spans, after.identity)
    if narrower:
        if excepted:
            words = change
        elif old == ["global"]:
            words = f"now applies only in {places(diff, new)}"
        else:
            words = f"no longer applies in {places(diff, narrower)}"
        diff.judge(rule_id, protective, severity, after.identity, f"{who}: {words}",
                   *spans, after.identity)


def places(diff: ServiceDiff, regions) -> str:
    return "every region" if regions == ["global"] else diff.terms("regions", regions)


def consent(diff: ServiceDiff, before, after, who, severity) -> None:
    """Consent strength: explicit_opt_in > opt_in > opt_out > none. A consent
    not stated promises nothing, so it ranks with `none`: dropping a stated
    opt-in is a regression, stating `none` where nothing was said is neutral."""
    old, new = first_term(before.value("consent")), first_term(after.value("consent"))
    old_by, new_by = first_term(before.value("consent_by")), first_term(after.value("consent_by"))
    spans = spans_of(before, after, "consent")
    if old != new:
        old_rank = 0 if old is None else diff.taxonomy.rank("consent", old)
        new_rank = 0 if new is None else diff.taxonomy.rank("consent", new)
        given = f", given by {CONSENT_BY_WORDS.get(new_by, new_by)}" if new_by else ""
        if old_rank is None or new_rank is None or old_rank == new_rank:
            if old is None:
                words = f"consent now stated as {new}{given}"
            elif new is None:
                words = f"consent no longer stated (was {old})"
            else:
                words = f"consent changed from {old} to {new}{given}"
            diff.neutral(after.identity, f"{who}: {words}", *spans, after.identity)
        else:
            worse = new_rank < old_rank
            words = "weakened" if worse else "strengthened"
            diff.judge(CONSENT_WEAKENED, worse, severity, after.identity,
                       f"{who}: consent {words} from {old or 'not stated'} to "
                       f"{new or 'not stated'}{given}", *spans, after.identity)
        return
    if old_by == new_by:
        return
    spans = spans_of(before, after, "consent_by")
    old_rank, new_rank = CONSENT_BY_RANK.get(old_by), CONSENT_BY_RANK.get(new_by)
    now = CONSENT_BY_WORDS.get(new_by, new_by) if new_by else "not stated"
    was = CONSENT_BY_WORDS.get(old_by, old_by) if old_by else "not stated"
    if old_rank is None or new_rank is None or old_rank == new_rank:
        diff.neutral(after.identity, f"{who}: consent now given by {now} (was {was})",
                     *spans, after.identity)
    else:
        diff.judge(CONSENT_WEAKENED, new_rank < old_rank, severity, after.identity,
                   f"{who}: consent now given by {now} — was {was}", *spans, after.identity)


def basis(diff: ServiceDiff, before, after, who, severity) -> None:
    old, new = first_term(before.value("basis")), first_term(after.value("basis"))
    if old == new:
        return
    spans = spans_of(before, after, "basis")
    if "consent" in (old, new):
        worse = old == "consent"
        words = (f"legal basis moved away from consent: now {new or 'not stated'}" if worse
                 else f"legal basis now consent (was {old or 'not stated'})")
        diff.judge(BASIS_AWAY_FROM_CONSENT, worse, severity, after.identity, f"{who}: {words}",
                   *spans, after.identity)
    else:
        diff.neutral(after.identity, f"{who}: legal basis changed from {old or 'not stated'} "
                     f"to {new or 'not stated'}", *spans, after.identity)


def form(diff: ServiceDiff, before, after, who, subject, severity) -> None:
    old, new = first_term(before.value("form")), first_term(after.value("form"))
    old_rank = FORM_RANK.get(old or "identifiable")
    new_rank = FORM_RANK.get(new or "identifiable")
    if old == new:
        return
    spans = spans_of(before, after, "form")
    if old_rank is None or new_rank is None or old_rank == new_rank:
        diff.neutral(subject, f"{who}: form changed from {old or 'not stated'} to "
                     f"{new or 'not stated'}", *spans, subject)
        return
    worse = new_rank > old_rank
    unstated = "not stated (identifiable)"
    diff.judge(SAFEGUARD_WEAKENED, worse, severity, subject,
               f"{who}: {'more' if worse else 'less'} identifiable: form now "
               f"{new or unstated} — was {old or unstated}", *spans, subject)
