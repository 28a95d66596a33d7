"""The packs' definitions (`$name`): one namespace for every loaded pack,
duplicates, unknown references and cycles refused, each compiled once."""

from __future__ import annotations

from tospolicy.conditions.compiler import Compiler, Definition, DefinitionError, no_such_definition
from tospolicy.conditions.tree import All, Any, Not, Reference, nested_too_deep
from tospolicy.language.attributes import SELECTABLE_KINDS
from tospolicy.packs.reading import Loading, PackFile
from tospolicy.support.graphs import components, cycles


def collect_definitions(loading: Loading, sources: list[PackFile]) -> dict[str, Definition]:
    found: dict[str, Definition] = {}
    for source in sources:
        for name, entry in (source.data.get("definitions") or {}).items():
            if isinstance(entry, dict):
                path = ("definitions", name, "condition")
                condition, select = entry["condition"], entry.get("select")
                description = entry.get("description", "")
            else:
                path, condition, select, description = ("definitions", name), entry, None, ""
            if name in found:
                loading.problem(source.key_at("definitions", name),
                                f"definition '${name}' is already defined in {found[name].location}")
                continue
            tree = loading.parse(source, path, condition, f"${name}")
            if tree is None:
                continue
            found[name] = Definition(name, tree, select, description, source.data["pack"],
                                     source.at(*path))
            loading.written[name] = (source, path)
    return found


def check_definitions(loading: Loading, definitions: dict[str, Definition], compiler: Compiler) -> None:
    """Unknown references, cycles and depth, then each definition compiled once.

    A definition that refers to a broken one is broken too, without a
    message of its own: the first problem is the one to fix.
    """
    graph = {name: [reference.name for reference in references(definition.tree)]
             for name, definition in definitions.items()}
    for cycle in cycles(graph):
        chain = " -> ".join(f"${name}" for name in (*cycle, cycle[0]))
        loading.problem(definitions[cycle[0]].location,
                        f"definitions refer to themselves in a cycle: {chain}")
        loading.broken.update(cycle)
    for component in components(graph):
        for name in component:
            if name in loading.broken:
                continue
            definition = definitions[name]
            unknown = [reference for reference in references(definition.tree)
                       if reference.name not in definitions]
            if unknown:
                loading.in_definition(name, no_such_definition(unknown[0], definitions))
                loading.broken.add(name)
            elif any(target in loading.broken for target in graph[name]):
                loading.broken.add(name)
            else:
                loading.depths[name] = nesting_depth(definition.tree, loading.depths)
                limit = loading.depth_limit(loading.written[name][0])
                if loading.depths[name] > limit:
                    loading.problem(definition.location, nested_too_deep(
                        f"${name}, with the definitions it refers to, is", limit))
                    loading.broken.add(name)
                elif not _compiles(loading, definition, compiler):
                    loading.broken.add(name)


def _compiles(loading: Loading, definition: Definition, compiler: Compiler) -> bool:
    """Whether the definition compiles for its statements (any kind, without
    `select`); the problem is reported when it does not."""
    kinds = [definition.select] if definition.select else SELECTABLE_KINDS
    errors = []
    for kind in kinds:
        try:
            compiler.definition(definition.name, kind)
            return True
        except DefinitionError as error:
            errors.append(error)
    # Usable on no statement at all: report the error that got furthest.
    error = max(errors, key=lambda e: (e.definition is definition, e.error.offset))
    note = "" if definition.select else " (it fits no kind of statement)"
    loading.in_definition(error.definition.name, error.error, note)
    return False


def _children(tree) -> tuple:
    if isinstance(tree, (Any, All)):
        return tree.items
    if isinstance(tree, Not):
        return (tree.item,)
    return ()


def references(tree) -> list[Reference]:
    found = []
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, Reference):
            found.append(node)
        stack.extend(_children(node))
    return found


def nesting_depth(tree, definition_depths: dict[str, int]) -> int:
    """Nesting depth, counting each `$reference` as deep as its definition."""
    if isinstance(tree, Reference):
        return tree.depth + definition_depths.get(tree.name, 0)
    children = _children(tree)
    if not children:
        return tree.depth
    return 1 + max(nesting_depth(child, definition_depths) for child in children)
