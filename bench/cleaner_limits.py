"""How much the text-dump cleaner's structural limits matter (issue 17, item 7).

The limits are conventions of a page's shape, hand-set: the longest line a strong furniture
phrase condemns, the line model's length cap and neighbour window, how long a date line,
headline, credit label, teaser headline, credit line, byline, masthead and copyright line may
be (FurnitureConfig's "structural limits", LineModel's feature design and the clip on a line's
log-odds). Each is tried at about
half its value and at double, one at a time, under the outer folds that
`python -m bench.fit_cleaner --write` wrote: each page cleaned by the fold that held it out,
with that fold's L2 strength, body finder and rules, the line model refitted on the fold's
training pages as the limit shapes them (no other re-choice). Printed for each value: body
F1 held out on aeb-dev dumps (pooled over pages, then the range over the 5 folds, then the
fold-by-fold change against the convention) and on wild-dev dumps; wild-dev's page checks
as `newstrace analyze` reads each pile (titles, bodies whole, credits naming the origin,
outlets, dates), each pile with its fold's cleaner; beside them the in-sample figures (the
shipped choice refitted on all pages with the limit).

A value is called better or worse only when its fold-by-fold change in aeb-dev body F1 is
more than twice its standard error and has the same sign in at least four of the five folds,
or when a page check moves; otherwise the limit is flat there. `python -m
bench.cleaner_limits [--only NAME ...]`; minutes on 2 cores (a refit per value of each limit
that changes what the model reads).
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bench.data import data_dir
from bench.fit_cleaner import (
    FOLDS,
    MODEL_PATH,
    Corpus,
    Outcome,
    Rules,
    as_line_model,
    clean_page,
    f1,
    held_out_under,
    load_corpus,
    rules_config,
    written_folds,
)
from bench.wild import check_pile, held_out_checks, read_pile
from newstrace.stages.clean.furniture import FurnitureConfig
from newstrace.stages.clean.linemodel import BIN_EDGES, LENGTH_CAP, LOGIT_CLIP, WINDOW

_DEFAULTS = FurnitureConfig()
# Each limit: (about half, the convention, double). Where half of a small number is not a
# whole number the nearer sensible bound is taken (a headline of at least 1 or 2 words).
LIMIT_GRID: dict[str, tuple[int, int, int]] = {
    "strong_max_words": (40, _DEFAULTS.strong_max_words, 160),
    "feature_length_cap": (40, LENGTH_CAP, 160),
    "feature_window": (1, WINDOW, 6),
    "body_length_cap": (40, _DEFAULTS.body_length_cap, 160),
    "date_line_max_words": (4, _DEFAULTS.date_line_max_words, 16),
    "date_line_max_chars": (40, _DEFAULTS.date_line_max_chars, 160),
    "logit_clip": (6, int(LOGIT_CLIP), 24),
    "feature_bins": (4, len(BIN_EDGES), 2 * len(BIN_EDGES)),  # bench.fit_cleaner.BIN_DESIGNS
    "headline_min_words": (1, _DEFAULTS.headline_min_words, 6),
    "headline_max_words": (15, _DEFAULTS.headline_max_words, 60),
    "credit_label_max_words": (1, _DEFAULTS.credit_label_max_words, 6),
    "teaser_headline_max_words": (10, _DEFAULTS.teaser_headline_max_words, 40),
    "credit_line_max_words": (15, _DEFAULTS.credit_line_max_words, 60),
    "byline_max_words": (8, _DEFAULTS.byline_max_words, 32),
    "byline_sentence_words": (4, _DEFAULTS.byline_sentence_words, 16),
    "masthead_lines": (1, _DEFAULTS.masthead_lines, 6),
    "masthead_max_words": (3, _DEFAULTS.masthead_max_words, 12),
    "copyright_max_words": (12, _DEFAULTS.copyright_max_words, 50),
}
CHECKS = ("titles", "bodies whole", "credits", "outlets", "dates")


@dataclass(frozen=True, slots=True)
class Trial:
    """One value of one limit: held-out and in-sample figures."""

    name: str
    value: int
    cv_aeb: float
    fold_aeb: list[float]
    cv_wild: float
    in_sample_aeb: float
    held_checks: list[tuple[int, int]]  # (passed, total) per CHECKS, held out
    in_sample_checks: list[tuple[int, int]]


def fold_f1(outcomes: Sequence[Outcome], corpus: Corpus, folds: list[set[str]],
            source: str) -> list[float]:
    """Each outer fold's held-out body F1 on the pages of `source`."""
    return [f1([o.counts for o, p in zip(outcomes, corpus.pages, strict=True)
                if p.source == source and p.group in held]) for held in folds]


def pooled_f1(outcomes: Sequence[Outcome], corpus: Corpus, source: str) -> float:
    return f1([o.counts for o, p in zip(outcomes, corpus.pages, strict=True)
               if p.source == source])


