"""Topic: uses, as (data, purpose) pairs through the taxonomy (DIFF001), and
the consent, basis and safeguards of the same use (DIFF002, DIFF003, DIFF013)."""

from __future__ import annotations

from collections import defaultdict
from functools import partial

from tospolicy.diff.attributes import CONSENT_BY_WORDS, basis, consent, form, other_attributes, regions
from tospolicy.diff.change import CONSENT_WEAKENED, NEW_PURPOSE, NEW_SHARE, SAFEGUARD_WEAKENED
from tospolicy.diff.operational import operational
from tospolicy.diff.session import ServiceDiff
from tospolicy.diff.values import data_purpose_pairs, first_term, is_yes, listing, match_statements, purposes_by_data, purposes_span, same_values, spans_of, terms_in, unique_names, use_key, value_text
from tospolicy.language.taxonomy import TOPS

# How many old statements one restructured new statement is compared with.
MAX_RESTRUCTURED = 100


def compare(diff: ServiceDiff) -> None:
    """Uses compare as (data, purpose) pairs through the taxonomy: a purpose
    no old purpose of that data covers is new (DIFF001); an old purpose no new
    one covers is gone (an improvement). Consent and the other attributes are
    compared between statements about the same data and purposes."""
    old_uses, new_uses = diff.old.of("use"), diff.new.of("use")
    matched, old_rest, new_rest = match_statements(old_uses, new_uses, use_key)
    old_purposes, new_purposes = purposes_by_data(old_uses), purposes_by_data(new_uses)
    for after in new_rest:
        for name in unique_names(after.data):
            report_new_purposes(diff, after, name, old_purposes.get(name, {}))
    for before in old_rest:
        for name in unique_names(before.data):
            if not diff.removed_data(name):
                report_lost_purposes(diff, before, name, new_purposes.get(name, {}))
    for before, after in matched:
        compare_use(diff, before, after)
    diff.restructured(partial(compare_use, diff), overlapping(diff, old_rest, new_rest))


def overlapping(diff: ServiceDiff, old_rest, new_rest) -> list[tuple]:
    """Unmatched statements about the same data and overlapping purposes: the
    same use, restructured (split, merged, purposes changed). Found through
    an index, and at most `MAX_RESTRUCTURED` for each new statement, so that
    no declaration makes the comparison quadratic."""
    same = defaultdict(list)  # (data, purpose) -> old statements with that purpose
    under = defaultdict(list)  # (data, term) -> old statements with a purpose at or under it
    for index, before in enumerate(old_rest):
        for name, purpose in data_purpose_pairs(before):
            same[name, purpose].append(index)
            for term in (*diff.ancestors(purpose, "purposes"), TOPS["purposes"]):
                under[name, term].append(index)
    pairs = []
    for after in new_rest:
        found: set[int] = set()
        for name, purpose in data_purpose_pairs(after):
            found.update(under[name, purpose][:MAX_RESTRUCTURED])
            for term in (*diff.ancestors(purpose, "purposes"), TOPS["purposes"]):
                found.update(same[name, term][:MAX_RESTRUCTURED])
        pairs += [(old_rest[index], after) for index in sorted(found)[:MAX_RESTRUCTURED]]
    return pairs


def report_new_purposes(diff: ServiceDiff, after, name, old_purposes) -> None:
    added = diff.broader("purposes", unique_names(after.purposes), old_purposes)
    # A new data set's purposes are all new: the reviewer sees what it is for.
    needed = [purpose for purpose in added if name in diff.old.data
              and operational(purpose, [name], diff.old, diff.new, diff.taxonomy)]
    if needed:
        diff.neutral(f"use {name} for {', '.join(needed)}",
                     f"{diff.new.label(name)}: now also used for "
                     f"{diff.terms('purposes', needed)}, which running the service lawfully "
                     "needs (not counted as a new purpose)",
                     diff.old.first_use(name), purposes_span(after), after.identity)
    added = [purpose for purpose in added if purpose not in needed]
    if not added:
        return
    consent = first_term(after.value("consent"))
    words = f"consent {consent}" if consent else "consent not stated"
    given_by = first_term(after.value("consent_by"))
    if given_by:
        words += f", given by {CONSENT_BY_WORDS.get(given_by, given_by)}"
    basis = first_term(after.value("basis"))
    if basis:
        words += f", basis {basis}"
    if "third_party" in terms_in(after.value("by")):
        words += ", performed by third parties"
    if name in diff.new.data and name not in diff.old.data:
        was = "new data set"
    elif old_purposes:
        was = f"was used for {listing(old_purposes)} only"
    else:
        was = "was not used for any purpose before"
    # A purpose above one the data had is the same use made broader.
    narrower = {purpose: [old for old in old_purposes
                          if diff.taxonomy.is_under(old, purpose, "purposes")]
                for purpose in added}
    fresh = [purpose for purpose in added if not narrower[purpose]]
    parts = [f"new purpose{'s' if len(fresh) > 1 else ''} {diff.terms('purposes', fresh)}"] if fresh else []
    parts += [f"purpose broadened from {listing(narrower[purpose])} to {diff.term('purposes', purpose)}"
              for purpose in added if narrower[purpose]]
    old_span = diff.old.first_use(name)
    diff.regression(
        NEW_PURPOSE, diff.severity([name], added), f"use {name} for {', '.join(added)}",
        f"{diff.new.label(name)}: {'; '.join(parts)}, {words} — {was}",
        old_span, purposes_span(after), after.identity)


