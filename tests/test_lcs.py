"""Bit-parallel LCS lengths (stages/reuse/lcs.py) against the textbook dynamic programme."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from lcs_reference import textbook_lcs
from newstrace.stages.reuse.lcs import WORD_BITS, Positions, Words, lcs_matrix, shared_sequence

# Few distinct tokens (many repeats) and lengths on both sides of one uint64 row.
SENTENCE = st.lists(st.integers(0, 9), max_size=WORD_BITS + 20)
HASHES = st.lists(st.sampled_from([0, 1, 2**63, 2**64 - 1, 12345678901234567890]),
                  max_size=WORD_BITS + 2)


@settings(max_examples=150, deadline=None)
@given(st.lists(SENTENCE, max_size=5), st.lists(SENTENCE, max_size=5))
def test_the_table_holds_every_sentence_pairs_lcs(one: list[list[int]],
                                                  other: list[list[int]]) -> None:
    table = lcs_matrix(one, other)
    assert table.shape == (len(one), len(other))
    for i, query in enumerate(one):
        for j, partner in enumerate(other):
            assert table[i, j] == textbook_lcs(query, partner)
            assert table[i, j] == Positions(partner).common(query)


@settings(max_examples=80, deadline=None)
@given(st.lists(HASHES, min_size=1, max_size=3), st.lists(HASHES, min_size=1, max_size=3))
def test_full_64_bit_hashes_and_full_rows(one: list[list[int]], other: list[list[int]]) -> None:
    table = lcs_matrix(one, other)
    for i, query in enumerate(one):
        for j, partner in enumerate(other):
            assert table[i, j] == textbook_lcs(query, partner)


def test_a_row_of_exactly_64_words_keeps_its_top_bit() -> None:
    partner = list(range(WORD_BITS))
    assert lcs_matrix([partner, partner[::-1], partner[1:]], [partner]).tolist() == [
        [WORD_BITS], [1], [WORD_BITS - 1]]


@settings(max_examples=100, deadline=None)
@given(SENTENCE, SENTENCE)
def test_shared_sequence_is_the_same_either_way_round(a: list[int], b: list[int]) -> None:
    assert shared_sequence(Words(a), Words(b)) == shared_sequence(Words(b), Words(a))
