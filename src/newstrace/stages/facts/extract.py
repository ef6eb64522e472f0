"""Claims of one article: its quantities, dates, named entities and quotations."""

from __future__ import annotations

from collections.abc import Sequence

from newstrace.records import DATE, ENTITY, QUANTITY, QUOTE, Article, Claim
from newstrace.stages.facts.counts import find_counts
from newstrace.stages.facts.dates import find_dates
from newstrace.stages.facts.descriptions import Description, link_descriptions
from newstrace.stages.facts.entities import (
    ORGANISATION,
    EntityFinder,
    EntityMention,
    RuleEntities,
    entity_types,
)
from newstrace.stages.facts.findings import Findings, sentence_spans
from newstrace.stages.facts.quantities import Quantity, find_quantities
from newstrace.stages.facts.quotes import find_quotes

__all__ = ["description_claim", "extract", "quantities", "sentence_at", "sentence_spans"]


def sentence_at(spans: Sequence[tuple[int, int]], position: int) -> tuple[int, int]:
    for start, end in spans:
        if start <= position < end:
            return start, end
    before = [span for span in spans if span[0] <= position]
    return before[-1] if before else spans[0]


def quantities(text: str, dates: Sequence[tuple[int, int]],
               found: Sequence[Quantity] | None = None) -> list[Quantity]:
    """Numbers with their nouns or units, and counts written as enumerations or fractions;
    a number inside an enumeration ("seven" of "... and seven other countries") gives way
    to the enumeration's count. `found`: the numbers outside `dates`, when already found."""
    counts = [c for c in find_counts(text)
              if not any(s < c.end and c.start < e for s, e in dates)]
    numbers = [q for q in (find_quantities(text, dates) if found is None else found)
               if not any(c.start < q.end and q.start < c.end for c in counts)]
    return sorted([*numbers, *counts], key=lambda q: q.start)


def extract(article: Article, finder: EntityFinder | None = None, *,
            descriptions: bool = True,
            found: Findings | None = None) -> tuple[list[Claim], list[EntityMention]]:
    """The article's claims (entities named by their surface text; the story groups
    variants later) and its entity mentions. With `descriptions`, definite descriptions
    linked to one of the article's organisations are entity claims too (a story links them
    with its names instead: `story_facts`). `found`: the article's findings, when already
    searched for (their mentions are used only with the default finder)."""
    text = article.text
    spans = sentence_spans(article)
    claims: list[Claim] = []
    dates = find_dates(text, article.published) if found is None else found.dates
    for date in dates:
        claims.append(Claim(article.id, DATE, date.text, date.value, (date.start, date.end),
                            sentence_at(spans, date.start), date.key,
                            {"precision": date.precision, "resolved": date.resolved,
                             "basis": date.basis,
                             **({"weekday": date.weekday} if date.weekday else {}),
                             **({"published": article.published[:10]}
                                if date.basis == "relative" and article.published else {})},
                            date))
    for quantity in quantities(text, [(d.start, d.end) for d in dates],
                               None if found is None else found.numbers):
        claims.append(Claim(
            article.id, QUANTITY, quantity.text, quantity.shown_value,
            (quantity.start, quantity.end), sentence_at(spans, quantity.start), quantity.key,
            {"unit": quantity.unit, "noun": quantity.noun, "approx": quantity.approx,
             "rate": quantity.rate}, quantity))
    mentions = (found.mentions if found is not None and finder is None
                else (finder or RuleEntities()).find(text, spans))
    types = entity_types(mentions)
    for mention in mentions:
        kind = types.get(mention.text, mention.type)
        claims.append(Claim(article.id, ENTITY, mention.text, mention.text,
                            (mention.start, mention.end), sentence_at(spans, mention.start),
                            f"entity/{kind}", {"entity": mention.text, "type": kind}, mention))
    if descriptions:
        for description, name in link_descriptions(text, mentions):
            claims.append(description_claim(article.id, description, name, spans))
    for quote in find_quotes(text, spans, mentions):
        claims.append(Claim(article.id, QUOTE, quote.text, quote.text, (quote.start, quote.end),
                            sentence_at(spans, quote.start), quote.speaker or "",
                            {"speaker": quote.speaker, "partial": quote.partial}, quote))
    claims.sort(key=lambda c: (c.span, c.kind))
    return claims, mentions


def description_claim(article_id: str, description: Description, name: str,
                      spans: Sequence[tuple[int, int]]) -> Claim:
    """An entity claim for a description linked to the organisation `name`. It says which
    entity the article speaks of, never how the article names it (`description: true`)."""
    return Claim(article_id, ENTITY, description.text, name,
                 (description.start, description.end), sentence_at(spans, description.start),
                 f"entity/{ORGANISATION}",
                 {"entity": name, "type": ORGANISATION, "description": True}, description)
