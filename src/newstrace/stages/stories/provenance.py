"""Provenance within a story: a graph from sources to derivatives, with its evidence.

Edges come from derived relations (duplicate, excerpt, spin, rewrite, partial). Which way an edge
points is decided by evidence, each item weighted by how much it says: a credit (the
derivative names the other's outlet: an attribution line, a canonical link, an agency
dateline), publication times (weaker when only dates are known), containment (an excerpt
lies inside its source), echoes (what one side has beyond the other recurs in the rest of the
story, the other's additions do not; stories/echoes.py). Where the evidence does not decide,
the edge stays undirected, a shared origin, and says so. Credits naming an outlet that has
no article in the story become external origins.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from newstrace.records import DERIVED, Article, Edge, Evidence, Origin, Related, Trace
from newstrace.stages.clean.cues import outlet_key
from newstrace.stages.stories.echoes import Echoes


@dataclass(frozen=True, slots=True)
class ProvenanceConfig:
    """How much each kind of evidence says about which side came first, and when an edge is
    directed. A runner passes its own; the defaults are what every runner uses unless told.

    What they rest on (honestly): none is fitted by cross-validation. The weights were set by
    hand as stated priors (commit c45fb9b, 2026-11-23: credit > time > containment > date),
    and checked on spread-dev (20 groups: base, spin, rewrite, independent report;
    `python -m bench.run stories`, docs/benchmarks.md "spread-dev: stories and direction"):
    with publication times, 37 base-derivative edges right, 0 wrong, 3 undecided; without
    times, 15 / 0 / 25 once echoes were added (commit 41d91cd, 2026-12-05, echo_weight chosen
    as "just enough to direct an edge alone, less than a publication time"). That is an
    in-sample check on 40 edges, not a held-out figure: there is no labelled corpus of
    direction with outlets' real credits and times to fit these on yet."""

    credit_weight: float = 0.9  # an explicit credit is the strongest evidence there is
    time_weight: float = 0.6  # both times known: the earlier is the source, unless a wire
    # was held back
    date_weight: float = 0.4  # only days known: a day apart says less
    containment_weight: float = 0.5  # an excerpt is inside its source, not the reverse
    echo_weight: float = 0.35  # what one side has beyond the other recurs in the story
    echo_margin: float = 0.3  # ...by at least this share more than the other side's
    echo_min_chars: int = 100  # each side's own material, at least a sentence
    directed: float = 0.3  # net support one way below which an edge stays undirected
    # Relation confidences closer than this are a tie between sources (a stated tolerance,
    # not a fitted one: a verbatim reprint's furniture moves its confidence by less);
    # choose_source breaks it by a rule rather than by the order of ids or float noise.
    source_tie: float = 0.02


PROVENANCE = ProvenanceConfig()


def direction_evidence(a: Article, b: Article, relation: str, scores: Mapping[str, float],
                       config: ProvenanceConfig = PROVENANCE) -> list[Evidence]:
    """What says which of a and b came first."""
    found = []
    for copy, source in ((a, b), (b, a)):
        for cue in copy.cues:
            if _names(cue.outlet, cue.url, source, copy):
                found.append(Evidence("credit", f"{copy.id} carries {cue.kind}: {cue.text}",
                                      config.credit_weight, source.id))
                break
    timing = _timing(a, b, config)
    if timing is not None:
        found.append(timing)
    if relation == "excerpt":
        whole = b if scores.get("verbatim_a", 0) > scores.get("verbatim_b", 0) else a
        found.append(Evidence("containment", f"the excerpt lies inside {whole.id}",
                              config.containment_weight, whole.id))
    return found


def _names(outlet: str | None, url: str | None, source: Article, copy: Article) -> bool:
    names = {outlet_key(source.outlet), outlet_key(source.url)} - {None}
    names -= {outlet_key(copy.outlet), outlet_key(copy.url)}
    return bool({outlet_key(outlet), outlet_key(url)} & names)


def _timing(a: Article, b: Article, config: ProvenanceConfig) -> Evidence | None:
    if not a.published or not b.published:
        return None
    if len(a.published) > 10 and len(b.published) > 10:
        a_time, b_time = _parse(a.published), _parse(b.published)
        if a_time == b_time:
            return None
        first, gap = (a, b_time - a_time) if a_time < b_time else (b, a_time - b_time)
        hours = gap.total_seconds() / 3600
        return Evidence("time", f"{first.id} published {hours:.1f} h earlier",
                        config.time_weight, first.id)
    days = (_parse(b.published[:10]) - _parse(a.published[:10])).days
    if days == 0:
        return None  # the same day, with a time on one side at most: says nothing
    first = a if days > 0 else b
    return Evidence("date", f"{first.id} published {abs(days)} day(s) earlier",
                    config.date_weight, first.id)


def _parse(value: str) -> datetime:
    """A stored ISO 8601 date or time as naive UTC (a time without offset is taken as UTC)."""
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


