"""Fit the text-dump cleaner's thresholds (FurnitureConfig) by leave-site-out cross-validation.

Pages: the 91 aeb-dev pages as naive text dumps (`bench/textdump.py`; truth: the benchmark's
article body; group: the page's host) and the wild-dev text dumps whose body is a spread-dev
text (reprint, spin, rewrite, independent; truth: that text without its headline; group: the
story pile, whose pages share no site with another pile's). Score: token 4-gram F1 as the
article-extraction benchmark scores it (bench/scoring.py).

Every configuration of a small grid is scored on every page once; then, for each of five
folds of groups, the configuration best on the other four folds is chosen and scored on the
held-out fold. Printed: the cross-validated F1 (all held-out pages pooled) first, the
configuration chosen on all pages with its in-sample F1 beside it, and the spread of the
held-out F1 across folds; each for aeb-dev dumps, wild-dev dumps and both.

`python -m bench.fit_cleaner` (a few minutes on 2 cores).
"""

from __future__ import annotations

import itertools
import json
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from urllib.parse import urlsplit

from bench.data import data_dir
from bench.extraction import load_pages
from bench.scoring import shingle_counts, shingles
from bench.textdump import naive_text_dump
from newstrace.stages.clean.furniture import FurnitureConfig, FurnitureRemover
from newstrace.stages.clean.normalise import repair
from newstrace.stages.clean.stopwords import Stopwords

# The grid: the classifier's word thresholds (which lines are prose) and the body finder's
# penalties (how much furniture a body may span). Density thresholds stay at their defaults.
CLASSIFIER_GRID = {"good_min_words": (6, 8, 10), "long_line_words": (14, 20, 26)}
REGION_GRID = {"short_penalty": (1.0, 2.0, 4.0), "bad_penalty": (5.0, 10.0, 20.0),
               "barrier_fraction": (0.15, 0.3, 0.6)}
FOLDS = 5


@dataclass(frozen=True, slots=True)
class Page:
    source: str  # "aeb" or "wild"
    group: str
    dump: str
    truth: str


def load_corpus() -> list[Page]:
    pages = []
    truth = json.loads((data_dir("aeb-dev") / "ground-truth.json").read_text(encoding="utf-8"))
    hosts = sorted(urlsplit(item["url"]).hostname or key for key, item in truth.items())
    for (html, body), host in zip(load_pages(), hosts, strict=True):
        pages.append(Page("aeb", f"aeb:{host}", naive_text_dump(html), body))
    wild, spread = data_dir("wild-dev"), data_dir("spread-dev")
    labels = json.loads((wild / "labels.json").read_text(encoding="utf-8"))
    for name, label in sorted(labels["files"].items()):
        role = "base" if label["role"] in ("reprint", "base") else label["role"]
        text_file = spread / f"{label['group']}.{role}.txt"
        if not name.endswith(".txt") or label["role"] == "excerpt" or not text_file.exists():
            continue
        body = text_file.read_text(encoding="utf-8").split("\n", 1)[1]
        dump = (wild / name).read_text(encoding="utf-8")
        pages.append(Page("wild", f"wild:{label['group']}", dump, repair(body)))
    return pages


def configs() -> Iterable[FurnitureConfig]:
    for classifier in _product(CLASSIFIER_GRID):
        for region in _product(REGION_GRID):
            yield FurnitureConfig(**classifier, **region)


def _product(grid: dict[str, tuple[float, ...]]) -> list[dict[str, float]]:
    keys = list(grid)
    return [dict(zip(keys, values, strict=True)) for values in itertools.product(*grid.values())]


Counts = tuple[float, float, float]


def score_matrix(pages: list[Page]) -> dict[FurnitureConfig, list[Counts]]:
    """(tp, fp, fn) of every page under every configuration; lines are classified once per
    classifier setting and the body chosen once per region setting."""
    stopwords = Stopwords()
    truths = [shingles(page.truth) for page in pages]
    matrix: dict[FurnitureConfig, list[Counts]] = {}
    for classifier in _product(CLASSIFIER_GRID):
        base = replace(FurnitureConfig(), **classifier)
        classified = [FurnitureRemover(base, stopwords).classify(page.dump) for page in pages]
        for region in _product(REGION_GRID):
            config = replace(base, **region)
            remover = FurnitureRemover(config, stopwords)
            matrix[config] = [
                shingle_counts(truth, shingles(remover.finish(lines.copy()).text))
                for truth, lines in zip(truths, classified, strict=True)]
    return matrix


