"""Why articles are in one story: the event's when, where, who and numbers that they share.

Stories are clustered on the rarity-weighted names, numbers and quotations two articles share
(`events.py`); this module says which of them an article gives and the others share, typed as
a reader asks: when (dates, resolved against the article's publication date), where (places),
who (people and organisations), how many (counted things), and where two versions disagree
(dates or counts that fit no value of the other). It decides nothing: `cluster.py` does; here
is what a reader checks a decision against. Names are typed by `facts.entities.RuleEntities`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from newstrace.records import Article
from newstrace.stages.facts.entities import ORGANISATION, PERSON, PLACE, RuleEntities
from newstrace.stages.facts.findings import Findings, sentence_spans
from newstrace.stages.stories.signals import (
    EventFacts,
    compatible_values,
    counts_conflict,
    dates_conflict,
    event_days_conflict,
    event_facts,
    places_conflict,
    publishers_of,
)

SHOWN = 6  # items of each kind a story's evidence lists
_ROLES = {PLACE: "where", PERSON: "who", ORGANISATION: "who"}


@dataclass(frozen=True, slots=True)
class ArticleEvidence:
    """What one article says about its event."""

    facts: EventFacts = field(default_factory=EventFacts)
    names: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # key -> (role, shown)

    def particulars(self) -> dict[str, tuple[str, str]]:
        """Every particular, key -> (kind, shown): names by role, days as "when"."""
        found = dict(self.names)
        for day in self.facts.days:
            found["day:" + day] = ("when", _shown_day(day, self.facts))
        return found


def article_evidence(article: Article, found: Findings | None = None) -> ArticleEvidence:
    """The dates, counts and typed names of one article (`found`: its findings, when
    already searched for)."""
    facts = event_facts(article.text, article.published,
                        found=None if found is None else (found.dates, found.numbers),
                        publishers=publishers_of(article))
    mentions = (RuleEntities().find(article.text, sentence_spans(article)) if found is None
                else found.mentions)
    votes: dict[str, Counter[str]] = {}
    shown: dict[str, str] = {}
    for mention in mentions:
        key = mention.text.casefold()
        votes.setdefault(key, Counter())[_ROLES.get(mention.type, "names")] += 1
        shown.setdefault(key, mention.text)
    names = {key: (_role(counter), shown[key]) for key, counter in votes.items()}
    return ArticleEvidence(facts, names)


def _role(votes: Counter[str]) -> str:
    typed = [(n, role) for role, n in votes.items() if role != "names"]
    return max(typed)[1] if typed else "names"


def _shown_day(day: str, facts: EventFacts) -> str:
    form = facts.forms.get(day)
    return f"{day} ({form})" if form and form != day else day


def story_evidence(evidence: Mapping[str, ArticleEvidence]) -> dict[str, Any]:
    """What holds a story together: the particulars two or more members give (each with how
    many give it), the numbers they count, and each member's share of them."""
    carried: dict[str, set[str]] = {}
    kind_of: dict[str, tuple[str, str]] = {}
    for article_id, item in evidence.items():
        for key, described in item.particulars().items():
            carried.setdefault(key, set()).add(article_id)
            kind_of.setdefault(key, described)
    floor = 2 if len(evidence) > 1 else 1
    shared = {key: members for key, members in carried.items() if len(members) >= floor}
    found: dict[str, Any] = {kind: [] for kind in ("when", "where", "who", "names")}
    for key in sorted(shared, key=lambda k: (-len(shared[k]), kind_of[k][1])):
        kind, shown = kind_of[key]
        if len(found[kind]) < SHOWN:
            found[kind].append({"value": shown, "articles": len(shared[key])})
    found["numbers"] = _numbers(evidence, floor)
    found["event_places"] = _event_places(evidence)
    found["members"] = {article_id: sorted(kind_of[key][1] for key in shared
                                           if article_id in shared[key])
                        for article_id in sorted(evidence)}
    return found


def _numbers(evidence: Mapping[str, ArticleEvidence], floor: int) -> list[dict[str, Any]]:
    """Counted things two or more members give, with every value given (a rising toll shows
    as two values; `agree` says whether one value is common to all of them)."""
    values: dict[str, list[tuple[float, ...]]] = {}
    for item in evidence.values():
        for noun, given in item.facts.counts.items():
            values.setdefault(noun, []).append(given)
    found: list[dict[str, Any]] = []
    for noun, lists in sorted(values.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        if len(lists) < floor or len(found) >= SHOWN:
            continue
        every = sorted({v for vs in lists for v in vs})
        common = any(all(any(compatible_values(v, w) for w in vs) for vs in lists)
                     for v in every)
        found.append({"what": noun, "values": [_number(v) for v in every],
                      "articles": len(lists), "agree": common})
    return found


def _event_places(evidence: Mapping[str, ArticleEvidence]) -> list[dict[str, Any]]:
    """The event places the members give (by dateline or as where the event is), each with
    how many give it: two places here is a story whose members disagree on where."""
    given = Counter(place for item in evidence.values() for place in item.facts.places.event)
    return [{"value": place, "articles": n}
            for place, n in sorted(given.items(), key=lambda kv: (-kv[1], kv[0]))][:SHOWN]


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def pair_evidence(a: ArticleEvidence, b: ArticleEvidence) -> dict[str, Any]:
    """What two articles share (by kind) and where they conflict: dates that fit no date of
    the other, event days apart (neither naming the other's), counts of one thing with no
    value in common, event places apart (neither naming the other's), a name numbered
    apart."""
    first, second = a.particulars(), b.particulars()
    shared: dict[str, list[str]] = {"when": [], "where": [], "who": [], "names": []}
    for key in sorted(set(first) & set(second), key=lambda k: first[k][1]):
        shared[first[key][0]].append(first[key][1])
    conflicts: list[dict[str, Any]] = []
    if dates_conflict(a.facts, b.facts):
        conflicts.append({"kind": "dates", "a": _dates(a.facts), "b": _dates(b.facts)})
    if event_days_conflict(a.facts, b.facts):
        conflicts.append({"kind": "event day", "a": a.facts.event_day,
                          "b": b.facts.event_day})
    if counts_conflict(a.facts, b.facts):
        for noun in sorted(set(a.facts.counts) & set(b.facts.counts)):
            mine, theirs = a.facts.counts[noun], b.facts.counts[noun]
            if not any(compatible_values(x, y) for x in mine for y in theirs):
                conflicts.append({"kind": "count", "what": noun,
                                  "a": [_number(v) for v in mine],
                                  "b": [_number(v) for v in theirs]})
    if places_conflict(a.facts.places, b.facts.places):
        conflicts.append({"kind": "place", "a": sorted(a.facts.places.event),
                          "b": sorted(b.facts.places.event)})
    for name in sorted(set(a.facts.versions) & set(b.facts.versions)):
        if not a.facts.versions[name] & b.facts.versions[name]:
            conflicts.append({"kind": "version", "what": name,
                              "a": sorted(a.facts.versions[name]),
                              "b": sorted(b.facts.versions[name])})
    return {"shared": shared, "conflicts": conflicts}


def _dates(facts: EventFacts) -> list[str]:
    return sorted(facts.days) or sorted(facts.years)


def evidence_of(articles: Iterable[Article],
                found: Mapping[str, Findings] | None = None) -> dict[str, ArticleEvidence]:
    return {article.id: article_evidence(article, (found or {}).get(article.id))
            for article in articles}