def _support(evidence: list[Evidence], article_id: str) -> float:
    """1 - the chance that every item pointing at `article_id` is wrong."""
    doubt = 1.0
    for item in evidence:
        if item.source == article_id:
            doubt *= 1 - item.weight
    return 1 - doubt


def echo_evidence(a: str, b: str, echoes: Echoes,
                  config: ProvenanceConfig = PROVENANCE) -> Evidence | None:
    """Whether the rest of the story echoes one side's own material and not the other's."""
    own_a, own_b = echoes.own(a, b), echoes.own(b, a)
    if (own_a is None or own_b is None
            or min(own_a.chars, own_b.chars) < config.echo_min_chars):
        return None
    if abs(own_a.echoed - own_b.echoed) < config.echo_margin:
        return None
    (first, first_own), (then, then_own) = sorted(
        ((a, own_a), (b, own_b)), key=lambda side: -side[1].echoed)
    return Evidence("echo", f"other articles of the story share {first_own.echoed:.0%} of what "
                    f"{first} has beyond {then}, {then_own.echoed:.0%} of what {then} adds",
                    config.echo_weight, first)


def edge(a: Article, b: Article, relation: str, scores: Mapping[str, float],
         strength: float, echoes: Echoes | None = None,
         config: ProvenanceConfig = PROVENANCE) -> Edge:
    evidence = direction_evidence(a, b, relation, scores, config)
    # Only a rewrite or a partial copy has material of its own on both sides (it cuts and
    # adds): a spin's leftovers are fragments its paraphrase did not align, a copy has none.
    echoed = (echo_evidence(a.id, b.id, echoes, config)
              if echoes is not None and relation in ("rewrite", "partial") else None)
    if echoed is not None:
        evidence.append(echoed)
    toward_a, toward_b = _support(evidence, a.id), _support(evidence, b.id)
    net = toward_a - toward_b
    if abs(net) < config.directed:
        return Edge(a.id, b.id, relation, abs(net), False, strength, evidence)
    source, target = (a, b) if net > 0 else (b, a)
    return Edge(source.id, target.id, relation, abs(net), True, strength, evidence)


def trace(story: str, articles: Mapping[str, Article], relations: Sequence[Related],
          config: ProvenanceConfig = PROVENANCE) -> Trace:
    """The provenance of one story from its articles and the relations among them (with
    their alignments)."""
    members = sorted(articles)
    echoes = Echoes(alignment for _, alignment in relations)
    edges = [edge(articles[r.a], articles[r.b], r.relation, r.scores, float(r.confidence),
                  echoes, config)
             for r, _ in relations
             if r.relation in DERIVED and r.a in articles and r.b in articles]
    linked = {e.source for e in edges} | {e.target for e in edges}
    tree = _tree(edges, articles, config.source_tie)
    roots = sorted({e.source for e in edges if e.directed} - set(tree))
    undecided = _undecided(edges, tree, roots)
    origins = [_origin(root, articles, edges) for root in roots]
    origins += _external(articles, members)
    # A story of one article has nobody to be independent of.
    independent = [m for m in members if m not in linked] if len(members) > 1 else []
    return Trace(story, members, origins, sorted(edges, key=lambda e: (e.source, e.target)),
                 tree, independent, undecided)


def _tree(edges: list[Edge], articles: Mapping[str, Article],
          tie: float = PROVENANCE.source_tie) -> dict[str, str]:
    """Each derivative's likeliest source: of the directed edges into it, the surest relation
    (a spin's sibling rewrite is not its source when both came from the original); a tie,
    such as a derivative matching an original and its verbatim reprints alike, falls by
    `choose_source`."""
    into: dict[str, list[Edge]] = {}
    for item in edges:
        if item.directed:
            into.setdefault(item.target, []).append(item)
    copied = {(e.source, e.target) for e in edges if e.directed}
    tree = {target: choose_source(candidates, copied, articles, tie).source
            for target, candidates in into.items()}
    for target in list(tree):  # break cycles that contradictory evidence could make
        seen, node = {target}, tree.get(target)
        while node is not None and node in tree:
            if node in seen:
                del tree[target]
                break
            seen.add(node)
            node = tree.get(node)
    return tree


