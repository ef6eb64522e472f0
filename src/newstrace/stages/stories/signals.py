"""Event-specific evidence beside the names: when (dates) and how many (counts).

Two reports of one event share its particulars; two reports of look-alike events share the
topic's words ("earthquake", "magnitude", "launch") but not its when, where, who and numbers,
and sometimes contradict them (another year, another death toll). Each article's dates are
resolved against its own publication date where it is known ("yesterday" in an article of
4 May is 3 May). `pair_signals` compares two articles' dates and counts; `ConflictPenalty`
lowers a pair's name similarity when they conflict.

What cross-validation says (bench/story_cv.py, leave-topic-out on ecbplus-dev, its
datelines read as publication dates, 2026-12-07, each fold's threshold the middle of its
widest tied range): none of the ways tried for dates and counts to count beats the names'
cosine alone (0.939): conflicts of any days named as penalties 0.925, a logistic model over
these signals 0.927, with interactions 0.903 (features of the names a pair shares: 0.921
and 0.940). The event day (`event_days_conflict`: the first day an article names relative
to its publication date, unless the other names it too) as a penalty: 0.936, choosing a
mild factor (x0.4 beyond a day); a veto beyond 30 days, what keeps one
company's yearly launches apart, gets 0.920 in-sample. In ECB+ the look-alike events the
names merge are not told apart by their days (295 of its 462 articles name no day): of the
pairs with names' cosine >= 0.15 whose event days are over 30 days apart, 55 are one event (a
trial, a follow-up) and 2 are two. So dates alone, counts alone and event days alone stay
neutral in the shipped `ConflictPenalty`; the evidence is shown to readers (`evidence.py`,
`newstrace why`).

What is shipped (issue 19 item 1, 2026-12-07) is their conjunction, `another_event`: event
days apart (a weekday-named day agreeing within two weeks, as a late reprint resolves "on
Tuesday" to the next Tuesday) and two counted things apart, a veto. On the analyze path ECB+
has no publication dates, so no event days, and CV cannot choose it (0.940 whole corpus,
0.944 each topic alone, at any factor); read with datelines as publication dates, CV is the
same at any factor too (with one count apart instead of two it cost 0.021: ECB+ files a
club's two contracts and a fugitive's escape and capture under one event). Its false
conflicts on pairs of one story (`python -m bench.events_wild`): none on spread-dev, wild-dev,
ECB+ (datelines as dates) or the generated pile; on the pile of 3,000 it takes the share of
found stories mixing planted stories from 0.446 to 0.170 (`python -m bench.story_pile`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from newstrace.records import Article
from newstrace.stages.facts.dates import DateMention, find_dates
from newstrace.stages.facts.quantities import Quantity, find_quantities
from newstrace.stages.stories.credits import credit_spans
from newstrace.stages.stories.places import Places, places_conflict, read_places

# Counted nouns whose numbers describe the event (a toll, a magnitude, a sum), not its
# background: a count that differs between two articles is a contradiction only for these.
# Any noun counted in both articles is compared; this only keeps out clock and calendar words.
_NOT_EVENT_COUNTS = frozenset({"year", "month", "week", "day", "hour", "minute", "time",
                               "percent", "%", "number"})
# A name with the number that says which one ("iPhone 17", "Windows 11", "Apollo 13",
# "Flight 93", "Elizabeth II"): not a clock time, a share, the start of a longer number, or
# one side of a score or range ("Fritz 7-6", "Top 5-10"); and not a lone "I", which after a
# capitalised word is the pronoun of a title-case headline ("When I Left") far more often than
# a numeral. Measured on aeb-dev's real bodies (`python -m bench.versions_wild`).
_VERSIONED = re.compile(
    r"\b([A-Za-z][\w-]*)\s+(\d{1,3}|(?!I\b)[IVX]{1,5})\b(?![.,:]?\d|%|:|\s*[-\u2013]\s*\d)")
_SENTENCE_START = re.compile(r"(?:^|[.!?]['\"”’)]*\s+|\n\s*)$")
_CALENDAR = frozenset({"january", "february", "march", "april", "may", "june", "july",
                       "august", "september", "october", "november", "december", "jan",
                       "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
                       "dec", "monday", "tuesday", "wednesday", "thursday", "friday",
                       "saturday", "sunday"})


@dataclass(frozen=True, slots=True)
class EventFacts:
    """What one article says about when its event happened and how many were involved."""

    days: frozenset[str] = frozenset()  # ISO days named or resolved ("2013-05-03")
    years: frozenset[str] = frozenset()  # years named or resolved, the days' years included
    counts: Mapping[str, tuple[float, ...]] = field(default_factory=dict)  # noun -> values
    forms: Mapping[str, str] = field(default_factory=dict)  # resolved value -> shown form
    # The first day the article names relative to its publication date ("on Tuesday",
    # "yesterday", "on 9 September"): the day of the event it reports, as a lead names it.
    # Days written out in full ("1 March 2026") are left out: a dateline, or a past event
    # the article recalls.
    event_day: str | None = None
    # Its weekday's name when the event day was named by one ("on Tuesday"): which week is
    # the resolver's guess from the publication date, so a reprint published a week later
    # resolves the same words to a day a week later (`event_days_conflict`).
    event_weekday: str | None = None
    # Names given with the number that says which one: name (casefolded) -> its numbers
    # ("iphone" -> {"17"}). Next year's model, another flight.
    versions: Mapping[str, frozenset[str]] = field(default_factory=dict)
    places: Places = field(default_factory=Places)  # where, by dateline or locatives


def named_versions(text: str, publishers: Iterable[str] = ()) -> dict[str, frozenset[str]]:
    """Each name followed by a number of one to three digits or a Roman numeral: a word
    with a capital inside ("iPhone"), or capitalised where a sentence does not start there
    (so "About 100" is not one); day and month names are dates, not versions. Not read in a
    sentence that credits a publisher, nor inside the name of a `publishers` (the article's
    outlet and the outlets it credits, `publishers_of`): "Outlet 3" and "Outlet 7" crediting
    two reprints name where each copy ran, not two events."""
    found: dict[str, set[str]] = {}
    skipped = _publisher_spans(text, publishers)
    for match in _VERSIONED.finditer(text):
        if any(start <= match.start() < end for start, end in skipped):
            continue
        word = match.group(1)
        inner = word[0].islower() and any(c.isupper() for c in word[1:])
        named = word[0].isupper() and not _SENTENCE_START.search(text[:match.start()])
        if (inner or named) and word.casefold() not in _CALENDAR:
            found.setdefault(word.casefold(), set()).add(match.group(2))
    return {name: frozenset(numbers) for name, numbers in found.items()}


def _publisher_spans(text: str, publishers: Iterable[str]) -> list[tuple[int, int]]:
    """The spans of `text` that name a publisher: its credit sentences, and each mention of
    a publisher's name."""
    spans = credit_spans(text)
    for name in {name.strip() for name in publishers if name and name.strip()}:
        spans += [(m.start(), m.end()) for m in
                  re.finditer(re.escape(name), text, re.IGNORECASE)]
    return spans


