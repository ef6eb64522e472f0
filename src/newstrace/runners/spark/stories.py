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
from collections.abc import Iterable, Iterator
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
Posting = tuple[str, float, dict[int, float]]  # article, its weight on a rare term, on common
FLOOR, NEIGHBOURS = 0.02, 50  # similarity_edges' defaults, which `cluster` uses


def rare_postings(articles: RDD[Article], total: int, config: ClusterConfig
                  ) -> RDD[tuple[int, Posting]]:
    """(rare term, posting) for every article carrying a term that 2 to
    `config.max_term_articles` articles carry: the article, its weight on the term
    (`story_vectors`, with document frequencies over the whole input) and its weights on the
    common terms (on more articles than that).

    Two shuffles: the event terms grouped by term give each term's document frequency, and
    grouped back by article, each article's weights with its terms' frequencies at hand, so
    which of its terms are rare or common is known where the weights are made."""
    limit = config.max_term_articles
    counted = articles.flatMap(lambda a: [(t, (a.id, n)) for t, n in event_terms(a.text).items()])
    told = counted.groupByKey().flatMap(_with_frequency)

    def weigh(item: tuple[str, Iterable[tuple[int, int, int]]]) -> list[tuple[int, Posting]]:
        article_id, entries = item
        ordered = sorted(entries)  # by term: the same sums in the same order on every run
        df = {term: frequency for term, _, frequency in ordered}
        made = story_vectors({article_id: {term: n for term, n, _ in ordered}}, df, total,
                             config)[article_id]
        common = {term: weight for term, weight in made.items() if df[term] > limit}
        return [(term, (article_id, weight, common)) for term, weight in made.items()
                if df[term] <= limit]

    return told.groupByKey().flatMap(weigh)


def _with_frequency(item: tuple[int, Iterable[tuple[str, int]]]
                    ) -> list[tuple[str, tuple[int, int, int]]]:
    """A term's carriers, each told the term, its count there and the term's document
    frequency (how many carry it)."""
    term, carriers = item
    listed = list(carriers)
    return [(article_id, (term, count, len(listed))) for article_id, count in listed]


def similarity(articles: RDD[Article], total: int, config: ClusterConfig) -> RDD[Edge]:
    """Cosine between articles sharing a rare term (the candidates, `rare_postings`), over
    every term the two share (`similarity_edges`: the common terms' products added to the
    candidates only); each article's `NEIGHBOURS` most similar down to `FLOOR`, keyed (a, b)
    with a < b. A pair among both ends' nearest is listed twice, once from each end (its
    score summed in another order, so the two may differ in the last bit): a reader keeps
    the larger, as `reduceByKey(max)` would, without the shuffle that would take.

    Each posting carries its article's weights on the common terms, so a candidate's common
    products are made in the shuffle that makes its rare ones (a pair sharing k rare terms
    gets its equal common products k times and keeps one), once for both orders of the
    pair. The sums are partitioned by the pair's first article, so each article's nearest
    are picked in the partition that sums them, with no second shuffle."""
    products = rare_postings(articles, total, config).groupByKey().flatMap(_products)
    parts = products.getNumPartitions()
    sums = products.reduceByKey(_add_products, parts, partitionFunc=_first_hash)
    return sums.mapPartitions(_nearest)


def _products(item: tuple[int, Iterable[Posting]]
              ) -> Iterator[tuple[tuple[str, str], tuple[float, float]]]:
    """Within one rare term's postings, each pair's product on the term and its common
    products (the dot of its two common weights), for both orders of the pair."""
    listed = list(item[1])
    for i, (a, wa, ca) in enumerate(listed):
        for b, wb, cb in listed[i + 1:]:
            # The common products summed in the order of the smaller id's weights, so a pair
            # gets the same sum from every term it shares.
            made = (wa * wb, _dot(ca, cb) if a < b else _dot(cb, ca))
            yield (a, b), made
            yield (b, a), made


def _add_products(x: tuple[float, float], y: tuple[float, float]) -> tuple[float, float]:
    return x[0] + y[0], x[1]


def _first_hash(pair: tuple[str, str]) -> int:
    from pyspark.rdd import portable_hash

    return int(portable_hash(pair[0]))


def _nearest(sums: Iterable[tuple[tuple[str, str], tuple[float, float]]]) -> Iterator[Edge]:
    """Each article's `NEIGHBOURS` most similar down to `FLOOR` (ties broken by id), from a
    partition holding every sum of the article's pairs."""
    near: dict[str, list[tuple[str, float]]] = {}
    for (a, b), (rare, common) in sums:
        score = rare + common
        if score >= FLOOR:
            found = near.setdefault(a, [])
            found.append((b, score))
            if len(found) >= 2 * NEIGHBOURS:  # memory: each article's best so far
                near[a] = _best(found)
    for a, found in near.items():
        for other, score in _best(found):
            yield ordered_pair(a, other), score


