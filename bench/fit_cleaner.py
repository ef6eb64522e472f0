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
word_power, bias) by the page F1 of those inner out-of-fold predictions; then the rules'
settings (FurnitureConfig: prose thresholds, phrase and name lengths, repetition, credit and
headline margins), one at a time over the small grid RULE_GRID from its start values, each by
the same inner cross-validation (the model refitted on the inner folds for a setting that
changes what the model reads), scored by body F1, then by titles and credits right on the
training folds' wild-dev pages; the model refitted on the training folds with the chosen rules
then cleans the held-out fold. The shipped model and rules are chosen the same way on all
pages; each outer fold's model and rules are written beside them, so that `bench.wild`
scores wild-dev's pages under the same cross-validation. Printed: the cross-validated F1 (held-out
pages pooled) first, the spread across folds, the in-sample F1 of the shipped model beside it;
for aeb-dev dumps, wild-dev dumps and both.

`python -m bench.fit_cleaner` scores; `--write` also writes the shipped model
(src/newstrace/stages/clean/line_model.json; `make train`); `--ablate` measures, under the
written outer folds and their choices, what each furniture phrase list and word list
contributes (held-out F1, titles, credits, with and without it). Minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from bench.data import data_dir
from bench.extraction import load_pages
from bench.scoring import shingle_counts, shingles
from bench.textdump import naive_text_dump
from newstrace.records import RawDocument
from newstrace.stages.articles import LineRepeats
from newstrace.stages.clean.cues import outlet_key
from newstrace.stages.clean.furniture import (
    GENERIC_CREDIT_WORDS,
    TEASER_LABELS,
    ClassifiedLines,
    FurnitureConfig,
    FurnitureRemover,
    RepeatCounter,
    no_repeats,
    shapes,
)
from newstrace.stages.clean.linemodel import (
    BIN_EDGES,
    LENGTH_CAP,
    LOGIT_CLIP,
    MODEL_FILE,
    REASONS,
    WINDOW,
    LineModel,
    line_features,
)
from newstrace.stages.clean.normalise import repair
from newstrace.stages.clean.stopwords import Stopwords, words
from newstrace.stages.readers.dispatch import read_inputs

STRENGTHS = (0.3, 3.0, 30.0)  # inverse L2 strengths tried (C)
FINDER_GRID = {"barrier_fraction": (0.0, 0.15, 0.3),
               "furniture_score": (1.0, 3.0),
               "word_power": (0.5, 1.0),
               "bias": (0.0, 0.5, 1.0)}
