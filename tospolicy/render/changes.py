"""The diagram of a change, for `diff --format markdown` and the Action's job summary.

Each changed service's data flows, old and new laid over each other
(flows.changed_graph), as a Mermaid flowchart: a new flow is drawn thick, red
when it protects people less (a new use, a removed `never`) and green when
more; a removed flow dashed, or red when what went was a promise; weakened
consent is labelled with what it was and what it is. Unchanged flows stay as
context, unless the picture would be too large to draw: then only what changed.
"""

from __future__ import annotations

from tospolicy.diff.compare import service_pairs
from tospolicy.language.model import Declaration
from tospolicy.language.taxonomy import Taxonomy, builtin_taxonomy
from tospolicy.reporters.markdown import escape
from tospolicy.render.flows import SAME, FlowGraph, changed, changed_graph, flow_graph
from tospolicy.render.mermaid import MAX_FLOWS, fenced

LEGEND = ("Thick red: a new flow, or a promise removed, that protects people less; thick green: "
          "a new promise, or a flow narrowed to a purpose it already had; dashed grey: a flow "
          "removed; a label weakened: … says what the consent was and what it is now.")


def _only_changes(graph: FlowGraph) -> FlowGraph:
    """The changed flows and the nodes they join (and nodes added or removed)."""
    flows = [flow for flow in graph.flows if flow.status != SAME]
    keep = {key for flow in flows for key in (flow.source, flow.target)}
    nodes = {key: node for key, node in graph.nodes.items() if key in keep or node.status != SAME}
    return FlowGraph(nodes, flows)


def change_graphs(old: Declaration | None, new: Declaration | None,
                  taxonomy: Taxonomy | None = None) -> list[tuple[str, FlowGraph]]:
    """(service name, merged graph) for each service whose flows changed."""
    taxonomy = taxonomy or builtin_taxonomy()
    result = []
    for before, after in service_pairs(old, new):
        graph = changed_graph(before and flow_graph(before, taxonomy),
                              after and flow_graph(after, taxonomy), taxonomy)
        if changed(graph):
            if len(graph.flows) > MAX_FLOWS:
                graph = _only_changes(graph)
            result.append(((after or before).name.value, graph))
    return result


def markdown_lines(old: Declaration | None, new: Declaration | None,
                   taxonomy: Taxonomy | None = None) -> list[str]:
    """The Markdown of every changed service's diagram, ready to go above its table of changes."""
    lines: list[str] = []
    for name, graph in change_graphs(old, new, taxonomy):
        lines += [f"**Data flows of {escape(name)}, with the change drawn on them**", "",
                  fenced(graph, change=True).rstrip("\n"), "", f"<sub>{escape(LEGEND)}</sub>", ""]
    return lines
