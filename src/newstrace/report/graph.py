"""The provenance graph as an SVG drawing, laid out here (no Graphviz, no script).

A story's provenance is nearly a forest: each derivative has one likeliest source (the trace's
`tree`), origins at the top, external origins (outlets credited but absent) as their own
nodes. So a layered tree layout is what a general layered layout would produce anyway: layer
= depth from the origin, children ordered under their parent, wide layers wrapped into rows.
Copies whose direction no evidence decides, and independent reports, sit apart in their own
bands. Every coordinate is computed here; the template writes them with autoescaping, so no
article string can reach the SVG unescaped.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

NODE_W, NODE_H = 232, 82
GAP_X, GAP_Y = 22, 54
PER_ROW = 5
MARGIN = 16
BAND_TITLE = 26
MAX_CROSS_EDGES = 40  # related pairs beyond the tree, drawn faintly only while legible
GROUP_OVER = 8  # a source with more derivatives than this shows its leaves by relation...
GROUP_MIN = 3  # ...in one box per relation with at least this many


@dataclass(frozen=True, slots=True)
class NodeInfo:
    outlet: str
    title: str
    when: str  # publication time, formatted
    published: str = ""  # as stored (ISO 8601), for ordering


@dataclass(slots=True)
class _Group:
    """Leaf derivatives of one source by one relation, drawn as one box."""

    parent: str
    relation: str
    members: list[str]
    strengths: list[float]  # how sure each relation is
    directions: list[float]  # how sure each direction is


@dataclass(slots=True)
class GraphNode:
    id: str
    role: str  # origin, external, derivative, undecided, independent
    x: float
    y: float
    outlet: str
    title: str
    when: str
    href: str | None
    badge: str | None = None  # relation to its source, with confidences
    badge_href: str | None = None
    relation: str | None = None
    tooltip: str = ""

    @property
    def cx(self) -> float:
        return self.x + NODE_W / 2


@dataclass(slots=True)
class GraphEdge:
    path: str
    kind: str  # a relation, "credit", or "related" (a pair beyond the tree)
    directed: bool
    strength: str  # high, mid, low: drawn heavier the surer the direction
    tooltip: str
    href: str | None


@dataclass(slots=True)
class Band:
    title: str
    x: float
    y: float
    width: float
    height: float


@dataclass(slots=True)
class GraphView:
    width: float
    height: float
    nodes: list[GraphNode] = field(default_factory=list)
    edges: list[GraphEdge] = field(default_factory=list)
    bands: list[Band] = field(default_factory=list)
    node_w: int = NODE_W
    node_h: int = NODE_H


def _strength(confidence: float) -> str:
    return "high" if confidence >= 0.75 else "mid" if confidence >= 0.45 else "low"


def _curve(x1: float, y1: float, x2: float, y2: float) -> str:
    middle = (y1 + y2) / 2
    return f"M{x1:.1f},{y1:.1f} C{x1:.1f},{middle:.1f} {x2:.1f},{middle:.1f} {x2:.1f},{y2:.1f}"


def _side_curve(x1: float, y1: float, x2: float, y2: float) -> str:
    """Between two nodes of one row: an arc below them."""
    low = max(y1, y2) + 24
    return f"M{x1:.1f},{y1:.1f} C{x1:.1f},{low:.1f} {x2:.1f},{low:.1f} {x2:.1f},{y2:.1f}"


class _Layout:
    def __init__(self, info: Mapping[str, NodeInfo], article_href: Callable[[str], str],
                 groups: Mapping[str, _Group]):
        self.info = info
        self.href = article_href
        self.groups = groups
        self.nodes: dict[str, GraphNode] = {}
        self.y = MARGIN
        self.width = MARGIN * 2 + PER_ROW * NODE_W + (PER_ROW - 1) * GAP_X

    def row(self, ids: list[str], role: str, external: Mapping[str, dict[str, Any]]) -> None:
        """Place `ids` centred in rows of at most PER_ROW, starting at the current height."""
        for start in range(0, len(ids), PER_ROW):
            chunk = ids[start : start + PER_ROW]
            used = len(chunk) * NODE_W + (len(chunk) - 1) * GAP_X
            x = (self.width - used) / 2
            for node_id in chunk:
                self.nodes[node_id] = self._node(node_id, role, x, self.y, external)
                x += NODE_W + GAP_X
            self.y += NODE_H + GAP_Y

    def _node(self, node_id: str, role: str, x: float, y: float,
              external: Mapping[str, dict[str, Any]]) -> GraphNode:
        if node_id in external:
            origin = external[node_id]
            credited = len(origin.get("derivatives", []))
            return GraphNode(node_id, "external", x, y, str(origin.get("outlet") or "unknown"),
                             "not in the collection", f"credited by {credited}", None,
                             tooltip=f"External origin {origin.get('outlet') or ''}: credited "
                             f"by {credited} article(s) of this story")
        if node_id in self.groups:
            return self._group(node_id, x, y)
        info = self.info.get(node_id, NodeInfo(node_id, "", ""))
        return GraphNode(node_id, role, x, y, info.outlet, info.title, info.when,
                         self.href(node_id), tooltip=f"{info.outlet}: {info.title}")

    def _group(self, node_id: str, x: float, y: float) -> GraphNode:
        group = self.groups[node_id]
        members = sorted(group.members, key=lambda m: (
            self.info[m].published if m in self.info else "", m))
        names = [self.info[m].outlet if m in self.info else m for m in members]
        shown = ", ".join(names[:2]) + (f" and {len(names) - 2} more" if len(names) > 2 else "")
        if len(shown) > 36:
            shown = f"{names[0][:20]}… and {len(names) - 1} more"
        low, high = min(group.strengths, default=0.0), max(group.strengths, default=0.0)
        badge = (f"{group.relation} {low * 100:.0f}–{high:.0%} · dir. "
                 f"≥{min(group.directions, default=0.0):.0%}")
        return GraphNode(node_id, "group", x, y, f"{len(names)} {group.relation}s", shown,
                         "listed under Versions", "#versions", badge=badge,
                         relation=group.relation,
                         tooltip=f"{len(names)} {group.relation}s: {', '.join(names)}")


def _depths(tree: Mapping[str, str], roots: list[str]) -> dict[str, int]:
    depth = {root: 0 for root in roots}
    for node in tree:
        chain = [node]
        while chain[-1] in tree and chain[-1] not in depth and len(chain) <= len(tree):
            chain.append(tree[chain[-1]])
        base = depth.get(chain[-1], 0)
        for offset, item in enumerate(reversed(chain)):
            depth.setdefault(item, base + offset)
    return depth


def layout(trace: Mapping[str, Any], info: Mapping[str, NodeInfo],
           article_href: Callable[[str], str],
           edge_href: Callable[[str, str], str | None]) -> GraphView:
    """The drawing of one story's trace (`Trace.as_dict()`)."""
    tree: dict[str, str] = dict(trace.get("tree", {}))
    edges = list(trace.get("edges", []))
    external = {f"external:{i}": o for i, o in enumerate(trace.get("origins", []))
                if not o.get("article")}
    roots = [o["article"] for o in trace.get("origins", []) if o.get("article")]
    roots += list(external)
    credited_only: dict[str, str] = {}
    for key, origin in external.items():
        for derivative in origin.get("derivatives", []):
            if derivative not in tree and derivative not in roots:
                credited_only.setdefault(derivative, key)
    parents = {**credited_only, **tree}
    groups = _groups(parents, edges)
    grouped = {m for group in groups.values() for m in group.members}
    parents = {c: p for c, p in parents.items() if c not in grouped}
    parents.update((key, group.parent) for key, group in groups.items())
    depth = _depths(parents, roots)
    grid = _Layout(info, article_href, groups)
    by_depth: dict[int, list[str]] = {}
    for node, level in depth.items():
        by_depth.setdefault(level, []).append(node)
    order: dict[str, float] = {}
    for level in sorted(by_depth):
        ids = sorted(by_depth[level], key=lambda n: (
            order.get(parents.get(n, ""), 0.0), n in groups,
            info[n].published if n in info else "", n))
        grid.row(ids, "origin" if level == 0 else "derivative", external)
        order.update((node_id, index) for index, node_id in enumerate(ids))
    view = GraphView(grid.width, 0)
    placed = set(grid.nodes) | grouped
    undecided = [[m for m in group if m not in placed] for group in trace.get("undecided", [])]
    undecided = [group for group in undecided if group]
    for title, bands, role in (
            ("Copies of one another; no evidence says which came first", undecided,
             "undecided"),
            ("Independent reports of the same event", [list(trace.get("independent", []))],
             "independent")):
        members = [m for band in bands for m in band if m not in placed]
        if not members:
            continue
        top = grid.y
        grid.y += BAND_TITLE
        grid.row(members, role, external)
        view.bands.append(Band(title, MARGIN / 2, top - GAP_Y / 3, grid.width - MARGIN,
                               grid.y - top - GAP_Y / 3))
    alone = [m for m in trace.get("members", []) if m not in grid.nodes and m not in grouped]
    if alone:  # a story of one article, or members no relation reaches
        grid.row(sorted(alone), "independent", external)
    _badges(grid.nodes, edges, tree, edge_href)
    view.edges = _edges(grid.nodes, edges, tree, external, edge_href)
    view.edges += [GraphEdge(_path(grid.nodes[g.parent], grid.nodes[key]), g.relation, True,
                             _strength(min(g.directions, default=0.0)),
                             f"{len(g.members)} {g.relation}s", None)
                   for key, g in groups.items() if g.parent in grid.nodes and key in grid.nodes]
    view.nodes = list(grid.nodes.values())
    view.height = grid.y - GAP_Y + MARGIN * 2
    return view