# The rules' settings (FurnitureConfig), each with the values tried; the middle one is the
# start (the value set by hand before these were fitted), kept on ties. Tried one at a time
# in this order, each from the values chosen before it.
RULE_GRID: dict[str, tuple[float, ...]] = {
    "good_min_words": (6, 8, 10),
    "long_prose_words": (20, 26, 34),
    "long_prose_density": (0.1, 0.15, 0.2),
    "phrase_max_words": (15, 25, 40),
    "repeat_min_pages": (1, 2, 3),
    "credit_name_max_words": (4, 6, 8),
    "cue_margin_lines": (1, 3, 6),
    "title_lookback": (4, 8, 12),
}
RULE_START = {name: values[len(values) // 2] for name, values in RULE_GRID.items()}
# Settings that change no line's features or label (only where the body's credits and
# headline are sought, how long a line weighs in the body finder, where the site's name is
# read): the model need not be refitted to try them.
FINISH_ONLY = frozenset({"cue_margin_lines", "title_lookback", "body_length_cap", "logit_clip",
                         "headline_min_words", "headline_max_words", "masthead_lines",
                         "masthead_max_words", "copyright_max_words"})
# The line model's feature design (linemodel.line_features): tried like a rule setting, but
# recorded in the model, not in FurnitureConfig.
DESIGN = {"feature_window": "window", "feature_length_cap": "length_cap",
          "logit_clip": "logit_clip", "feature_bins": "bin_edges"}
# ...of which these shape the features (the clip only bounds the fitted model's log-odds).
FEATURE_DESIGN = frozenset({"window", "length_cap", "bin_edges"})
_DESIGN_DEFAULTS: dict[str, int | float] = {"window": WINDOW, "length_cap": LENGTH_CAP,
                                            "logit_clip": LOGIT_CLIP}
# The word-count bins a setting of `feature_bins` names (how many bins): every other edge of
# the convention, the convention, each of its bins split in two.
BIN_DESIGNS: dict[int, tuple[int, ...]] = {
    4: (*BIN_EDGES[1::2], BIN_EDGES[-1]),
    len(BIN_EDGES): BIN_EDGES,
    2 * len(BIN_EDGES): tuple(edge for low, high in zip((-1, *BIN_EDGES), BIN_EDGES,
                                                         strict=False)
                              for edge in ((low + 1 + high) // 2, high)),
}
# What the ablation leaves out one at a time: the phrase families of furniture.py, the teaser
# labels of teasers.py and the generic credit words of cues.py.
ABLATED = (*REASONS, TEASER_LABELS, GENERIC_CREDIT_WORDS)
FOLDS, INNER_FOLDS = 5, 4
MODEL_PATH = (Path(__file__).resolve().parents[1] / "src" / "newstrace" / "stages" / "clean"
              / MODEL_FILE)
Counts = tuple[float, float, float]
Rules = dict[str, float]


@dataclass(frozen=True, slots=True)
class Page:
    source: str  # "aeb" or "wild"
    group: str
    dump: str
    truth: str
    repeats: RepeatCounter = no_repeats  # on how many other pages of its site a line stands
    title: str | None = None   # the page's headline (wild-dev labels)
    origin: str | None = None  # outlet_key of the outlet a reprint must credit (wild-dev)
    pile_origin: str | None = None  # outlet_key of the pile's origin outlet (wild-dev)


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
        group = labels["groups"][label["group"]]
        dump = repair(raw.body).replace("\r\n", "\n").replace("\r", "\n")  # as clean_text
        pile_origin = outlet_key(group["origin_outlet"])
        pages.append(Page("wild", f"wild:{label['group']}", dump, repair(body),
                          repeats.counter_for(raw), title=group["titles"].get(label["role"]),
                          origin=pile_origin if label["role"] == "reprint" else None,
                          pile_origin=pile_origin))
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


def rules_config(rules: Rules, without: frozenset[str] = frozenset()) -> FurnitureConfig:
    """The FurnitureConfig of these rule settings (integers where the field is one; the
    feature design's settings are the model's, not the config's)."""
    defaults = FurnitureConfig()
    values = {name: type(getattr(defaults, name))(value) for name, value in rules.items()
              if name not in DESIGN}
    return FurnitureConfig(**values, without_phrases=without)


def design_of(rules: Rules) -> dict[str, Any]:
    """The line model's design in these settings (LineModel's window, length_cap,
    logit_clip; its defaults where they do not say)."""
    return {field: BIN_DESIGNS[int(rules[name])] if field == "bin_edges"
            else type(_DESIGN_DEFAULTS[field])(rules[name])
            for name, field in DESIGN.items() if name in rules}


def feature_design(rules: Rules) -> dict[str, Any]:
    """The part of the design `line_features` reads."""
    return {k: v for k, v in design_of(rules).items() if k in FEATURE_DESIGN}


def shape_pages(pages: Sequence[Page], config: FurnitureConfig | None = None,
                design: dict[str, Any] | None = None) -> tuple[list[Shaped], list[str]]:
    remover = FurnitureRemover(config, stopwords=_STOPWORDS)
    shaped: list[Shaped] = []
    names: list[str] = []
    for page in pages:
        lines = remover.shape(page.dump, page.repeats)
        rows = line_features(shapes(lines), **(design or {}))
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


@dataclass(slots=True)
class Corpus:
    """The pages, shaped once for each rule setting tried (the shape depends on the rules,
    not on which pages a model is fitted on)."""

    pages: list[Page]
    without: frozenset[str] = frozenset()
    _shaped: dict[tuple[tuple[str, float], ...], list[Shaped]] = field(default_factory=dict)
    _names: dict[tuple[tuple[str, float], ...], list[str]] = field(default_factory=dict)
    _fits: dict[tuple[Any, ...], Fit] = field(default_factory=dict)

    def shaped(self, rules: Rules, indices: Sequence[int] | None = None) -> list[Shaped]:
        key = self._key(rules)
        if key not in self._shaped:
            self._shaped[key], names = shape_pages(self.pages, rules_config(rules, self.without),
                                                   feature_design(rules))
            self._names[key] = names
        every = self._shaped[key]
        return every if indices is None else [every[i] for i in indices]

    def names_of(self, rules: Rules) -> list[str]:
        """The feature names as these rules shape the pages (the bins name some of them)."""
        self.shaped(rules)
        return self._names[self._key(rules)]

    def fitted(self, rules: Rules, strength: float, indices: Sequence[int]) -> Fit:
        """The model fitted on these pages as these rules shape them (cached: settings that
        change no shape share a fit)."""
        key = (self._key(rules), strength, tuple(indices))
        if key not in self._fits:
            self._fits[key] = fit(self.shaped(rules, indices), strength)
        return replace(self._fits[key], clip=design_of(rules).get("logit_clip", LOGIT_CLIP))

    @staticmethod
    def _key(rules: Rules) -> tuple[tuple[str, float], ...]:
        return tuple(sorted((k, v) for k, v in rules.items() if k not in FINISH_ONLY))


# -- the model ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Fit:
    means: np.ndarray
    scales: np.ndarray
    weights: np.ndarray
    intercept: float
    clip: float = LOGIT_CLIP

    def logits(self, x: np.ndarray) -> np.ndarray:
        z = ((x - self.means) / self.scales) @ self.weights + self.intercept
        clipped: np.ndarray = np.clip(z, -self.clip, self.clip)
        return clipped


def fit(pages: Sequence[Shaped], strength: float) -> Fit:
    from sklearn.linear_model import LogisticRegression

    x = np.vstack([p.x[p.modelled] for p in pages])
    y = np.concatenate([p.y[p.modelled] for p in pages])
    means = x.mean(axis=0)
    scales = x.std(axis=0)
    scales[scales == 0] = 1.0
    weight = np.concatenate([line_weights(p) for p in pages])
    # Newton-Cholesky: the same optimum as lbfgs (42 features), in a quarter of the time.
    model = LogisticRegression(C=strength, max_iter=200, solver="newton-cholesky").fit(
        (x - means) / scales, y, sample_weight=weight)
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


# -- the body finder and the page checks --------------------------------------------------------


def finders() -> list[dict[str, float]]:
    keys = list(FINDER_GRID)
    return [dict(zip(keys, values, strict=True))
            for values in itertools.product(*FINDER_GRID.values())]


@dataclass(frozen=True, slots=True)
class Outcome:
    """One cleaned page: its body's shingle counts, and on wild-dev pages whether the title
    is the headline, whether a credit names the origin (reprints), and how many cues name an
    outlet that is not the pile's origin."""

    counts: Counts
    title_ok: bool | None = None
    credit_ok: bool | None = None
    other_credits: int = 0


def finder_args(finder: dict[str, float]) -> tuple[float, float, float, float]:
    """The body finder's settings in LineModel's order."""
    return (finder["barrier_fraction"], finder["furniture_score"], finder["word_power"],
            finder["bias"])


def clean_page(page: Shaped, logits: np.ndarray, finder: dict[str, float],
               rules: Rules = RULE_START, without: frozenset[str] = frozenset()) -> Outcome:
    model = LineModel((), (), (), (), 0.0, *finder_args(finder))  # logits given: no weights
    remover = FurnitureRemover(rules_config(rules, without), stopwords=_STOPWORDS, model=model)
    lines = page.lines.copy()
    remover.judge(lines, [float(z) for z in logits])
    cleaned = remover.finish(lines)
    counts = shingle_counts(page.truth, shingles(cleaned.text))  # type: ignore[arg-type]
    if page.page.source != "wild":
        return Outcome(counts)
    named = {outlet_key(cue.outlet) for cue in cleaned.cues} - {None}
    title = page.page.title
    return Outcome(counts,
                   title_ok=None if title is None else _folded(cleaned.title) == _folded(title),
                   credit_ok=None if page.page.origin is None else page.page.origin in named,
                   other_credits=len(named - {page.page.pile_origin}))


def _folded(text: str | None) -> str:
    return " ".join(words(repair(text or "")))


_STOPWORDS = Stopwords()


def f1(counts: Sequence[Counts]) -> float:
    """F1 from per-page precision and recall averaged over pages (bench/scoring.py)."""
    precisions = [tp / (tp + fp) for tp, fp, _ in counts if tp + fp > 0]
    recalls = [tp / (tp + fn) for tp, _, fn in counts if tp + fn > 0]
    p = statistics.mean(precisions) if precisions else 0.0
    r = statistics.mean(recalls) if recalls else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def page_checks(outcomes: Sequence[Outcome]) -> int:
    """Titles and credits right, less cues naming another outlet: the rules' second score."""
    return sum(bool(o.title_ok) + bool(o.credit_ok) - o.other_credits for o in outcomes)


def score(outcomes: Sequence[Outcome]) -> tuple[float, int]:
    """Body F1 first (rounded below noise), then the page checks."""
    return round(f1([o.counts for o in outcomes]), 6), page_checks(outcomes)


@dataclass(frozen=True, slots=True)
class Choice:
    strength: float
    finder: dict[str, float]
    rules: Rules
    inner_log_loss: float
    inner_f1: float


def choose_finder(pages: Sequence[Shaped], logits: Sequence[np.ndarray], rules: Rules
                  ) -> tuple[dict[str, float], float]:
    best_f1, best_finder = -1.0, finders()[0]
    for finder in finders():
        value = f1([clean_page(p, z, finder, rules).counts
                    for p, z in zip(pages, logits, strict=True)])
        if value > best_f1 + 1e-9:
            best_f1, best_finder = value, finder
    return best_finder, best_f1


def choose(corpus: Corpus, train: Sequence[int]) -> Choice:
    """On the training pages: the L2 strength by the log loss of a grouped inner
    cross-validation; the finder's settings by the page F1 of the same out-of-fold
    predictions (the score the cleaner is judged by); then each rule setting in turn by the
    score of the inner out-of-fold predictions (refitted where the setting changes what the
    model reads), and the finder again if a rule moved."""
    rules = dict(RULE_START)
    pages = corpus.shaped(rules, train)
    scored = []
    for strength in STRENGTHS:
        logits = out_of_fold(pages, strength, INNER_FOLDS)
        scored.append((log_loss(pages, logits), strength, logits))
    loss, strength, logits = min(scored, key=lambda item: item[0])
    finder, _ = choose_finder(pages, logits, rules)
    current = score([clean_page(p, z, finder, rules) for p, z in zip(pages, logits, strict=True)])
    for name, values in RULE_GRID.items():
        best: tuple[tuple[float, int], float, list[Shaped], list[np.ndarray]] | None = None
        for value in values:
            if value == rules[name]:
                continue
            trial = {**rules, name: value}
            trial_pages, trial_logits = pages, logits
            if name not in FINISH_ONLY:
                trial_pages = corpus.shaped(trial, train)
                trial_logits = out_of_fold(trial_pages, strength, INNER_FOLDS)
            result = score([clean_page(p, z, finder, trial)
                            for p, z in zip(trial_pages, trial_logits, strict=True)])
            if result > current and (best is None or result > best[0]):
                best = (result, value, trial_pages, trial_logits)
        if best is not None:
            current, rules[name], pages, logits = best[0], best[1], best[2], best[3]
    if rules != RULE_START:
        finder, _ = choose_finder(pages, logits, rules)
    inner = f1([clean_page(p, z, finder, rules).counts
                for p, z in zip(pages, logits, strict=True)])
    return Choice(strength, finder, rules, loss, inner)


# -- the run ------------------------------------------------------------------------------------


@dataclass(slots=True)
class FoldResult:
    held_out: list[str]  # the groups the fold holds out
    choice: Choice
    model: LineModel


def cross_validate(corpus: Corpus) -> tuple[list[Outcome], list[int], list[FoldResult]]:
    folds = group_folds([p.group for p in corpus.pages], FOLDS)
    held: list[Outcome] = [Outcome((0.0, 0.0, 0.0))] * len(corpus.pages)
    results = []
    for fold in range(FOLDS):
        train = [i for i, f in enumerate(folds) if f != fold]
        choice = choose(corpus, train)
        shaped, names = corpus.shaped(choice.rules), corpus.names_of(choice.rules)
        model = fitted_model([shaped[i] for i in train], names, choice)
        for i, f in enumerate(folds):
            if f == fold:
                logits = np.array(model.logits(_rows(shaped[i], names)))
                held[i] = clean_page(shaped[i], logits, choice.finder, choice.rules)
        groups = sorted({corpus.pages[i].group for i, f in enumerate(folds) if f == fold})
        results.append(FoldResult(groups, choice, model))
        print(f"fold {fold}: C={choice.strength} {choice.finder} {choice.rules}",
              file=sys.stderr)
    return held, folds, results


def fitted_model(pages: Sequence[Shaped], names: list[str], choice: Choice) -> LineModel:
    return as_line_model(fit(pages, choice.strength), names, choice.finder, choice.rules)


def as_line_model(fitted: Fit, names: list[str], finder: dict[str, float],
                  rules: Rules) -> LineModel:
    """The LineModel of a fit, with its body finder and the feature design it read."""
    return LineModel(tuple(names), tuple(float(v) for v in fitted.means),
                     tuple(float(v) for v in fitted.scales),
                     tuple(round(float(v), 6) for v in fitted.weights),
                     round(fitted.intercept, 6), *finder_args(finder), **design_of(rules))


def figures(pages: Sequence[Page], held: list[Outcome], folds: list[int],
            in_sample: list[Outcome]) -> dict[str, dict[str, float]]:
    out = {}
    for source in ("aeb", "wild", None):
        mask = [source is None or p.source == source for p in pages]
        per_fold = [f1([h.counts for h, m, f in zip(held, mask, folds, strict=True)
                        if m and f == k]) for k in range(FOLDS)]
        out[source or "both"] = {
            "pages": sum(mask),
            "cv_f1": round(f1([h.counts for h, m in zip(held, mask, strict=True) if m]), 4),
            "cv_fold_min": round(min(per_fold), 4), "cv_fold_max": round(max(per_fold), 4),
            "in_sample_f1": round(f1([c.counts for c, m in zip(in_sample, mask, strict=True)
                                      if m]), 4)}
    return out


def table_rows(table: dict[str, dict[str, float]]) -> list[str]:
    return ["| pages | CV F1 (held out) | folds (min-max) | in-sample F1 (shipped model) |",
            "|---|---|---|---|",
            *(f"| {name} | {t['cv_f1']:.3f} | {t['cv_fold_min']:.3f}-{t['cv_fold_max']:.3f} | "
              f"{t['in_sample_f1']:.3f} |" for name, t in table.items())]


def run(write: bool = False) -> list[str]:
    corpus = Corpus(load_corpus())
    held, folds, results = cross_validate(corpus)
    choice = choose(corpus, range(len(corpus.pages)))
    pages, names = corpus.shaped(choice.rules), corpus.names_of(choice.rules)
    model = fitted_model(pages, names, choice)
    in_sample = [clean_page(p, np.array(model.logits(_rows(p, names))), choice.finder,
                            choice.rules) for p in pages]
    table = figures(corpus.pages, held, folds, in_sample)
    n_lines = sum(int(p.modelled.sum()) for p in pages)
    rows = [f"{len(pages)} pages ({sum(p.source == 'aeb' for p in corpus.pages)} aeb-dev "
            f"dumps, {sum(p.source == 'wild' for p in corpus.pages)} wild-dev dumps), "
            f"{len({p.group for p in corpus.pages})} groups, {FOLDS} outer group folds "
            f"({INNER_FOLDS} inner); {n_lines} modelled lines, {len(names)} features",
            "", *table_rows(table), "",
            f"wild-dev dumps' page checks, held out: {_checks(held, corpus.pages)}; in-sample: "
            f"{_checks(in_sample, corpus.pages)}", "",
            "Chosen per fold:", *(f"- fold {k}: C={r.choice.strength} {r.choice.finder} "
                                  f"{_changed(r.choice.rules)}" for k, r in enumerate(results)),
            f"Shipped: C={choice.strength} {choice.finder} {_changed(choice.rules)} (inner CV "
            f"log loss {choice.inner_log_loss:.3f}, inner CV F1 {choice.inner_f1:.3f}); "
            f"rules: {choice.rules}"]
    if write:
        record = {"fitted": {
            "command": "python -m bench.fit_cleaner --write",
            "date": datetime.now(UTC).strftime("%Y-%m-%d"),
            "data": {"aeb-dev naive text dumps": table["aeb"]["pages"],
                     "wild-dev text dumps (not excerpts)": table["wild"]["pages"],
                     "groups (sites; story piles)": len({p.group for p in corpus.pages}),
                     "modelled lines": n_lines},
            "method": "logistic regression (lines weighted by sqrt(words), pages equally); L2 "
                      "strength by 4-fold grouped inner CV log loss, body finder settings by "
                      "the page F1 of the same out-of-fold predictions, the rules' settings "
                      "one at a time over RULE_GRID by that F1, then titles and credits right",
            "strength": choice.strength, "figures": table},
            "model": model.as_dict(),
            "rules": choice.rules,
            "folds": [{"held_out": r.held_out, "strength": r.choice.strength,
                       "rules": r.choice.rules, "model": r.model.as_dict()} for r in results]}
        MODEL_PATH.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
        rows.append(f"wrote {MODEL_PATH}")
        if rules_config(choice.rules) != FurnitureConfig():
            rows.append(f"FurnitureConfig's defaults differ from the chosen rules: set them to "
                        f"{choice.rules} (tests/test_linemodel.py checks they agree)")
    return rows


def _checks(outcomes: Sequence[Outcome], pages: Sequence[Page]) -> str:
    wild = [o for o, p in zip(outcomes, pages, strict=True) if p.source == "wild"]
    titles = [o.title_ok for o in wild if o.title_ok is not None]
    credits = [o.credit_ok for o in wild if o.credit_ok is not None]
    return (f"titles {sum(titles)}/{len(titles)}, credits naming the origin "
            f"{sum(credits)}/{len(credits)}, cues naming another outlet "
            f"{sum(o.other_credits for o in wild)}")


def _changed(rules: Rules) -> str:
    moved = {k: v for k, v in rules.items() if v != RULE_START[k]}
    return f"rules moved {moved}" if moved else "rules at their start values"


def _rows(page: Shaped, names: list[str]) -> list[dict[str, float]]:
    return [dict(zip(names, (float(v) for v in row), strict=True)) for row in page.x]


# -- ablation -----------------------------------------------------------------------------------


def written_folds() -> list[dict[str, Any]]:
    record = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    if "folds" not in record:
        raise SystemExit(f"{MODEL_PATH} has no outer folds: run `python -m bench.fit_cleaner "
                         "--write` first")
    folds: list[dict[str, Any]] = record["folds"]
    return folds


def held_out_cleaners() -> list[tuple[set[str], FurnitureConfig]]:
    """Each written outer fold's held-out wild-dev piles (by label group) and the cleaner's
    rules and model fitted without them: for scoring wild-dev's pages under the fit's CV."""
    return [({group.removeprefix("wild:") for group in fold["held_out"]
              if group.startswith("wild:")},
             replace(rules_config(fold["rules"]), line_model=LineModel.from_dict(fold["model"])))
            for fold in written_folds()]


def held_out_under(corpus: Corpus, written: Sequence[dict[str, Any]], change: Rules | None = None
                   ) -> tuple[list[Outcome], list[LineModel]]:
    """Every page cleaned by the written outer fold that held it out, with that fold's
    strength, finder and rules (`change` overriding some of the rules), the model refitted
    on the fold's training pages as the corpus and the rules shape them (no re-choice).
    Also each fold's model, for cleaning wild-dev's piles as `analyze` reads them."""
    held: list[Outcome] = [Outcome((0.0, 0.0, 0.0))] * len(corpus.pages)
    models = []
    for entry in written:
        rules = {**entry["rules"], **(change or {})}
        finder = entry["model"]["body_finder"]
        held_out = set(entry["held_out"])
        shaped = corpus.shaped(rules)
        model = corpus.fitted(rules, entry["strength"],
                              [i for i, p in enumerate(corpus.pages) if p.group not in held_out])
        for i, page in enumerate(shaped):
            if page.page.group in held_out:
                held[i] = clean_page(page, model.logits(page.x), finder, rules, corpus.without)
        models.append(as_line_model(model, corpus.names_of(rules), finder, rules))
    return held, models


def ablate() -> list[str]:
    """Held-out figures with every list, then without each: the written outer folds, each
    with its chosen strength, finder and rules, the model refitted on the training folds with
    the list left out (no re-choice: this measures what the list adds, not a new fit)."""
    pages = load_corpus()
    written = written_folds()
    rows = ["| left out | CV F1 aeb-dev | CV F1 wild-dev | CV F1 both | titles | credits | "
            "cues naming another outlet |", "|---|---|---|---|---|---|---|"]
    for without in (None, *ABLATED):
        corpus = Corpus(pages, frozenset({without}) if without else frozenset())
        held, _ = held_out_under(corpus, written)
        by_source = [f1([h.counts for h, p in zip(held, pages, strict=True)
                         if source in (None, p.source)]) for source in ("aeb", "wild", None)]
        checks = _checks(held, pages).split(", ")
        rows.append(f"| {without or '(nothing)'} | " + " | ".join(f"{v:.3f}" for v in by_source)
                    + " | " + " | ".join(c.rsplit(" ", 1)[1] for c in checks) + " |")
        print(rows[-1], file=sys.stderr)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help=f"write {MODEL_PATH.name}")
    parser.add_argument("--ablate", action="store_true",
                        help="what each phrase and word list contributes, under the written "
                             "folds")
    args = parser.parse_args()
    print("\n".join(ablate() if args.ablate else run(args.write)))


if __name__ == "__main__":
    main()