def publishers_of(article: Article) -> frozenset[str]:
    """The outlets an article names as its publishers: its own, and those its credit lines
    name (`Article.cues`)."""
    return frozenset(name for name in (article.outlet, *(cue.outlet for cue in article.cues))
                     if name)


def event_facts(text: str, published: str | None = None, *,
                found: tuple[list[DateMention], list[Quantity]] | None = None,
                publishers: Iterable[str] = ()) -> EventFacts:
    """The resolved dates and counted quantities of `text` (published: ISO date or time);
    `found`: its dates and the numbers outside them, when already searched for;
    `publishers`: names whose numbers are no version (`named_versions`)."""
    days: set[str] = set()
    years: set[str] = set()
    forms: dict[str, str] = {}
    spans = []
    first_day: str | None = None
    first_weekday: str | None = None
    dates = find_dates(text, published) if found is None else found[0]
    for mention in dates:
        spans.append((mention.start, mention.end))
        if not mention.resolved or mention.precision in ("time", "week"):
            continue
        years.add(mention.value[:4])
        forms.setdefault(mention.value, mention.text)
        if mention.precision == "day":
            days.add(mention.value)
            if mention.basis != "stated" and first_day is None:  # resolved against the
                first_day, first_weekday = mention.value, mention.weekday  # publication day
    counts: dict[str, list[float]] = {}
    for quantity in find_quantities(text, spans) if found is None else found[1]:
        what = quantity.unit or quantity.noun
        if what and what not in _NOT_EVENT_COUNTS and quantity.approx is None:
            counts.setdefault(what, []).append(quantity.value)
    return EventFacts(frozenset(days), frozenset(years),
                      {noun: tuple(sorted(set(values))) for noun, values in counts.items()},
                      forms, first_day, first_weekday, named_versions(text, publishers),
                      read_places(text))


