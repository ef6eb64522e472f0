"""Story clustering: articles about one real-world event together, look-alike events apart.

Each pair of articles sharing a rare event term gets a probability of reporting one event
from a small logistic model over event-specific evidence (`signals.py`): the similarity of
their names, numbers and quotations, and whether their resolved dates and counts agree or
conflict. Topic words are not used. Stories are average-linkage clusters over those
probabilities; reuse detection's verdicts override them where they are sure
(`relation_overrides`, `copy_pairs`). Model and threshold are fitted by leave-topic-out
cross-validation on ecbplus-dev (docs/benchmarks.md).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from newstrace.reuse.candidates import ordered_pair
from newstrace.stories.agglomerate import agglomerate
from newstrace.stories.events import Terms, similarity_edges, weighted
from newstrace.stories.signals import EventFacts, SameEventModel, pair_signals

# Fitted on the candidate pairs of ecbplus-dev, whole corpus (`python -m bench.stories --fit`,
# 2026-12-06): 12,752 pairs sharing a usable event term, 2,707 of them one event. Leave-topic-
# out (model and threshold refit without each of the 20 topics, scored on pairs touching it):
# pairwise F1 0.932 (precision 0.900, recall 0.965), folds 0.644-1.000, median 1.000;
# fitted on everything 0.941. The threshold (average probability) is the one CV chose in 19
# of 20 folds.
SAME_EVENT_MODEL = SameEventModel(
    {"particulars": 10.34, "same_day": 1.65, "days_apart": -0.39, "same_year": 0.79,
     "years_apart": -0.84, "counts_differ": -0.24}, -3.0)
SAME_EVENT_THRESHOLD = 0.20


@dataclass(frozen=True, slots=True)
class ClusterConfig:
    threshold: float = SAME_EVENT_THRESHOLD  # average same-event probability
    max_term_articles: int = 200  # a term on more articles than this (and 1%) links nothing
    # Rarity is read against at least this many articles: in a small collection, say one
    # story's articles alone, its particulars are on every article and would weigh nothing.
    min_rarity_articles: int = 200
    # Reuse verdicts that override event-term similarity (chosen on ecbplus-dev and the
    # example story together; docs/benchmarks.md):
    copy_relations: tuple[str, ...] = ("duplicate", "excerpt", "spin")  # always one story
    same_event_anchors: float = 0.4  # an independent pair sharing this share of names and
    same_event_similarity: float = 0.75  # numbers, with this mean-vector cosine, is at least
    same_event_edge: float = 0.3  # this similar
    different_similarity: float = 0.35  # an unrelated pair below this cosine: similarity 0
    model: SameEventModel = field(default_factory=lambda: SAME_EVENT_MODEL)

    def term_limit(self, total: int) -> int:
        return max(self.max_term_articles, total // 100)


def cluster(terms: Mapping[str, Terms], df: Mapping[int, int], total: int,
            overrides: Mapping[tuple[str, str], float] | None = None,
            config: ClusterConfig | None = None,
            copies: Iterable[tuple[str, str]] = (),
            facts: Mapping[str, EventFacts] | None = None) -> list[list[str]]:
    """Stories among the articles in `terms`, with document frequencies from the whole
    collection (`df`, `total`), so a part of the collection clusters as it would in full.

    `overrides` (pairs a < b) raise the event-term similarity of a pair, or (0.0) cut it;
    `copies` (a copy, an excerpt, a spin) end in one story: their clusters are merged after
    clustering (as edges of 1.0 they would reorder the merges around them)."""
    config = config or ClusterConfig()
    edges = same_event_edges(particulars_similarity(terms, df, total, config), facts or {},
                             config.model)
    for pair, value in (overrides or {}).items():
        edges[pair] = max(edges.get(pair, 0.0), value) if value else 0.0
    return _merge_linked(agglomerate(terms, edges, config.threshold), copies)


def particulars_similarity(terms: Mapping[str, Terms], df: Mapping[int, int], total: int,
                           config: ClusterConfig) -> dict[tuple[str, str], float]:
    """Cosine of rarity-weighted event terms for the pairs sharing a usable one (a < b)."""
    base = max(total, config.min_rarity_articles)
    vectors = {article_id: weighted(items, df, base) for article_id, items in terms.items()}
    limit = config.term_limit(total)
    usable = {article_id: {t: w for t, w in vector.items() if df.get(t, 0) <= limit}
              for article_id, vector in vectors.items()}
    return similarity_edges(usable, limit)


def same_event_edges(similarities: Mapping[tuple[str, str], float],
                     facts: Mapping[str, EventFacts],
                     model: SameEventModel) -> dict[tuple[str, str], float]:
    """Each candidate pair's probability of reporting one event, from its particulars'
    similarity and its dates and counts (articles without facts are judged on names alone)."""
    empty = EventFacts()
    return {pair: model.probability(pair_signals(similarity, facts.get(pair[0], empty),
                                                 facts.get(pair[1], empty)))
            for pair, similarity in similarities.items()}


def _merge_linked(groups: list[list[str]],
                  links: Iterable[tuple[str, str]]) -> list[list[str]]:
    group_of = {item: number for number, group in enumerate(groups) for item in group}
    parent = list(range(len(groups)))

    def root(number: int) -> int:
        while parent[number] != number:
            number = parent[number]
        return number

    for a, b in links:
        if a in group_of and b in group_of:
            parent[root(group_of[a])] = root(group_of[b])
    merged: dict[int, list[str]] = {}
    for number, group in enumerate(groups):
        merged.setdefault(root(number), []).extend(group)
    return sorted((sorted(group) for group in merged.values()), key=lambda g: g[0])


def copy_pairs(relations: Iterable[Mapping[str, Any]],
               config: ClusterConfig | None = None) -> list[tuple[str, str]]:
    """Pairs reuse detection found to be copies (duplicate, excerpt, spin): one story.

    Rewrites are left out: the derivation model's weakest calls are rewrites, and one wrong
    call would merge two stories."""
    config = config or ClusterConfig()
    return [(row["a"], row["b"]) for row in relations
            if row["relation"] in config.copy_relations]


def relation_overrides(relations: Iterable[Mapping[str, Any]],
                       config: ClusterConfig | None = None) -> dict[tuple[str, str], float]:
    """Edges that reuse detection's other verdicts set (pairs a < b): same event, or not.
    Only relations computed with paraphrase detection carry the vector similarity they need."""
    config = config or ClusterConfig()
    found: dict[tuple[str, str], float] = {}
    for row in relations:
        pair = ordered_pair(row["a"], row["b"])
        scores = row["scores"]
        if not row.get("paraphrase"):
            continue
        elif (row["relation"] == "independent"
              and scores.get("anchor_overlap", 0) >= config.same_event_anchors
              and scores.get("text_similarity", 0) >= config.same_event_similarity):
            found[pair] = config.same_event_edge
        elif (row["relation"] == "unrelated"
              and scores.get("text_similarity", 1) < config.different_similarity):
            found[pair] = 0.0
    return found


def cluster_all(terms: Mapping[str, Terms],
                overrides: Mapping[tuple[str, str], float] | None = None,
                config: ClusterConfig | None = None,
                copies: Iterable[tuple[str, str]] = (),
                facts: Mapping[str, EventFacts] | None = None) -> list[list[str]]:
    """Stories of a whole collection held in memory."""
    df: Counter[int] = Counter(term for items in terms.values() for term in items)
    return cluster(terms, df, len(terms), overrides, config, copies, facts)


def carry_ids(groups: Sequence[list[str]], previous: Mapping[str, str]) -> dict[str, str]:
    """Story ids for new groups: a group keeps the id of the old story most of its members
    came from (each old id goes to one group only); the others get a fresh id from their
    first member. Returns article id -> story id."""
    taken: set[str] = set()
    assigned: dict[str, str] = {}
    for group in sorted(groups, key=len, reverse=True):
        votes = Counter(previous[a] for a in group if a in previous)
        story = next((s for s, _ in votes.most_common() if s not in taken), None)
        story = story or f"s-{group[0][:16]}"
        taken.add(story)
        for article_id in group:
            assigned[article_id] = story
    return assigned
