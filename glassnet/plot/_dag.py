"""Drawing a directed acyclic graph in layers — the layout behind ``plot_model`` and ``graph``.

A small Sugiyama-style layout, enough for model graphs and autograd graphs:

1. **Ranks.** rank(v) = 1 + max rank(u) over its predecessors u (the longest path from a
   source), so every edge points down (or right); a source sits one rank before its
   first reader (a bias b next to the Add that reads it, not beside the inputs).
2. **Order within a rank.** Nodes start in the order given; then a few sweeps place each
   node at the *barycentre* (mean position) of its predecessors, which untangles most
   crossings of branch-and-merge graphs.
3. **Coordinates.** Each node is a box sized to its text (monospace: a character is 0.6 em
   wide), ranks are stacked top-to-bottom (``"TB"``) or left-to-right (``"LR"``), the boxes
   of a rank centred on one line. Data units are inches, so the figure is sized to fit the
   graph and the text never has to shrink.

Edges are ``FancyArrowPatch`` arrows between box borders. An edge that skips ranks is
routed through an invisible *waypoint* in each rank it crosses; the waypoints take part in
the ordering like small nodes, so the edge passes beside the boxes in between, not through.
"""
from __future__ import annotations

from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
from matplotlib.path import Path

from ._figure import new_figure

FONT_SIZE = 9
CHAR_WIDTH = 0.6 * FONT_SIZE / 72        # inches per monospace character
LINE_HEIGHT = 1.35 * FONT_SIZE / 72      # inches per line of text
PADDING = 0.12                           # inches between text and box border
GAP_ALONG, GAP_ACROSS = 0.45, 0.3        # inches between ranks, and between boxes of a rank


def ranks(nodes: list, edges: list) -> dict:
    """rank of each node: the length of the longest path reaching it from a source."""
    predecessors = {n: [] for n in nodes}
    for a, b in edges:
        predecessors[b].append(a)
    rank = {}

    def visit(n, trail=()):
        if n in rank:
            return rank[n]
        if n in trail:
            raise ValueError("the graph has a cycle")
        rank[n] = 1 + max((visit(p, trail + (n,)) for p in predecessors[n]), default=-1)
        return rank[n]

    for n in nodes:
        visit(n)
    successors = {n: [] for n in nodes}
    for a, b in edges:
        successors[a].append(b)
    for n in nodes:                      # a source sits just before its first reader
        if not predecessors[n] and successors[n]:
            rank[n] = min(rank[s] for s in successors[n]) - 1
    return rank


def order_within_ranks(nodes: list, edges: list, rank: dict, sweeps: int = 4) -> list:
    """``[[nodes of rank 0], [rank 1], ...]``, each ordered by the barycentre heuristic."""
    layers = [[] for _ in range(max(rank.values()) + 1)]
    for n in nodes:
        layers[rank[n]].append(n)
    predecessors = {n: [] for n in nodes}
    for a, b in edges:
        predecessors[b].append(a)
    for _ in range(sweeps):
        position = {n: i for layer in layers for i, n in enumerate(layer)}
        for layer in layers[1:]:
            def barycentre(n, layer=layer):
                above = [position[p] for p in predecessors[n]]
                return sum(above) / len(above) if above else position[n]
            layer.sort(key=barycentre)
            position.update({n: i for i, n in enumerate(layer)})
    return layers


def box_size(text: str) -> tuple:
    """(width, height) in inches of a box holding ``text`` (lines split on newlines)."""
    lines = text.split("\n")
    return (max(len(line) for line in lines) * CHAR_WIDTH + 2 * PADDING,
            len(lines) * LINE_HEIGHT + 2 * PADDING)


def _with_waypoints(nodes: list, edges: list, rank: dict) -> tuple:
    """Split each edge that skips ranks into a chain through invisible *waypoints*, one per
    rank it crosses, so that the ordering keeps room for it and it never crosses a box."""
    nodes, short_edges, routes = list(nodes), [], []
    for k, (a, b) in enumerate(edges):
        chain = [a]
        for r in range(rank[a] + 1, rank[b]):
            waypoint = ("waypoint", k, r)
            rank[waypoint] = r
            nodes.append(waypoint)
            chain.append(waypoint)
        chain.append(b)
        short_edges += list(zip(chain[:-1], chain[1:]))
        routes.append(chain)
    return nodes, short_edges, routes


