"""Verbatim passage alignment: seed on shared word n-grams, extend along the copy.

As passim and the PAN text aligners do: every word n-gram the two texts share is a seed; seeds
are chained in reading order when both sides advance together with small gaps (an edited word,
a dropped clause), and a chain long enough is a passage. Work grows with the number of shared
n-grams, not with the product of the texts' lengths.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from newstrace.stages.reuse.tokens import Spans, shingle_hashes


@dataclass(frozen=True, slots=True)
class VerbatimConfig:
    """Seed length and how far a copy may stray before it counts as two passages."""

    seed_words: int = 4
    max_gap_words: int = 12
    min_passage_words: int = 12
    max_seed_repeats: int = 20  # an n-gram this frequent in one text is boilerplate, not a seed


@dataclass(frozen=True, slots=True)
class Passage:
    """Word ranges [a_start, a_end) and [b_start, b_end) that one text copies from the other,
    and how many of their words are matched exactly."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    matched_words: int


@dataclass(slots=True)
class _Chain:
    a_start: int
    b_start: int
    a_last: int
    b_last: int
    seeds: int


def align_verbatim(a_hashes: npt.NDArray[np.uint64], b_hashes: npt.NDArray[np.uint64],
                   config: VerbatimConfig | None = None) -> list[Passage]:
    """The passages that two token-hash sequences share, in the order of text B."""
    config = config or VerbatimConfig()
    n = config.seed_words
    a_grams = shingle_hashes(a_hashes, n) if len(a_hashes) >= n else np.zeros(0, np.uint64)
    b_grams = shingle_hashes(b_hashes, n) if len(b_hashes) >= n else np.zeros(0, np.uint64)
    # Only shared n-grams seed: a set intersection (in C) finds them first.
    a_list, b_list = a_grams.tolist(), b_grams.tolist()
    shared = set(a_list).intersection(b_list)
    positions: dict[int, list[int]] = {}
    for index, gram in enumerate(a_list):
        if gram in shared:
            positions.setdefault(gram, []).append(index)
    open_chains: list[_Chain] = []
    closed: list[_Chain] = []
    for j, gram in enumerate(b_list):
        found = positions.get(gram)
        if not found or len(found) > config.max_seed_repeats:
            continue
        # Chains that fell too far behind B can never grow again.
        still_open: list[_Chain] = []
        for chain in open_chains:
            (still_open if j - chain.b_last <= config.max_gap_words else closed).append(chain)
        open_chains = still_open
        for i in found:
            _extend_or_start(open_chains, i, j, config.max_gap_words)
    closed.extend(open_chains)
    passages = [
        Passage(c.a_start, c.a_last + n, c.b_start, c.b_last + n, c.seeds + n - 1)
        for c in closed
        if min(c.a_last - c.a_start, c.b_last - c.b_start) + n >= config.min_passage_words
    ]
    return sorted(_drop_overlapping(passages), key=lambda p: (p.b_start, p.a_start))


def _extend_or_start(chains: list[_Chain], i: int, j: int, max_gap: int) -> None:
    best: _Chain | None = None
    best_cost = max_gap + 1
    for chain in chains:
        da, db = i - chain.a_last, j - chain.b_last
        if da <= 0 or db <= 0 or da > max_gap or db > max_gap:
            continue
        cost = max(da, db) + abs(da - db)
        if cost < best_cost:
            best, best_cost = chain, cost
    if best is not None:
        best.a_last, best.b_last = i, j
        best.seeds += 1
    else:
        chains.append(_Chain(i, j, i, j, 1))


def _drop_overlapping(passages: list[Passage]) -> list[Passage]:
    """Keep the larger of passages that cover the same words of either text (a repeated
    phrase seeds a second, spurious chain beside the real one)."""
    kept: list[Passage] = []
    for passage in sorted(passages, key=lambda p: -p.matched_words):
        if all(passage.a_end <= k.a_start or passage.a_start >= k.a_end
               or passage.b_end <= k.b_start or passage.b_start >= k.b_end
               for k in kept):
            kept.append(passage)
    return kept


def char_range(spans: Spans, start: int, end: int) -> tuple[int, int]:
    """The character range of words [start, end) of a text."""
    return int(spans.starts[start]), int(spans.ends[end - 1])
