"""Where a statement applies: its `regions`, less its `except_regions`.

`regions: eu` limits a statement to the EU; `except_regions: eu, eea, uk, ch`
leaves those out of wherever it would otherwise apply (its `regions`, or else
the service's `jurisdictions`, or else everywhere). LinkedIn's 2024 terms
trained on posts "outside the EU, EEA, UK and Switzerland": that is
`except_regions: eu, eea, uk, ch` with no `regions`.

The regions left are worked out down the taxonomy: `global` less `eu` is every
region at the top of the hierarchy but `eu`; `us` less `us.ca` is every state
under `us` but California. So every question the rules ask of `regions`
(`regions overlap [eu, eea, uk]`) is answered the same way whether a
statement lists the regions it applies in or the ones it leaves out.
"""

from __future__ import annotations

from tospolicy.language.model import Name, items_of
from tospolicy.language.taxonomy import Taxonomy

# What a statement excluded from every region applies in: a name no region is
# under or above, so no rule's region test holds for it.
NOWHERE = "nowhere"


def written(statement, key: str = "regions") -> list[str] | None:
    """The region names written under `key`; None when the key is absent or empty."""
    value = statement.value(key)
    if value is None:
        return None
    names = [item.value for item in items_of(value) if isinstance(item, Name)]
    return names or None


def effective(statement, taxonomy: Taxonomy, service=None) -> tuple[str, ...] | None:
    """The regions `statement` applies in; None when it applies everywhere the
    service does (neither `regions` nor `except_regions`)."""
    included = written(statement)
    excluded = written(statement, "except_regions")
    if excluded is None:
        return None if included is None else tuple(included)
    if included is None:
        jurisdictions = written(service, "jurisdictions") if service is not None else None
        included = jurisdictions or ["global"]
    left: list[str] = []
    for region in included:
        left.extend(_less(region, excluded, taxonomy, depth=0))
    return tuple(dict.fromkeys(left)) or (NOWHERE,)


def _less(region: str, excluded: list[str], taxonomy: Taxonomy, depth: int) -> list[str]:
    """`region` less the `excluded` regions, as the terms that are left."""
    if any(taxonomy.is_under(region, other, "regions") for other in excluded):
        return []
    inside = [other for other in excluded
              if other != region and taxonomy.is_under(other, region, "regions")]
    # The taxonomy is finite and acyclic below a term; the depth bound only
    # guards against a pack whose `parent:` links loop.
    if not inside or depth > 32:
        return [region]
    left = []
    for child in taxonomy.children("regions", region):
        left.extend(_less(child, excluded, taxonomy, depth + 1))
    return left


def overlap(first, second, taxonomy: Taxonomy) -> bool:
    """Whether two `effective` answers share a region (None: everywhere)."""
    if first is None or second is None:
        return True
    return any(taxonomy.overlaps(a, b, "regions") for a in first for b in second)


def described(statement) -> str:
    """Where a statement applies, for a message: ` in eu, uk`,
    ` everywhere except eu, eea, uk, ch`; empty when it applies everywhere."""
    included = written(statement)
    excluded = written(statement, "except_regions")
    where = f" in {', '.join(included)}" if included else ""
    if excluded:
        where = (where or " everywhere") + f" except {', '.join(excluded)}"
    return where
