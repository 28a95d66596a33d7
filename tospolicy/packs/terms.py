"""The packs' taxonomy terms, merged into the built-in taxonomy: no term
defined twice, every parent known, no cycle and no term moved out from under
its dotted prefix (hierarchy.py), no chain of parents deeper than the
nesting limit."""

from __future__ import annotations

from tospolicy.conditions.tree import nested_too_deep
from tospolicy.language.taxonomy import Taxonomy, builtin_taxonomy, terms_from_data
from tospolicy.packs.hierarchy import hierarchy_problems
from tospolicy.packs.reading import Loading, PackFile


def merge_taxonomy(loading: Loading, sources: list[PackFile]) -> Taxonomy:
    base = builtin_taxonomy()
    merged = base
    added: dict[tuple[str, str], PackFile] = {}
    for source in sources:
        extension = source.data.get("taxonomy") or {}
        for kind, entries in extension.items():
            for key in entries or {}:
                owner = added.get((kind, key))
                if base.knows(kind, key) or owner:
                    where = f"pack '{owner.data['pack']}'" if owner else "the built-in taxonomy"
                    loading.problem(source.key_at("taxonomy", kind, key),
                                    f"term '{key}' of {kind} is already defined by {where}")
                    continue
                added[(kind, key)] = source
        fresh = {kind: {key: value for key, value in (entries or {}).items()
                        if added.get((kind, key)) is source}
                 for kind, entries in extension.items()}
        merged = merged.extended(terms_from_data(fresh))
    for (kind, key), source in added.items():
        term = merged.term(kind, key)
        parent = term.parent or (key.rsplit(".", 1)[0] if "." in key else None)
        if parent is not None and not merged.knows(kind, parent):
            how = "its parent" if term.parent else f"the term above '{key}'"
            loading.problem(source.key_at("taxonomy", kind, key),
                            f"{how}, '{parent}', is not a term of {kind}"
                            + ("" if term.parent else ": define it too, or give parent:"))
    for (kind, key), message in hierarchy_problems(merged, list(added), loading.max_depth).items():
        loading.problem(added[(kind, key)].key_at("taxonomy", kind, key), message)
    _check_term_depths(loading, merged, added)
    return merged


def _check_term_depths(loading: Loading, taxonomy: Taxonomy, added: dict) -> None:
    """Every question about a term walks up its parents: a chain of 20,000
    pack terms made each `under` take milliseconds. Terms nest no deeper
    than the nesting limit; each walk stops there, and depths are shared."""
    depths: dict[tuple[str, str], int] = {}
    reported = set()  # one problem a pack: the first term too deep says it
    for (kind, key), source in added.items():
        chain, current = [], key
        while (current is not None and (kind, current) not in depths and current not in chain
               and len(chain) <= loading.max_depth):
            chain.append(current)
            current = taxonomy.parent(current, kind)
        above = depths.get((kind, current), 0) if current is not None else 0
        for offset, name in enumerate(reversed(chain)):
            depths[(kind, name)] = above + offset + 1
        if depths[(kind, key)] > loading.max_depth and id(source) not in reported:
            reported.add(id(source))
            loading.problem(source.key_at("taxonomy", kind, key), nested_too_deep(
                f"term '{key}' of {kind} is", loading.max_depth))
