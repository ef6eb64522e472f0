"""Token-shingle precision/recall/F1 for extracted article bodies, scored the way the
article-extraction benchmark scores them: 4-gram shingles of \\w+ tokens, each page's counts
normalised so long pages weigh no more than short ones, precision and recall averaged over
pages, F1 from the two averages."""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass

_TOKEN = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1))
                   if tokens[i : i + n])


def page_counts(true: str, predicted: str) -> tuple[float, float, float]:
    """Normalised (tp, fp, fn) of one page."""
    return shingle_counts(shingles(true), shingles(predicted))


def shingle_counts(truth: Counter[tuple[str, ...]], guess: Counter[tuple[str, ...]]
                   ) -> tuple[float, float, float]:
    """Normalised (tp, fp, fn) of one page from its shingles (the truth's counted once by a
    caller that scores many guesses)."""
    tp = sum((truth & guess).values())
    fp = sum((guess - truth).values())
    fn = sum((truth - guess).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float

    def row(self) -> str:
        return f"{self.precision:.3f} | {self.recall:.3f} | {self.f1:.3f}"


def score_pages(pairs: list[tuple[str, str]]) -> Score:
    """Score (true, predicted) bodies over many pages."""
    counts = [page_counts(true, predicted) for true, predicted in pairs]
    precisions = [_ratio(tp, tp + fp, fp, fn) for tp, fp, fn in counts if tp + fp > 0]
    recalls = [_ratio(tp, tp + fn, fp, fn) for tp, fp, fn in counts if tp + fn > 0]
    precision = statistics.mean(precisions) if precisions else 0.0
    recall = statistics.mean(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Score(precision, recall, f1)


def _ratio(tp: float, denominator: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return tp / denominator if denominator else 0.0