def draw(nodes: list, edges: list, labels: dict, rankdir: str = "TB", colors: dict | None = None, title=None):
    """Draw the DAG; returns ``(figure, axis, boxes, arrows)``.

    Args:
        nodes: hashable node keys, in a preferred order.
        edges: ``(from, to)`` pairs of node keys (repeats are drawn once each).
        labels: node key → text (may hold newlines).
        rankdir: "TB" (top to bottom) or "LR" (left to right).
        colors: node key → box face colour.
        title: optional title above the graph.
    """
    if rankdir not in ("TB", "LR"):
        raise ValueError(f"rankdir must be 'TB' or 'LR', got {rankdir!r}")
    rank = ranks(nodes, edges)
    all_nodes, short_edges, routes = _with_waypoints(nodes, edges, rank)
    layers = order_within_ranks(all_nodes, short_edges, rank)
    size = {n: box_size(labels[n]) if n in labels else (0.05, 0.05) for n in all_nodes}
    vertical = rankdir == "TB"
    along = [max(size[n][1 if vertical else 0] for n in layer) for layer in layers]      # rank thickness
    across = [sum(size[n][0 if vertical else 1] for n in layer) + GAP_ACROSS * (len(layer) - 1) for layer in layers]
    extent_across = max(across)
    centre = {}
    offset = 0.0
    for layer, thickness, span in zip(layers, along, across):
        cursor = (extent_across - span) / 2
        for n in layer:
            w = size[n][0 if vertical else 1]
            a, b = cursor + w / 2, offset + thickness / 2
            centre[n] = (a, -b) if vertical else (b, -a)
            cursor += w + GAP_ACROSS
        offset += thickness + GAP_ALONG
    extent_along = offset - GAP_ALONG
    width, height = (extent_across, extent_along) if vertical else (extent_along, extent_across)
    margin = 0.15
    title_room = 0.35 if title else 0.0
    figure, axis = new_figure(figsize=(width + 2 * margin, height + 2 * margin + title_room))
    axis.set_position([0, 0, 1, 1])
    axis.set_xlim(-margin, width + margin)
    axis.set_ylim(-height - margin, margin + title_room)
    axis.set_axis_off()
    if title:
        axis.text(width / 2, title_room / 2, title, ha="center", va="center", fontsize=FONT_SIZE + 2,
                  fontweight="bold")
    boxes = {}
    for n in nodes:
        (x, y), (w, h) = centre[n], size[n]
        box = FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0,rounding_size=0.06",
                             facecolor=(colors or {}).get(n, "#e8f0fe"), edgecolor="#3c4043", linewidth=1.0,
                             zorder=2)
        axis.add_patch(box)
        axis.text(x, y, labels[n], ha="center", va="center", family="monospace", fontsize=FONT_SIZE, zorder=3)
        boxes[n] = box
    arrows, repeats, seen = [], {}, {}
    for a, b in edges:
        repeats[(a, b)] = repeats.get((a, b), 0) + 1
    for chain in routes:
        a, b = chain[0], chain[-1]
        k = seen[(a, b)] = seen.get((a, b), -1) + 1
        shift = (k - (repeats[(a, b)] - 1) / 2) * 0.16      # parallel arrows for a repeated edge
        (xa, ya), (xb, yb) = centre[a], centre[b]
        if vertical:
            start, end = (xa + shift, ya - size[a][1] / 2), (xb + shift, yb + size[b][1] / 2)
        else:
            start, end = (xa + size[a][0] / 2, ya + shift), (xb - size[b][0] / 2, yb + shift)
        points = [start] + [centre[w] for w in chain[1:-1]] + [end]
        path = Path(points, [Path.MOVETO] + [Path.LINETO] * (len(points) - 1))
        arrow = FancyArrowPatch(path=path, arrowstyle="-|>", mutation_scale=12, color="#3c4043", linewidth=1.0,
                                zorder=1)
        axis.add_patch(arrow)
        arrows.append(arrow)
    return figure, axis, boxes, arrows
