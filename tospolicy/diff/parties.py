"""What shares and licences have in common: statements matched by data and
recipient or grantee, new and lost parties, purposes made broader."""

from __future__ import annotations

from typing import Callable

from tospolicy.diff.change import LICENSE_BROADENED, NEW_SHARE
from tospolicy.diff.operational import operational
from tospolicy.diff.session import ServiceDiff
from tospolicy.diff.values import first_term, is_yes, scalar_text, spans_of, terms_in, unique_names
from tospolicy.language.model import Name, Text

NO_SAFEGUARD = frozenset({None, "none"})


def parties(diff: ServiceDiff, kind: str, compare_pair: Callable) -> None:
    """Shares (by data and recipient) or licences (by data and grantee): each
    new or lost (data, party) key, then `compare_pair(diff, before, after)` for
    each statement about the same data and party in both versions."""
    party = "recipient" if kind == "share" else "grantee"
    old_all, new_all = diff.old.of(kind), diff.new.of(kind)
    old_keys = party_keys(old_all, party)
    new_keys = party_keys(new_all, party)
    pairs: dict[tuple, None] = {}
    seen: dict[tuple, int] = {}  # a key written twice pairs first with first, second with second
    for after in new_all:
        keys = statement_keys(after, party)
        fresh = [name for name, key in keys if key not in old_keys]
        for _, key in keys:
            if key in old_keys:
                same = old_keys[key]
                occurrence = seen[key] = seen.get(key, -1) + 1
                pairs.setdefault((same[min(occurrence, len(same) - 1)], after), None)
        if fresh:
            new_party(diff, kind, after, fresh, whole=len(fresh) == len(keys))
    for before in old_all:
        keys = statement_keys(before, party)
        gone = [name for name, key in keys if key not in new_keys and not diff.removed_data(name)]
        if gone:
            lost_party(diff, kind, before, gone, whole=len(gone) == len(keys))
    for before, after in pairs:
        compare_pair(diff, before, after)


def party_severity(diff: ServiceDiff, kind, statement, names) -> str:
    purposes = terms_in(statement.value("purposes")) or (["any"] if kind == "license" else [])
    if kind == "share" and (is_yes(statement.value("sale"))
                            or first_term(statement.value("role")) == "public"):
        return "error"
    return diff.severity(names, purposes)


def new_party(diff: ServiceDiff, kind, after, fresh, whole) -> None:
    rule_id = NEW_SHARE if kind == "share" else LICENSE_BROADENED
    severity = party_severity(diff, kind, after, unique_names(after.data))
    data = diff.new.labels(fresh)
    if kind == "share":
        target = scalar_text(after.recipient)
        details = share_details(diff, after)
        words = (f"new share of {data} with {target}{details}" if whole
                 else f"{after.identity}: now also shares {data}{details}")
    else:
        target = scalar_text(after.grantee)
        details = license_details(diff, after)
        words = (f"new licence over {data} to {target}{details}" if whole
                 else f"{after.identity}: now also covers {data}{details}")
    diff.regression(rule_id, severity, after.identity, words, None, after.span, after.identity)


def lost_party(diff: ServiceDiff, kind, before, gone, whole) -> None:
    rule_id = NEW_SHARE if kind == "share" else LICENSE_BROADENED
    data = diff.old.labels(gone)
    if kind == "share":
        words = (f"share of {data} with {scalar_text(before.recipient)} removed" if whole
                 else f"{before.identity}: no longer shares {data}")
    else:
        words = (f"licence over {data} to {scalar_text(before.grantee)} removed" if whole
                 else f"{before.identity}: no longer covers {data}")
    diff.improvement(rule_id, before.identity, words, before.span, None, before.identity)


def share_details(diff: ServiceDiff, statement) -> str:
    parts = []
    role = first_term(statement.value("role"))
    if role:
        parts.append(f"role {role}")
    purposes = terms_in(statement.value("purposes"))
    parts.append(f"for {diff.terms('purposes', purposes)}" if purposes else "no purposes stated")
    if is_yes(statement.value("sale")):
        parts.append("sold")
    transfer = terms_in(statement.value("transfer"))
    if transfer:
        safeguards = first_term(statement.value("safeguards"))
        protected = (f"under {safeguards}" if safeguards not in NO_SAFEGUARD
                     else "without safeguards")
        parts.append(f"transferred to {diff.terms('regions', transfer)} {protected}")
    consent = first_term(statement.value("consent"))
    if consent:
        parts.append(f"consent {consent}")
    return " — " + "; ".join(parts)


def license_details(diff: ServiceDiff, statement) -> str:
    parts = []
    scope = terms_in(statement.value("scope"))
    if scope:
        parts.append(", ".join(scope))
    purposes = terms_in(statement.value("purposes"))
    parts.append(f"for {diff.terms('purposes', purposes)}" if purposes
                 else "for any purpose (none stated)")
    consent = first_term(statement.value("consent"))
    parts.append(f"consent {consent}" if consent else "consent not stated")
    return " — " + "; ".join(parts)


def party_purposes(diff: ServiceDiff, kind, rule_id, before, after, who, severity) -> None:
    """A share's or licence's purposes (absent: not limited, so `any`)."""
    old = terms_in(before.value("purposes")) or ["any"]
    new = terms_in(after.value("purposes")) or ["any"]
    spans = spans_of(before, after, "purposes")
    wider, narrower = diff.broader("purposes", new, old), diff.broader("purposes", old, new)
    noun = "licence" if kind == "license" else "share"
    names = unique_names(after.data)
    needed = [purpose for purpose in wider
              if operational(purpose, names, diff.old, diff.new, diff.taxonomy)]
    if needed:
        diff.neutral(after.identity, f"{who}: now also for {diff.terms('purposes', needed)}, "
                     "which running the service lawfully needs (not counted as broadening)",
                     *spans, after.identity)
        wider = [purpose for purpose in wider if purpose not in needed]
    if wider:
        diff.regression(rule_id, severity, after.identity,
                        f"{who}: {noun} broadened: now also for {diff.terms('purposes', wider)}",
                        *spans, after.identity)
    if narrower:
        diff.improvement(rule_id, after.identity,
                         f"{who}: {noun} narrowed: no longer for "
                         f"{diff.terms('purposes', narrower)} — now for {', '.join(new)} only",
                         *spans, after.identity)


def party_key(value: Name | Text) -> str:
    """A recipient or grantee as matched: case and spacing do not count."""
    return " ".join(str(value.value).casefold().split())


def statement_keys(statement, party: str) -> list[tuple[str, tuple]]:
    target = party_key(getattr(statement, party))
    return [(name, (name, target)) for name in unique_names(statement.data)]


def party_keys(statements, party: str) -> dict[tuple, list]:
    """Each (data, party) key and the statements that have it, in source order."""
    keys: dict[tuple, list] = {}
    for statement in statements:
        for _, key in statement_keys(statement, party):
            keys.setdefault(key, []).append(statement)
    return keys
