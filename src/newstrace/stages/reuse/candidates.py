"""Stage 2, candidates: the pairs worth aligning, found through shared sketch keys.

An inverted index from key to articles gives, for one article, every article sharing a key
with it; the work is the length of those postings, so it grows with the number of related
articles rather than with the size of the collection. Names and numbers carried by too many
articles (a year, a capital city) are skipped: they relate everything to everything. Wording
on many articles is a story many outlets reprinted, or a stock phrase, which alone qualifies
nothing.

**Document-frequency caps are fixed counts.** Every runner finds pairs by joining each key
with its carriers (`key_join`, the local store, Spark SQL), so a key on n articles costs
n(n-1) rows, and a cap C bounds the rows by C times the postings: linear in the collection.
The caps used to grow with it (1% of the articles, between 200 and 2,000 for anchors, 2,000
and 20,000 for wording), so the rows grew as the square of the collection wherever keys were
that common; the Spark run at 100,000 articles stopped after 90 minutes inside that join.
A common key's carriers grow with the collection while the articles a copy shares keys with
do not (a story's own names, numbers and sentences are on its versions, however many other
articles there are), so a fixed count keeps what makes a copy a candidate:

- `max_key_articles` (names, numbers, quotations) = 200 and `max_wording_key_articles`
  (whole text, sentences, MinHash bands) = 2,000 were chosen by `python -m bench.caps` on
  bench/pile.py's planted copies (a copy and its direct source must be a candidate pair),
  anchor caps 25-400 by wording caps 100-2,000, piles of 10,000 articles (seeds 7, 11, 13)
  and 30,000 (seeds 7, 13). Copies found rise with every cap on the grid, with no plateau
  (spins in stories of hundreds of versions, ranked among each article's best 30), so the
  caps are those finding the most copies within 1,000 join rows an article (a cost set for
  the runners, not fitted; an anchor cap of 400 costs 1,250-1,710). Leaving each seed out
  picks the same caps; on the held-out piles they find 0.950-0.962 of the copies at 10,000
  (the caps of before at that size) and 0.957-0.966 at 30,000, where the caps of before
  (anchor 300) found 0.964-0.970 with 26-30% more rows. At 30,000, wire reprints
  (duplicates) 13,234 of 13,235 are found and excerpts 6,597 of 6,609, in stories of 400
  versions too; what is missed is spins (0.85-0.87 found) and a few rewrites.
- The wording cap stays far above the pile's largest story (400 versions): a wire story
  reprinted by a few hundred outlets keeps its sentences and bands usable. A sentence on more
  than 2,000 articles is a stock phrase, or a story no pairwise search should expand in full.

The time window is a property of a pair, so the joins drop a pair's rows before summing its
evidence (the same pairs, fewer rows to sum or shuffle).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from newstrace.stages.reuse.sketch import KeyKind, Sketch


@dataclass(frozen=True, slots=True)
class CandidateConfig:
    """When two articles are worth aligning."""

    min_shared_anchors: int = 3
    min_anchor_share: float = 0.2  # of the names, numbers, quotes of the article with fewer
    # Document-frequency caps: a key carried by more articles than its kind's cap is skipped.
    # Fixed counts, not a share of the collection; fitted by bench/caps.py on bench/pile.py
    # (10,000 articles, seeds 7 and 11; seed 13 held out): see the module docstring.
    max_key_articles: int = 200  # names, numbers, quotations
    max_wording_key_articles: int = 2000  # the whole text, sentences, MinHash bands
    # A sentence more articles than this carry is a stock phrase ("The company did not respond
    # to a request for comment."): alone it does not make a pair worth aligning; a second
    # shared sentence, a band or the anchors must.
    stock_sentence_articles: int = 10
    max_candidates: int = 30  # per article, the best by score
    window_days: float | None = 30.0  # None: no time window

    def key_limit(self, kind: KeyKind = KeyKind.ANCHOR) -> int:
        """The most articles a key of this kind may be carried by and still be used."""
        if kind is KeyKind.ANCHOR:
            return self.max_key_articles
        return self.max_wording_key_articles


@dataclass(slots=True)
class Candidate:
    """Another article sharing keys with the query, with the kinds of evidence and a score."""

    article_id: str
    score: float = 0.0
    evidence: dict[str, int] = field(default_factory=dict)
    worded: bool = False  # shares wording enough to align on it alone (not only names)


class Postings(Protocol):
    """Where candidate search reads which articles carry a key (memory or the store)."""

    def total(self) -> int: ...

    def key_counts(self, keys: Sequence[int]) -> dict[int, int]: ...

    def lookup(self, keys: Sequence[int]) -> dict[int, list[str]]: ...

    def published(self, article_ids: Sequence[str]) -> dict[str, str | None]: ...

    def anchor_counts(self, article_ids: Sequence[str]) -> dict[str, int]: ...


# The weight of a shared key of each kind in a candidate's score (anchors: by rarity).
WEIGHTS = {KeyKind.TEXT: 100.0, KeyKind.SENTENCE: 2.0, KeyKind.BAND: 1.0}
# Scores are compared at this many decimals, so that the order in which a runner sums the
# same weights (Python, numpy, Spark) cannot break a tie differently.
SCORE_DECIMALS = 6
_KIND_NAMES = [(kind, kind.name.lower()) for kind in KeyKind]


def find_candidates(sketch: Sketch, postings: Postings,
                    config: CandidateConfig | None = None) -> list[Candidate]:
    """The articles worth aligning with `sketch`'s, best first."""
    config = config or CandidateConfig()
    total = max(postings.total(), 1)
    kinds = {key: kind for key, kind in sketch.all_keys()}
    counts = postings.key_counts(list(kinds))
    limits = {kind: config.key_limit(kind) for kind in KeyKind}
    usable = postings.lookup([key for key, count in counts.items() if count <= limits[kinds[key]]])
    # Most articles met through a common name or number never qualify: count meetings per
    # kind with Counter (a loop in C), and weigh only the articles that qualify.
    met = {kind: Counter[str]() for kind in KeyKind}
    for key, article_ids in usable.items():
        met[kinds[key]].update(article_ids)
    for kind_met in met.values():
        kind_met.pop(sketch.article_id, None)
    worded = _worded(met, usable, kinds, counts, config) - {sketch.article_id}
    qualifying = worded | {article_id for article_id, shared in met[KeyKind.ANCHOR].items()
                           if shared >= config.min_shared_anchors}
    score = dict.fromkeys(qualifying, 0.0)
    for key, article_ids in usable.items():
        kind = kinds[key]
        weight = WEIGHTS.get(kind) or anchor_weight(total, counts[key])
        for article_id in qualifying.intersection(article_ids):
            score[article_id] += weight
    found = [Candidate(article_id, round(score[article_id], SCORE_DECIMALS),
                       {name: met[kind][article_id] for kind, name in _KIND_NAMES
                        if article_id in met[kind]}, article_id in worded)
             for article_id in qualifying]
    qualified = _qualified(sketch, found, postings, config)
    qualified = _in_window(sketch, qualified, postings, config)
    qualified.sort(key=lambda c: (-c.score, c.article_id))
    return qualified[: config.max_candidates]


