"""What one article's text names: its dates, numbers and entity mentions, found once.

A story's record (its evidence: when, where, who, how many) and its facts (the claims the
versions make) both read these from every member; `newstrace analyze` draws both for every
story of two or more, so each article's text is searched once for both instead of twice
(the searches were about half of the trace and facts stages' time)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from newstrace.records import Article
from newstrace.stages.facts.dates import DateMention, find_dates
from newstrace.stages.facts.entities import EntityMention, RuleEntities
from newstrace.stages.facts.quantities import Quantity, find_quantities


def sentence_spans(article: Article) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in article.sentences] or [(0, len(article.text))]


@dataclass(frozen=True, slots=True)
class Findings:
    """An article's dates (resolved against its publication date), its numbers outside those
    dates, and its entity mentions as `RuleEntities` finds them."""

    dates: list[DateMention]
    numbers: list[Quantity]
    mentions: list[EntityMention]


def findings_of(article: Article) -> Findings:
    dates = find_dates(article.text, article.published)
    numbers = find_quantities(article.text, [(d.start, d.end) for d in dates])
    return Findings(dates, numbers, RuleEntities().find(article.text, sentence_spans(article)))


def story_findings(articles: Mapping[str, Article]) -> dict[str, Findings]:
    """Each member's findings, searched once for the story's record and its facts; none for
    a story of one article (it compares no facts, and its record shows no evidence)."""
    if len(articles) < 2:
        return {}
    return {article.id: findings_of(article) for article in articles.values()}