def _badges(nodes: Mapping[str, GraphNode], edges: list[Mapping[str, Any]],
            tree: Mapping[str, str], edge_href: Callable[[str, str], str | None]) -> None:
    """Each derivative says how it relates to its source, and how sure that is."""
    for item in edges:
        if tree.get(item["target"]) == item["source"] and item["target"] in nodes:
            node = nodes[item["target"]]
            node.relation = item["relation"]
            node.badge = (f"{item['relation']} {item.get('relation_confidence', 0):.0%}"
                          f" · direction {item['confidence']:.0%}")
            node.badge_href = edge_href(item["source"], item["target"])


def _edges(nodes: Mapping[str, GraphNode], edges: list[Mapping[str, Any]],
           tree: Mapping[str, str], external: Mapping[str, dict[str, Any]],
           edge_href: Callable[[str, str], str | None]) -> list[GraphEdge]:
    """Tree edges; undirected edges into the undecided band; the story's other related pairs,
    faintly, while there are few of them."""
    drawn: list[GraphEdge] = []
    banded = {key for key, node in nodes.items() if node.role == "undecided"}
    cross = [e for e in edges if tree.get(e["target"]) != e["source"]
             and not ({e["source"], e["target"]} & banded)]
    for item in edges:
        source, target = nodes.get(item["source"]), nodes.get(item["target"])
        if source is None or target is None:
            continue
        in_tree = tree.get(item["target"]) == item["source"]
        if not in_tree and item in cross and len(cross) > MAX_CROSS_EDGES:
            continue
        kind = item["relation"] if in_tree or not item["directed"] else "related"
        tip = (f"{item['relation']} (relation {item.get('relation_confidence', 0):.0%}, "
               f"direction {item['confidence']:.0%}"
               f"{'' if item['directed'] else ', undecided'})")
        drawn.append(GraphEdge(_path(source, target), kind, bool(item["directed"]),
                               _strength(float(item["confidence"])), tip,
                               edge_href(item["source"], item["target"])))
    for key, origin in external.items():
        for derivative in origin.get("derivatives", []):
            if key in nodes and derivative in nodes:
                drawn.append(GraphEdge(_path(nodes[key], nodes[derivative]), "credit", True,
                                       "mid", f"credits {origin.get('outlet') or 'it'}", None))
    return drawn


