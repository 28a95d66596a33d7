"""Topic: `never` commitments (DIFF009), as (data, purpose) pairs."""

from __future__ import annotations

from collections import defaultdict
from functools import partial

from tospolicy.diff.attributes import other_attributes, regions
from tospolicy.diff.change import COMMITMENT_REMOVED
from tospolicy.diff.session import ServiceDiff
from tospolicy.diff.uses import overlapping
from tospolicy.language import regions as region_sets
from tospolicy.language.model import Span
from tospolicy.diff.values import data_purpose_pairs, match_statements, purposes_by_data, purposes_span, unique_names, use_key


def compare(diff: ServiceDiff) -> None:
    """`never` commitments as (data, purpose) pairs: an old pair no new
    commitment covers (same data, same or broader purpose) was removed or
    narrowed (DIFF009); a new pair no old one covered is a new commitment."""
    old_all, new_all = diff.old.of("never"), diff.new.of("never")
    old_cover, new_cover = purposes_by_data(old_all), purposes_by_data(new_all)
    for before in old_all:
        pairs = data_purpose_pairs(before)
        lost = [(name, purpose) for name, purpose in pairs if not diff.removed_data(name)
                and diff.broader("purposes", [purpose], new_cover.get(name, {}))]
        if not lost:
            continue
        names, purposes = _split(lost)
        where = region_sets.described(before)
        if len(lost) == len(pairs):
            words = (f"commitment removed: never to use {diff.old.labels(names)} for "
                     f"{diff.terms('purposes', purposes)}{where}")
            new_span = None
        else:
            words = (f"{before.identity}: commitment narrowed{where}: no longer covers "
                     f"{_pairs_words(lost)}")
            # The commitment still exists: point at what is left of it.
            new_span = _remaining(diff, before, new_all)
        diff.regression(COMMITMENT_REMOVED, diff.severity(names, purposes), _pairs_identity(lost),
                        words, purposes_span(before), new_span, before.identity)
    for after in new_all:
        pairs = data_purpose_pairs(after)
        gained = [(name, purpose) for name, purpose in pairs
                  if diff.broader("purposes", [purpose], old_cover.get(name, {}))]
        if not gained:
            continue
        names, purposes = _split(gained)
        if len(gained) == len(pairs):
            words = (f"new commitment never to use {diff.new.labels(names)} for "
                     f"{diff.terms('purposes', purposes)}")
        else:
            words = f"{after.identity}: commitment now also covers {_pairs_words(gained)}"
        diff.improvement(COMMITMENT_REMOVED, _pairs_identity(gained), words,
                         None, purposes_span(after), after.identity)
    matched, old_rest, new_rest = match_statements(old_all, new_all, use_key)
    for before, after in matched:
        compare_commitment(diff, before, after)
    diff.restructured(partial(compare_commitment, diff), overlapping(diff, old_rest, new_rest))


def _remaining(diff: ServiceDiff, before, new_all) -> Span | None:
    """Where the new version's `never` of the same data and an overlapping
    purpose is, if it has one."""
    names = set(unique_names(before.data))
    for after in new_all:
        if names.isdisjoint(unique_names(after.data)):
            continue
        if any(diff.taxonomy.overlaps(new, old, "purposes")
               for new in unique_names(after.purposes) for old in unique_names(before.purposes)):
            return purposes_span(after)
    return None


def compare_commitment(diff: ServiceDiff, before, after) -> None:
    who = after.identity
    severity = diff.severity(unique_names(after.data), unique_names(after.purposes))
    regions(diff, before, after, COMMITMENT_REMOVED, True, who, severity)
    other_attributes(diff, before, after, {"regions", "except_regions"}, who, who)


def _split(pairs) -> tuple[list[str], list[str]]:
    return (list(dict.fromkeys(name for name, _ in pairs)),
            list(dict.fromkeys(purpose for _, purpose in pairs)))


def _pairs_words(pairs) -> str:
    by_data: dict[str, list[str]] = defaultdict(list)
    for name, purpose in pairs:
        by_data[name].append(purpose)
    return "; ".join(f"{name} for {', '.join(purposes)}" for name, purposes in by_data.items())


def _pairs_identity(pairs) -> str:
    names, purposes = _split(pairs)
    return f"never {', '.join(names)} for {', '.join(purposes)}"
