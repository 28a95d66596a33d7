"""The semantic diff: what a change to a declaration does for the people whose data it is.

`diff_declarations(old, new)` compares two versions of a declaration and
returns `Change`s, each classified:

- regression: the new version protects people less (a new purpose for data,
  weaker consent, a basis moved away from consent, a new or escalated share,
  longer retention, a broader licence, a right or a `never` commitment
  removed, more data categories or more people concerned, a safeguard
  weakened). It carries a DIFF id and a severity.
- improvement: the reverse of one of these, with the same DIFF id.
- neutral: a change that protects no one more or less (labels, citations,
  notes, the version, a rename). No id.

Statements are matched by what they are about, never by position, so
reordering changes nothing: data by name (a data set whose name changed but
whose categories, subjects, origin and statements did not is a rename); uses
and `never` commitments by data and purpose, through the taxonomy, so that a
purpose made broader is a new purpose and one made narrower an improvement;
shares by data and recipient; licences by data and grantee; retention by data;
rights by name.

Pure: models in, changes out. Files and git are `comparison`'s business.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections import defaultdict
from dataclasses import dataclass

from tospolicy.language.model import Boolean, Data, Date, Declaration, Duration, List, Name, Retain, Right, Service, Span, Text, items_of
from tospolicy.language.taxonomy import TOPS, Taxonomy, builtin_taxonomy

REGRESSION, IMPROVEMENT, NEUTRAL = "regression", "improvement", "neutral"
CLASSIFICATIONS = (REGRESSION, IMPROVEMENT, NEUTRAL)

NEW_PURPOSE = "DIFF001"
CONSENT_WEAKENED = "DIFF002"
BASIS_AWAY_FROM_CONSENT = "DIFF003"
NEW_SHARE = "DIFF004"
RETENTION_EXTENDED = "DIFF005"
LICENSE_BROADENED = "DIFF006"
RIGHT_REMOVED = "DIFF007"
NEW_CATEGORIES = "DIFF008"
COMMITMENT_REMOVED = "DIFF009"
MORE_PEOPLE = "DIFF010"
SAFEGUARD_WEAKENED = "DIFF011"

# Purposes whose harm cannot be undone: a model cannot unlearn what it was
# trained on (`ai`, `any` and every `ai.training.*` overlap `ai.training`), and
# data sold or licensed out cannot be called back.
IRREVERSIBLE_PURPOSES = ("ai.training", "commercial")
SENSITIVE_CATEGORIES = ("biometric", "special")
CHILD_AUDIENCES = frozenset({"children", "mixed"})
# Rights whose removal touches AI training, sale or sensitive data.
SERIOUS_RIGHTS = frozenset({"opt_out_ai_training", "opt_out_sale", "limit_sensitive"})
# How far a share takes data from the people it is about.
ROLE_RANK = {"processor": 0, "affiliate": 1, "third_party": 2, "government": 2, "public": 3}
# How identifiable data is; data that does not say is taken as identifiable.
FORM_RANK = {"aggregated": 0, "deidentified": 1, "pseudonymized": 2, "identifiable": 3}
# Who gives consent: each person (or a parent for a child), or one account owner for everyone.
CONSENT_BY_RANK = {"each_user": 1, "parent": 1, "account_owner": 0}
CONSENT_BY_WORDS = {
    "each_user": "each user", "parent": "a parent", "account_owner": "the account owner for everyone",
}
NO_SAFEGUARD = frozenset({None, "none"})
# How many old statements one restructured new statement is compared with.
MAX_RESTRUCTURED = 100
# Rounds of checking candidate renames against each other's statements.
MAX_RENAME_ROUNDS = 8
# How many terms a message lists before "and N more".
MAX_LISTED = 12
# Values longer than this are cut in messages (notes can be paragraphs).
MAX_VALUE_CHARS = 80


@dataclass(frozen=True)
class Change:
    """One thing that changed between two versions, and what it means.

    `rule_id` is the DIFF id (None for a neutral change); `severity` is set for
    regressions only. `subject` says what the change is about in the
    language's own terms (`use communications for ai.training`, `data
    service_generated`, `right erasure`), `statement` is the identity of the
    statement it points at (the new one, or the old one when it was removed).
    `old` locates it in the old version (None for something new); `new` in
    the new version, at the service's name for something removed (None only
    when the whole service was removed).
    """

    rule_id: str | None
    classification: str
    severity: str | None
    service: str
    subject: str
    message: str
    old: Span | None
    new: Span | None
    statement: str = ""


_CLASS_ORDER = {REGRESSION: 0, IMPROVEMENT: 1, NEUTRAL: 2}
_SEVERITY_ORDER = {"error": 0, "warning": 1, None: 2}


def sort_key(change: Change) -> tuple:
    """Regressions first (errors before warnings), then improvements, then the rest;
    within each, by place in the new version, then the old."""
    place = change.new or change.old
    old = change.old
    return (
        _CLASS_ORDER[change.classification], _SEVERITY_ORDER[change.severity],
        (place.file, place.line, place.column) if place else ("", 0, 0),
        (old.file, old.line, old.column) if old else ("", 0, 0),
        change.rule_id or "", change.message,
    )


def diff_declarations(
    old: Declaration | None, new: Declaration | None, taxonomy: Taxonomy | None = None
) -> list[Change]:
    """The changes from `old` to `new` (None stands for a file that does not exist).

    Services are matched by name; when exactly one service of each version is
    left unmatched, they are the same service renamed.
    """
    taxonomy = taxonomy or builtin_taxonomy()
    remaining = list(old.services) if old else []
    pairs: list[tuple[Service | None, Service | None]] = []
    added: list[Service] = []
    for service in new.services if new else ():
        match = next((item for item in remaining if item.name.value == service.name.value), None)
        if match is None:
            added.append(service)
        else:
            remaining.remove(match)
            pairs.append((match, service))
    if len(remaining) == 1 and len(added) == 1:
        pairs.append((remaining.pop(), added.pop()))
    pairs += [(None, service) for service in added]
    pairs += [(service, None) for service in remaining]
    changes: list[Change] = []
    for before, after in pairs:
        changes += diff_services(before, after, taxonomy)
    return sorted(changes, key=sort_key)


def diff_services(
    old: Service | None, new: Service | None, taxonomy: Taxonomy | None = None
) -> list[Change]:
    """The changes from one version of a service to the next.

    A new service is compared with an empty one: everything in it is new. A
    removed service is one neutral change: whether its disappearance protects
    anyone depends on whether the service went away or moved, which the
    declaration cannot say.
    """
    taxonomy = taxonomy or builtin_taxonomy()
    if old is not None and new is None:
        count = len(old.statements)
        return [Change(
            None, NEUTRAL, None, old.name.value, old.identity,
            f'service "{old.name.value}" removed: its {count} statement'
            f'{"" if count == 1 else "s"} no longer declared',
            old.name.span, None, old.identity,
        )]
    renames: dict[str, str] = {}
    if old is not None and new is not None:
        renames = _renames(_Version(old, taxonomy), _Version(new, taxonomy))
        old_version = _Version(_renamed(old, renames), taxonomy)
    else:
        old_version = _Version(None, taxonomy)
    comparison = _ServiceDiff(old_version, _Version(new, taxonomy), taxonomy)
    comparison.run(renames)
    return comparison.changes


# ------------------------------------------------------------------ values

def _scalar_text(value) -> str:
    if isinstance(value, Text):
        return f'"{value.value}"'
    if isinstance(value, Boolean):
        return "yes" if value.value else "no"
    if isinstance(value, Date):
        return value.value.isoformat()
    if isinstance(value, Duration):
        return str(value)
    return str(value.value)


def _value_text(value) -> str:
    text = ", ".join(_scalar_text(item) for item in items_of(value))
    if len(text) <= MAX_VALUE_CHARS:
        return text
    return text[:MAX_VALUE_CHARS - 1] + ('…"' if text.startswith('"') else "…")


def _same(first, second) -> bool:
    """Equal values, whatever their order and spans: reordering changes nothing."""
    return sorted(map(_scalar_text, items_of(first))) == sorted(map(_scalar_text, items_of(second)))


def _terms(value) -> list[str]:
    """The names (and strings) in a value, in order, without repeats."""
    seen: dict[str, None] = {}
    for item in items_of(value):
        if isinstance(item, (Name, Text)):
            seen.setdefault(item.value, None)
    return list(seen)


def _listing(items) -> str:
    """Items (a list or an ordered set) joined with commas; a long list ends
    with "and N more"."""
    shown = ", ".join(itertools.islice(items, MAX_LISTED))
    return shown if len(items) <= MAX_LISTED else f"{shown} and {len(items) - MAX_LISTED} more"


def _one(value) -> str | None:
    terms = _terms(value)
    return terms[0] if terms else None


def _flag(value) -> bool:
    return isinstance(value, Boolean) and value.value


def _names(names) -> list[str]:
    return list(dict.fromkeys(name.value for name in names))


def _purposes_span(statement) -> Span:
    return statement.purposes[0].span.to(statement.purposes[-1].span)


def _party(value: Name | Text) -> str:
    """A recipient or grantee as matched: case and spacing do not count."""
    return " ".join(str(value.value).casefold().split())


# ---------------------------------------------------------------- renames

def _renames(old: _Version, new: _Version) -> dict[str, str]:
    """Data sets renamed from `old` to `new`: old name -> new name.

    A removed and an added data set are a rename when they hold the same
    categories, concern the same subjects, have the same origin, and the
    statements that mention them are the same once the name is replaced. A
    data set that could be the rename of several others is left alone.
    """
    gone = [name for name in old.data if name not in new.data]
    added = [name for name in new.data if name not in old.data]

    def signature(version: _Version, name: str) -> tuple:
        data = version.data[name]
        return tuple(
            frozenset(_terms(data.value(key))) for key in ("categories", "subjects", "origin")
        )

    appeared: dict[tuple, list[str]] = defaultdict(list)
    for name in added:
        appeared[signature(new, name)].append(name)
    disappeared: dict[tuple, list[str]] = defaultdict(list)
    for name in gone:
        disappeared[signature(old, name)].append(name)
    mapping = {
        names[0]: appeared[key][0] for key, names in disappeared.items()
        if len(names) == 1 and len(appeared.get(key, ())) == 1
    }
    # Dropping a candidate can change what the others' statements look like
    # renamed; a few rounds settle every real case. Failing that, no renames:
    # a rename missed is reported as a removal and an addition, hiding nothing.
    for _ in range(MAX_RENAME_ROUNDS):
        renamed = _Version(_renamed(old.service, mapping), old.taxonomy)
        kept = {
            name: other for name, other in mapping.items()
            if renamed.references(other) == new.references(other)
        }
        if kept == mapping:
            return mapping
        mapping = kept
    return {}


def _renamed(service: Service | None, mapping: dict[str, str]) -> Service | None:
    """`service` with its data names replaced as `mapping` says (spans kept)."""
    if service is None or not mapping:
        return service

    def name(item):
        if isinstance(item, Name) and item.value in mapping:
            return Name(mapping[item.value], item.span)
        return item

    def attributes(statement):
        result = []
        for attribute in statement.attributes:
            value = attribute.value
            if attribute.key == "derived_from":
                value = (List(tuple(map(name, value.items)), value.span, value.bracketed)
                         if isinstance(value, List) else name(value))
            result.append(dataclasses.replace(attribute, value=value))
        return tuple(result)

    statements = []
    for statement in service.statements:
        if isinstance(statement, Data):
            statement = dataclasses.replace(
                statement, name=name(statement.name), attributes=attributes(statement))
        elif not isinstance(statement, Right):
            statement = dataclasses.replace(statement, data=tuple(map(name, statement.data)))
        statements.append(statement)
    return dataclasses.replace(service, statements=tuple(statements))


# ---------------------------------------------------------------- versions

class _Version:
    """One version of one service, indexed for comparison; `None` is an empty service."""

    def __init__(self, service: Service | None, taxonomy: Taxonomy):
        self.service = service
        self.taxonomy = taxonomy
        self.data: dict[str, Data] = {}
        self.kinds: dict[str, list] = defaultdict(list)
        for statement in service.statements if service else ():
            self.kinds[statement.kind].append(statement)
            if isinstance(statement, Data):
                self.data.setdefault(statement.name.value, statement)
        self._categories: dict[str, frozenset[str]] = {}
        self._uses = _by_data(self.of("use"))
        self._references: dict[str, list[str]] | None = None

    def of(self, kind: str) -> list:
        return self.kinds.get(kind, [])

    def first_use(self, name: str) -> Span | None:
        uses = self._uses.get(name)
        return uses[0].span if uses else None

    def references(self, name: str) -> list[str]:
        """The identities of the statements that mention data `name`, sorted."""
        if self._references is None:
            found: dict[str, list[str]] = defaultdict(list)
            for statement in self.service.statements if self.service else ():
                if not isinstance(statement, (Data, Right)):
                    for item in _names(statement.data):
                        found[item].append(statement.identity)
            self._references = {item: sorted(identities) for item, identities in found.items()}
        return self._references.get(name, [])

    def label(self, name: str) -> str:
        data = self.data.get(name)
        if data is not None and data.label is not None:
            return f'{name} ("{data.label.value}")'
        return name

    def labels(self, names) -> str:
        return _listing([self.label(name) for name in names])

    def categories(self, name: str) -> frozenset[str]:
        """Its categories and those of the data it is derived from (transitively)."""
        if name not in self._categories:
            found: set[str] = set()
            seen: set[str] = set()
            stack = [name]
            while stack:
                current = stack.pop()
                if current in seen or current not in self.data:
                    continue
                seen.add(current)
                data = self.data[current]
                found.update(_terms(data.value("categories")))
                stack.extend(_terms(data.value("derived_from")))
            self._categories[name] = frozenset(found)
        return self._categories[name]

    def sensitive(self, names) -> bool:
        return any(
            self.taxonomy.is_under(category, top, "categories")
            for name in names for category in self.categories(name)
            for top in SENSITIVE_CATEGORIES
        )

    def children(self, names) -> bool:
        if self.service is not None and _one(self.service.value("audience")) in CHILD_AUDIENCES:
            return True
        return any(
            "child" in _terms(self.data[name].value("subjects"))
            for name in names if name in self.data
        )


# ---------------------------------------------------------------- the diff

class _ServiceDiff:
    """Compares one service's two versions; `run` fills `changes`."""

    def __init__(self, old: _Version, new: _Version, taxonomy: Taxonomy):
        self.old = old
        self.new = new
        self.taxonomy = taxonomy
        self.name = new.service.name.value
        self.anchor = new.service.name.span  # where changes with no statement of their own show
        self.changes: list[Change] = []
        self._seen: set[tuple] = set()
        self._ancestors: dict[tuple[str, str], tuple[str, ...]] = {}
        # Off while comparing restructured statements (split, merged, purposes
        # changed): their citations and notes are bound to differ, and only what
        # protects people more or less is worth a line.
        self._neutral = True

    # -- recording

    def _add(self, rule_id, classification, severity, subject, message, old, new, statement):
        key = (rule_id, classification, subject, message)
        if key in self._seen:
            return
        self._seen.add(key)
        self.changes.append(Change(
            rule_id, classification, severity if classification == REGRESSION else None,
            self.name, subject, message, old, new or self.anchor, statement,
        ))

    def regression(self, rule_id, severity, subject, message, old, new, statement=""):
        self._add(rule_id, REGRESSION, severity, subject, message, old, new, statement)

    def improvement(self, rule_id, subject, message, old, new, statement=""):
        self._add(rule_id, IMPROVEMENT, None, subject, message, old, new, statement)

    def neutral(self, subject, message, old, new, statement=""):
        if self._neutral:
            self._add(None, NEUTRAL, None, subject, message, old, new, statement)

    def restructured(self, compare, pairs) -> None:
        """Compare statements that are not the same statement but cover the same
        ground: judged changes only."""
        self._neutral = False
        for before, after in pairs:
            compare(before, after)
        self._neutral = True

    def judge(self, rule_id, worse: bool, severity, subject, message, old, new, statement=""):
        if worse:
            self.regression(rule_id, severity, subject, message, old, new, statement)
        else:
            self.improvement(rule_id, subject, message, old, new, statement)

    # -- words

    def term(self, kind: str, key: str) -> str:
        label = self.taxonomy.label(kind, key)
        return f"{key} ({label})" if label != key else key

    def terms(self, kind: str, keys) -> str:
        return _listing([self.term(kind, key) for key in keys])

    def severity(self, data=(), purposes=()) -> str:
        """`error` where the harm cannot be undone or falls on those the law protects
        most (AI training, open-ended or commercial purposes, sensitive data,
        children); `warning` otherwise."""
        if any(self.taxonomy.overlaps(purpose, risky, "purposes")
               for purpose in purposes for risky in IRREVERSIBLE_PURPOSES):
            return "error"
        for version in (self.new, self.old):
            if version.sensitive(data) or version.children(data):
                return "error"
        return "warning"

    def ancestors(self, term: str, kind: str) -> tuple[str, ...]:
        """`term` and every term above it (cached: large declarations repeat terms)."""
        key = (term, kind)
        if key not in self._ancestors:
            self._ancestors[key] = tuple(self.taxonomy.ancestors(term, kind))
        return self._ancestors[key]

    def broader(self, kind: str, first, second) -> list[str]:
        """Terms of `first` that no term of `second` covers (is the same as, or above)."""
        cover = second.keys() if isinstance(second, dict) else set(second)
        if TOPS.get(kind) in cover:
            return []
        return [term for term in first if cover.isdisjoint(self.ancestors(term, kind))]

    def removed_data(self, name: str) -> bool:
        return name in self.old.data and name not in self.new.data

    # -- the comparison

    def run(self, renames: dict[str, str]) -> None:
        self.service_attributes()
        for old_name, new_name in renames.items():
            before, after = self.old.data[new_name], self.new.data[new_name]
            self.neutral(
                f"data {new_name}",
                f"data set {old_name} renamed to {new_name}: same categories and statements",
                before.name.span, after.name.span, after.identity)
        self.data()
        self.uses()
        self.parties("share")
        self.parties("license")
        self.retention()
        self.rights()
        self.commitments()

    def service_attributes(self) -> None:
        before, after = self.old.service, self.new.service
        if before is None:
            self.neutral(after.identity, f'new service "{after.name.value}": everything in it is new',
                         None, after.name.span, after.identity)
            return
        who = f'service "{after.name.value}"'
        if before.name.value != after.name.value:
            self.neutral(after.identity, f'service "{before.name.value}" renamed to "{after.name.value}"',
                         before.name.span, after.name.span, after.identity)
        self.audience(before, after, who)
        self.role(before, after, who)
        self.other_attributes(before, after, {"audience", "role"}, who, after.identity)

    def audience(self, before, after, who) -> None:
        old, new = _one(before.value("audience")), _one(after.value("audience"))
        if old == new:
            return
        spans = _spans(before, after, "audience")
        if (new in CHILD_AUDIENCES) != (old in CHILD_AUDIENCES):
            worse = new in CHILD_AUDIENCES
            words = "now directed to children" if worse else "no longer directed to children"
            self.judge(MORE_PEOPLE, worse, "error", after.identity,
                       f"{who}: {words}: audience {new or 'not stated'}, was {old or 'not stated'}",
                       *spans, after.identity)
        else:
            self.neutral(after.identity, f"{who}: audience changed from {old or 'not stated'} "
                         f"to {new or 'not stated'}", *spans, after.identity)

    def role(self, before, after, who) -> None:
        old, new = _one(before.value("role")), _one(after.value("role"))
        if old == new:
            return
        spans = _spans(before, after, "role")
        if {old, new} == {"processor", "controller"}:
            worse = new == "controller"
            words = ("now controller of the data its customers entrust to it, so it may use that "
                     "data for its own purposes — was processor") if worse else (
                     "now processor of the data its customers entrust to it, acting only on their "
                     "instructions — was controller")
            self.judge(SAFEGUARD_WEAKENED, worse, "warning", after.identity, f"{who}: {words}",
                       *spans, after.identity)
        else:
            self.neutral(after.identity, f"{who}: role changed from {old or 'not stated'} to "
                         f"{new or 'not stated'}", *spans, after.identity)

    def other_attributes(self, before, after, handled, who, statement) -> None:
        """Attributes that make no one more or less protected: citations, notes,
        the version, dates, unknown keys. Reported as neutral changes."""
        keys = list(dict.fromkeys(
            attribute.key for attribute in (*before.attributes, *after.attributes)
            if attribute.key not in handled))
        for key in keys:
            old, new = before.attribute(key), after.attribute(key)
            if old is not None and new is not None and _same(old.value, new.value):
                continue
            if old is None:
                words = f"{key} added: {_value_text(new.value)}"
            elif new is None:
                words = f"{key} removed (was {_value_text(old.value)})"
            else:
                words = f"{key} changed from {_value_text(old.value)} to {_value_text(new.value)}"
            self.neutral(statement, f"{who}: {words}", (old or before).span, (new or after).span,
                         statement)

    def regions(self, before, after, rule_id, protective: bool, who, severity) -> None:
        """`regions:` (absent: everywhere). A permissive statement applying in more
        places, or a protective one (right, commitment) in fewer, is a regression."""
        old = _terms(before.value("regions")) or ["global"]
        new = _terms(after.value("regions")) or ["global"]
        spans = _spans(before, after, "regions")
        wider = self.broader("regions", new, old)
        narrower = self.broader("regions", old, new)
        if wider:
            self.judge(rule_id, not protective, severity, after.identity,
                       f"{who}: now also applies in {self.places(wider)}", *spans, after.identity)
        if narrower:
            words = (f"now applies only in {self.places(new)}" if old == ["global"]
                     else f"no longer applies in {self.places(narrower)}")
            self.judge(rule_id, protective, severity, after.identity, f"{who}: {words}",
                       *spans, after.identity)

    def places(self, regions) -> str:
        return "every region" if regions == ["global"] else self.terms("regions", regions)

    # -- data

    def data(self) -> None:
        for name, after in self.new.data.items():
            before = self.old.data.get(name)
            if before is None:
                self.new_data(name, after)
            else:
                self.compare_data(name, before, after)
        for name, before in self.old.data.items():
            if name not in self.new.data:
                self.improvement(NEW_CATEGORIES, f"data {name}",
                                 f"data set {self.old.label(name)} removed", before.span, None,
                                 before.identity)

    def new_data(self, name: str, after: Data) -> None:
        categories = sorted(self.new.categories(name))
        held = self.terms("categories", categories) if categories else "no categories stated"
        sources = _terms(after.value("derived_from"))
        derived = f" (derived from {', '.join(sources)})" if sources else ""
        subjects = _terms(after.value("subjects"))
        about = f"; concerns {self.terms('subjects', subjects)}" if subjects else ""
        self.regression(NEW_CATEGORIES, self.severity([name]), f"data {name}",
                        f"new data set {self.new.label(name)}: {held}{derived}{about}",
                        None, after.span, after.identity)

    def compare_data(self, name: str, before: Data, after: Data) -> None:
        who = self.new.label(name)
        subject = after.identity
        if (before.label and before.label.value) != (after.label and after.label.value):
            self.neutral(subject, f"data {name}: label changed from "
                         f"{_scalar_text(before.label) if before.label else 'none'} to "
                         f"{_scalar_text(after.label) if after.label else 'none'}",
                         (before.label or before.name).span, (after.label or after.name).span,
                         subject)
        old, new = sorted(self.old.categories(name)), sorted(self.new.categories(name))
        added, gone = self.broader("categories", new, old), self.broader("categories", old, new)
        spans = _spans(before, after, "categories")
        if added:
            own = set(_terms(after.value("categories")))
            sources = _terms(after.value("derived_from"))
            via = (f" (through the data it is derived from: {', '.join(sources)})"
                   if not own.issuperset(added) else "")
            sensitive = any(self.taxonomy.is_under(category, top, "categories")
                            for category in added for top in SENSITIVE_CATEGORIES)
            self.regression(NEW_CATEGORIES, "error" if sensitive else "warning", subject,
                            f"{who}: now also holds {self.terms('categories', added)}{via}",
                            *spans, subject)
        if gone:
            self.improvement(NEW_CATEGORIES, subject,
                             f"{who}: no longer holds {self.terms('categories', gone)}",
                             *spans, subject)
        self.subjects(name, before, after, who)
        self.form(before, after, who, subject, self.severity([name]))
        if not _same(before.value("derived_from"), after.value("derived_from")):
            self.neutral(subject, f"{who}: now derived from "
                         f"{', '.join(_terms(after.value('derived_from'))) or 'nothing'} (was "
                         f"{', '.join(_terms(before.value('derived_from'))) or 'nothing'})",
                         *_spans(before, after, "derived_from"), subject)
        self.other_attributes(before, after, {"categories", "subjects", "form", "derived_from"},
                              f"data {name}", subject)

    def subjects(self, name, before, after, who) -> None:
        old, new = _terms(before.value("subjects")), _terms(after.value("subjects"))
        added = [item for item in new if item not in old]
        gone = [item for item in old if item not in new]
        spans = _spans(before, after, "subjects")
        if added:
            severity = "error" if "child" in added else self.severity([name])
            self.regression(MORE_PEOPLE, severity, after.identity,
                            f"{who}: now also concerns {self.terms('subjects', added)}",
                            *spans, after.identity)
        if gone:
            self.improvement(MORE_PEOPLE, after.identity,
                             f"{who}: no longer concerns {self.terms('subjects', gone)}",
                             *spans, after.identity)

    def form(self, before, after, who, subject, severity) -> None:
        old, new = _one(before.value("form")), _one(after.value("form"))
        old_rank = FORM_RANK.get(old or "identifiable")
        new_rank = FORM_RANK.get(new or "identifiable")
        if old == new:
            return
        spans = _spans(before, after, "form")
        if old_rank is None or new_rank is None or old_rank == new_rank:
            self.neutral(subject, f"{who}: form changed from {old or 'not stated'} to "
                         f"{new or 'not stated'}", *spans, subject)
            return
        worse = new_rank > old_rank
        unstated = "not stated (identifiable)"
        self.judge(SAFEGUARD_WEAKENED, worse, severity, subject,
                   f"{who}: {'more' if worse else 'less'} identifiable: form now "
                   f"{new or unstated} — was {old or unstated}", *spans, subject)

    # -- uses

    def uses(self) -> None:
        """Uses compare as (data, purpose) pairs through the taxonomy: a purpose
        no old purpose of that data covers is new (DIFF001); an old purpose no new
        one covers is gone (an improvement). Consent and the other attributes are
        compared between statements about the same data and purposes."""
        old_uses, new_uses = self.old.of("use"), self.new.of("use")
        matched, old_rest, new_rest = _match(old_uses, new_uses, _use_key)
        old_purposes, new_purposes = _purposes_by_data(old_uses), _purposes_by_data(new_uses)
        for after in new_rest:
            for name in _names(after.data):
                self.new_purposes(after, name, old_purposes.get(name, {}))
        for before in old_rest:
            for name in _names(before.data):
                if not self.removed_data(name):
                    self.lost_purposes(before, name, new_purposes.get(name, {}))
        for before, after in matched:
            self.compare_use(before, after)
        self.restructured(self.compare_use, self.overlapping(old_rest, new_rest))

    def overlapping(self, old_rest, new_rest) -> list[tuple]:
        """Unmatched statements about the same data and overlapping purposes: the
        same use, restructured (split, merged, purposes changed). Found through
        an index, and at most `MAX_RESTRUCTURED` for each new statement, so that
        no declaration makes the comparison quadratic."""
        same = defaultdict(list)  # (data, purpose) -> old statements with that purpose
        under = defaultdict(list)  # (data, term) -> old statements with a purpose at or under it
        for index, before in enumerate(old_rest):
            for name, purpose in _pairs(before):
                same[name, purpose].append(index)
                for term in (*self.ancestors(purpose, "purposes"), TOPS["purposes"]):
                    under[name, term].append(index)
        pairs = []
        for after in new_rest:
            found: set[int] = set()
            for name, purpose in _pairs(after):
                found.update(under[name, purpose][:MAX_RESTRUCTURED])
                for term in (*self.ancestors(purpose, "purposes"), TOPS["purposes"]):
                    found.update(same[name, term][:MAX_RESTRUCTURED])
            pairs += [(old_rest[index], after) for index in sorted(found)[:MAX_RESTRUCTURED]]
        return pairs

    def new_purposes(self, after, name, old_purposes) -> None:
        added = self.broader("purposes", _names(after.purposes), old_purposes)
        if not added:
            return
        consent = _one(after.value("consent"))
        words = f"consent {consent}" if consent else "consent not stated"
        given_by = _one(after.value("consent_by"))
        if given_by:
            words += f", given by {CONSENT_BY_WORDS.get(given_by, given_by)}"
        basis = _one(after.value("basis"))
        if basis:
            words += f", basis {basis}"
        if "third_party" in _terms(after.value("by")):
            words += ", performed by third parties"
        if name in self.new.data and name not in self.old.data:
            was = "new data set"
        elif old_purposes:
            was = f"was used for {_listing(old_purposes)} only"
        else:
            was = "was not used for any purpose before"
        plural = "s" if len(added) > 1 else ""
        old_span = self.old.first_use(name)
        self.regression(
            NEW_PURPOSE, self.severity([name], added), f"use {name} for {', '.join(added)}",
            f"{self.new.label(name)}: new purpose{plural} {self.terms('purposes', added)}, "
            f"{words} — {was}",
            old_span, _purposes_span(after), after.identity)

    def lost_purposes(self, before, name, new_purposes) -> None:
        gone = self.broader("purposes", _names(before.purposes), new_purposes)
        if not gone:
            return
        now = (f"now used for {_listing(new_purposes)} only" if new_purposes
               else "no longer used for any purpose")
        new_span = self.new.first_use(name)
        self.improvement(
            NEW_PURPOSE, f"use {name} for {', '.join(gone)}",
            f"{self.new.label(name)}: no longer used for {self.terms('purposes', gone)} — {now}",
            _purposes_span(before), new_span, before.identity)

    def compare_use(self, before, after) -> None:
        who = after.identity
        names, purposes = _names(after.data), _names(after.purposes)
        severity = self.severity(names, purposes)
        self.consent(before, after, who, severity)
        self.basis(before, after, who, severity)
        self.performed_by(before, after, who, severity)
        self.form(before, after, who, after.identity, severity)
        self.safeguard_flags(before, after, who, severity)
        self.withdrawal(before, after, who, severity)
        self.regions(before, after, NEW_PURPOSE, False, who, severity)
        self.other_attributes(before, after, {
            "consent", "consent_by", "basis", "by", "form", "human_review",
            "automated_decisions", "withdrawal", "regions"}, who, after.identity)

    def consent(self, before, after, who, severity) -> None:
        """Consent strength: explicit_opt_in > opt_in > opt_out > none. A consent
        not stated promises nothing, so it ranks with `none`: dropping a stated
        opt-in is a regression, stating `none` where nothing was said is neutral."""
        old, new = _one(before.value("consent")), _one(after.value("consent"))
        old_by, new_by = _one(before.value("consent_by")), _one(after.value("consent_by"))
        spans = _spans(before, after, "consent")
        if old != new:
            old_rank = 0 if old is None else self.taxonomy.rank("consent", old)
            new_rank = 0 if new is None else self.taxonomy.rank("consent", new)
            given = f", given by {CONSENT_BY_WORDS.get(new_by, new_by)}" if new_by else ""
            if old_rank is None or new_rank is None or old_rank == new_rank:
                if old is None:
                    words = f"consent now stated as {new}{given}"
                elif new is None:
                    words = f"consent no longer stated (was {old})"
                else:
                    words = f"consent changed from {old} to {new}{given}"
                self.neutral(after.identity, f"{who}: {words}", *spans, after.identity)
            else:
                worse = new_rank < old_rank
                words = "weakened" if worse else "strengthened"
                self.judge(CONSENT_WEAKENED, worse, severity, after.identity,
                           f"{who}: consent {words} from {old or 'not stated'} to "
                           f"{new or 'not stated'}{given}", *spans, after.identity)
            return
        if old_by == new_by:
            return
        spans = _spans(before, after, "consent_by")
        old_rank, new_rank = CONSENT_BY_RANK.get(old_by), CONSENT_BY_RANK.get(new_by)
        now = CONSENT_BY_WORDS.get(new_by, new_by) if new_by else "not stated"
        was = CONSENT_BY_WORDS.get(old_by, old_by) if old_by else "not stated"
        if old_rank is None or new_rank is None or old_rank == new_rank:
            self.neutral(after.identity, f"{who}: consent now given by {now} (was {was})",
                         *spans, after.identity)
        else:
            self.judge(CONSENT_WEAKENED, new_rank < old_rank, severity, after.identity,
                       f"{who}: consent now given by {now} — was {was}", *spans, after.identity)

    def basis(self, before, after, who, severity) -> None:
        old, new = _one(before.value("basis")), _one(after.value("basis"))
        if old == new:
            return
        spans = _spans(before, after, "basis")
        if "consent" in (old, new):
            worse = old == "consent"
            words = (f"legal basis moved away from consent: now {new or 'not stated'}" if worse
                     else f"legal basis now consent (was {old or 'not stated'})")
            self.judge(BASIS_AWAY_FROM_CONSENT, worse, severity, after.identity, f"{who}: {words}",
                       *spans, after.identity)
        else:
            self.neutral(after.identity, f"{who}: legal basis changed from {old or 'not stated'} "
                         f"to {new or 'not stated'}", *spans, after.identity)

    def performed_by(self, before, after, who, severity) -> None:
        old, new = _terms(before.value("by")), _terms(after.value("by"))
        if sorted(old) == sorted(new):
            return
        spans = _spans(before, after, "by")
        if ("third_party" in old) != ("third_party" in new):
            worse = "third_party" in new
            self.judge(NEW_SHARE, worse, severity, after.identity,
                       f"{who}: {'now also' if worse else 'no longer'} performed by third parties",
                       *spans, after.identity)
        else:
            self.neutral(after.identity, f"{who}: performed by {', '.join(new) or 'not stated'} "
                         f"(was {', '.join(old) or 'not stated'})", *spans, after.identity)

    def safeguard_flags(self, before, after, who, severity) -> None:
        for key, worse_when, words in (
            ("human_review", False, ("no longer reviewed by a person", "now reviewed by a person")),
            ("automated_decisions", True, ("now makes automated decisions about people",
                                           "no longer makes automated decisions about people")),
        ):
            old, new = _flag(before.value(key)), _flag(after.value(key))
            if old != new:
                worse = new == worse_when
                self.judge(SAFEGUARD_WEAKENED, worse, severity, after.identity,
                           f"{who}: {words[0] if worse else words[1]}",
                           *_spans(before, after, key), after.identity)

    def withdrawal(self, before, after, who, severity) -> None:
        old, new = before.attribute("withdrawal"), after.attribute("withdrawal")
        if old is None and new is None or old and new and _same(old.value, new.value):
            return
        spans = _spans(before, after, "withdrawal")
        if old is not None and new is not None:
            self.neutral(after.identity, f"{who}: consent now withdrawn via "
                         f"{_value_text(new.value)} (was {_value_text(old.value)})",
                         *spans, after.identity)
        else:
            worse = new is None
            words = (f"no longer says how to withdraw consent (was {_value_text(old.value)})"
                     if worse else f"now says how to withdraw consent: {_value_text(new.value)}")
            self.judge(CONSENT_WEAKENED, worse, severity, after.identity, f"{who}: {words}",
                       *spans, after.identity)

    # -- shares and licences

    def parties(self, kind: str) -> None:
        """Shares (by data and recipient) and licences (by data and grantee)."""
        party = "recipient" if kind == "share" else "grantee"
        old_all, new_all = self.old.of(kind), self.new.of(kind)
        old_keys = _keys(old_all, party)
        new_keys = _keys(new_all, party)
        pairs: dict[tuple, None] = {}
        seen: dict[tuple, int] = {}  # a key written twice pairs first with first, second with second
        for after in new_all:
            keys = _statement_keys(after, party)
            fresh = [name for name, key in keys if key not in old_keys]
            for _, key in keys:
                if key in old_keys:
                    same = old_keys[key]
                    occurrence = seen[key] = seen.get(key, -1) + 1
                    pairs.setdefault((same[min(occurrence, len(same) - 1)], after), None)
            if fresh:
                self.new_party(kind, after, fresh, whole=len(fresh) == len(keys))
        for before in old_all:
            keys = _statement_keys(before, party)
            gone = [name for name, key in keys if key not in new_keys and not self.removed_data(name)]
            if gone:
                self.lost_party(kind, before, gone, whole=len(gone) == len(keys))
        for before, after in pairs:
            if kind == "share":
                self.compare_share(before, after)
            else:
                self.compare_license(before, after)

    def party_severity(self, kind, statement, names) -> str:
        purposes = _terms(statement.value("purposes")) or (["any"] if kind == "license" else [])
        if kind == "share" and (_flag(statement.value("sale"))
                                or _one(statement.value("role")) == "public"):
            return "error"
        return self.severity(names, purposes)

    def new_party(self, kind, after, fresh, whole) -> None:
        rule_id = NEW_SHARE if kind == "share" else LICENSE_BROADENED
        severity = self.party_severity(kind, after, _names(after.data))
        data = self.new.labels(fresh)
        if kind == "share":
            target = _scalar_text(after.recipient)
            details = self.share_details(after)
            words = (f"new share of {data} with {target}{details}" if whole
                     else f"{after.identity}: now also shares {data}{details}")
        else:
            target = _scalar_text(after.grantee)
            details = self.license_details(after)
            words = (f"new licence over {data} to {target}{details}" if whole
                     else f"{after.identity}: now also covers {data}{details}")
        self.regression(rule_id, severity, after.identity, words, None, after.span, after.identity)

    def lost_party(self, kind, before, gone, whole) -> None:
        rule_id = NEW_SHARE if kind == "share" else LICENSE_BROADENED
        data = self.old.labels(gone)
        if kind == "share":
            words = (f"share of {data} with {_scalar_text(before.recipient)} removed" if whole
                     else f"{before.identity}: no longer shares {data}")
        else:
            words = (f"licence over {data} to {_scalar_text(before.grantee)} removed" if whole
                     else f"{before.identity}: no longer covers {data}")
        self.improvement(rule_id, before.identity, words, before.span, None, before.identity)

    def share_details(self, statement) -> str:
        parts = []
        role = _one(statement.value("role"))
        if role:
            parts.append(f"role {role}")
        purposes = _terms(statement.value("purposes"))
        parts.append(f"for {self.terms('purposes', purposes)}" if purposes else "no purposes stated")
        if _flag(statement.value("sale")):
            parts.append("sold")
        transfer = _terms(statement.value("transfer"))
        if transfer:
            safeguards = _one(statement.value("safeguards"))
            protected = (f"under {safeguards}" if safeguards not in NO_SAFEGUARD
                         else "without safeguards")
            parts.append(f"transferred to {self.terms('regions', transfer)} {protected}")
        consent = _one(statement.value("consent"))
        if consent:
            parts.append(f"consent {consent}")
        return " — " + "; ".join(parts)

    def license_details(self, statement) -> str:
        parts = []
        scope = _terms(statement.value("scope"))
        if scope:
            parts.append(", ".join(scope))
        purposes = _terms(statement.value("purposes"))
        parts.append(f"for {self.terms('purposes', purposes)}" if purposes
                     else "for any purpose (none stated)")
        consent = _one(statement.value("consent"))
        parts.append(f"consent {consent}" if consent else "consent not stated")
        return " — " + "; ".join(parts)

    def party_purposes(self, kind, rule_id, before, after, who, severity) -> None:
        """A share's or licence's purposes (absent: not limited, so `any`)."""
        old = _terms(before.value("purposes")) or ["any"]
        new = _terms(after.value("purposes")) or ["any"]
        spans = _spans(before, after, "purposes")
        wider, narrower = self.broader("purposes", new, old), self.broader("purposes", old, new)
        noun = "licence" if kind == "license" else "share"
        if wider:
            self.regression(rule_id, severity, after.identity,
                            f"{who}: {noun} broadened: now also for {self.terms('purposes', wider)}",
                            *spans, after.identity)
        if narrower:
            self.improvement(rule_id, after.identity,
                             f"{who}: {noun} narrowed: no longer for "
                             f"{self.terms('purposes', narrower)} — now for {', '.join(new)} only",
                             *spans, after.identity)

    def compare_share(self, before, after) -> None:
        who = after.identity
        severity = self.party_severity("share", after, _names(after.data))
        old_role, new_role = _one(before.value("role")), _one(after.value("role"))
        if old_role != new_role:
            spans = _spans(before, after, "role")
            old_rank, new_rank = ROLE_RANK.get(old_role), ROLE_RANK.get(new_role)
            if old_rank is None or new_rank is None or old_rank == new_rank:
                self.neutral(who, f"{who}: role changed from {old_role or 'not stated'} to "
                             f"{new_role or 'not stated'}", *spans, who)
            else:
                worse = new_rank > old_rank
                self.judge(NEW_SHARE, worse, severity, who,
                           f"{who}: role {'escalated' if worse else 'reduced'} from {old_role} "
                           f"to {new_role}", *spans, who)
        old_sale, new_sale = _flag(before.value("sale")), _flag(after.value("sale"))
        if old_sale != new_sale:
            self.judge(NEW_SHARE, new_sale, "error", who,
                       f"{who}: {'now a sale of the data' if new_sale else 'no longer a sale'}",
                       *_spans(before, after, "sale"), who)
        self.party_purposes("share", NEW_SHARE, before, after, who, severity)
        self.transfers(before, after, who, severity)
        self.consent(before, after, who, severity)
        self.basis(before, after, who, severity)
        self.regions(before, after, NEW_SHARE, False, who, severity)
        self.other_attributes(before, after, {
            "role", "sale", "purposes", "transfer", "safeguards", "consent", "consent_by",
            "basis", "regions"}, who, who)

    def transfers(self, before, after, who, severity) -> None:
        """A new destination outside the EU/EEA without safeguards is a regression;
        with safeguards, or inside the EU/EEA, it is neutral."""
        old, new = _terms(before.value("transfer")), _terms(after.value("transfer"))
        old_guard, new_guard = _one(before.value("safeguards")), _one(after.value("safeguards"))
        spans = _spans(before, after, "transfer")
        added, gone = self.broader("regions", new, old), self.broader("regions", old, new)

        def outside(regions):
            return [region for region in regions
                    if not any(self.taxonomy.is_under(region, home, "regions") for home in ("eu", "eea"))]

        if outside(added) and new_guard in NO_SAFEGUARD:
            self.regression(NEW_SHARE, severity, who, f"{who}: now transferred to "
                            f"{self.terms('regions', outside(added))} without safeguards",
                            *spans, who)
        elif added:
            guard = f" under {new_guard}" if new_guard not in NO_SAFEGUARD else ""
            self.neutral(who, f"{who}: now also transferred to {self.terms('regions', added)}{guard}",
                         *spans, who)
        if gone:
            self.neutral(who, f"{who}: no longer transferred to {self.terms('regions', gone)}",
                         *spans, who)
        if old_guard == new_guard:
            return
        spans = _spans(before, after, "safeguards")
        still_abroad = [region for region in outside(new) if region in old]
        if still_abroad and (old_guard in NO_SAFEGUARD) != (new_guard in NO_SAFEGUARD):
            worse = new_guard in NO_SAFEGUARD
            words = (f"transfers to {', '.join(still_abroad)} no longer under safeguards "
                     f"(were under {old_guard})" if worse else
                     f"transfers to {', '.join(still_abroad)} now under {new_guard}")
            self.judge(NEW_SHARE, worse, severity, who, f"{who}: {words}", *spans, who)
        else:
            self.neutral(who, f"{who}: safeguards changed from {old_guard or 'not stated'} to "
                         f"{new_guard or 'not stated'}", *spans, who)

    def compare_license(self, before, after) -> None:
        who = after.identity
        severity = self.party_severity("license", after, _names(after.data))
        old, new = _terms(before.value("scope")), _terms(after.value("scope"))
        spans = _spans(before, after, "scope")
        added = [word for word in new if word not in old]
        gone = [word for word in old if word not in new]
        if added:
            self.regression(LICENSE_BROADENED, severity, who,
                            f"{who}: licence broadened: now also {', '.join(added)}", *spans, who)
        if gone:
            self.improvement(LICENSE_BROADENED, who,
                             f"{who}: licence narrowed: no longer {', '.join(gone)}", *spans, who)
        self.party_purposes("license", LICENSE_BROADENED, before, after, who, severity)
        self.consent(before, after, who, severity)
        self.regions(before, after, LICENSE_BROADENED, False, who, severity)
        self.other_attributes(before, after, {"scope", "purposes", "consent", "consent_by", "regions"},
                              who, who)

    # -- retention

    def retention(self) -> None:
        """Retention by data. `indefinitely` is longer than any duration; two
        durations after the same event compare by length; anything else (a
        duration against `until EVENT`) cannot be ranked and is neutral."""
        old, new = _by_data(self.old.of("retain")), _by_data(self.new.of("retain"))
        for name in dict.fromkeys((*new, *old)):
            if not self.removed_data(name):
                self.compare_retention(name, old.get(name, []), new.get(name, []))

    def compare_retention(self, name, before: list[Retain], after: list[Retain]) -> None:
        old, new = sorted({_period(item) for item in before}), sorted({_period(item) for item in after})
        subject = f"retain {name}"
        statement = after[0].identity if after else before[0].identity
        old_span = before[0].span if before else None
        new_span = after[0].span if after else None
        who = self.new.label(name)
        if old == new:
            if len(before) == 1 and len(after) == 1:
                self.other_attributes(before[0], after[0], set(), f"retain {name}", statement)
            return
        if name not in self.old.data and name in self.new.data:
            self.neutral(subject, f"{who}: kept {' / '.join(new)} (new data set)",
                         old_span, new_span, statement)
            return
        old_forever = any(item.indefinitely for item in before)
        new_forever = any(item.indefinitely for item in after)
        severity = self.severity([name])
        was, now = " / ".join(old) or "not stated", " / ".join(new) or "not stated"
        if not before:
            if new_forever:
                self.neutral(subject, f"{who}: retention now stated: kept {now}",
                             old_span, new_span, statement)
            else:
                self.improvement(RETENTION_EXTENDED, subject,
                                 f"{who}: retention now limited: kept {now}", old_span, new_span,
                                 statement)
        elif not after:
            if old_forever:
                self.neutral(subject, f"{who}: retention no longer stated (was {was})",
                             old_span, new_span, statement)
            else:
                self.regression(RETENTION_EXTENDED, severity, subject,
                                f"{who}: retention no longer stated — was kept {was}",
                                old_span, new_span, statement)
        elif old_forever != new_forever:
            self.judge(RETENTION_EXTENDED, new_forever, severity, subject,
                       f"{who}: now kept {now} — was kept {was}", old_span, new_span, statement)
        elif _comparable(before + after):
            longest_old = max(item.duration.days for item in before)
            longest_new = max(item.duration.days for item in after)
            if longest_old == longest_new:
                self.neutral(subject, f"{who}: now kept {now} (was {was}), the same length",
                             old_span, new_span, statement)
            else:
                worse = longest_new > longest_old
                self.judge(RETENTION_EXTENDED, worse, severity, subject,
                           f"{who}: kept {'longer' if worse else 'shorter'}: {now} — was {was}",
                           old_span, new_span, statement)
        else:
            self.neutral(subject, f"{who}: now kept {now}, was kept {was} (the two cannot be "
                         "ranked)", old_span, new_span, statement)

    # -- rights

    def rights(self) -> None:
        old = {statement.right.value: statement for statement in reversed(self.old.of("right"))}
        new = {statement.right.value: statement for statement in reversed(self.new.of("right"))}
        for name, after in sorted(new.items(), key=lambda item: item[1].span.line):
            before = old.get(name)
            if before is None:
                self.improvement(RIGHT_REMOVED, after.identity,
                                 f"right {self.term('rights', name)} now declared", None, after.span,
                                 after.identity)
            else:
                self.compare_right(name, before, after)
        for name, before in sorted(old.items(), key=lambda item: item[1].span.line):
            if name not in new:
                severity = "error" if name in SERIOUS_RIGHTS else "warning"
                self.regression(RIGHT_REMOVED, severity, before.identity,
                                f"right {self.term('rights', name)} no longer declared",
                                before.span, None, before.identity)

    def compare_right(self, name, before, after) -> None:
        who = f"right {name}"
        severity = "error" if name in SERIOUS_RIGHTS else "warning"
        old, new = before.value("within"), after.value("within")
        if not _same(old, new):
            spans = _spans(before, after, "within")
            old_days = old.days if isinstance(old, Duration) else None
            new_days = new.days if isinstance(new, Duration) else None
            if old_days is None and new_days is None:
                self.neutral(after.identity, f"{who}: time limit changed from {_value_text(old)} "
                             f"to {_value_text(new)}", *spans, after.identity)
            elif old_days == new_days:
                self.neutral(after.identity, f"{who}: now answered within {new} (was {old}), the "
                             "same time", *spans, after.identity)
            else:
                worse = new_days is None or (old_days is not None and new_days > old_days)
                now = f"within {new}" if new_days is not None else "with no time limit stated"
                was = f"within {old}" if old_days is not None else "no time limit stated"
                self.judge(RIGHT_REMOVED, worse, severity, after.identity,
                           f"{who}: now answered {now} — was {was}", *spans, after.identity)
        self.regions(before, after, RIGHT_REMOVED, True, who, severity)
        self.other_attributes(before, after, {"within", "regions"}, who, after.identity)

    # -- never commitments

    def commitments(self) -> None:
        """`never` commitments as (data, purpose) pairs: an old pair no new
        commitment covers (same data, same or broader purpose) was removed or
        narrowed (DIFF009); a new pair no old one covered is a new commitment."""
        old_all, new_all = self.old.of("never"), self.new.of("never")
        old_cover, new_cover = _purposes_by_data(old_all), _purposes_by_data(new_all)
        for before in old_all:
            pairs = _pairs(before)
            lost = [(name, purpose) for name, purpose in pairs if not self.removed_data(name)
                    and self.broader("purposes", [purpose], new_cover.get(name, {}))]
            if not lost:
                continue
            names, purposes = _split(lost)
            if len(lost) == len(pairs):
                words = (f"commitment removed: never to use {self.old.labels(names)} for "
                         f"{self.terms('purposes', purposes)}")
            else:
                words = f"{before.identity}: commitment narrowed: no longer covers {_pairs_words(lost)}"
            self.regression(COMMITMENT_REMOVED, self.severity(names, purposes), _pairs_identity(lost),
                            words, _purposes_span(before), None, before.identity)
        for after in new_all:
            pairs = _pairs(after)
            gained = [(name, purpose) for name, purpose in pairs
                      if self.broader("purposes", [purpose], old_cover.get(name, {}))]
            if not gained:
                continue
            names, purposes = _split(gained)
            if len(gained) == len(pairs):
                words = (f"new commitment never to use {self.new.labels(names)} for "
                         f"{self.terms('purposes', purposes)}")
            else:
                words = f"{after.identity}: commitment now also covers {_pairs_words(gained)}"
            self.improvement(COMMITMENT_REMOVED, _pairs_identity(gained), words,
                             None, _purposes_span(after), after.identity)
        matched, old_rest, new_rest = _match(old_all, new_all, _use_key)
        for before, after in matched:
            self.compare_commitment(before, after)
        self.restructured(self.compare_commitment, self.overlapping(old_rest, new_rest))

    def compare_commitment(self, before, after) -> None:
        who = after.identity
        severity = self.severity(_names(after.data), _names(after.purposes))
        self.regions(before, after, COMMITMENT_REMOVED, True, who, severity)
        self.other_attributes(before, after, {"regions"}, who, who)


# ---------------------------------------------------------------- helpers

def _spans(before, after, key) -> tuple[Span, Span]:
    """Where an attribute is in each version (the statement when it is absent)."""
    old, new = before.attribute(key), after.attribute(key)
    return (old.span if old else before.span), (new.span if new else after.span)


def _use_key(statement) -> tuple:
    return frozenset(_names(statement.data)), frozenset(_names(statement.purposes))


def _match(old: list, new: list, key) -> tuple[list[tuple], list, list]:
    """Statements with the same key in both versions (in order), and the rest of each."""
    waiting: dict[tuple, list] = defaultdict(list)
    for statement in old:
        waiting[key(statement)].append(statement)
    matched, new_rest = [], []
    for statement in new:
        candidates = waiting.get(key(statement))
        if candidates:
            matched.append((candidates.pop(0), statement))
        else:
            new_rest.append(statement)
    paired = {id(before) for before, _ in matched}
    return matched, [statement for statement in old if id(statement) not in paired], new_rest


def _by_data(statements) -> dict[str, list]:
    """Statements by the data they mention, in order."""
    result: dict[str, list] = defaultdict(list)
    for statement in statements:
        for name in _names(statement.data):
            result[name].append(statement)
    return result


def _purposes_by_data(statements) -> dict[str, dict[str, None]]:
    """The purposes of each data set, in order, as an ordered set."""
    result: dict[str, dict[str, None]] = defaultdict(dict)
    for statement in statements:
        for name, purpose in _pairs(statement):
            result[name][purpose] = None
    return result


def _statement_keys(statement, party: str) -> list[tuple[str, tuple]]:
    target = _party(getattr(statement, party))
    return [(name, (name, target)) for name in _names(statement.data)]


def _keys(statements, party: str) -> dict[tuple, list]:
    """Each (data, party) key and the statements that have it, in source order."""
    keys: dict[tuple, list] = {}
    for statement in statements:
        for _, key in _statement_keys(statement, party):
            keys.setdefault(key, []).append(statement)
    return keys


def _pairs(statement) -> list[tuple[str, str]]:
    """A use's or commitment's (data, purpose) pairs."""
    return [(name, purpose) for name in _names(statement.data) for purpose in _names(statement.purposes)]


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


def _period(statement: Retain) -> str:
    if statement.indefinitely:
        text = "indefinitely"
    elif statement.duration is not None:
        text = f"for {statement.duration}"
    else:
        text = f"until {statement.until.value}"
    if statement.after is not None:
        text += f" after {statement.after.value}"
    return text


def _comparable(statements: list[Retain]) -> bool:
    """Durations all counted from the same event can be compared by length."""
    return (all(item.duration is not None for item in statements)
            and len({item.after.value if item.after else None for item in statements}) == 1)
