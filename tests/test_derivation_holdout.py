"""bench/derivation_holdout.py: which writing round a corpus group belongs to, so that each
later round is scored by a model fitted only on the rounds before it."""

from __future__ import annotations

import pytest

from bench.derivation_data import Example, LabelledPair
from bench.derivation_holdout import ROUNDS, first, later, writing_round


def example(group: str, dataset: str = "corpus") -> Example:
    return Example(LabelledPair(group, dataset, "spin", "base", "spin"), {}, True)


def test_each_corpus_group_falls_in_the_round_its_writer_letter_names() -> None:
    assert [writing_round(example(g)) for g in ("a-001", "b-100", "c-060", "d-085", "e-001",
                                                "h-064")] == [0, 0, 1, 1, 2, 2]


def test_dev_sets_have_no_round_and_are_always_fitted_on() -> None:
    dev = example("b03", "spread-dev")
    assert writing_round(dev) is None
    assert first(dev) and not later(dev)


def test_only_the_first_round_counts_as_first_and_only_c_d_as_later() -> None:
    assert first(example("a-007")) and not first(example("e-007"))
    assert later(example("d-007")) and not later(example("e-007"))


def test_every_round_has_its_own_writers() -> None:
    letters = [p for prefixes in ROUNDS for p in prefixes]
    assert len(letters) == len(set(letters))


def test_a_group_of_an_unknown_writer_is_named() -> None:
    with pytest.raises(ValueError, match="z-001"):
        writing_round(example("z-001"))
