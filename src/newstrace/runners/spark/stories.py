"""Stories, provenance and facts on Spark.

Event-term vectors are the library's `story_vectors`, per article, with document frequencies
counted over the whole input; the similarity edges are a self-join on shared terms (the
distributed form of `similarity_edges`: the same candidates and scores, the same floor and
neighbour cut); each connected part of the graph of edges that can merge clusters is
clustered alone by `clusters_from_edges`, with what its members say of their events (dates,
counts, numbered names, places: `article_facts`, as the other runners read them) for the
conflict penalty; each story is traced and its facts drawn by `trace` and `story_facts`."""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from operator import add
from typing import TYPE_CHECKING, Any

from newstrace.records import Article, Related, Story
from newstrace.runners.spark.components import components
from newstrace.stages.facts.config import FactsConfig
from newstrace.stages.facts.findings import story_findings
from newstrace.stages.facts.runner import story_facts
from newstrace.stages.reuse.candidates import ordered_pair
from newstrace.stages.reuse.embed import Knots, Vectors
from newstrace.stages.stories.cluster import (
    ClusterConfig,
    carry_ids,
    clusters_from_edges,
    copy_pairs,
    relation_overrides,
    story_vectors,
)
from newstrace.stages.stories.events import event_terms
from newstrace.stages.stories.provenance import PROVENANCE, ProvenanceConfig, trace
from newstrace.stages.stories.record import story_record
from newstrace.stages.stories.signals import EventFacts, article_facts

if TYPE_CHECKING:
    from pyspark import RDD

Edge = tuple[tuple[str, str], float]
FLOOR, NEIGHBOURS = 0.02, 50  # similarity_edges' defaults, which `cluster` uses


def term_vectors(articles: RDD[Article], total: int, config: ClusterConfig
            ) -> RDD[tuple[str, dict[int, float]]]:
    terms = articles.map(lambda a: (a.id, event_terms(a.text))).cache()
    df = terms.flatMap(lambda x: [(t, 1) for t in x[1]]).reduceByKey(add)
    by_term = terms.flatMap(lambda x: [(t, x[0]) for t in x[1]])
    known = by_term.join(df).map(lambda x: (x[1][0], (x[0], x[1][1]))).groupByKey()

    def weigh(item: tuple[str, tuple[dict[int, int], Any]]) -> tuple[str, dict[int, float]]:
        article_id, (own, counts) = item
        made = story_vectors({article_id: own}, dict(counts or ()), total, config)
        return article_id, made[article_id]

    return terms.leftOuterJoin(known).map(weigh)


def similarity(weights: RDD[tuple[str, dict[int, float]]], limit: int) -> RDD[Edge]:
    """Cosine between articles sharing a term that 2 to `limit` of them carry (the
    candidates), over every term the two share (`similarity_edges`: the common terms' products
    added to the candidates only); each article's `NEIGHBOURS` most similar down to `FLOOR`,
    keyed (a, b) with a < b.

    Each entry of a rare term's postings carries its article's weights on the common terms,
    so a candidate's common products are added where its rare products are made, in the
    same shuffle: a pair sharing k rare terms gets its (equal) common products k times and
    keeps one. Joining every candidate pair with both ends' common weights instead (two
    joins, a dict shuffled with every pair) was most of the stories step's time once every
    shared term was scored."""
    postings = weights.flatMap(lambda x: [(t, (x[0], w)) for t, w in x[1].items()]).groupByKey()
    listed = postings.mapValues(list).cache()
    common = listed.filter(lambda x: len(x[1]) > limit).flatMap(
        lambda x: [(a, (x[0], w)) for a, w in x[1]]).groupByKey().mapValues(dict)
    rare = listed.filter(lambda x: 1 < len(x[1]) <= limit).flatMap(
        lambda x: [(a, (x[0], w)) for a, w in x[1]])
    usable = rare.leftOuterJoin(common).map(
        lambda x: (x[1][0][0], (x[0], x[1][0][1], x[1][1]))).groupByKey()
    products = usable.flatMap(lambda x: [((a, b), (wa * wb, _dot(ca, cb)))
                                         for a, wa, ca in x[1] for b, wb, cb in x[1] if a != b])
    scores = products.reduceByKey(lambda x, y: (x[0] + y[0], x[1])).map(
        lambda x: (x[0], x[1][0] + x[1][1])).filter(lambda x: x[1] >= FLOOR)

    def nearest(group: tuple[str, Iterable[tuple[str, float]]]) -> list[Edge]:
        best = heapq.nsmallest(NEIGHBOURS, group[1], key=lambda o: (-o[1], o[0]))
        return [(ordered_pair(group[0], other), score) for other, score in best]

    return scores.map(lambda x: (x[0][0], (x[0][1], x[1]))).groupByKey().flatMap(
        nearest).reduceByKey(max)


def _dot(a: dict[int, float] | None, b: dict[int, float] | None) -> float:
    """The two articles' products over their common terms (none: 0)."""
    if not a or not b:
        return 0.0
    return sum(weight * b.get(term, 0.0) for term, weight in a.items())


