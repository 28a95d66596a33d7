"""CORE008: a `use`, `share` or `license` that does what a `never` of the same
service rules out: the same data, overlapping purposes, overlapping regions
(each statement's `regions` less its `except_regions`).

The finding points at the statement that contradicts the commitment: that is
usually the line a pull request adds.
"""

from __future__ import annotations

from tospolicy.language import regions as region_sets
from tospolicy.language.model import Name, items_of
from tospolicy.checks.protocol import WITH_RULES, Hit

NAME = "contradicted-never"
PHASE = WITH_RULES


def hits(declaration, context):
    taxonomy = context.taxonomy
    for service in declaration.services:
        index = context.index(service)
        for never in index.statements("never"):
            data = {name.value for name in never.data}
            purposes = [name.value for name in never.purposes]
            regions = region_sets.effective(never, taxonomy, service)
            # A commitment limited in place says so: "in eu, eea, uk, ch".
            where = region_sets.described(never)
            where = f",{where}" if where else ""
            for kind in ("use", "share", "license"):
                for statement in index.statements(kind):
                    index.budget.spend(1)
                    shared = [name.value for name in statement.data if name.value in data]
                    if not shared:
                        continue
                    index.budget.spend(len(purposes) * len(statement.data))
                    overlapping = [
                        purpose for purpose in _purposes(statement)
                        if any(taxonomy.overlaps(purpose, other, "purposes") for other in purposes)
                    ]
                    if not overlapping:
                        continue
                    if not region_sets.overlap(
                            regions, region_sets.effective(statement, taxonomy, service), taxonomy):
                        continue
                    yield Hit(
                        statement.span,
                        f"contradicts '{never.identity}' (line {never.span.line}{where}): "
                        f"{', '.join(dict.fromkeys(shared))} for {', '.join(overlapping)}"
                        f"{region_sets.described(statement)}",
                        statement, service)


def _purposes(statement) -> list[str]:
    if statement.kind == "use":
        return [name.value for name in statement.purposes]
    return [item.value for item in items_of(statement.value("purposes")) if isinstance(item, Name)]
