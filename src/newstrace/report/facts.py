"""The facts panel and the facts marks of the side-by-side view.

Facts come as the dict `StoryFacts.as_dict()` returns (claims, conflicts, altered_facts,
additions, altered_quotes, single_source, summary; docs/facts.md). They are an optional input
everywhere (None: the page shows "facts not available"), so pages can be built from any
source of them; `ReportSource.facts` asks the collection.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from newstrace.report.marks import Mark

FactsDict = dict[str, Any]


@dataclass(slots=True)
class ArticleRef:
    id: str
    name: str  # outlet, else title, else id


@dataclass(slots=True)
class ConflictValue:
    value: str
    articles: list[ArticleRef]
    texts: list[str]
    resolutions: list[str] = field(default_factory=list)  # how relative dates were read


@dataclass(slots=True)
class Conflict:
    subject: str
    kind: str
    values: list[ConflictValue]


@dataclass(slots=True)
class Altered:
    source: ArticleRef
    target: ArticleRef
    kind: str
    before: str
    after: str
    source_sentence: str
    target_sentence: str
    href: str | None = None  # the side-by-side view of the pair, where there is one


@dataclass(slots=True)
class Addition:
    article: ArticleRef
    sources: list[ArticleRef]
    text: str


@dataclass(slots=True)
class QuoteVersion:
    text: str
    articles: list[ArticleRef]


@dataclass(slots=True)
class AlteredQuote:
    speaker: str | None
    versions: list[QuoteVersion]


@dataclass(slots=True)
class FactsPanel:
    available: bool
    conflicts: list[Conflict] = field(default_factory=list)
    altered: list[Altered] = field(default_factory=list)
    additions: list[Addition] = field(default_factory=list)
    altered_quotes: list[AlteredQuote] = field(default_factory=list)
    summary: dict[str, int] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not (self.conflicts or self.altered or self.additions or self.altered_quotes)


def facts_panel(facts: FactsDict | None, name: Callable[[str], str]) -> FactsPanel:
    """The panel's rows; `name` gives an article's display name from its id."""
    if facts is None:
        return FactsPanel(available=False)

    def ref(article_id: Any) -> ArticleRef:
        return ArticleRef(str(article_id), name(str(article_id)))

    def refs(ids: Any) -> list[ArticleRef]:
        items = ids if isinstance(ids, list) else [ids] if ids else []
        return [ref(item) for item in items]

    conflicts = [Conflict(str(c.get("subject", "")), str(c.get("kind", "")), [
        ConflictValue(_text(v.get("value")), refs(v.get("articles", [])),
                      [str(t) for t in v.get("texts", [])],
                      [str(r) for r in v.get("resolutions", [])])
        for v in c.get("values", [])]) for c in facts.get("conflicts", [])]
    altered = [Altered(ref(a["source"]), ref(a["target"]), str(a.get("kind", "")),
                       _text(a.get("from")), _text(a.get("to")),
                       str(a.get("source_sentence", "")), str(a.get("target_sentence", "")))
               for a in facts.get("altered_facts", [])]
    additions = [Addition(ref(a["article"]), refs(a.get("source")), str(a.get("text", "")))
                 for a in facts.get("additions", [])]
    quotes = [AlteredQuote(q.get("speaker"), [
        QuoteVersion(str(v.get("text", "")), refs(v.get("articles", [])))
        for v in q.get("versions", [])]) for q in facts.get("altered_quotes", [])]
    summary = {str(k): int(v) for k, v in facts.get("summary", {}).items()
               if isinstance(v, int | float)}
    return FactsPanel(True, conflicts, altered, additions, quotes, summary)


def conflict_count(facts: FactsDict) -> int:
    summary = facts.get("summary", {})
    return int(summary.get("conflicts", len(facts.get("conflicts", []))))


def edge_fact_marks(facts: FactsDict | None, left: str, right: str,
                    left_size: int, right_size: int) -> tuple[list[Mark], list[Mark]]:
    """Marks for the side-by-side view of `left` (the source) and `right` (the derivative):
    altered facts at their values' spans, linked across the columns, and the derivative's
    unsourced additions with respect to this source."""
    if facts is None:
        return [], []
    left_marks: list[Mark] = []
    right_marks: list[Mark] = []
    for number, item in enumerate(facts.get("altered_facts", []), start=1):
        pair = (item.get("source"), item.get("target"))
        if pair not in ((left, right), (right, left)):
            continue
        link = f"f{number}"
        source_span, target_span = item.get("source_span"), item.get("target_span")
        source_note = f"altered fact: {_text(item.get('to'))} in the other version"
        target_note = f"altered fact: {_text(item.get('from'))} in the source"
        spans = ((left_marks, source_span, source_note, left_size),
                 (right_marks, target_span, target_note, right_size))
        if pair == (right, left):
            spans = ((right_marks, source_span, source_note, right_size),
                     (left_marks, target_span, target_note, left_size))
        for marks, span, note, size in spans:
            if _valid(span, size):
                marks.append(Mark("altered", span[0], span[1], link=link, note=note))
    for item in facts.get("additions", []):
        sources = item.get("source")
        sources = sources if isinstance(sources, list) else [sources]
        span = item.get("span")
        if item.get("article") == right and left in sources and _valid(span, right_size):
            right_marks.append(Mark("added", span[0], span[1],
                                    note="unsourced addition: no source says this"))
    return left_marks, right_marks


def _valid(span: Any, size: int) -> bool:
    return (isinstance(span, list | tuple) and len(span) == 2
            and all(isinstance(x, int) for x in span) and 0 <= span[0] < span[1] <= size)


def _text(value: Any) -> str:
    return "" if value is None else str(value)
