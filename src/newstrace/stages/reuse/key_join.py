"""Candidate search for a batch of articles at once: a self-join of sketch keys in numpy.

`find_candidates` answers for one article, walking the postings of its keys in Python. This
kernel answers for a batch: the postings are columns (key, article, kind, how many articles
carry the key), every usable key of every query article is joined with its carriers in one
vectorised expansion, and the evidence of each (query, other) pair is summed with
`np.bincount`. The rules are `find_candidates`' own, applied to arrays: the same fixed
document-frequency caps (`CandidateConfig.key_limit`), what makes a pair worded, the
anchors' absolute and relative share, the time window, and each article's best
`max_candidates` by score, ties by id. The Spark runner states the same join in Spark SQL.

No per-pair Python: the work is a few sorts over the rows the join emits, which number the
sum over a batch's keys of their carriers within the time window (bounded by the caps: at
most a cap's worth of rows for each of a query's keys).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from newstrace.stages.reuse.candidates import (
    SCORE_DECIMALS,
    WEIGHTS,
    Candidate,
    CandidateConfig,
    day_number,
    ordered_pair,
)
from newstrace.stages.reuse.sketch import KeyKind, Sketch

Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Flags = npt.NDArray[np.bool_]
NO_DAY = np.iinfo(np.int64).min
DaySpan = tuple[int, int]  # publication days, first and last included (`date.toordinal`)


@dataclass(frozen=True, slots=True)
class KeyColumns:
    """Postings as columns: row i says that article `articles[i]` (an index into the
    batch's `Carriers`) carries key `keys[i]` of kind `kinds[i]`, a key that `counts[i]`
    articles of the whole collection carry. It must hold every carrier of every key a query
    article carries (other rows are allowed and ignored)."""

    keys: Ints
    articles: Ints
    kinds: Ints
    counts: Ints


@dataclass(frozen=True, slots=True)
class Carriers:
    """The articles the rows name, by index: ids in ascending order (ties between equal
    scores go to the smaller id), publication day numbers (`NO_DAY` when unknown) and how many
    anchors each article's sketch has."""

    ids: Sequence[str]
    days: Ints
    anchors: Ints


@dataclass(frozen=True, slots=True)
class Found:
    """Candidate pairs: `query[i]` keeps `candidate[i]` (indexes into `Carriers`), with its
    score and evidence (shared keys of each kind)."""

    query: Ints
    candidate: Ints
    score: Floats
    evidence: dict[KeyKind, Ints]
    worded: Flags


def join_candidates(queries: Ints, rows: KeyColumns, carriers: Carriers, total: int,
                    config: CandidateConfig | None = None) -> Found:
    """The candidates each query article keeps, as `find_candidates` would find them."""
    config = config or CandidateConfig()
    total = max(total, 1)
    q, c, kind, count = _shared(queries, rows, carriers, config)
    pairs, at = np.unique(q * len(carriers.ids) + c, return_inverse=True)
    q, c = pairs // len(carriers.ids), pairs % len(carriers.ids)
    met = {k: np.bincount(at[kind == k], minlength=len(pairs)) for k in KeyKind}
    rare = np.bincount(at[(kind == KeyKind.SENTENCE) & (count <= config.stock_sentence_articles)],
                       minlength=len(pairs))
    weights = np.where(kind == KeyKind.ANCHOR, np.log(1 + total / np.maximum(count, 1)),
                       np.array([WEIGHTS.get(KeyKind(k), 0.0) for k in KeyKind])[kind])
    score: Floats = np.round(np.bincount(at, weights=weights, minlength=len(pairs)),
                             SCORE_DECIMALS).astype(np.float64)
    worded = ((met[KeyKind.TEXT] > 0) | (met[KeyKind.BAND] > 0)
              | (met[KeyKind.SENTENCE] >= 2) | (rare > 0))
    fewer = np.minimum(carriers.anchors[q], carriers.anchors[c])
    anchored = ((met[KeyKind.ANCHOR] >= config.min_shared_anchors)
                & (met[KeyKind.ANCHOR] / np.where(fewer == 0, 1, fewer)
                   >= config.min_anchor_share))
    keep = worded | anchored  # every pair left is in the window (`_shared`)
    best = _best(q[keep], c[keep], score[keep], config.max_candidates)
    kept = np.nonzero(keep)[0][best]
    return Found(q[kept], c[kept], score[kept], {k: met[k][kept] for k in KeyKind},
                 worded[kept])


def _shared(queries: Ints, rows: KeyColumns, carriers: Carriers,
            config: CandidateConfig) -> tuple[Ints, Ints, Ints, Ints]:
    """One row per (query, other article within the time window, shared usable key): the
    key's kind and carriers. A key is usable when more than one article and no more than its
    kind's cap carry it. The window is a property of the pair, so dropping a pair's rows here
    keeps what dropping the pair after summing would, with fewer rows to sum."""
    limits = np.array([config.key_limit(KeyKind(k)) for k in KeyKind])
    usable = (rows.counts >= 2) & (rows.counts <= limits[rows.kinds])
    order = np.argsort(rows.keys[usable], kind="stable")
    keys, articles = rows.keys[usable][order], rows.articles[usable][order]
    kinds, counts = rows.kinds[usable][order], rows.counts[usable][order]
    unique, starts, sizes = np.unique(keys, return_index=True, return_counts=True)
    asked = np.nonzero(np.isin(articles, queries))[0]  # the queries' own rows
    group = np.searchsorted(unique, keys[asked])
    spans = sizes[group]
    source = np.repeat(np.arange(len(asked)), spans)
    offsets = np.arange(len(source)) - np.repeat(np.cumsum(spans) - spans, spans)
    other = articles[starts[group][source] + offsets]
    query = articles[asked][source]
    mine = (query != other) & _in_window(carriers.days[query], carriers.days[other], config)
    return (query[mine], other[mine], kinds[asked][source][mine],
            counts[asked][source][mine])


def _in_window(own: Ints, other: Ints, config: CandidateConfig) -> Flags:
    if config.window_days is None:
        return np.ones(len(own), dtype=bool)
    unknown = (own == NO_DAY) | (other == NO_DAY)
    near: Flags = unknown | (np.abs(own - other) <= config.window_days)
    return near


def candidate_days(query_days: Ints, config: CandidateConfig) -> DaySpan | None:
    """The publication days (first, last) that a candidate of articles published on
    `query_days` can have: within the time window of one of them. None when any of them is
    undated (`NO_DAY`) or there is no window: a candidate may then be of any day. Undated
    candidates are in every window, so a reader of postings by day reads them too."""
    if config.window_days is None or not len(query_days) or bool(np.any(query_days == NO_DAY)):
        return None
    reach = math.floor(config.window_days)  # days are whole: |d| <= 30.5 is |d| <= 30
    return int(query_days.min()) - reach, int(query_days.max()) + reach


def _best(query: Ints, candidate: Ints, score: Floats, limit: int) -> Ints:
    """Indexes of each query's best `limit` candidates: highest score, then smallest id."""
    order = np.lexsort((candidate, -score, query))
    ranked = query[order]
    first = np.searchsorted(ranked, ranked, side="left")
    return np.sort(order[np.arange(len(order)) - first < limit])


# -- building the columns --------------------------------------------------------------------


def carriers_of(ids: Sequence[str], published: Sequence[str | None],
                anchors: Sequence[int]) -> Carriers:
    """`Carriers` from parallel lists, which must be in ascending id order."""
    days = [day_number(value) for value in published]
    return Carriers(list(ids), np.array([NO_DAY if d is None else d for d in days],
                                        dtype=np.int64),
                    np.array(anchors, dtype=np.int64))


def key_rows(found: Sequence[tuple[int, str, int, int]], index: Mapping[str, int]) -> KeyColumns:
    """`KeyColumns` from (key, article id, kind, carriers) tuples, articles by `index`."""
    if not found:
        empty = np.zeros(0, dtype=np.int64)
        return KeyColumns(empty, empty, empty, empty)
    keys, ids, kinds, counts = zip(*found, strict=True)
    return KeyColumns(np.array(keys, dtype=np.int64),
                   np.array([index[i] for i in ids], dtype=np.int64),
                   np.array(kinds, dtype=np.int64), np.array(counts, dtype=np.int64))


def sketch_columns(sketches: Sequence[Sketch]) -> tuple[KeyColumns, Carriers]:
    """The rows and carriers of a set of sketches that is the whole collection (a batch in
    memory, a test): key counts are counted among them."""
    ordered = sorted(sketches, key=lambda s: s.article_id)
    keys: list[int] = []
    articles: list[int] = []
    kinds: list[int] = []
    for index, sketch in enumerate(ordered):
        for kind, found in sketch.keys.items():
            keys += found
            articles += [index] * len(found)
            kinds += [int(kind)] * len(found)
    key_array = np.array(keys, dtype=np.int64)
    _, at, counts = np.unique(key_array, return_inverse=True, return_counts=True)
    rows = KeyColumns(key_array, np.array(articles, dtype=np.int64),
                   np.array(kinds, dtype=np.int64), counts[at].astype(np.int64))
    carriers = carriers_of([s.article_id for s in ordered], [s.published for s in ordered],
                           [len(s.keys[KeyKind.ANCHOR]) for s in ordered])
    return rows, carriers


def candidate_pairs(sketches: Sequence[Sketch],
                    config: CandidateConfig | None = None) -> list[tuple[str, str, Candidate]]:
    """Every candidate pair among `sketches` (the whole collection), once each (a, b) with
    a < b: the pair as the first of its two articles that keeps the other found it."""
    rows, carriers = sketch_columns(sketches)
    found = join_candidates(np.arange(len(carriers.ids)), rows, carriers, len(carriers.ids),
                            config)
    pairs: dict[tuple[str, str], Candidate] = {}
    for n, (q, c) in enumerate(zip(found.query.tolist(), found.candidate.tolist(),
                                   strict=True)):
        evidence = {kind.name.lower(): int(found.evidence[kind][n]) for kind in KeyKind
                    if found.evidence[kind][n]}
        pairs.setdefault(ordered_pair(carriers.ids[q], carriers.ids[c]), Candidate(
            carriers.ids[c], float(found.score[n]), evidence, bool(found.worded[n])))
    return [(a, b, candidate) for (a, b), candidate in sorted(pairs.items())]
