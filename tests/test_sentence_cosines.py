"""Sentence cosines the same whatever the BLAS thread count (`embed.sentence_cosines`): the
aligner's near-tied matches flipped with it, so a pair related on a one-core Spark executor
got other scores than on a two-core machine."""

from __future__ import annotations

import numpy as np
from threadpoolctl import threadpool_limits

from newstrace.stages.reuse.embed import kept_precision, sentence_cosines


def _unit_rows(rows: int, seed: int) -> np.ndarray:
    vectors = np.random.default_rng(seed).normal(size=(rows, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return kept_precision(vectors)  # as the runners keep them (float16)


def test_one_thread_and_every_thread_give_the_same_cosines() -> None:
    a, b = _unit_rows(300, 1), _unit_rows(280, 2)
    everywhere = sentence_cosines(a, b)
    with threadpool_limits(1):
        alone = sentence_cosines(a, b)
    assert np.array_equal(alone, everywhere)


def test_the_cosines_are_the_products_rounded_once() -> None:
    a, b = _unit_rows(5, 3), _unit_rows(4, 4)
    exact = np.array([[sum(float(x) * float(y) for x, y in zip(row, col, strict=True))
                       for col in b] for row in a])
    assert sentence_cosines(a, b).dtype == np.float32
    assert np.allclose(sentence_cosines(a, b), exact, rtol=0, atol=1e-7)
