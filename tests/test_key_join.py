"""The batch candidate join finds what `find_candidates` finds, article by article."""

from __future__ import annotations

import random
from datetime import date, timedelta

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from newstrace.stages.reuse.candidates import (
    CandidateConfig,
    MemoryPostings,
    find_candidates,
)
from newstrace.stages.reuse.key_join import (
    NO_DAY,
    KeyColumns,
    candidate_days,
    candidate_pairs,
    join_candidates,
    sketch_columns,
)
from newstrace.stages.reuse.sketch import KeyKind, Sketch

# Small key pools per kind, so that articles share keys of every kind, some widely.
POOLS = {KeyKind.TEXT: 6, KeyKind.SENTENCE: 40, KeyKind.BAND: 30, KeyKind.ANCHOR: 25}
DATES = [None, "2026-03-01", "2026-03-20", "2026-05-01T10:00:00+00:00", "not a date"]


def random_sketches(seed: int, count: int) -> list[Sketch]:
    rng = random.Random(seed)
    sketches = []
    for number in range(count):
        keys = {kind: {int(kind) * 1000 + rng.randrange(pool)
                       for _ in range(rng.randint(0, 8 if kind is not KeyKind.TEXT else 1))}
                for kind, pool in POOLS.items()}
        sketches.append(Sketch(f"a{rng.randrange(10**6):06d}-{number}", rng.choice(DATES),
                               100, keys))
    return sketches


