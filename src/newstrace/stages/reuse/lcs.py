"""Longest-common-subsequence lengths of token sequences, computed bit-parallel.

Allison-Dix / Hyyro: a row of the LCS table is one bit vector over the positions of one
sequence, and each token of the other updates it with a few word operations. `Positions`
does it with Python integers (any length); `lcs_matrix` does it for every sentence of one
text against every sentence of another at once, with one uint64 per sentence pair, so the
work per token is a handful of numpy operations over the whole matrix instead of a Python
loop per sentence pair. Both give the exact LCS lengths.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain

import numpy as np
import numpy.typing as npt

WORD_BITS = 64  # a partner sentence up to this many words fits one uint64 row
_GATHERED = 1 << 18  # masks gathered ahead of the steps that read them (uint64s: 2 MB)
_BYTE_BITS = np.array([bin(value).count("1") for value in range(256)], dtype=np.int64)


class Positions:
    """One token sequence ready for LCS lengths against others (Python integers)."""

    def __init__(self, tokens: Sequence[int]) -> None:
        self.masks: dict[int, int] = {}
        for position, token in enumerate(tokens):
            self.masks[token] = self.masks.get(token, 0) | (1 << position)
        self.size = len(tokens)
        self.full = (1 << self.size) - 1

    def common(self, tokens: Sequence[int]) -> int:
        row = self.full
        for token in tokens:
            mask = self.masks.get(token)
            if mask:
                matched = row & mask
                row = ((row + matched) | (row - matched)) & self.full
        return self.size - row.bit_count()


class Words:
    """A token sequence ready for `shared_sequence` against others: its tokens, their set and
    its `Positions` (an LCS is the same either way round, so one side's positions serve for
    any pair it is in)."""

    __slots__ = ("distinct", "listed", "positions")

    def __init__(self, tokens: Sequence[int]) -> None:
        self.listed = list(tokens)
        self.distinct = frozenset(self.listed)
        self.positions = Positions(self.listed)


def shared_sequence(a: Words, b: Words) -> float:
    """LCS of two token sequences over the smaller count of tokens each shares with the
    other."""
    smaller = min(sum(map(b.distinct.__contains__, a.listed)),
                  sum(map(a.distinct.__contains__, b.listed)))
    return b.positions.common(a.listed) / smaller if smaller else 0.0


def _popcount(values: npt.NDArray[np.uint64]) -> npt.NDArray[np.int64]:
    """Set bits of each uint64 (numpy's bitwise_count is 2.0+; this works on any)."""
    octets = np.ascontiguousarray(values).view(np.uint8).reshape(*values.shape, 8)
    counted: npt.NDArray[np.int64] = _BYTE_BITS[octets].sum(axis=-1)
    return counted


def lcs_matrix(one: Sequence[Sequence[int]],
               other: Sequence[Sequence[int]]) -> npt.NDArray[np.int64]:
    """LCS length of every sequence of `one` (rows) with every sequence of `other`
    (columns). Columns longer than WORD_BITS are computed with `Positions`."""
    table = np.zeros((len(one), len(other)), dtype=np.int64)
    if not one or not other:
        return table
    narrow = [j for j, words in enumerate(other) if len(words) <= WORD_BITS]
    if narrow:
        table[:, narrow] = _narrow_lcs(one, [other[j] for j in narrow])
    for j, words in enumerate(other):
        if len(words) > WORD_BITS:
            partner = Positions(words)
            table[:, j] = [partner.common(query) for query in one]
    return table


def _narrow_lcs(one: Sequence[Sequence[int]],
                other: Sequence[Sequence[int]]) -> npt.NDArray[np.int64]:
    """`lcs_matrix` for columns of at most WORD_BITS tokens: the rows of all sentence pairs
    advance together, one query position a step (a query that has ended reads a token no
    column holds, which leaves its rows as they are)."""
    lengths = np.array([len(words) for words in other], dtype=np.int64)
    flat_other = np.fromiter(chain.from_iterable(other), dtype=np.uint64, count=int(lengths.sum()))
    flat_one = np.fromiter(chain.from_iterable(one), dtype=np.uint64)
    # Only the columns' tokens need a code: a query token no column holds matches nothing.
    vocabulary, codes = np.unique(flat_other, return_inverse=True)
    padding = len(vocabulary)
    # masks[j, v]: the positions of token v in column j, one bit each.
    masks = np.zeros((len(other), padding + 1), dtype=np.uint64)
    column = np.repeat(np.arange(len(other)), lengths)
    position = np.arange(len(flat_other)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    np.add.at(masks, (column, codes),  # distinct bits: add is or
              np.left_shift(np.uint64(1), position.astype(np.uint64)))
    queries = _shared_tokens(one, flat_one, vocabulary)
    longest = queries.shape[1]
    full = np.where(lengths >= WORD_BITS, np.uint64(2**64 - 1),
                    (np.left_shift(np.uint64(1), np.minimum(lengths, WORD_BITS - 1)
                                   .astype(np.uint64)) - np.uint64(1)))
    row = np.broadcast_to(full, (len(one), len(other))).copy()
    matched, added = np.empty_like(row), np.empty_like(row)
    by_token = np.ascontiguousarray(masks.T)  # by_token[v, j] = masks[j, v]
    steps = max(1, _GATHERED // max(row.size, 1))  # query positions gathered at once
    with np.errstate(over="ignore"):  # uint64 wraps: the carry out of bit 63 is dropped
        for first in range(0, longest, steps):
            # gathered[s, i, j]: column j's positions of query i's token at step first + s.
            for step_masks in by_token[queries[:, first : first + steps].T]:
                np.bitwise_and(row, step_masks, out=matched)
                np.add(row, matched, out=added)
                np.subtract(row, matched, out=row)
                np.bitwise_or(added, row, out=row)
                np.bitwise_and(row, full, out=row)
    return lengths - _popcount(row)


def _shared_tokens(one: Sequence[Sequence[int]], flat_one: npt.NDArray[np.uint64],
                   vocabulary: npt.NDArray[np.uint64]) -> npt.NDArray[np.int64]:
    """Each query's tokens that some column holds, as codes into `vocabulary`, in order and
    left-aligned, padded with `len(vocabulary)`. A token no column holds matches nothing,
    so leaving it out changes no LCS length; it only saves the steps that would read it."""
    padding = len(vocabulary)
    at = np.minimum(np.searchsorted(vocabulary, flat_one), max(padding - 1, 0))
    held = vocabulary[at] == flat_one if padding else np.zeros(len(flat_one), dtype=bool)
    sentence = np.repeat(np.arange(len(one)), [len(words) for words in one])[held]
    counts = np.bincount(sentence, minlength=len(one))
    slot = np.arange(len(sentence)) - np.repeat(np.cumsum(counts) - counts, counts)
    queries = np.full((len(one), int(counts.max(initial=0))), padding, dtype=np.int64)
    queries[sentence, slot] = at[held]
    return queries
