"""Lays a flow graph out in three columns, ordered to cross as few edges as it can.

A layered layout (Sugiyama's, cut down to what three fixed columns need):
nodes keep their column (data, purposes, recipients); the order inside each
column comes from barycentre sweeps — each node moves to the mean position of
its neighbours in the column beside it, down and back up, a few times — and
the order with the fewest crossings wins. Ties keep the declaration's order,
so the picture is the same on every run. Boxes grow with their label's lines;
edges are cubic curves from the right side of one box to the left of another.
No layout engine is needed at run time.
"""

from __future__ import annotations

from dataclasses import dataclass

from tospolicy.render.flows import DATA, PURPOSE, RECIPIENT, FlowGraph, Node

SWEEPS = 8
WIDTH = 960
BOX_WIDTH = 236
COLUMN_X = (0, (WIDTH - BOX_WIDTH) // 2, WIDTH - BOX_WIDTH)
TOP = 34  # room for the column headings
LINE_HEIGHT = 17
PADDING = 10
GAP = 18
# An average character of the 13 px sans-serif the page uses, for wrapping.
CHAR_WIDTH = 7.1
MAX_LINES = 4


@dataclass(frozen=True)
class Box:
    node: Node
    x: int
    y: int
    height: int
    lines: tuple[str, ...]

    @property
    def middle(self) -> float:
        return self.y + self.height / 2


@dataclass(frozen=True)
class Edge:
    index: int  # the flow's position in the graph
    path: str  # SVG path data
    bar: tuple[float, float, float, float] | None  # the stroke across a `never` edge
    middle: tuple[float, float]


@dataclass(frozen=True)
class Layout:
    boxes: tuple[Box, ...]
    edges: tuple[Edge, ...]
    width: int
    height: int
    crossings: int
    box_width: int = BOX_WIDTH
    column_x: tuple[int, ...] = COLUMN_X


def wrap(text: str, width: int = int((BOX_WIDTH - 2 * PADDING) / CHAR_WIDTH)) -> tuple[str, ...]:
    """The label in lines of at most `width` characters, words kept whole where
    they fit; at most MAX_LINES lines, the last cut with an ellipsis."""
    lines: list[str] = []
    current = ""
    text = text[: width * (MAX_LINES + 1)]  # what cannot be shown is not wrapped
    for word in text.split():
        while len(word) > width:  # a word longer than a line is cut
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:width])
            word = word[width:]
        if not current:
            current = word
        elif len(current) + 1 + len(word) <= width:
            current += " " + word
        else:
            lines.append(current)
            current = word
    if current or not lines:
        lines.append(current)
    if len(lines) > MAX_LINES:
        lines = lines[:MAX_LINES]
        lines[-1] = lines[-1][: width - 1].rstrip() + "…"
    return tuple(lines)


def _crossings(order: dict[str, float], pairs: list[tuple[str, str]]) -> int:
    """Edges between two columns that cross: pairs whose ends are in opposite orders."""
    ends = sorted((order[a], order[b]) for a, b in pairs)
    count = 0
    for i, (a1, b1) in enumerate(ends):
        for a2, b2 in ends[i + 1:]:
            if a2 > a1 and b2 < b1:
                count += 1
    return count


def order_columns(graph: FlowGraph) -> list[list[str]]:
    """Each column's node keys, top to bottom, after the barycentre sweeps."""
    columns = [[node.key for node in graph.column(column)] for column in (DATA, PURPOSE, RECIPIENT)]
    column_of = {node.key: node.column for node in graph.nodes.values()}
    pairs = [(flow.source, flow.target) for flow in graph.flows
             if flow.source in column_of and flow.target in column_of]
    neighbours: dict[str, list[str]] = {key: [] for key in column_of}
    for source, target in pairs:
        neighbours[source].append(target)
        neighbours[target].append(source)

    def positions(columns) -> dict[str, float]:
        return {key: float(index) for column in columns for index, key in enumerate(column)}

    def crossings(columns) -> int:
        return count_crossings(graph, columns)

    def sweep(columns, column: int, towards: tuple[int, ...]) -> list[list[str]]:
        where = positions(columns)
        current = columns[column]

        def barycentre(item: tuple[int, str]) -> tuple[float, int]:
            index, key = item
            near = [where[other] for other in neighbours[key] if column_of[other] in towards]
            return (sum(near) / len(near) if near else float(index), index)

        ordered = [key for _, key in sorted(enumerate(current), key=barycentre)]
        return [ordered if number == column else list(keys) for number, keys in enumerate(columns)]

    best, best_crossings = columns, crossings(columns)
    for _ in range(SWEEPS):
        if best_crossings == 0:
            break
        for column, towards in ((PURPOSE, (DATA,)), (RECIPIENT, (PURPOSE, DATA)),
                                (PURPOSE, (RECIPIENT,)), (DATA, (PURPOSE, RECIPIENT))):
            columns = sweep(columns, column, towards)
            count = crossings(columns)
            if count < best_crossings:
                best, best_crossings = columns, count
    return best


def layout(graph: FlowGraph) -> Layout:
    columns = order_columns(graph)
    boxes: dict[str, Box] = {}
    heights = []
    for column, keys in enumerate(columns):
        stacked = []
        y = 0
        for key in keys:
            lines = wrap(graph.nodes[key].label)
            height = len(lines) * LINE_HEIGHT + 2 * PADDING
            stacked.append((key, y, height, lines))
            y += height + GAP
        heights.append(max(0, y - GAP))
        boxes.update({key: (column, y, height, lines) for key, y, height, lines in stacked})
    tallest = max(heights + [LINE_HEIGHT + 2 * PADDING])
    placed: dict[str, Box] = {}
    for key, (column, y, height, lines) in boxes.items():
        shift = (tallest - heights[column]) // 2  # shorter columns centred
        placed[key] = Box(graph.nodes[key], COLUMN_X[column], TOP + shift + y, height, lines)
    edges = []
    for index, flow in enumerate(graph.flows):
        source, target = placed.get(flow.source), placed.get(flow.target)
        if source is None or target is None:
            continue
        x1, y1 = source.x + BOX_WIDTH, source.middle
        x2, y2 = target.x, target.middle
        bend = (x2 - x1) / 2
        path = f"M{x1:.1f},{y1:.1f} C{x1 + bend:.1f},{y1:.1f} {x2 - bend:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"
        middle = ((x1 + x2) / 2, (y1 + y2) / 2)
        bar = None
        if flow.kind == "never":
            mx, my = middle
            bar = (mx - 6, my - 9, mx + 6, my + 9)
        edges.append(Edge(index, path, bar, middle))
    crossings = count_crossings(graph, columns)
    ordered_boxes = tuple(placed[key] for keys in columns for key in keys)
    return Layout(ordered_boxes, tuple(edges), WIDTH, TOP + tallest + 8, crossings)


def count_crossings(graph: FlowGraph, columns: list[list[str]]) -> int:
    """How many pairs of edges cross, given each column's order."""
    where = {key: float(index) for column in columns for index, key in enumerate(column)}
    column_of = {node.key: node.column for node in graph.nodes.values()}
    groups: dict[tuple[int, int], list] = {}
    for flow in graph.flows:
        groups.setdefault((column_of[flow.source], column_of[flow.target]), []).append(
            (flow.source, flow.target))
    return sum(_crossings(where, group) for group in groups.values())