def choose_source(candidates: Sequence[Edge], copied: set[tuple[str, str]],
                  articles: Mapping[str, Article],
                  tie: float = PROVENANCE.source_tie) -> Edge:
    """The edge naming a derivative's source among `candidates` (directed edges into it).

    The surest relation wins. Relations within `tie` of the surest are a tie (an
    original and its verbatim reprints match a derivative equally well), broken by this rule,
    each step only where it narrows the field: the candidate the derivative credits; the
    candidates no other candidate is a source of (the duplicate family's origin); the
    earliest published; the surest direction; the source of the most other derivatives in
    the story (the tree that needs the fewest sources: one original copied again is likelier
    than a second source that explains nothing else); the smallest id (ids follow content,
    never the folder, but a page's furniture changes its id, so the id is the last resort).
    The chosen edge's evidence says which step decided."""
    best = max(edge.strength for edge in candidates)
    tied = sorted((e for e in candidates if e.strength >= best - tie),
                  key=lambda e: e.source)
    if len(tied) == 1:
        return tied[0]
    field_size, reason = len(tied), "the smallest id"
    for narrow, why in (
        (lambda es: [e for e in es if _credited(e)], "the source it credits"),
        (lambda es: [e for e in es if not any((o.source, e.source) in copied for o in es)],
         "the origin of the others, which copy it"),
        (lambda es: _earliest(es, articles), "the earliest published"),
        (lambda es: [e for e in es
                     if e.confidence >= max(o.confidence for o in es) - tie],
         "the surest direction"),
        (lambda es: _most_copied(es, copied), "the source of the most other derivatives"),
    ):
        narrowed = narrow(tied)
        if narrowed and len(narrowed) < len(tied):
            tied = narrowed
            if len(tied) == 1:
                reason = why
                break
    chosen = tied[0]
    others = sorted(e.source for e in candidates if e.strength >= best - tie
                    and e is not chosen)
    chosen.evidence.append(Evidence(
        "source-choice", f"{field_size} sources fit {chosen.target} equally well (relation "
        f"confidence within {tie}); {chosen.source} is {reason} (others: "
        f"{', '.join(others)})", 0.0, chosen.source))
    return chosen


def _most_copied(edges: list[Edge], copied: set[tuple[str, str]]) -> list[Edge]:
    """The edges whose source is the source of the most directed edges to other articles;
    none where no source has any."""
    count = {e.source: sum(1 for source, target in copied
                           if source == e.source and target != e.target) for e in edges}
    most = max(count.values())
    return [e for e in edges if count[e.source] == most] if most else []


def _credited(edge: Edge) -> bool:
    return any(item.kind == "credit" and item.source == edge.source for item in edge.evidence)


def _earliest(edges: list[Edge], articles: Mapping[str, Article]) -> list[Edge]:
    """The edges whose source was published first (by day where any lacks a time); none
    where a source has no date."""
    published = [articles[e.source].published for e in edges]
    if any(value is None for value in published):
        return []
    timed = all(len(str(value)) > 10 for value in published)
    keys = [_parse(str(value) if timed else str(value)[:10]) for value in published]
    first = min(keys)
    return [e for e, key in zip(edges, keys, strict=True) if key == first]


def _undecided(edges: list[Edge], tree: dict[str, str], roots: list[str]) -> list[list[str]]:
    """Groups of articles joined only by undirected edges (no side shown to be first)."""
    placed = set(tree) | set(roots)
    parent: dict[str, str] = {}

    def root(item: str) -> str:
        parent.setdefault(item, item)
        while parent[item] != item:
            item = parent[item]
        return item

    for link in edges:
        if not link.directed and not (link.source in placed and link.target in placed):
            parent[root(link.source)] = root(link.target)
    groups: dict[str, list[str]] = {}
    for article_id in parent:
        groups.setdefault(root(article_id), []).append(article_id)
    return sorted(sorted(group) for group in groups.values() if len(group) > 1)


def _origin(root: str, articles: Mapping[str, Article], edges: list[Edge]) -> Origin:
    article = articles[root]
    derivatives = sorted({e.target for e in edges if e.directed and e.source == root})
    credited = sorted({e.target for e in edges if e.source == root
                       and any(x.kind == "credit" for x in e.evidence)})
    evidence = [f"credited by {', '.join(credited)}"] if credited else []
    return Origin(root, article.outlet, article.url, derivatives, evidence)


def _fuller(name: str, held: str | None) -> bool:
    """Whether `name` names an outlet better than `held`: a name over a domain
    ("Alpine Press Agency" over "alpinepress.example"), then the longer ("Alpine Press")."""
    def rank(value: str | None) -> tuple[bool, int]:
        return (bool(value) and " " in str(value), len(value or ""))
    return rank(name) > rank(held)


def _external(articles: Mapping[str, Article], members: list[str]) -> list[Origin]:
    """Outlets credited by members but with no article in the story."""
    present = {outlet_key(a.outlet) for a in articles.values()} | {
        outlet_key(a.url) for a in articles.values()}
    external: dict[str, Origin] = {}
    for article_id in members:
        article = articles[article_id]
        own = {outlet_key(article.outlet), outlet_key(article.url)}
        for cue in article.cues:
            key = outlet_key(cue.outlet) or outlet_key(cue.url)
            if key is None or key in own or key in present:
                continue
            origin = external.setdefault(key, Origin(None, cue.outlet or key, cue.url, []))
            origin.url = origin.url or cue.url
            if cue.outlet and _fuller(cue.outlet, origin.outlet):
                origin.outlet = cue.outlet
            if article_id not in origin.derivatives:
                origin.derivatives.append(article_id)
                origin.evidence.append(f"{article_id} carries {cue.kind}: {cue.text}")
    return [external[key] for key in sorted(external)]
