"""A Mermaid flowchart drawn as SVG, for places that show no Mermaid (Jupyter, Colab).

Only the subset the diagram templates write is read: ``flowchart BT|TB|TD|LR|RL``,
nodes ``id["text"]`` (box), ``id(("text"))`` (circle), ``id[["text"]]`` (memory),
``id(["text"])`` (rounded), and edges ``a --> b``, ``a -.-> b``, ``a -- "label" --> b``.
The layout is layered (Sugiyama's method, small): cycles broken, every node as close
to its successors as it can be, long edges through dummy points, and orders within a
layer swept by barycentres. Same text, same bytes.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from functools import lru_cache

_NODE = r'(?P<{p}id>[A-Za-z_][\w]*)(?:(?P<{p}shape>\(\(|\[\[|\(\[|\[|\()"(?P<{p}text>[^"]*)"(?:\)\)|\]\]|\]\)|\]|\)))?'
_EDGE = re.compile(r"^\s*" + _NODE.format(p="a") + r'\s*(?P<arrow>-->|-\.->|--\s*"(?P<label>[^"]*)"\s*-->)\s*'
                   + _NODE.format(p="b") + r"\s*$")
_LONE = re.compile(r"^\s*" + _NODE.format(p="a") + r"\s*$")
SHAPES = {"[": "box", "((": "circle", "[[": "memory", "([": "rounded", "(": "rounded"}
FONT, PAD, GAP_X, GAP_Y = 13, 9, 26, 46
CJK_FONTS = ("Noto Sans CJK SC", "Noto Serif CJK SC", "Droid Sans Fallback")


def _unescape(text: str) -> str:
    return text.replace("#quot;", '"').replace("#lt;", "<").replace("#gt;", ">")


@dataclass
class Node:
    id: str
    text: str = ""
    shape: str = "box"
    dummy: bool = False
    rank: int = 0
    order: float = 0.0
    x: float = 0.0
    y: float = 0.0

    @property
    def width(self) -> float:
        if self.dummy:
            return 0.0
        w = sum(FONT * (1.0 if ord(ch) > 0x2E80 else 0.6) for ch in self.text) + 2 * PAD
        return max(w * 1.15, FONT + 2 * PAD + 4) if self.shape == "circle" else w

    @property
    def height(self) -> float:
        if self.dummy:
            return 0.0
        return FONT + 2 * PAD + (4 if self.shape == "circle" else 0)


@dataclass
class Edge:
    a: str
    b: str
    label: str = ""
    dashed: bool = False
    path: list[str] = field(default_factory=list)  # node ids from a to b, dummies between


@dataclass
class Flowchart:
    direction: str
    nodes: dict[str, Node]
    edges: list[Edge]


def parse(text: str) -> Flowchart:
    """Read a Mermaid flowchart (the subset above); anything else is a ValueError.

    >>> fc = parse('flowchart BT\\n  a["x"] --> b(("σ"))\\n  b -- "gate" --> a')
    >>> fc.direction, [(n.id, n.shape) for n in fc.nodes.values()], fc.edges[1].label
    ('BT', [('a', 'box'), ('b', 'circle')], 'gate')
    """
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    head = lines[0].split() if lines else []
    if len(head) != 2 or head[0] not in ("flowchart", "graph") or head[1] not in (
            "BT", "TB", "TD", "LR", "RL"):
        raise ValueError(f"not a flowchart: {lines[:1]}")
    nodes: dict[str, Node] = {}
    edges: list[Edge] = []

    def node(m: re.Match, p: str) -> str:
        nid = m.group(f"{p}id")
        found = nodes.setdefault(nid, Node(nid, nid))
        if m.group(f"{p}text") is not None:
            found.text = _unescape(m.group(f"{p}text"))
            found.shape = SHAPES[m.group(f"{p}shape")]
        return nid

    for line in lines[1:]:
        m = _EDGE.match(line)
        if m:
            a, b = node(m, "a"), node(m, "b")
            edges.append(Edge(a, b, _unescape(m.group("label") or ""), m.group("arrow") == "-.->"))
            continue
        m = _LONE.match(line)
        if not m:
            raise ValueError(f"cannot read flowchart line {line.strip()!r}")
        node(m, "a")
    return Flowchart(head[1], nodes, edges)


def _ranks(fc: Flowchart) -> dict[str, int]:
    """Layers: back edges of a depth-first search reversed, each node one layer below
    its nearest successor (sources sit next to what they feed, not all at the bottom)."""
    succ: dict[str, list[str]] = {n: [] for n in fc.nodes}
    state: dict[str, int] = {}
    forward: list[tuple[str, str]] = []

    def visit(n: str) -> None:
        state[n] = 1
        for e in fc.edges:
            if e.a != n:
                continue
            if state.get(e.b) == 1:
                forward.append((e.b, e.a))  # a back edge, reversed
            else:
                forward.append((e.a, e.b))
                if e.b not in state:
                    visit(e.b)
        state[n] = 2

    targets = {e.b for e in fc.edges}
    for n in [n for n in fc.nodes if n not in targets] + list(fc.nodes):
        if n not in state:
            visit(n)
    for a, b in dict.fromkeys(forward):
        succ[a].append(b)
    pred: dict[str, list[str]] = {n: [] for n in fc.nodes}
    for a, bs in succ.items():
        for b in bs:
            pred[b].append(a)
    rank: dict[str, int] = {}

    def lowest(n: str) -> int:  # the longest path from a source to n
        if n not in rank:
            rank[n] = 1 + max((lowest(p) for p in pred[n]), default=-1)
        return rank[n]

    for n in fc.nodes:
        lowest(n)
    for n in sorted(fc.nodes, key=lambda n: -rank[n]):  # sources up, next to what they feed
        if succ[n]:
            rank[n] = min(rank[s] for s in succ[n]) - 1
    return rank


def layout(fc: Flowchart) -> list[list[Node]]:
    """Place every node (and the dummies of long edges); returns the layers, in order."""
    ranks = _ranks(fc)
    for nid, r in ranks.items():
        fc.nodes[nid].rank = r
    layers: list[list[Node]] = [[] for _ in range(max(ranks.values()) + 1)]
    for n in fc.nodes.values():
        layers[n.rank].append(n)
    for k, e in enumerate(fc.edges):
        lo, hi = sorted((fc.nodes[e.a].rank, fc.nodes[e.b].rank))
        path = [e.a if fc.nodes[e.a].rank == lo else e.b]
        for r in range(lo + 1, hi):
            dummy = Node(f"_d{k}_{r}", dummy=True, rank=r)
            fc.nodes[dummy.id] = dummy
            layers[r].append(dummy)
            path.append(dummy.id)
        path.append(e.b if path[0] == e.a else e.a)
        e.path = path if path[0] == e.a else path[::-1]
    neighbours: dict[str, list[str]] = {n: [] for n in fc.nodes}
    for e in fc.edges:
        for u, v in zip(e.path, e.path[1:]):
            neighbours[u].append(v)
            neighbours[v].append(u)
    for layer in layers:
        for i, n in enumerate(layer):
            n.order = i
    for sweep in range(8):  # barycentre sweeps, up then down
        sequence = layers[1:] if sweep % 2 == 0 else layers[-2::-1]
        for layer in sequence:
            for n in layer:
                near = [fc.nodes[m].order for m in neighbours[n.id]
                        if abs(fc.nodes[m].rank - n.rank) == 1]
                n.order = sum(near) / len(near) if near else n.order
            layer.sort(key=lambda n: n.order)
            for i, n in enumerate(layer):
                n.order = i
    _coordinates(fc, layers)
    return layers


def _coordinates(fc: Flowchart, layers: list[list[Node]]) -> None:
    across = fc.direction in ("LR", "RL")
    extent = [sum((n.height if across else n.width) + GAP_X for n in layer) for layer in layers]
    widest = max(extent)
    depth = max(max(((n.width if across else n.height) for n in layer), default=0)
                 for layer in layers)
    for r, layer in enumerate(layers):
        pos = (widest - extent[r]) / 2 + GAP_X / 2
        for n in layer:
            size = n.height if across else n.width
            along = pos + size / 2
            level = r * (depth + GAP_Y) + depth / 2
            if fc.direction in ("BT", "RL"):
                level = (len(layers) - 1 - r) * (depth + GAP_Y) + depth / 2
            n.x, n.y = (level, along) if across else (along, level)
            pos += size + GAP_X


def _boundary(n: Node, tx: float, ty: float) -> tuple[float, float]:
    """Where the line from n's centre towards (tx, ty) leaves n's outline."""
    dx, dy = tx - n.x, ty - n.y
    if n.dummy or (dx == 0 and dy == 0):
        return n.x, n.y
    if n.shape == "circle":  # an ellipse: scale the direction onto it
        a, b = n.width / 2, n.height / 2
        s = 1 / ((dx / a) ** 2 + (dy / b) ** 2) ** 0.5
        return n.x + dx * s, n.y + dy * s
    sx = (n.width / 2) / abs(dx) if dx else float("inf")
    sy = (n.height / 2) / abs(dy) if dy else float("inf")
    s = min(sx, sy)
    return n.x + dx * s, n.y + dy * s


@lru_cache(maxsize=64)  # a class's notebooks share their cell's chart: drawn once per text
def draw(text: str, fmt: str = "svg") -> bytes:
    """The flowchart as an SVG (or PNG) picture, drawn with matplotlib: text as paths,
    so it looks the same everywhere, CJK included where a CJK font is installed.

    >>> svg = draw('flowchart BT\\n  a["x = 1"] --> b(("σ"))')
    >>> svg.startswith(b"<?xml") and svg == draw('flowchart BT\\n  a["x = 1"] --> b(("σ"))')
    True
    """
    from matplotlib import rc_context
    from matplotlib.figure import Figure
    from matplotlib.patches import Ellipse, FancyArrowPatch, FancyBboxPatch

    fc = parse(text)
    layout(fc)
    nodes = list(fc.nodes.values())
    width = max(n.x + n.width / 2 for n in nodes) + GAP_X / 2
    height = max(n.y + n.height / 2 for n in nodes) + GAP_X / 2
    words = [n.text for n in nodes] + [e.label for e in fc.edges]
    rc = {"svg.hashsalt": "lstm_sym", "svg.fonttype": "path", "font.size": FONT * 0.75}
    if any(ord(ch) > 0x2E80 for w in words for ch in w):  # fall back through installed CJK fonts
        from matplotlib import font_manager

        installed = {f.name for f in font_manager.fontManager.ttflist}
        rc["font.family"] = ["DejaVu Sans"] + [f for f in CJK_FONTS if f in installed]
    dpi = 72 / 0.75  # one layout unit = one CSS pixel
    with rc_context(rc):
        fig = Figure(figsize=(width / dpi, height / dpi), dpi=dpi)
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_xlim(0, width)
        ax.set_ylim(height, 0)
        ax.set_axis_off()
        fills = {"box": "#eef4fb", "circle": "#fff7e6", "memory": "#e8f5e9", "rounded": "#f3e8fb"}
        pairs = {(e.a, e.b) for e in fc.edges}
        for e in fc.edges:
            # An edge with one back the other way (c → × → c) bends, so both show.
            bend = "arc3,rad=0.3" if (e.b, e.a) in pairs and len(e.path) == 2 else "arc3"
            pts = [fc.nodes[p] for p in e.path]
            coords = [(p.x, p.y) for p in pts]
            coords[0] = _boundary(pts[0], *coords[1])
            coords[-1] = _boundary(pts[-1], *coords[-2])
            style = "--" if e.dashed else "-"
            for i, (p, q) in enumerate(zip(coords, coords[1:])):
                last = i == len(coords) - 2
                ax.add_patch(FancyArrowPatch(p, q, arrowstyle="-|>" if last else "-",
                                             mutation_scale=12, color="#333", linewidth=1.2,
                                             linestyle=style, shrinkA=0, shrinkB=0,
                                             connectionstyle=bend))
            if e.label:
                (x0, y0), (x1, y1) = coords[len(coords) // 2 - 1], coords[len(coords) // 2]
                ax.text((x0 + x1) / 2, (y0 + y1) / 2, e.label, ha="center", va="center",
                        fontsize=FONT * 0.68, style="italic", zorder=4,
                        bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.0})
        for n in nodes:
            if n.dummy:
                continue
            fill = fills[n.shape]
            if n.shape == "circle":
                ax.add_patch(Ellipse((n.x, n.y), n.width, n.height, facecolor=fill,
                                     edgecolor="#333", zorder=2))
            else:
                pad = n.height / 2 if n.shape == "rounded" else 3
                ax.add_patch(FancyBboxPatch((n.x - n.width / 2 + pad, n.y - n.height / 2 + pad),
                                            n.width - 2 * pad, n.height - 2 * pad,
                                            boxstyle=f"round,pad={pad}", facecolor=fill,
                                            edgecolor="#333", zorder=2))
                if n.shape == "memory":
                    for side in (-1, 1):
                        x = n.x + side * (n.width / 2 - 5)
                        ax.plot([x, x], [n.y - n.height / 2, n.y + n.height / 2],
                                color="#333", linewidth=1, zorder=3)
            ax.text(n.x, n.y, n.text, ha="center", va="center", zorder=3)
        buffer = io.BytesIO()
        metadata = {"Date": None} if fmt == "svg" else {"Software": None}
        fig.savefig(buffer, format=fmt, metadata=metadata)
    return buffer.getvalue()