def trial(corpus: Corpus, written: list[dict[str, Any]], shipped: dict[str, Any],
          wild: tuple[Path, dict[str, Any]], name: str, value: int | None) -> Trial:
    """The figures with `name` at `value` (None: its convention, nothing changed)."""
    change: Rules = {} if value is None else {name: value}
    held, models = held_out_under(corpus, written, change)
    folds = [set(entry["held_out"]) for entry in written]
    rules = {**shipped["rules"], **change}
    finder = shipped["model"]["body_finder"]
    everyone = list(range(len(corpus.pages)))
    model = corpus.fitted(rules, shipped["fitted"]["strength"], everyone)
    shaped = corpus.shaped(rules)
    in_sample = [clean_page(page, model.logits(page.x), finder, rules) for page in shaped]
    folder, labels = wild
    cleaners = [({group.removeprefix("wild:") for group in entry["held_out"]
                  if group.startswith("wild:")},
                 replace(rules_config({**entry["rules"], **change}), line_model=fold_model))
                for entry, fold_model in zip(written, models, strict=True)]
    per_fold = held_out_checks(folder, labels, cleaners)
    held_checks = [(sum(fold[i].passed for fold in per_fold),
                    sum(fold[i].total for fold in per_fold)) for i in range(len(CHECKS))]
    config = replace(rules_config(rules),
                     line_model=as_line_model(model, corpus.names_of(rules), finder, rules))
    whole = check_pile(labels, read_pile(folder, None, config))
    return Trial(name, LIMIT_GRID[name][1] if value is None else value,
                 pooled_f1(held, corpus, "aeb"), fold_f1(held, corpus, folds, "aeb"),
                 pooled_f1(held, corpus, "wild"), pooled_f1(in_sample, corpus, "aeb"),
                 held_checks, [(c.passed, c.total) for c in whole])


def verdict(trial: Trial, base: Trial) -> str:
    """better / worse / flat against the convention (the module's docstring says how)."""
    deltas = [a - b for a, b in zip(trial.fold_aeb, base.fold_aeb, strict=True)]
    mean = statistics.mean(deltas)
    error = statistics.stdev(deltas) / math.sqrt(len(deltas))
    same_sign = sum((d > 0) == (mean > 0) and d != 0 for d in deltas)
    body = "flat"
    if abs(mean) > 2 * error and same_sign >= FOLDS - 1 and abs(mean) >= 5e-4:
        body = "better" if mean > 0 else "worse"
    checks = sum(p for p, _ in trial.held_checks) - sum(p for p, _ in base.held_checks)
    if checks:
        body += f"; checks {checks:+d}"
    return body


def row(trial: Trial, base: Trial) -> str:
    deltas = [a - b for a, b in zip(trial.fold_aeb, base.fold_aeb, strict=True)]
    checks = " | ".join(f"{p}/{t}" for p, t in trial.held_checks)
    in_checks = "/".join(str(p) for p, _ in trial.in_sample_checks)
    mark = " (convention)" if trial is base else ""
    return (f"| {trial.name} | {trial.value}{mark} | {trial.cv_aeb:.3f} | "
            f"{min(trial.fold_aeb):.3f}-{max(trial.fold_aeb):.3f} | "
            f"{statistics.mean(deltas):+.4f} ({min(deltas):+.4f}..{max(deltas):+.4f}) | "
            f"{trial.cv_wild:.3f} | {checks} | {trial.in_sample_aeb:.3f} | {in_checks} | "
            f"{'' if trial is base else verdict(trial, base)} |")


HEADER = ["| limit | value | CV F1 aeb-dev dumps | folds (min-max) | change by fold vs "
          "convention: mean (min..max) | CV F1 wild-dev dumps | titles | bodies whole | "
          "credits | outlets | dates | in-sample F1 aeb-dev | in-sample checks (t/b/c/o/d) | "
          "held out: verdict |",
          "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]


def run(names: Sequence[str] | None = None, out: Path | None = None) -> list[str]:
    names = list(names or LIMIT_GRID)
    corpus = Corpus(load_corpus())
    written = written_folds()
    shipped = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    folder = data_dir("wild-dev")
    wild = (folder, json.loads((folder / "labels.json").read_text(encoding="utf-8")))
    base = trial(corpus, written, shipped, wild, names[0], None)
    rows = list(HEADER)
    records = []
    for name in names:
        low, convention, high = LIMIT_GRID[name]
        tried = {value: trial(corpus, written, shipped, wild, name, value)
                 for value in (low, high)}
        conventional = replace(base, name=name, value=convention)
        for value in (low, convention, high):
            current = tried.get(value, conventional)
            rows.append(row(current, conventional if value != convention else current))
            print(rows[-1], file=sys.stderr)
            records.append({"name": name, "value": value, "cv_aeb": current.cv_aeb,
                            "fold_aeb": current.fold_aeb, "cv_wild": current.cv_wild,
                            "in_sample_aeb": current.in_sample_aeb,
                            "held_checks": current.held_checks,
                            "in_sample_checks": current.in_sample_checks})
        if out is not None:
            out.write_text(json.dumps(records, indent=1) + "\n", encoding="utf-8")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="+", choices=sorted(LIMIT_GRID),
                        help="these limits only (all by default)")
    parser.add_argument("--json", type=Path, help="also write the figures here as JSON")
    args = parser.parse_args()
    print("\n".join(run(args.only, args.json)))


if __name__ == "__main__":
    main()
