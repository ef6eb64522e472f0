"""What one article's text names: its dates, numbers and entity mentions, found once.

A story's record (its evidence: when, where, who, how many) and its facts (the claims the
versions make) both read these from every member; `newstrace analyze` draws both for every
story of two or more, so each article's text is searched once for both instead of twice
(the searches were about half of the trace and facts stages' time)."""

from __future__ import annotations

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
