"""Cycles in small graphs written by others (definitions, `derived_from`).

Both graphs come from untrusted files, so the walk is iterative (a chain of
thousands of nodes cannot exhaust the stack) and linear (Tarjan's algorithm).
"""

from __future__ import annotations

from collections import deque
from typing import Hashable, Iterable, Mapping


def components(graph: Mapping[Hashable, Iterable[Hashable]]) -> list[list]:
    """Strongly connected components, each after every component it reaches.

    `graph` maps a node to the nodes it points to; targets outside the graph
    are ignored. Nodes within a component keep the graph's order.
    """
    index: dict = {}
    low: dict = {}
    on_stack: set = set()
    stack: list = []
    found: list[list] = []
    order = {node: number for number, node in enumerate(graph)}
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(graph[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, targets = work[-1]
            for target in targets:
                if target not in graph:
                    continue
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(graph[target])))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    found.append(sorted(component, key=order.__getitem__))
    return found


def cycles(graph: Mapping[Hashable, Iterable[Hashable]]) -> list[list]:
    """Each cycle once, as the shortest path from its first node back to it."""
    result = []
    order = {node: number for number, node in enumerate(graph)}
    for component in components(graph):
        first = component[0]
        if len(component) == 1 and first not in set(graph[first]):
            continue
        members = set(component)
        previous: dict = {}
        queue = deque([first])
        end = None
        while queue and end is None:
            node = queue.popleft()
            for target in graph[node]:
                if target == first:
                    end = node
                    break
                if target in members and target not in previous:
                    previous[target] = node
                    queue.append(target)
        path = [end]
        while path[-1] != first:
            path.append(previous[path[-1]])
        result.append(list(reversed(path)))
    result.sort(key=lambda cycle: order[cycle[0]])
    return result