def report_lost_purposes(diff: ServiceDiff, before, name, new_purposes) -> None:
    gone = diff.broader("purposes", unique_names(before.purposes), new_purposes)
    if not gone:
        return
    now = (f"now used for {listing(new_purposes)} only" if new_purposes
           else "no longer used for any purpose")
    new_span = diff.new.first_use(name)
    diff.improvement(
        NEW_PURPOSE, f"use {name} for {', '.join(gone)}",
        f"{diff.new.label(name)}: no longer used for {diff.terms('purposes', gone)} — {now}",
        purposes_span(before), new_span, before.identity)


def compare_use(diff: ServiceDiff, before, after) -> None:
    who = after.identity
    names, purposes = unique_names(after.data), unique_names(after.purposes)
    severity = diff.severity(names, purposes)
    consent(diff, before, after, who, severity)
    basis(diff, before, after, who, severity)
    performed_by(diff, before, after, who, severity)
    form(diff, before, after, who, after.identity, severity)
    safeguard_flags(diff, before, after, who, severity)
    withdrawal(diff, before, after, who, severity)
    regions(diff, before, after, NEW_PURPOSE, False, who, severity)
    other_attributes(diff, before, after, {
        "consent", "consent_by", "basis", "by", "form", "human_review",
        "automated_decisions", "withdrawal", "regions", "except_regions"}, who, after.identity)


def performed_by(diff: ServiceDiff, before, after, who, severity) -> None:
    old, new = terms_in(before.value("by")), terms_in(after.value("by"))
    if sorted(old) == sorted(new):
        return
    spans = spans_of(before, after, "by")
    if ("third_party" in old) != ("third_party" in new):
        worse = "third_party" in new
        diff.judge(NEW_SHARE, worse, severity, after.identity,
                   f"{who}: {'now also' if worse else 'no longer'} performed by third parties",
                   *spans, after.identity)
    else:
        diff.neutral(after.identity, f"{who}: performed by {', '.join(new) or 'not stated'} "
                     f"(was {', '.join(old) or 'not stated'})", *spans, after.identity)


def safeguard_flags(diff: ServiceDiff, before, after, who, severity) -> None:
    for key, worse_when, words in (
        ("human_review", False, ("no longer reviewed by a person", "now reviewed by a person")),
        ("automated_decisions", True, ("now makes automated decisions about people",
                                       "no longer makes automated decisions about people")),
    ):
        old, new = is_yes(before.value(key)), is_yes(after.value(key))
        if old != new:
            worse = new == worse_when
            diff.judge(SAFEGUARD_WEAKENED, worse, severity, after.identity,
                       f"{who}: {words[0] if worse else words[1]}",
                       *spans_of(before, after, key), after.identity)


def withdrawal(diff: ServiceDiff, before, after, who, severity) -> None:
    old, new = before.attribute("withdrawal"), after.attribute("withdrawal")
    if old is None and new is None or old and new and same_values(old.value, new.value):
        return
    spans = spans_of(before, after, "withdrawal")
    if old is not None and new is not None:
        diff.neutral(after.identity, f"{who}: consent now withdrawn via "
                     f"{value_text(new.value)} (was {value_text(old.value)})",
                     *spans, after.identity)
    elif new is None and "withdraw_consent" in diff.new.rights():
        # The path moved to the service's right: it did not vanish (RULEPACKS.md 0.2).
        diff.neutral(after.identity, f"{who}: consent now withdrawn through right "
                     f"withdraw_consent (was {value_text(old.value)})", *spans, after.identity)
    else:
        worse = new is None
        words = (f"no longer says how to withdraw consent (was {value_text(old.value)})"
                 if worse else f"now says how to withdraw consent: {value_text(new.value)}")
        diff.judge(CONSENT_WEAKENED, worse, severity, after.identity, f"{who}: {words}",
                   *spans, after.identity)
