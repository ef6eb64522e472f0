"""The memory runner: every stage over lists of records in memory, nothing kept.

The reference the other runners are held to: the local (SQLite) runner and the Spark runner
must give what this one gives on the same articles. It is also the natural entry for a job
that holds its articles already (an evaluation, a Spark partition).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from newstrace.records import Alignment, Article, Related, Relation, Skip, Story, Trace
from newstrace.runners.cascade import pair_relater
from newstrace.runners.config import ReuseConfig
from newstrace.stages.articles import ArticleBuilder, IngestConfig
from newstrace.stages.facts.claims import StoryFacts
from newstrace.stages.facts.config import FactsConfig
from newstrace.stages.facts.entities import EntityFinder
from newstrace.stages.facts.findings import story_findings
from newstrace.stages.facts.runner import story_facts
from newstrace.stages.reuse.cascade import vector_scale
from newstrace.stages.reuse.embed import SentenceEncoder, Vectors, encode_articles
from newstrace.stages.reuse.key_join import candidate_pairs
from newstrace.stages.reuse.reconcile import reconciled
from newstrace.stages.reuse.sketch import Sketcher
from newstrace.stages.stories.cluster import (
    ClusterConfig,
    carry_ids,
    cluster_all,
    copy_pairs,
    relation_overrides,
)
from newstrace.stages.stories.events import event_terms
from newstrace.stages.stories.provenance import PROVENANCE, ProvenanceConfig, trace
from newstrace.stages.stories.record import story_record
from newstrace.stages.stories.signals import article_facts


def relate_in_memory(articles: Sequence[Article], encoder: SentenceEncoder | None,
                     config: ReuseConfig | None = None,
                     full_encoder: SentenceEncoder | None = None,
                     ) -> list[tuple[Relation, Alignment]]:
    """Every candidate pair among `articles`, related, without a store (evaluations, Spark).
    `encoder` is the one `config.encoder` names; for the cascade, `full_encoder` is MiniLM."""
    config = config or ReuseConfig()
    if encoder is None:
        config = replace(config, encoder="minilm")
    sketcher = Sketcher(config.sketch)
    by_id = {article.id: article for article in articles}
    pairs = [(a, b) for a, b, _ in candidate_pairs(
        [sketcher.sketch(article) for article in articles], config.candidates)]
    vectors: dict[str, Vectors] = {}
    if encoder is not None:
        involved = sorted({x for pair in pairs for x in pair})
        vectors = encode_articles(encoder, [by_id[article_id] for article_id in involved])
    def full_vectors(chosen: list[Article]) -> dict[str, Vectors]:
        if full_encoder is None:
            raise ValueError("the cascade needs MiniLM as full_encoder")
        return encode_articles(full_encoder, chosen)

    with pair_relater(config, sketcher.tokenizer, full_vectors) as relater:
        found = relater.relate(pairs, by_id, vectors)
    reconciled(found, config.reconcile)
    return found


@dataclass(slots=True)
class MemoryRun:
    """Everything the memory runner found: articles by id, related pairs (unrelated ones
    included, as the local runner keeps them), stories by id, each story's trace, and the
    facts of every story of two articles or more."""

    articles: dict[str, Article]
    relations: list[tuple[Relation, Alignment]]
    stories: dict[str, Story]
    traces: dict[str, Trace]
    facts: dict[str, StoryFacts]


def read_articles(paths: Sequence[str], config: IngestConfig | None = None,
                  on_skip: Callable[[Skip], None] | None = None) -> dict[str, Article]:
    """The articles of these inputs by id, as one batch (a later input with an earlier
    one's id replaces it; `duplicate_of` names the first article with the same text)."""
    found: dict[str, Article] = {}
    first_by_text: dict[str, str] = {}
    for article in ArticleBuilder(config).read(paths, on_skip=on_skip):
        earlier = first_by_text.setdefault(article.text_hash, article.id)
        article.duplicate_of = earlier if earlier != article.id else None
        found[article.id] = article
    return found


def by_pair(found: Iterable[Related], *, include_unrelated: bool = False) -> list[Related]:
    """Related pairs ordered by pair (as the local runner reads them back), unrelated pairs
    left out unless asked for."""
    return sorted((item for item in found
                   if include_unrelated or item[0].relation != "unrelated"),
                  key=lambda item: (item[0].a, item[0].b))


def group_stories(articles: Mapping[str, Article],
                  found: Sequence[tuple[Relation, Alignment]],
                  config: ClusterConfig | None = None) -> dict[str, list[str]]:
    """Stories of the whole collection: story id -> its members, in id order."""
    config = config or ClusterConfig()
    terms = {article_id: event_terms(articles[article_id].text)
             for article_id in sorted(articles)}
    verdicts = by_pair(found, include_unrelated=True)
    facts = ({article_id: article_facts(article, config.penalty)
              for article_id, article in articles.items()} if config.penalty.active else None)
    groups = cluster_all(terms, relation_overrides(verdicts, config), config,
                         copy_pairs(verdicts, config), facts)
    stories: dict[str, list[str]] = {}
    for article_id, story_id in carry_ids(groups, {}).items():
        stories.setdefault(story_id, []).append(article_id)
    return {story_id: sorted(members) for story_id, members in sorted(stories.items())}


def analyze_in_memory(paths: Sequence[str], encoder: SentenceEncoder | None, *,
                      ingest: IngestConfig | None = None, reuse: ReuseConfig | None = None,
                      clustering: ClusterConfig | None = None,
                      finder: EntityFinder | None = None,
                      facts_config: FactsConfig | None = None,
                      provenance: ProvenanceConfig = PROVENANCE) -> MemoryRun:
    """The whole job over lists: read, relate, group stories, trace them, compare facts."""
    articles = read_articles(paths, ingest)
    found = relate_in_memory(list(articles.values()), encoder, reuse)
    # `encoder` is the static model under `static` and `cascade`: its cosines are mapped
    # onto MiniLM's, where the facts' bars were set (as the local runner does).
    scale = vector_scale(reuse.encoder if reuse is not None else "minilm")
    stories = group_stories(articles, found, clustering)
    related = by_pair(found)
    records: dict[str, Story] = {}
    traces: dict[str, Trace] = {}
    facts: dict[str, StoryFacts] = {}
    for story_id, members in stories.items():
        wanted = set(members)
        among = [item for item in related if item[0].a in wanted and item[0].b in wanted]
        held = {article_id: articles[article_id] for article_id in members}
        traces[story_id] = trace(story_id, held, among, provenance)
        findings = story_findings(held)
        records[story_id] = story_record(traces[story_id], held, findings)
        if len(members) > 1:
            vectors = encode_articles(encoder, list(held.values())) if encoder else {}
            facts[story_id] = story_facts(traces[story_id], held, among, finder=finder,
                                          vectors=vectors, config=facts_config,
                                          findings=findings, scale=scale)
    return MemoryRun(articles, found, records, traces, facts)