SIGNALS = ("particulars", "same_day", "days_apart", "same_year", "years_apart",
           "counts_differ")


def pair_signals(particulars: float, a: EventFacts, b: EventFacts) -> dict[str, float]:
    """The signals of one pair: `particulars` is the cosine of their rarity-weighted names,
    numbers and quotations (events.py); the rest compare their dates and counts."""
    same_day = _near_days(a.days, b.days)
    shared_nouns = set(a.counts) & set(b.counts)
    differing = sum(1 for noun in shared_nouns if not _any_compatible(a.counts[noun],
                                                                       b.counts[noun]))
    return {
        "particulars": particulars,
        "same_day": float(same_day),
        "days_apart": float(bool(a.days and b.days) and not same_day),
        "same_year": float(bool(a.years & b.years)),
        "years_apart": float(bool(a.years and b.years) and not a.years & b.years),
        "counts_differ": differing / len(shared_nouns) if shared_nouns else 0.0,
    }


def _near_days(first: frozenset[str], second: frozenset[str], slack: int = 1) -> bool:
    """Some day of one within `slack` days of some day of the other (a report of the next
    day, a time-zone edge)."""
    if not first or not second:
        return False
    others = [date.fromisoformat(day) for day in second]
    return any(abs((date.fromisoformat(day) - other).days) <= slack
               for day in first for other in others)


def _any_compatible(first: tuple[float, ...], second: tuple[float, ...]) -> bool:
    return any(compatible_values(x, y) for x in first for y in second)


def compatible_values(x: float, y: float) -> bool:
    """Equal within rounding ("7.0" and "7", "2,300" and "2.3 thousand")."""
    return math.isclose(x, y, rel_tol=0.02, abs_tol=1e-9)


def dates_conflict(a: EventFacts, b: EventFacts, slack: int = 1) -> bool:
    """Both articles date their event and no date of one fits the other: no day within
    `slack` days of the other's (when both name days), or no year in common."""
    if a.days and b.days:
        return not _near_days(a.days, b.days, slack)
    return bool(a.years and b.years) and not a.years & b.years


def event_days_conflict(a: EventFacts, b: EventFacts, slack: int = 1,
                        weekday_slack: int = 14) -> bool:
    """Both articles' event days are known and more than `slack` days apart, and neither
    names the other's event day (a follow-up, a trial a year on, names the day of the event
    it follows; next year's launch does not name last year's). Two event days named by one
    weekday ("on Tuesday") agree up to `weekday_slack` days apart: a reprint published a week
    after its source resolves the same words to the next Tuesday."""
    if a.event_day is None or b.event_day is None:
        return False
    if a.event_weekday is not None and a.event_weekday == b.event_weekday and _near_days(
            frozenset({a.event_day}), frozenset({b.event_day}), weekday_slack):
        return False
    return not (_near_days(frozenset({a.event_day}), frozenset({b.event_day}), slack)
                or _near_days(frozenset({a.event_day}), b.days, slack)
                or _near_days(frozenset({b.event_day}), a.days, slack))


def counts_conflict(a: EventFacts, b: EventFacts) -> bool:
    """Some thing both articles count (deaths, a magnitude) has no value in common."""
    return counts_apart(a, b) > 0


def counts_apart(a: EventFacts, b: EventFacts) -> int:
    """How many things both articles count have no value in common."""
    return sum(1 for noun in set(a.counts) & set(b.counts)
               if not _any_compatible(a.counts[noun], b.counts[noun]))


