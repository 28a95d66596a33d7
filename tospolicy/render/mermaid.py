"""The flow graph as a Mermaid `flowchart`, which GitHub draws in Markdown.

Nothing a declaration says reaches the diagram as syntax: node ids are
generated (`d0`, `p1`, `r2`), edge labels are our own words, and a node's
label is written inside double quotes with every character that is not a
letter, a digit or plain punctuation replaced by Mermaid's entity code
(`#35;` for `#`, `#quot;` for `"`), so that `"`, `]`, `;`, `%%`, `-->`,
backticks, `<` and line breaks in a name stay text. The `#` of an entity is
itself encoded, so a name cannot smuggle in an entity of its own.
"""

from __future__ import annotations

from tospolicy.render.flows import ADDED, NARROWED, REMOVED, SAME, STRENGTHENED, WEAKENED, FlowGraph

# Characters written as themselves inside a quoted label; everything else is
# an entity code. Letters and digits of every script are kept (str.isalnum).
_PLAIN = set(" .,:'-_/+=?!()")
# Arrows by edge style: consent given is a plain arrow, opt-out dashed, no
# consent thick, a `never` commitment ends in a cross.
_ARROWS = {"optin": "-->", "optout": "-.->", "noconsent": "==>", "unstated": "-->", "basis": "-->",
           "never": "--x"}
_PREFIX = {"d": "data:", "p": "purpose:", "r": "recipient:"}
# Colours that read on GitHub's light and dark themes alike.
_EDGE_STYLES = {
    "noconsent": "stroke:#d1242f,stroke-width:3px",
    "optout": "stroke:#bc4c00,stroke-width:2px",
    "never": "stroke:#8250df,stroke-width:2px",
}
_CHANGE_STYLES = {
    "worse": "stroke:#d1242f,stroke-width:4px",
    "better": "stroke:#1a7f37,stroke-width:4px",
    "gone": "stroke:#8c959f,stroke-width:2px,stroke-dasharray:4 4",
}
_CLASSES = {
    ADDED: "fill:#fff8c5,stroke:#9a6700,stroke-width:2px,color:#1f2328",
    REMOVED: "fill:#f6f8fa,stroke:#8c959f,stroke-dasharray:4 4,color:#59636e",
}
# GitHub refuses to draw diagrams past about 500 edges and 50,000 characters.
MAX_FLOWS = 200


def label(text: str) -> str:
    """A quoted Mermaid label that shows `text` and can only be text."""
    out = []
    for char in " ".join(text.split()):  # line breaks and tabs: one space
        if char.isalnum() and char.isprintable() or char in _PLAIN:
            out.append(char)
        elif char == '"':
            out.append("#quot;")
        else:
            out.append(f"#{ord(char)};")
    return '"' + ("".join(out) or "#160;") + '"'


def _node_ids(graph: FlowGraph) -> dict[str, str]:
    ids: dict[str, str] = {}
    counts = {"d": 0, "p": 0, "r": 0}
    for key in graph.nodes:
        for letter, prefix in _PREFIX.items():
            if key.startswith(prefix):
                ids[key] = f"{letter}{counts[letter]}"
                counts[letter] += 1
    return ids


def _edge_words(flow) -> str:
    if flow.status == ADDED:
        return f"new: {flow.words}"
    if flow.status == NARROWED:
        return f"narrowed: {flow.words}"
    if flow.status == REMOVED:
        return f"removed: {flow.words}"
    if flow.status == WEAKENED:
        return f"weakened: {flow.words}"
    if flow.status == STRENGTHENED:
        return f"strengthened: {flow.words}"
    return flow.words


def flowchart(graph: FlowGraph, change: bool = False) -> str:
    """The diagram, one statement a line, without the Markdown fence. In the
    diagram of a `change`, only what changed is coloured, so that it stands out."""
    ids = _node_ids(graph)
    lines = ["flowchart LR"]
    for column, title in ((0, "Data"), (1, "Used for"), (2, "Goes to")):
        nodes = graph.column(column)
        if not nodes:
            continue
        lines.append(f'  subgraph c{column}["{title}"]')
        for node in nodes:
            text = node.label
            if node.status == ADDED:
                text = f"{text} (new)"
            elif node.status == REMOVED:
                text = f"{text} (removed)"
            lines.append(f"    {ids[node.key]}[{label(text)}]")
        lines.append("  end")
    styles = []
    for index, flow in enumerate(graph.flows):
        arrow = _ARROWS[flow.style]
        lines.append(f"  {ids[flow.source]} {arrow}|{label(_edge_words(flow))}| {ids[flow.target]}")
        if flow.status == SAME:
            style = None if change else _EDGE_STYLES.get(flow.style)
        elif flow.status == REMOVED:
            style = _CHANGE_STYLES["gone"] if not flow.worse else _CHANGE_STYLES["worse"]
        else:
            style = _CHANGE_STYLES["worse" if flow.worse else "better"]
        if style:
            styles.append(f"  linkStyle {index} {style}")
    lines += styles
    for status, style in _CLASSES.items():
        members = [ids[node.key] for node in graph.nodes.values() if node.status == status]
        if members:
            lines.append(f"  classDef {status} {style}")
            lines.append(f"  class {','.join(members)} {status}")
    return "\n".join(lines) + "\n"


def fenced(graph: FlowGraph, change: bool = False) -> str:
    """The diagram in a Markdown code fence, or a sentence when it is too large to draw."""
    if len(graph.flows) > MAX_FLOWS:
        return (f"_The diagram is left out: {len(graph.flows)} flows are more than "
                f"GitHub draws ({MAX_FLOWS})._\n")
    if not graph.nodes:
        return ""
    return "```mermaid\n" + flowchart(graph, change) + "```\n"
