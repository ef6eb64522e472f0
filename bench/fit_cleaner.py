"""Fit the text-dump cleaner's line model (newstrace.stages.clean.linemodel) by leave-site-out
cross-validation, and score it.

Pages: the 91 aeb-dev pages as naive text dumps (`bench/textdump.py`; truth: the benchmark's
article body; group: the page's host) and the wild-dev text dumps whose body is a spread-dev
text (reprint, spin, rewrite, independent; truth: that text without its headline; group: the
story pile, whose pages share no site with another pile's). The wild-dev dumps are shaped
with their lines' repetition across the pile's sites counted as `newstrace analyze` counts it
on that folder, so the lines the repetition rule takes out at run time are not examples
either (an aeb-dev dump is read alone, as the quality gate reads it). Score: token 4-gram F1 as the
article-extraction benchmark scores it (bench/scoring.py).

Each line the cleaner's rules leave (not a credit, byline, date, link or repeated line) is an
example; its label: at least half of its word trigrams (a shorter line: all its words, in
order) stand in the page's true body. The model: a logistic regression over the features of
`linemodel.line_features`, standardised, each line weighted by the square root of its words
and each page weighing the same. Nested cross-validation: 5 outer folds of groups; in each,
the L2 strength is chosen by the log loss of a 4-fold grouped inner cross-validation on the
training folds, and the body finder's four settings (barrier_fraction, furniture_score,
word_power, bias) by the page F1 of those inner out-of-fold predictions; the model refitted
on the training folds then cleans the held-out fold. The
shipped model is chosen the same way on all pages. Printed: the cross-validated F1 (held-out
pages pooled) first, the spread across folds, the in-sample F1 of the shipped model beside it;
for aeb-dev dumps, wild-dev dumps and both.

`python -m bench.fit_cleaner` scores; `--write` also writes the shipped model
(src/newstrace/stages/clean/line_model.json; `make train`). A few minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np

from bench.data import data_dir
from bench.extraction import load_pages
from bench.scoring import shingle_counts, shingles
from bench.textdump import naive_text_dump
from newstrace.records import RawDocument
from newstrace.stages.articles import LineRepeats
from newstrace.stages.clean.furniture import (
    ClassifiedLines,
    FurnitureRemover,
    RepeatCounter,
    no_repeats,
    shapes,
)
from newstrace.stages.clean.linemodel import MODEL_FILE, LineModel, line_features
from newstrace.stages.clean.normalise import repair
from newstrace.stages.clean.stopwords import Stopwords, words
from newstrace.stages.readers.dispatch import read_inputs

STRENGTHS = (0.3, 3.0, 30.0)  # inverse L2 strengths tried (C)
FINDER_GRID = {"barrier_fraction": (0.0, 0.15, 0.3),
               "furniture_score": (1.0, 3.0),
               "word_power": (0.5, 1.0),
               "bias": (0.0, 0.5, 1.0)}
FOLDS, INNER_FOLDS = 5, 4
MODEL_PATH = (Path(__file__).resolve().parents[1] / "src" / "newstrace" / "stages" / "clean"
              / MODEL_FILE)
Counts = tuple[float, float, float]


@dataclass(frozen=True, slots=True)
class Page:
    source: str  # "aeb" or "wild"
    group: str
    dump: str
    truth: str
    repeats: RepeatCounter = no_repeats  # on how many other pages of its site a line stands


def load_corpus() -> list[Page]:
    pages = []
    truth = json.loads((data_dir("aeb-dev") / "ground-truth.json").read_text(encoding="utf-8"))
    # load_pages() reads the pages in the order of their keys: the hosts in the same order.
    hosts = [urlsplit(item["url"]).hostname or key for key, item in sorted(truth.items())]
    for (html, body), host in zip(load_pages(), hosts, strict=True):
        pages.append(Page("aeb", f"aeb:{host}", naive_text_dump(html), body))
    wild, spread = data_dir("wild-dev"), data_dir("spread-dev")
    labels = json.loads((wild / "labels.json").read_text(encoding="utf-8"))
    files = sorted(str(path) for path in wild.iterdir() if path.suffix in (".txt", ".html"))
    raws = {Path(raw.source_path).name: raw for raw in read_inputs(files)
            if isinstance(raw, RawDocument)}
    repeats = LineRepeats(raws.values())
    for name, label in sorted(labels["files"].items()):
        role = "base" if label["role"] in ("reprint", "base") else label["role"]
        text_file = spread / f"{label['group']}.{role}.txt"
        if not name.endswith(".txt") or label["role"] == "excerpt" or not text_file.exists():
            continue
        body = text_file.read_text(encoding="utf-8").split("\n", 1)[1]
        raw = raws[name]
        dump = repair(raw.body).replace("\r\n", "\n").replace("\r", "\n")  # as clean_text
        pages.append(Page("wild", f"wild:{label['group']}", dump, repair(body),
                          repeats.counter_for(raw)))
    return pages


# -- examples -----------------------------------------------------------------------------------


@dataclass(slots=True)
class Shaped:
    """One page's lines after the rules, their features and labels, and its true shingles."""

    page: Page
    lines: ClassifiedLines
    x: np.ndarray        # one row a line, columns in `names` order
    y: np.ndarray        # 1: the line is body
    modelled: np.ndarray  # lines the rules left to the model
    truth: object


