"""A story's facts from its articles, its trace and the stored alignments: a pure function
over records (no store inside), so any runner can call it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from newstrace.records import (
    ENTITY,
    QUOTE,
    Alignment,
    AlteredFact,
    Article,
    Claim,
    Related,
    Trace,
)
from newstrace.stages.facts.additions import find_additions, source_gaps, unmatched_everywhere
from newstrace.stages.facts.claims import StoryFacts
from newstrace.stages.facts.compare import altered_facts, altered_quotes, conflicts, single_source
from newstrace.stages.facts.config import DEFAULT, FactsConfig
from newstrace.stages.facts.descriptions import Organisation, link_descriptions, organisations
from newstrace.stages.facts.entities import (
    EntityFinder,
    EntityMention,
    canonical_names,
    entity_types,
)
from newstrace.stages.facts.extract import description_claim, extract, sentence_spans
from newstrace.stages.facts.findings import Findings
from newstrace.stages.facts.peers import PEER_WINDOW, Peers, story_peers
from newstrace.stages.facts.story_words import StoryWords
from newstrace.stages.reuse.embed import Knots


@dataclass(slots=True)
class StoryClaims:
    """A story's claims and what the comparisons need besides thresholds: computed once,
    compared under any `FactsConfig` (the fitting script compares one story under many)."""

    trace: Trace
    articles: Mapping[str, Article]
    members: list[str]
    claims: dict[str, list[Claim]]
    texts: dict[str, str]
    sentences: dict[str, list[tuple[int, int]]]
    rows: dict[tuple[str, str], Alignment]
    peers: Peers  # which members are compared with which (`peers.story_peers`)


def story_facts(trace: Trace, articles: Mapping[str, Article],
                relations: Sequence[Related], *, finder: EntityFinder | None = None,
                vectors: Mapping[str, npt.NDArray[np.float32]] | None = None,
                config: FactsConfig | None = None,
                findings: Mapping[str, Findings] | None = None,
                scale: Knots = ()) -> StoryFacts:
    """Claims of every article of the story, and the comparisons among them.

    `relations` are the relations among the story's articles with their alignments (passages
    and unmatched sentences); `vectors` the stored sentence vectors of one model, when there
    are any, and `scale` the map of that model's cosines onto MiniLM's (empty for MiniLM);
    `config` the fitted thresholds (`FactsConfig()`'s defaults when None); `findings` the
    members' findings, when the story's record already searched for them."""
    return compare_story(story_claims(trace, articles, relations, finder, findings), vectors,
                         config, scale)


def story_claims(trace: Trace, articles: Mapping[str, Article], relations: Sequence[Related],
                 finder: EntityFinder | None = None,
                 findings: Mapping[str, Findings] | None = None,
                 window: int = PEER_WINDOW) -> StoryClaims:
    """Every member's claims, their names grouped across the story and descriptions linked;
    each member to be compared with its `window` neighbours on each side (`story_peers`)."""
    members = [m for m in trace.members if m in articles]
    claims: dict[str, list[Claim]] = {}
    found: dict[str, list[EntityMention]] = {}
    for article_id in members:
        claims[article_id], found[article_id] = extract(
            articles[article_id], finder, descriptions=False,
            found=(findings or {}).get(article_id))
    mentions = [mention for article_id in members for mention in found[article_id]]
    story_text = " ".join(articles[m].text for m in members)
    names = _name_entities(claims, mentions, story_text)
    _describe(claims, found, articles, organisations(names, entity_types(mentions)), names)
    return StoryClaims(trace, articles, members, claims,
                       {m: articles[m].text for m in members},
                       {m: sentence_spans(articles[m]) for m in members},
                       {(r.a, r.b): alignment for r, alignment in relations},
                       story_peers(members, articles, trace.edges, window))


def compare_story(story: StoryClaims,
                  vectors: Mapping[str, npt.NDArray[np.float32]] | None = None,
                  config: FactsConfig | None = None, scale: Knots = ()) -> StoryFacts:
    """Altered facts, additions, conflicts, altered quotations and single-source claims of
    a story whose claims are known (`vectors` and `scale`: as `story_facts`)."""
    config = config or DEFAULT
    altered: list[AlteredFact] = []
    for source, target, row in derivation_edges(story):
        if story.trace.tree.get(target, source) == source:
            # along the derivative's likeliest source only: its copies would repeat it
            altered += altered_facts(source, target, _passages(row, source), story.claims,
                                     story.texts, story.sentences, config)
    additions = []
    words = StoryWords()
    for target, sources, unmatched, supporters, gaps in addition_inputs(story):
        additions += find_additions(story.articles[target], sources, unmatched, supporters,
                                    vectors, gaps, story.claims, config, words, scale)
    every = [claim for m in story.members for claim in story.claims[m]]
    return StoryFacts(
        story.trace.story, every, conflicts(every, story.texts, config, story.peers), altered,
        additions,
        altered_quotes([c for c in every if c.kind == QUOTE and not c.extra["partial"]],
                       config, story.peers),
        single_source(every, config),
        [] if vectors else ["no sentence vectors stored: additions checked by shared words "
                            "only (install the paraphrase extra and relate again)"])


def derivation_edges(story: StoryClaims) -> list[tuple[str, str, Alignment]]:
    """The story's directed edges with a stored alignment: (source, target, alignment)."""
    found = []
    for edge in story.trace.edges:
        row = story.rows.get((edge.source, edge.target)) or \
            story.rows.get((edge.target, edge.source))
        if edge.directed and row is not None and edge.source in story.texts \
                and edge.target in story.texts:
            found.append((edge.source, edge.target, row))
    return found


AdditionInput = tuple[str, list[str], list[tuple[int, int]], list[Article],
                      dict[int, list[tuple[Article, int]]]]


def addition_inputs(story: StoryClaims, max_gap: int = DEFAULT.max_gap) -> list[AdditionInput]:
    """Per derivative: its sources, the sentences every alignment left unmatched, the
    articles that may support them (not its own descendants, which may have copied it),
    and the source sentences standing in each unmatched sentence's place."""
    children = _children(story.trace)
    incoming: dict[str, list[tuple[str, Alignment]]] = {}
    for source, target, row in derivation_edges(story):
        incoming.setdefault(target, []).append((source, row))
    found = []
    for target, edges in sorted(incoming.items()):
        sources = sorted(source for source, _ in edges)
        unmatched = unmatched_everywhere([_unmatched(row, target) for _, row in edges])
        later = _descendants(target, children)
        supporters = [story.articles[m] for m in story.members
                      if m != target and m not in later]
        gaps: dict[int, list[tuple[Article, int]]] = {}
        for source, row in edges:
            for index, standing in source_gaps(_passages(row, source), story.articles[source],
                                               story.articles[target], max_gap).items():
                gaps.setdefault(index, []).extend(standing)
        found.append((target, sources, unmatched, supporters, gaps))
    return found


def _name_entities(claims: Mapping[str, list[Claim]], mentions: Sequence[EntityMention],
                   text: str) -> dict[str, str]:
    """Entity claims take their group's name across the story, quotations their speaker's;
    returns each name's group name."""
    names = canonical_names(mentions, text)
    for article_claims in claims.values():
        for claim in article_claims:
            if claim.kind == ENTITY:
                claim.value = names.get(claim.text, claim.text)
                claim.extra["entity"] = claim.value
            elif claim.kind == QUOTE and claim.extra["speaker"]:
                speaker = names.get(claim.extra["speaker"], claim.extra["speaker"])
                claim.extra["speaker"] = speaker
                claim.key = speaker
    return names


def _describe(claims: Mapping[str, list[Claim]], mentions: Mapping[str, list[EntityMention]],
              articles: Mapping[str, Article], story: Sequence[Organisation],
              names: Mapping[str, str]) -> None:
    """Descriptions ("the aviation regulator") linked to an organisation of their article or,
    by a shared stem, of the story, as entity claims under the group's name."""
    for article_id, article_claims in claims.items():
        article = articles[article_id]
        linked = link_descriptions(article.text, mentions[article_id], story)
        spans = sentence_spans(article)
        for description, name in linked:
            article_claims.append(description_claim(article_id, description,
                                                    names.get(name, name), spans))
        article_claims.sort(key=lambda c: (c.span, c.kind))


def _passages(row: Alignment, source: str) -> list[tuple[list[int], list[int]]]:
    """The aligned passages of a relation as (source span, target span)."""
    flip = row.a_id != source
    return [((list(p.b), list(p.a)) if flip else (list(p.a), list(p.b)))
            for p in row.passages]


def _unmatched(row: Alignment, article_id: str) -> list[list[int]]:
    spans = row.unmatched_a if row.a_id == article_id else row.unmatched_b
    return [list(span) for span in spans]


def _children(trace: Trace) -> dict[str, set[str]]:
    children: dict[str, set[str]] = {}
    for edge in trace.edges:
        if edge.directed:
            children.setdefault(edge.source, set()).add(edge.target)
    return children


def _descendants(article_id: str, children: Mapping[str, set[str]]) -> set[str]:
    found: set[str] = set()
    stack = [article_id]
    while stack:
        for child in children.get(stack.pop(), set()):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found