def f1(counts: list[Counts]) -> float:
    """F1 from per-page precision and recall averaged over pages (bench/scoring.py)."""
    precisions = [tp / (tp + fp) for tp, fp, _ in counts if tp + fp > 0]
    recalls = [tp / (tp + fn) for tp, _, fn in counts if tp + fn > 0]
    p = statistics.mean(precisions) if precisions else 0.0
    r = statistics.mean(recalls) if recalls else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def group_folds(pages: list[Page], k: int = FOLDS) -> list[int]:
    """Each page's fold: groups dealt round-robin in sorted order (no group in two folds)."""
    groups = sorted({page.group for page in pages})
    fold_of = {group: i % k for i, group in enumerate(groups)}
    return [fold_of[page.group] for page in pages]


def best(matrix: dict[FurnitureConfig, list[Counts]], keep: list[bool]) -> FurnitureConfig:
    default = FurnitureConfig()

    def key(config: FurnitureConfig) -> tuple[float, bool]:
        # Ties go to the shipped defaults, so a refit moves a constant only for a gain.
        return round(f1([c for c, k in zip(matrix[config], keep, strict=True) if k]), 4), \
            config == default
    return max(matrix, key=key)


def cross_validate(pages: list[Page], matrix: dict[FurnitureConfig, list[Counts]]
                   ) -> tuple[list[Counts | None], list[FurnitureConfig]]:
    folds = group_folds(pages)
    held: list[Counts | None] = [None] * len(pages)
    chosen = []
    for fold in range(FOLDS):
        config = best(matrix, [f != fold for f in folds])
        chosen.append(config)
        for i, f in enumerate(folds):
            if f == fold:
                held[i] = matrix[config][i]
    return held, chosen


def run() -> list[str]:
    pages = load_corpus()
    matrix = score_matrix(pages)
    held, chosen = cross_validate(pages, matrix)
    everything = best(matrix, [True] * len(pages))
    folds = group_folds(pages)
    rows = [f"{len(pages)} pages ({sum(p.source == 'aeb' for p in pages)} aeb-dev dumps, "
            f"{sum(p.source == 'wild' for p in pages)} wild-dev dumps), "
            f"{len({p.group for p in pages})} groups, {FOLDS} group folds, "
            f"{len(matrix)} configurations", "",
            "| pages | CV F1 (held out) | folds (min-max) | in-sample F1 (fitted on all) | "
            "shipped defaults |", "|---|---|---|---|---|"]
    for source in ("aeb", "wild", None):
        mask = [source is None or p.source == source for p in pages]
        cv = f1([h for h, m in zip(held, mask, strict=True) if m and h is not None])
        per_fold = [f1([h for h, m, f in zip(held, mask, folds, strict=True)
                        if m and f == fold and h is not None]) for fold in range(FOLDS)]
        fitted = f1([c for c, m in zip(matrix[everything], mask, strict=True) if m])
        shipped = f1([c for c, m in zip(matrix[FurnitureConfig()], mask, strict=True) if m])
        rows.append(f"| {source or 'both'} | {cv:.3f} | {min(per_fold):.3f}-{max(per_fold):.3f} "
                    f"| {fitted:.3f} | {shipped:.3f} |")
    names = [f.name for f in fields(FurnitureConfig)
             if f.name in CLASSIFIER_GRID or f.name in REGION_GRID]
    rows += ["", "Chosen per fold: " + "; ".join(
        ", ".join(f"{n}={getattr(c, n)}" for n in names) for c in chosen),
        "Fitted on all pages: " + ", ".join(f"{n}={getattr(everything, n)}" for n in names)]
    return rows


if __name__ == "__main__":
    print("\n".join(run()))