def body_label(line: str, truth_tokens: list[str], trigrams: set[tuple[str, ...]],
               joined: str, characters: set[str]) -> int:
    tokens = words(line)
    squeezed = "".join(line.split())
    if len(squeezed) >= 12 and len(tokens) * 6 < len(squeezed) / 2:  # written without spaces
        grams = [squeezed[i:i + 6] for i in range(len(squeezed) - 5)]
        return int(sum(g in characters for g in grams) >= len(grams) / 2)
    if len(tokens) >= 3:
        triples = [tuple(tokens[i:i + 3]) for i in range(len(tokens) - 2)]
        return int(sum(g in trigrams for g in triples) >= len(triples) / 2)
    return int(bool(tokens) and f" {' '.join(tokens)} " in joined)


def shape_pages(pages: Sequence[Page]) -> tuple[list[Shaped], list[str]]:
    remover = FurnitureRemover(stopwords=Stopwords())
    shaped: list[Shaped] = []
    names: list[str] = []
    for page in pages:
        lines = remover.shape(page.dump, page.repeats)
        rows = line_features(shapes(lines))
        if not names and rows:
            names = sorted(rows[0])
        truth_tokens = words(page.truth)
        trigrams = {tuple(truth_tokens[i:i + 3]) for i in range(len(truth_tokens) - 2)}
        joined = f" {' '.join(truth_tokens)} "
        squeezed = "".join(page.truth.split())
        characters = {squeezed[i:i + 6] for i in range(len(squeezed) - 5)}
        x = np.array([[row[n] for n in names] for row in rows], dtype=float).reshape(
            len(rows), len(names))
        y = np.array([body_label(line.text, truth_tokens, trigrams, joined, characters)
                      for line in lines.lines], dtype=int)
        modelled = np.array([not line.ruled for line in lines.lines], dtype=bool)
        shaped.append(Shaped(page, lines, x, y, modelled, shingles(page.truth)))
    return shaped, names


# -- the model ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Fit:
    means: np.ndarray
    scales: np.ndarray
    weights: np.ndarray
    intercept: float

    def logits(self, x: np.ndarray) -> np.ndarray:
        z = ((x - self.means) / self.scales) @ self.weights + self.intercept
        clipped: np.ndarray = np.clip(z, -12.0, 12.0)
        return clipped


def fit(pages: Sequence[Shaped], strength: float) -> Fit:
    from sklearn.linear_model import LogisticRegression

    x = np.vstack([p.x[p.modelled] for p in pages])
    y = np.concatenate([p.y[p.modelled] for p in pages])
    means = x.mean(axis=0)
    scales = x.std(axis=0)
    scales[scales == 0] = 1.0
    weight = np.concatenate([line_weights(p) for p in pages])
    model = LogisticRegression(C=strength, max_iter=5000).fit((x - means) / scales, y,
                                                               sample_weight=weight)
    return Fit(means, scales, model.coef_[0], float(model.intercept_[0]))


