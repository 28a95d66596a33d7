"""Purposes a service needs to run lawfully, which the diff does not count as new.

Zoom's terms of 11 August 2023 narrowed the licence over Customer Content to
"provide the Services", and listed its other permitted uses: support,
security, and what the law requires. A reviewer reads that as a retreat; a
diff that reported `service.security` and `legal.compliance` as new purposes
(DIFF001) and the licence as broadened by them (DIFF006) would call it a
regression three times over. So a purpose under `service.provision`,
`service.support`, `service.security` or `legal` that a statement gains is a
neutral change for data the previous version already held (a new data set's
purposes are all new: the reviewer sees what it is for), unless:

- the data is sensitive (categories under `biometric` or `special`, here or
  in its sources), where every new processing needs its own Art. 9 exception; or
- the previous version ruled it out with a `never` for that data: breaking a
  commitment is never neutral.

`service.improvement` is not among them: improving the product is the
service's own purpose (EDPB Guidelines 07/2020), and often the door to
training models on people's data.
"""

from __future__ import annotations

OPERATIONAL_PURPOSES = ("service.provision", "service.support", "service.security", "legal")


def operational(purpose: str, names, old, new, taxonomy) -> bool:
    """Whether gaining `purpose` for data `names` is neutral (see above).

    `old` and `new` are the two versions (diff.versions.Version)."""
    if not any(taxonomy.is_under(purpose, top, "purposes") for top in OPERATIONAL_PURPOSES):
        return False
    if old.sensitive(names) or new.sensitive(names):
        return False
    names = set(names)
    for never in old.of("never"):
        if names.isdisjoint(name.value for name in never.data):
            continue
        if any(taxonomy.overlaps(purpose, excluded.value, "purposes") for excluded in never.purposes):
            return False
    return True