def stories(articles: RDD[Article], relations: RDD[Related], total: int,
            config: ClusterConfig) -> RDD[tuple[str, str]]:
    """(article id, story id) for every article."""
    edges = similarity(term_vectors(articles, total, config), config.max_term_articles).cache()
    # Each read more than once below: cached, so the Python behind them runs once.
    overrides = relations.mapPartitions(
        lambda rows: iter(relation_overrides(list(rows), config).items())).cache()
    copies = relations.mapPartitions(lambda rows: iter(copy_pairs(list(rows), config))).cache()
    final = edges.fullOuterJoin(overrides).map(_overridden)
    strong = final.filter(lambda x: x[1] >= config.threshold).keys().union(copies)
    part_of = components(strong).cache()
    ids = articles.map(lambda a: (a.id, None))
    placed = ids.leftOuterJoin(part_of).map(lambda x: (x[0], x[1][1] or x[0])).cache()
    about_pairs = edges.map(lambda e: (e[0], ("edge", e[1]))).union(
        overrides.map(lambda e: (e[0], ("override", e[1])))).union(
        copies.map(lambda pair: (pair, ("copy", 1.0))))
    members: RDD[tuple[str, tuple[str, Any]]] = placed.map(lambda x: (x[1], ("member", x[0])))
    if config.penalty.active:  # what each member says of its event (`article_facts`)
        told = articles.map(lambda a: (a.id, article_facts(a, config.penalty)))
        members = members.union(told.filter(lambda x: x[1] != EventFacts()).join(placed).map(
            lambda x: (x[1][1], ("facts", (x[0], x[1][0])))))
    grouped = members.union(_by_part(about_pairs, part_of)).groupByKey()
    return grouped.flatMap(lambda group: _cluster_part(group[1], config))


def _overridden(item: tuple[tuple[str, str], tuple[float | None, float | None]]) -> Edge:
    pair, (similar, override) = item
    if override is None:
        return pair, float(similar or 0.0)
    return pair, max(similar or 0.0, override) if override else 0.0


def _by_part(pairs: RDD[tuple[tuple[str, str], tuple[str, Any]]],
             part_of: RDD[tuple[str, str]]) -> RDD[tuple[str, tuple[str, Any]]]:
    """Items about a pair, keyed by the component holding both ends (pairs across two
    components are left out: nothing there can merge)."""
    by_first = pairs.map(lambda x: (x[0][0], x)).join(part_of)
    by_second = by_first.map(lambda x: (x[1][0][0][1], (x[1][1], x[1][0])))
    same = by_second.join(part_of).filter(lambda x: x[1][0][0] == x[1][1])
    return same.map(lambda x: (x[1][1], (x[1][0][1][1][0], (x[1][0][1][0], x[1][0][1][1][1]))))


def _cluster_part(items: Iterable[tuple[str, Any]], config: ClusterConfig
                  ) -> list[tuple[str, str]]:
    members, edges, overrides, copies, facts = [], {}, {}, [], {}
    for kind, value in items:
        if kind == "member":
            members.append(value)
        elif kind == "facts":
            facts[value[0]] = value[1]
        elif kind == "edge":
            edges[value[0]] = value[1]
        elif kind == "override":
            overrides[value[0]] = value[1]
        else:
            copies.append(value[0])
    groups = clusters_from_edges(sorted(members), edges, overrides, config, copies, facts)
    return list(carry_ids(groups, {}).items())


def traced(articles: RDD[tuple[str, tuple[Article, Vectors | None]]],
           story_of: RDD[tuple[str, str]], relations: RDD[Related],
           facts: bool, facts_config: FactsConfig | None = None,
           provenance: ProvenanceConfig = PROVENANCE,
           scale: Knots = ()) -> RDD[tuple[Story, Any, Any]]:
    """Each story's record, trace and (when `facts`, for a story of two or more) facts, one
    story on one executor; `facts_config` the facts stage's thresholds (its fitted defaults
    when None), `scale` the map of the vectors' cosines onto MiniLM's (empty for MiniLM)."""
    members = articles.join(story_of).map(lambda x: (x[1][1], ("article", x[1][0])))
    shown = relations.filter(lambda r: r[0].relation != "unrelated")
    keyed = shown.map(lambda r: (r[0].a, r)).join(story_of).map(
        lambda x: (x[1][0][0].b, (x[1][1], x[1][0])))
    inside = keyed.join(story_of).filter(lambda x: x[1][0][0] == x[1][1]).map(
        lambda x: (x[1][1], ("relation", x[1][0][1])))

    def one(group: tuple[str, Iterable[tuple[str, Any]]]) -> tuple[Story, Any, Any]:
        story_id = group[0]
        found: dict[str, Article] = {}
        vectors: dict[str, Vectors] = {}
        rows: list[Related] = []
        for kind, value in group[1]:
            if kind == "article":
                article, vector = value
                found[article.id] = article
                if vector is not None:
                    vectors[article.id] = vector
            else:
                rows.append(value)
        rows.sort(key=lambda r: (r[0].a, r[0].b))
        traced_story = trace(story_id, found, rows, provenance)
        findings = story_findings(found)
        record = story_record(traced_story, found, findings)
        # Facts are compared within stories of two or more (as `newstrace analyze` does).
        drawn = (story_facts(traced_story, found, rows, vectors=vectors or None,
                             config=facts_config, findings=findings, scale=scale)
                 if facts and len(found) > 1 else None)
        return record, traced_story, drawn

    return members.union(inside).groupByKey().map(one)