def line_weights(page: Shaped) -> np.ndarray:
    """Each modelled line weighs as the square root of its words (capped at 80): the score
    counts words, but a paragraph must not drown every short line. Each page weighs the same
    in all (the score averages over pages), so a long page of menus does not outweigh a
    short one."""
    sizes = np.array([line.n_words for line, kept in zip(page.lines.lines, page.modelled,
                                                          strict=True) if kept], dtype=float)
    weights: np.ndarray = np.sqrt(np.clip(sizes, 1, 80))
    return weights / weights.sum() * 100 if weights.size else weights


def group_folds(groups: Sequence[str], k: int) -> list[int]:
    """Each item's fold: groups dealt round-robin in sorted order (no group in two folds)."""
    fold_of = {group: i % k for i, group in enumerate(sorted(set(groups)))}
    return [fold_of[group] for group in groups]


def log_loss(pages: Sequence[Shaped], logits: Sequence[np.ndarray]) -> float:
    total, count = 0.0, 0
    for page, z in zip(pages, logits, strict=True):
        z, y = z[page.modelled], page.y[page.modelled]
        # -log sigmoid(z) for y=1, -log sigmoid(-z) for y=0
        total += float(np.logaddexp(0.0, np.where(y == 1, -z, z)).sum())
        count += len(y)
    return total / max(count, 1)


def out_of_fold(pages: Sequence[Shaped], strength: float, k: int) -> list[np.ndarray]:
    folds = group_folds([p.page.group for p in pages], k)
    logits: list[np.ndarray] = [np.zeros(0)] * len(pages)
    for fold in range(k):
        model = fit([p for p, f in zip(pages, folds, strict=True) if f != fold], strength)
        for i, f in enumerate(folds):
            if f == fold:
                logits[i] = model.logits(pages[i].x)
    return logits


# -- the body finder ----------------------------------------------------------------------------


def finders() -> list[dict[str, float]]:
    keys = list(FINDER_GRID)
    return [dict(zip(keys, values, strict=True))
            for values in itertools.product(*FINDER_GRID.values())]


def clean_counts(page: Shaped, logits: np.ndarray, finder: dict[str, float]) -> Counts:
    model = LineModel((), (), (), (), 0.0, **finder)  # logits given: no weights needed
    remover = FurnitureRemover(stopwords=_STOPWORDS, model=model)
    lines = page.lines.copy()
    remover.judge(lines, [float(z) for z in logits])
    text = remover.finish(lines).text
    return shingle_counts(page.truth, shingles(text))  # type: ignore[arg-type]


_STOPWORDS = Stopwords()


def f1(counts: Sequence[Counts]) -> float:
    """F1 from per-page precision and recall averaged over pages (bench/scoring.py)."""
    precisions = [tp / (tp + fp) for tp, fp, _ in counts if tp + fp > 0]
    recalls = [tp / (tp + fn) for tp, _, fn in counts if tp + fn > 0]
    p = statistics.mean(precisions) if precisions else 0.0
    r = statistics.mean(recalls) if recalls else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True, slots=True)
class Choice:
    strength: float
    finder: dict[str, float]
    inner_log_loss: float
    inner_f1: float


def choose(pages: Sequence[Shaped]) -> Choice:
    """The L2 strength by the log loss of a grouped inner cross-validation; the finder's
    settings by the page F1 of the same out-of-fold predictions (the score the cleaner is
    judged by)."""
    scored = []
    for strength in STRENGTHS:
        logits = out_of_fold(pages, strength, INNER_FOLDS)
        scored.append((log_loss(pages, logits), strength, logits))
    loss, strength, logits = min(scored, key=lambda item: item[0])
    best_f1, best_finder = -1.0, finders()[0]
    for finder in finders():
        value = f1([clean_counts(p, z, finder) for p, z in zip(pages, logits, strict=True)])
        if value > best_f1 + 1e-9:
            best_f1, best_finder = value, finder
    return Choice(strength, best_finder, loss, best_f1)


# -- the run ------------------------------------------------------------------------------------


def cross_validate(pages: Sequence[Shaped]) -> tuple[list[Counts], list[int], list[Choice]]:
    folds = group_folds([p.page.group for p in pages], FOLDS)
    held: list[Counts] = [(0.0, 0.0, 0.0)] * len(pages)
    chosen = []
    for fold in range(FOLDS):
        train = [p for p, f in zip(pages, folds, strict=True) if f != fold]
        choice = choose(train)
        chosen.append(choice)
        model = fit(train, choice.strength)
        for i, f in enumerate(folds):
            if f == fold:
                held[i] = clean_counts(pages[i], model.logits(pages[i].x), choice.finder)
        print(f"fold {fold}: C={choice.strength} {choice.finder}", file=sys.stderr)
    return held, folds, chosen