def _worded(met: dict[KeyKind, Counter[str]], usable: dict[int, list[str]],
            kinds: dict[int, KeyKind], counts: dict[int, int], config: CandidateConfig) -> set[str]:
    """The articles sharing the whole text, a band, two sentences, or one sentence few
    articles carry: one stock sentence in common is chance, not reuse."""
    rare = set()
    for key, article_ids in usable.items():
        if kinds[key] is KeyKind.SENTENCE and counts[key] <= config.stock_sentence_articles:
            rare.update(article_ids)
    twice = {article_id for article_id, shared in met[KeyKind.SENTENCE].items() if shared >= 2}
    return met[KeyKind.TEXT].keys() | met[KeyKind.BAND].keys() | twice | rare


def _qualified(sketch: Sketch, found: list[Candidate], postings: Postings,
               config: CandidateConfig) -> list[Candidate]:
    """Candidates sharing wording, or enough of the names, numbers and quotations (absolutely
    and as a share of the article with fewer): a few common names shared by chance do not
    make a pair worth aligning."""
    kept: list[Candidate] = []
    by_anchors: list[Candidate] = []
    for candidate in found:
        if candidate.worded:
            kept.append(candidate)
        elif candidate.evidence.get("anchor", 0) >= config.min_shared_anchors:
            by_anchors.append(candidate)
    own = len(sketch.keys[KeyKind.ANCHOR])
    counts = postings.anchor_counts([c.article_id for c in by_anchors])
    for candidate in by_anchors:
        fewer = min(own, counts.get(candidate.article_id, own)) or 1
        if candidate.evidence["anchor"] / fewer >= config.min_anchor_share:
            kept.append(candidate)
    return kept


def _in_window(sketch: Sketch, candidates: list[Candidate], postings: Postings,
               config: CandidateConfig) -> list[Candidate]:
    if config.window_days is None or not candidates:
        return candidates
    own = _day(sketch.published)
    if own is None:
        return candidates
    dates = postings.published([c.article_id for c in candidates])
    kept = []
    for candidate in candidates:
        other = _day(dates.get(candidate.article_id))
        if other is None or abs((other - own).days) <= config.window_days:
            kept.append(candidate)
    return kept


def _day(value: str | None) -> date | None:
    if not value:
        return None
    try:  # stored dates are ISO 8601
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def day_number(value: str | None) -> int | None:
    """The day of an ISO 8601 date or time as a number (None when absent or unreadable)."""
    day = _day(value)
    return None if day is None else day.toordinal()


def anchor_weight(total: int, carriers: int) -> float:
    """A shared name, number or quotation weighs more the fewer articles carry it."""
    return math.log(1 + total / max(carriers, 1))


class MemoryPostings:
    """An in-memory inverted index over sketches (a batch, a benchmark, a Spark partition)."""

    def __init__(self, sketches: Iterable[Sketch] = ()) -> None:
        self._index: dict[int, list[str]] = defaultdict(list)
        self._published: dict[str, str | None] = {}
        self._anchors: dict[str, int] = {}
        for sketch in sketches:
            self.add(sketch)

    def add(self, sketch: Sketch) -> None:
        self._published[sketch.article_id] = sketch.published
        self._anchors[sketch.article_id] = len(sketch.keys[KeyKind.ANCHOR])
        for key, _ in sketch.all_keys():
            self._index[key].append(sketch.article_id)

    def total(self) -> int:
        return len(self._published)

    def key_counts(self, keys: Sequence[int]) -> dict[int, int]:
        return {key: len(self._index[key]) for key in keys if key in self._index}

    def lookup(self, keys: Sequence[int]) -> dict[int, list[str]]:
        return {key: self._index[key] for key in keys if key in self._index}

    def published(self, article_ids: Sequence[str]) -> dict[str, str | None]:
        return {article_id: self._published.get(article_id) for article_id in article_ids}

    def anchor_counts(self, article_ids: Sequence[str]) -> dict[str, int]:
        return {a: self._anchors[a] for a in article_ids if a in self._anchors}


def ordered_pair(a: str, b: str) -> tuple[str, str]:
    """A pair of article ids in the one order relations are keyed by: (smaller, larger)."""
    return (a, b) if a < b else (b, a)
