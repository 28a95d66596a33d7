"""Checks on the hierarchy a pack's `taxonomy:` builds.

Rules ask whether a term is under another (`ai.training.internal` under
`ai.training`), so a pack that could bend the hierarchy could silence a
built-in rule: two terms each other's parent (a cycle, where every walk up
stops short of the built-in terms), or a term named under a built-in term
(`ai.training.internal`) given a `parent:` elsewhere (`service.provision`),
which moves it out from under every rule about AI training. A pack may add
terms under existing ones; it may not move a term out from under the term
its dotted name puts it under.
"""

from __future__ import annotations

from tospolicy.language.taxonomy import Taxonomy


def hierarchy_problems(taxonomy: Taxonomy, added: list[tuple[str, str]], max_depth: int) -> dict:
    """{(kind, key): message} for the added terms that form a cycle or are
    moved out from under their dotted prefix. Each walk up stops after
    `max_depth` terms: a deeper chain is the loader's nesting error, and a
    chain of 20,000 terms must not take 20,000 steps a term."""
    problems = {}
    for kind, key in added:
        term = taxonomy.term(kind, key)
        chain = _walk_up(taxonomy, kind, key, max_depth + 2)
        cycle = chain[:chain.index(key, 1) + 1] if key in chain[1:] else None
        if cycle is not None:
            problems[(kind, key)] = (f"term '{key}' of {kind} is its own ancestor: "
                                     f"{' -> '.join(cycle)}; terms must form a tree")
            continue
        prefix = key.rsplit(".", 1)[0] if "." in key else None
        if (term is None or term.parent is None or prefix is None
                or not taxonomy.knows(kind, prefix)):
            continue
        if prefix not in chain and len(chain) <= max_depth:
            problems[(kind, key)] = (
                f"term '{key}' of {kind} is named under '{prefix}' but its parent is "
                f"'{term.parent}': a pack may add terms under existing ones, not move a term "
                f"out from under '{prefix}' (give parent: {prefix} or a term under it, or "
                "rename the term)")
    return problems


def _walk_up(taxonomy: Taxonomy, kind: str, key: str, steps: int) -> list[str]:
    """`key` and the terms above it, nearest first, for at most `steps` terms;
    a term met twice ends the walk (it is in the list twice)."""
    chain, seen = [key], {key}
    parent = taxonomy.parent(key, kind)
    while parent is not None and len(chain) < steps:
        chain.append(parent)
        if parent in seen:
            break
        seen.add(parent)
        parent = taxonomy.parent(parent, kind)
    return chain