def another_event(a: EventFacts, b: EventFacts, slack: int = 1, weekday_slack: int = 14,
                  apart: int = 2) -> bool:
    """Two events of one kind: their event days are apart (`event_days_conflict`) and at
    least `apart` things both count have no value in common. Either alone is weak: a toll
    rises between two reports of one earthquake (a count apart, one day), and a story's
    follow-ups report its later days (days apart: ECB+ has 98 such pairs in 2,721 of one
    event, `python -m bench.events_wild`; one count apart as well, 6: a fugitive's sentences
    counted otherwise, a club's contracts); both at once, twice over, are next month's scheme
    in the same town with its own sum and its own crowd."""
    return event_days_conflict(a, b, slack, weekday_slack) and counts_apart(a, b) >= apart


def penalty_facts(text: str, published: str | None, penalty: ConflictPenalty,
                  publishers: Iterable[str] = ()) -> EventFacts:
    """What `penalty` reads of an article: all its facts, or only its numbered names and
    (when their conflict counts) its places; `publishers` as `event_facts` takes them."""
    if penalty.reads_dates:
        return event_facts(text, published, publishers=publishers)
    return EventFacts(versions=named_versions(text, publishers),
                      places=read_places(text) if penalty.places != 1.0 else Places())


def article_facts(article: Article, penalty: ConflictPenalty) -> EventFacts:
    """`penalty_facts` of a stored article: what every runner passes clustering."""
    return penalty_facts(article.text, article.published, penalty, publishers_of(article))


def versions_conflict(a: EventFacts, b: EventFacts) -> bool:
    """Some name both articles number has no number in common ("iPhone 17", "iPhone 18")."""
    return any(not a.versions[name] & b.versions[name]
               for name in set(a.versions) & set(b.versions))


@dataclass(frozen=True, slots=True)
class ConflictPenalty:
    """Factors on a pair's name similarity when its event evidence conflicts (1.0: the
    conflict is ignored; 0.0: a veto)."""

    dates: float = 1.0
    counts: float = 1.0
    slack_days: int = 1  # days further apart than this conflict
    event_days: float = 1.0  # event days apart (`event_days_conflict`)
    event_slack_days: int = 1
    weekday_slack_days: int = 14  # event days named by one weekday agree this far apart
    versions: float = 1.0  # a name numbered apart (`versions_conflict`)
    places: float = 1.0  # event places apart (`places.places_conflict`)
    # event days and `counts_apart` counts apart (`another_event`), with `event_slack_days`
    # and `weekday_slack_days` as the event-day conflict reads them
    days_and_counts: float = 1.0
    counts_apart: int = 2

    @property
    def active(self) -> bool:
        """Whether any conflict changes a similarity (else facts need not be read)."""
        return self.reads_dates or self.versions != 1.0 or self.places != 1.0

    @property
    def reads_dates(self) -> bool:
        """Whether dates or counts must be read (numbered names alone are a regex away)."""
        return (self.dates != 1.0 or self.counts != 1.0 or self.event_days != 1.0
                or self.days_and_counts != 1.0)

    def factor(self, a: EventFacts, b: EventFacts) -> float:
        factor = 1.0
        if self.event_days != 1.0 and event_days_conflict(a, b, self.event_slack_days,
                                                          self.weekday_slack_days):
            factor *= self.event_days
        if self.dates != 1.0 and dates_conflict(a, b, self.slack_days):
            factor *= self.dates
        if self.counts != 1.0 and counts_conflict(a, b):
            factor *= self.counts
        if self.days_and_counts != 1.0 and another_event(
                a, b, self.event_slack_days, self.weekday_slack_days, self.counts_apart):
            factor *= self.days_and_counts
        if self.versions != 1.0 and versions_conflict(a, b):
            factor *= self.versions
        if self.places != 1.0 and places_conflict(a.places, b.places):
            factor *= self.places
        return factor


__all__ = ["SIGNALS", "ConflictPenalty", "EventFacts", "another_event", "article_facts",
           "counts_apart", "counts_conflict",
           "dates_conflict", "event_days_conflict", "event_facts", "named_versions",
           "pair_signals", "penalty_facts", "places_conflict", "publishers_of",
           "versions_conflict"]