def configs() -> st.SearchStrategy[CandidateConfig]:
    return st.builds(CandidateConfig, min_shared_anchors=st.integers(1, 4),
                     max_key_articles=st.integers(2, 30),
                     max_wording_key_articles=st.integers(2, 40),
                     stock_sentence_articles=st.integers(1, 12),
                     max_candidates=st.integers(1, 8),
                     window_days=st.sampled_from([None, 30.0, 60.0]))


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10**6), st.integers(2, 60), configs())
def test_the_join_keeps_each_articles_candidates_as_find_candidates_does(
        seed: int, count: int, config: CandidateConfig) -> None:
    sketches = random_sketches(seed, count)
    postings = MemoryPostings(sketches)
    rows, carriers = sketch_columns(sketches)
    index = {article_id: n for n, article_id in enumerate(carriers.ids)}
    queries = np.array(sorted(index[s.article_id] for s in sketches[: count // 2 + 1]))
    found = join_candidates(queries, rows, carriers, len(sketches), config)
    joined = {(carriers.ids[q], carriers.ids[c], s, w)
              for q, c, s, w in zip(found.query, found.candidate, found.score, found.worded,
                                    strict=True)}
    expected = {(sketch.article_id, c.article_id, c.score, c.worded)
                for sketch in sketches[: count // 2 + 1]
                for c in find_candidates(sketch, postings, config)}
    assert joined == expected
    for n, (q, c) in enumerate(zip(found.query, found.candidate, strict=True)):
        one = {x.article_id: x for x in find_candidates(
            next(s for s in sketches if s.article_id == carriers.ids[q]), postings, config)}
        assert {kind.name.lower(): int(found.evidence[kind][n]) for kind in KeyKind
                if found.evidence[kind][n]} == one[carriers.ids[c]].evidence


def test_candidate_pairs_of_a_batch_are_every_articles_candidates_once() -> None:
    sketches = random_sketches(3, 40)
    postings = MemoryPostings(sketches)
    expected = {tuple(sorted((s.article_id, c.article_id)))
                for s in sketches for c in find_candidates(s, postings)}
    found = candidate_pairs(sketches)
    assert {(a, b) for a, b, _ in found} == expected
    assert all(a < b for a, b, _ in found) and len(found) == len(expected)


def test_a_batch_with_no_shared_key_finds_nothing() -> None:
    sketches = [Sketch("a", None, 10, {KeyKind.TEXT: {1}, KeyKind.SENTENCE: set(),
                                       KeyKind.BAND: set(), KeyKind.ANCHOR: set()}),
                Sketch("b", None, 10, {KeyKind.TEXT: {2}, KeyKind.SENTENCE: set(),
                                       KeyKind.BAND: set(), KeyKind.ANCHOR: set()})]
    rows, carriers = sketch_columns(sketches)
    found = join_candidates(np.arange(2), rows, carriers, 2)
    assert len(found.query) == 0 and len(found.candidate) == 0


COMMON_BAND, COMMON_NAMES = 2_000_001, {3_000_001, 3_000_002, 3_000_003}
CAPPED = CandidateConfig(max_key_articles=5, max_wording_key_articles=5)


def carried_widely(articles: int = 8) -> list[Sketch]:
    """`articles` articles that share one band and three names (more than `CAPPED` lets a
    key be carried by); "source" and "copy" among them also share two sentences that no
    other article carries."""
    sketches = []
    for number in range(articles):
        name = {0: "source", 1: "copy"}.get(number, f"other-{number}")
        sentences = {1_000_001, 1_000_002} if number < 2 else {1_000_100 + number}
        sketches.append(Sketch(name, "2026-03-01", 100, {
            KeyKind.TEXT: {10 + number}, KeyKind.SENTENCE: sentences,
            KeyKind.BAND: {COMMON_BAND}, KeyKind.ANCHOR: set(COMMON_NAMES)}))
    return sketches


def test_a_key_on_more_articles_than_its_cap_makes_no_pair_by_itself() -> None:
    """Over the cap, the shared band and names pair nobody, while the copy that shares
    wording with its source is still found; under it, the same keys pair everyone."""
    sketches = carried_widely()
    assert [(a, b) for a, b, _ in candidate_pairs(sketches, CAPPED)] == [("copy", "source")]
    postings = MemoryPostings(sketches)
    one_by_one = {s.article_id: [c.article_id for c in find_candidates(s, postings, CAPPED)]
                  for s in sketches}
    assert one_by_one == {s.article_id: {"source": ["copy"], "copy": ["source"]}.get(
        s.article_id, []) for s in sketches}
    loose = CandidateConfig(max_key_articles=8, max_wording_key_articles=8)
    assert len(candidate_pairs(sketches, loose)) == 8 * 7 // 2


def test_the_caps_do_not_grow_with_the_collection() -> None:
    """A thousand unrelated articles beside them change nothing: a cap is a count of
    articles, not a share of the collection."""
    strangers = [Sketch(f"z{n:04d}", "2026-03-01", 100, {
        KeyKind.TEXT: {50_000 + n}, KeyKind.SENTENCE: set(), KeyKind.BAND: set(),
        KeyKind.ANCHOR: set()}) for n in range(1000)]
    assert [(a, b) for a, b, _ in candidate_pairs(carried_widely() + strangers, CAPPED)] == [
        ("copy", "source")]
    assert CAPPED.key_limit(KeyKind.ANCHOR) == 5 and CandidateConfig().key_limit(
        KeyKind.BAND) == CandidateConfig().max_wording_key_articles


def spread_sketches(seed: int, count: int) -> list[Sketch]:
    """`random_sketches` published over half a year, some undated."""
    rng = random.Random(seed)
    sketches = random_sketches(seed, count)
    return [Sketch(s.article_id, None if rng.random() < 0.1 else
                   (date(2026, 1, 1) + timedelta(days=rng.randrange(180))).isoformat(),
                   s.words, s.keys) for s in sketches]


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10**6), st.integers(2, 60), configs(), st.integers(1, 20))
def test_reading_only_the_batchs_days_finds_the_same_candidates(
        seed: int, count: int, config: CandidateConfig, batch: int) -> None:
    """The local runner reads, for a batch of articles (by publication day, as it relates
    them), only the postings of the days its window reaches and the undated ones: the join
    then keeps what it keeps over every posting."""
    sketches = spread_sketches(seed, count)
    rows, carriers = sketch_columns(sketches)
    by_day = sorted(range(len(carriers.ids)), key=lambda n: (
        carriers.days[n] == NO_DAY, carriers.days[n], n))
    for start in range(0, len(by_day), batch):
        queries = np.array(sorted(by_day[start : start + batch]), dtype=np.int64)
        span = candidate_days(carriers.days[queries], config)
        if span is None:  # an undated query, or no window: every posting is read
            assert config.window_days is None or (carriers.days[queries] == NO_DAY).any()
            continue
        day = carriers.days[rows.articles]
        read = (day == NO_DAY) | ((day >= span[0]) & (day <= span[1]))
        narrowed = KeyColumns(rows.keys[read], rows.articles[read], rows.kinds[read],
                              rows.counts[read])
        everything = join_candidates(queries, rows, carriers, len(sketches), config)
        windowed = join_candidates(queries, narrowed, carriers, len(sketches), config)
        assert np.array_equal(everything.query, windowed.query)
        assert np.array_equal(everything.candidate, windowed.candidate)
        assert np.array_equal(everything.score, windowed.score)
        assert np.array_equal(everything.worded, windowed.worded)


def test_the_days_a_batchs_candidates_can_have() -> None:
    days = np.array([date(2026, 3, 10).toordinal(), date(2026, 3, 1).toordinal()])
    first, last = date(2026, 1, 30).toordinal(), date(2026, 4, 9).toordinal()
    assert candidate_days(days, CandidateConfig(window_days=30.0)) == (first, last)
    assert candidate_days(days, CandidateConfig(window_days=30.9)) == (first, last)
    assert candidate_days(days, CandidateConfig(window_days=None)) is None
    assert candidate_days(np.append(days, NO_DAY), CandidateConfig()) is None