def _groups(parents: Mapping[str, str], edges: list[Mapping[str, Any]]) -> dict[str, _Group]:
    """For each source with more than GROUP_OVER derivatives, its leaf derivatives by relation
    (a wire story copied forty times is one box of copies, not forty)."""
    children: dict[str, list[str]] = {}
    for child, parent in parents.items():
        children.setdefault(parent, []).append(child)
    by_pair = {(e["source"], e["target"]): e for e in edges}
    found: dict[str, _Group] = {}
    for parent, kids in sorted(children.items()):
        if len(kids) <= GROUP_OVER:
            continue
        by_relation: dict[str, list[str]] = {}
        for kid in kids:
            if kid not in children:
                link = by_pair.get((parent, kid))
                by_relation.setdefault(link["relation"] if link else "credit", []).append(kid)
        for relation, members in sorted(by_relation.items()):
            if len(members) >= GROUP_MIN:
                links = [by_pair[(parent, m)] for m in members if (parent, m) in by_pair]
                found[f"group:{parent}:{relation}"] = _Group(
                    parent, relation, sorted(members),
                    [float(e.get("relation_confidence", 0.0)) for e in links],
                    [float(e["confidence"]) for e in links])
    return found


def _path(source: GraphNode, target: GraphNode) -> str:
    if abs(source.y - target.y) < 1:
        return _side_curve(source.cx, source.y + NODE_H, target.cx, target.y + NODE_H)
    if target.y < source.y:
        return _curve(source.cx, source.y, target.cx, target.y + NODE_H)
    return _curve(source.cx, source.y + NODE_H, target.cx, target.y)