def _best(found: list[tuple[str, float]]) -> list[tuple[str, float]]:
    return heapq.nsmallest(NEIGHBOURS, found, key=lambda o: (-o[1], o[0]))


def _dot(a: dict[int, float] | None, b: dict[int, float] | None) -> float:
    """The two articles' products over their common terms (none: 0)."""
    if not a or not b:
        return 0.0
    return sum(weight * b.get(term, 0.0) for term, weight in a.items())


def stories(articles: RDD[Article], relations: RDD[Related], total: int,
            config: ClusterConfig) -> RDD[tuple[str, str]]:
    """(article id, story id) for every article.

    The edges that can merge clusters (`strong`) are connected (`components`); then one
    shuffle by article brings each article its component, its event facts and the pairs it
    is first of, and a second by component gathers each component's members and pairs, which
    `clusters_from_edges` clusters alone (a pair whose ends are in two components is dropped
    there: nothing across them can merge)."""
    edges = similarity(articles, total, config).cache()  # read twice below
    # The reuse verdicts that bear on stories, from one read of the relations (each read
    # unpickles every relation with its passages), cached: read four times below.
    verdicts = relations.mapPartitions(lambda rows: _verdicts(list(rows), config)).cache()
    overrides = verdicts.filter(lambda x: x[0] == "override").map(lambda x: x[1])
    copies = verdicts.filter(lambda x: x[0] == "copy").map(lambda x: x[1][0])
    part_of = components(strong_pairs(edges, overrides, config.threshold).union(copies))
    about: RDD[tuple[str, tuple[str, Any]]] = articles.map(
        lambda a: (a.id, ("facts", _facts(a, config))))
    about = about.union(part_of.map(lambda x: (x[0], ("part", x[1])))).union(
        edges.map(lambda e: (e[0][0], ("edge", e)))).union(
        overrides.map(lambda e: (e[0][0], ("override", e)))).union(
        copies.map(lambda pair: (pair[0], ("copy", (pair, 1.0)))))
    return about.groupByKey().flatMap(_to_part).groupByKey().flatMap(
        lambda group: _cluster_part(group[1], config))


def _verdicts(relations: list[Related], config: ClusterConfig
              ) -> Iterator[tuple[str, Edge]]:
    """The overrides (`relation_overrides`) and copies (`copy_pairs`) among `relations`."""
    for pair, value in relation_overrides(relations, config).items():
        yield "override", (pair, value)
    for pair in copy_pairs(relations, config):
        yield "copy", (pair, 1.0)


def strong_pairs(edges: RDD[Edge], overrides: RDD[Edge], threshold: float
                 ) -> RDD[tuple[str, str]]:
    """The pairs whose similarity, after the reuse verdicts' overrides (`clusters_from_edges`:
    the larger of the two, or none when the override is 0), is at least `threshold` (> 0):
    similar pairs not overridden to 0, and overrides at the threshold. Each pair once."""
    marked = edges.filter(lambda e: e[1] >= threshold).map(lambda e: (e[0], 1)).union(
        overrides.filter(lambda e: e[1] >= threshold or not e[1]).map(
            lambda e: (e[0], 1 if e[1] else 0)))
    return marked.reduceByKey(min).filter(lambda x: x[1] > 0).keys()


def _facts(article: Article, config: ClusterConfig) -> EventFacts | None:
    """What an article says of its event (`article_facts`), when the conflict penalty reads
    it and the article says something."""
    if not config.penalty.active:
        return None
    told = article_facts(article, config.penalty)
    return told if told != EventFacts() else None


def _to_part(group: tuple[str, Iterable[tuple[str, Any]]]
             ) -> list[tuple[str, tuple[str, Any]]]:
    """An article's items keyed by its component (itself when on no strong pair): itself as
    a member, its event facts, and the pairs it is first of (left out when it is alone: the
    pair's other end is in another component)."""
    article_id, items = group
    part, listed, found = None, [], []
    for kind, value in items:
        if kind == "part":
            part = value
        else:
            listed.append((kind, value))
    for kind, value in listed:
        if kind == "facts":
            found.append((part or article_id, ("member", (article_id, value))))
        elif part is not None:
            found.append((part, (kind, value)))
    return found


def _cluster_part(items: Iterable[tuple[str, Any]], config: ClusterConfig
                  ) -> list[tuple[str, str]]:
    members, pairs, facts = [], [], {}
    for kind, value in items:
        if kind == "member":
            members.append(value[0])
            if value[1] is not None:
                facts[value[0]] = value[1]
        else:
            pairs.append((kind, value))
    inside = set(members)
    edges: dict[tuple[str, str], float] = {}
    overrides, copies = {}, []
    for kind, (pair, value) in pairs:
        if pair[1] not in inside:
            continue  # its ends are in two components
        if kind == "edge":
            edges[pair] = max(value, edges.get(pair, value))  # listed from each end
        elif kind == "override":
            overrides[pair] = value
        else:
            copies.append(pair)
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