def shipped_model(pages: Sequence[Shaped], names: list[str], choice: Choice) -> LineModel:
    fitted = fit(pages, choice.strength)
    return LineModel(tuple(names), tuple(float(v) for v in fitted.means),
                     tuple(float(v) for v in fitted.scales),
                     tuple(round(float(v), 6) for v in fitted.weights),
                     round(fitted.intercept, 6), **choice.finder)


def figures(pages: Sequence[Shaped], held: list[Counts], folds: list[int],
            in_sample: list[Counts]) -> dict[str, dict[str, float]]:
    out = {}
    for source in ("aeb", "wild", None):
        mask = [source is None or p.page.source == source for p in pages]
        per_fold = [f1([h for h, m, f in zip(held, mask, folds, strict=True) if m and f == k])
                    for k in range(FOLDS)]
        out[source or "both"] = {
            "pages": sum(mask),
            "cv_f1": round(f1([h for h, m in zip(held, mask, strict=True) if m]), 4),
            "cv_fold_min": round(min(per_fold), 4), "cv_fold_max": round(max(per_fold), 4),
            "in_sample_f1": round(f1([c for c, m in zip(in_sample, mask, strict=True) if m]), 4)}
    return out


def run(write: bool = False) -> list[str]:
    pages, names = shape_pages(load_corpus())
    held, folds, chosen = cross_validate(pages)
    choice = choose(pages)
    model = shipped_model(pages, names, choice)
    in_sample = [clean_counts(p, np.array(model.logits(_rows(p, names))), choice.finder)
                 for p in pages]
    table = figures(pages, held, folds, in_sample)
    n_lines = sum(int(p.modelled.sum()) for p in pages)
    rows = [f"{len(pages)} pages ({sum(p.page.source == 'aeb' for p in pages)} aeb-dev dumps, "
            f"{sum(p.page.source == 'wild' for p in pages)} wild-dev dumps), "
            f"{len({p.page.group for p in pages})} groups, {FOLDS} outer group folds "
            f"({INNER_FOLDS} inner); {n_lines} modelled lines, {len(names)} features", "",
            "| pages | CV F1 (held out) | folds (min-max) | in-sample F1 (shipped model) |",
            "|---|---|---|---|"]
    rows += [f"| {name} | {t['cv_f1']:.3f} | {t['cv_fold_min']:.3f}-{t['cv_fold_max']:.3f} | "
             f"{t['in_sample_f1']:.3f} |" for name, t in table.items()]
    rows += ["", "Chosen per fold: " + "; ".join(
        f"C={c.strength} {c.finder}" for c in chosen),
        f"Shipped: C={choice.strength} {choice.finder} (inner CV log loss "
        f"{choice.inner_log_loss:.3f}, inner CV F1 {choice.inner_f1:.3f})"]
    if write:
        record = {"fitted": {
            "command": "make train (python -m bench.fit_cleaner --write)",
            "date": datetime.now(UTC).strftime("%Y-%m-%d"),
            "data": {"aeb-dev naive text dumps": table["aeb"]["pages"],
                     "wild-dev text dumps (not excerpts)": table["wild"]["pages"],
                     "groups (sites; story piles)": len({p.page.group for p in pages}),
                     "modelled lines": n_lines},
            "method": "logistic regression (lines weighted by sqrt(words), pages equally); L2 "
                      "strength by 4-fold grouped inner CV log loss, body finder settings by "
                      "the page F1 of the same out-of-fold predictions",
            "strength": choice.strength, "figures": table},
            "model": model.as_dict()}
        MODEL_PATH.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
        rows.append(f"wrote {MODEL_PATH}")
    return rows


def _rows(page: Shaped, names: list[str]) -> list[dict[str, float]]:
    return [dict(zip(names, (float(v) for v in row), strict=True)) for row in page.x]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help=f"write {MODEL_PATH.name}")
    args = parser.parse_args()
    print("\n".join(run(args.write)))


if __name__ == "__main__":
    main()
