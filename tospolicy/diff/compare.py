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

Pure: models in, changes out. Files and git are sources.py's business.

Each topic of a change is a module with a `compare(diff)` that records its
changes on the service's ServiceDiff (session.py); TOPICS runs them in
order. A new topic is a new module here and one more entry in TOPICS.
"""

from __future__ import annotations

from tospolicy.diff import commitments, data, licences, retention, rights, shares, uses
from tospolicy.diff import service as service_attributes
from tospolicy.diff.change import NEUTRAL, Change, sort_key
from tospolicy.diff.renames import find_renames, with_renames
from tospolicy.diff.session import ServiceDiff
from tospolicy.diff.versions import Version
from tospolicy.language.model import Declaration, Service
from tospolicy.language.taxonomy import Taxonomy, builtin_taxonomy
from tospolicy.support.words import plural

# The topics of a change, in the order they are compared. The report is
# sorted afterwards; the order decides only which of two identical changes
# is kept (each is recorded once).
TOPICS = (
    service_attributes.compare,
    data.compare,
    uses.compare,
    shares.compare,
    licences.compare,
    retention.compare,
    rights.compare,
    commitments.compare,
)


def diff_declarations(
    old: Declaration | None, new: Declaration | None, taxonomy: Taxonomy | None = None
) -> list[Change]:
    """The changes from `old` to `new` (None stands for a file that does not exist).

    Services are matched by name; when exactly one service of each version is
    left unmatched, they are the same service renamed.
    """
    taxonomy = taxonomy or builtin_taxonomy()
    changes: list[Change] = []
    for before, after in service_pairs(old, new):
        changes += diff_services(before, after, taxonomy)
    return sorted(changes, key=sort_key)


def service_pairs(
    old: Declaration | None, new: Declaration | None
) -> list[tuple[Service | None, Service | None]]:
    """The two versions' services side by side: by name, and when exactly one
    service of each version is left unmatched, the same service renamed."""
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
    return pairs


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
            f'service "{old.name.value}" removed: its {plural(count, "statement")} no longer declared',
            old.name.span, None, old.identity,
        )]
    renames: dict[str, str] = {}
    if old is not None and new is not None:
        renames = find_renames(Version(old, taxonomy), Version(new, taxonomy))
        old_version = Version(with_renames(old, renames), taxonomy)
    else:
        old_version = Version(None, taxonomy)
    diff = ServiceDiff(old_version, Version(new, taxonomy), taxonomy, renames)
    for compare in TOPICS:
        compare(diff)
    return diff.changes
