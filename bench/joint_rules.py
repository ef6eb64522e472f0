"""Two interacting rule settings of the text-dump cleaner searched jointly, not one at a time
(issue 17, item 7).

`bench.fit_cleaner` chooses FurnitureConfig's rule settings coordinate-wise: each over its
3-value grid, from the values chosen before it. `good_min_words` and `long_prose_words` are
the two halves of one test (a line is prose when it ends like a sentence and has
good_min_words words, or has long_prose_words words dense in stopwords), the two settings the
outer folds disagreed on most, so they may interact. Here, under the outer folds that
`python -m bench.fit_cleaner --write` wrote, each fold searches the pair over the full 3x3
grid (RULE_GRID's values) by the same inner grouped cross-validation on its training pages
(the fold's L2 strength and body finder, the model refitted on the inner folds; ties keep
the coordinate pass's choice), then the model refitted on the training pages with the pair
chosen cleans the held-out fold. Printed: each fold's coordinate and joint choice, the
held-out body F1 both ways (the coordinate figures are the written folds' own), the range
over folds, and the in-sample figure of the joint choice on all pages.
`python -m bench.joint_rules`; minutes on 2 cores.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence
from typing import Any

from bench.cleaner_limits import fold_f1, pooled_f1
from bench.fit_cleaner import (
    INNER_FOLDS,
    MODEL_PATH,
    RULE_GRID,
    Corpus,
    Outcome,
    Rules,
    clean_page,
    held_out_under,
    load_corpus,
    out_of_fold,
    score,
    written_folds,
)

PAIR = ("good_min_words", "long_prose_words")


def joint_choice(corpus: Corpus, train: Sequence[int], start: Rules, strength: float,
                 finder: dict[str, float]) -> tuple[Rules, tuple[float, int]]:
    """The pair's values with the best inner-CV score on the training pages (ties: start)."""
    best_rules, best_score = dict(start), (-1.0, 0)
    combos = itertools.product(*(RULE_GRID[name] for name in PAIR))
    for values in sorted(combos, key=lambda v: v != tuple(start[n] for n in PAIR)):
        trial = {**start, **dict(zip(PAIR, values, strict=True))}
        pages = corpus.shaped(trial, train)
        logits = out_of_fold(pages, strength, INNER_FOLDS)
        result = score([clean_page(p, z, finder, trial)
                        for p, z in zip(pages, logits, strict=True)])
        if result > best_score:
            best_rules, best_score = trial, result
    return best_rules, best_score


def held_out_joint(corpus: Corpus, written: list[dict[str, Any]]
                   ) -> tuple[list[Outcome], list[Rules]]:
    held: list[Outcome] = [Outcome((0.0, 0.0, 0.0))] * len(corpus.pages)
    chosen = []
    for entry in written:
        held_out = set(entry["held_out"])
        train = [i for i, p in enumerate(corpus.pages) if p.group not in held_out]
        finder = entry["model"]["body_finder"]
        rules, _ = joint_choice(corpus, train, entry["rules"], entry["strength"], finder)
        chosen.append(rules)
        model = corpus.fitted(rules, entry["strength"], train)
        for i, page in enumerate(corpus.shaped(rules)):
            if page.page.group in held_out:
                held[i] = clean_page(page, model.logits(page.x), finder, rules)
    return held, chosen


def run() -> list[str]:
    corpus = Corpus(load_corpus())
    written = written_folds()
    folds = [set(entry["held_out"]) for entry in written]
    coordinate, _ = held_out_under(corpus, written)
    joint, chosen = held_out_joint(corpus, written)
    shipped = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    everyone = list(range(len(corpus.pages)))
    finder = shipped["model"]["body_finder"]
    strength = shipped["fitted"]["strength"]
    on_all, _ = joint_choice(corpus, everyone, shipped["rules"], strength, finder)
    model = corpus.fitted(on_all, strength, everyone)
    in_sample = [clean_page(p, model.logits(p.x), finder, on_all)
                 for p in corpus.shaped(on_all)]
    rows = ["| fold | coordinate choice | joint choice |", "|---|---|---|"]
    rows += [f"| {k} | {tuple(entry['rules'][n] for n in PAIR)} | "
             f"{tuple(rules[n] for n in PAIR)} |"
             for k, (entry, rules) in enumerate(zip(written, chosen, strict=True))]
    rows += ["", f"On all pages: shipped {tuple(shipped['rules'][n] for n in PAIR)}, joint "
             f"{tuple(on_all[n] for n in PAIR)}", "",
             "| search | CV F1 aeb-dev | folds (min-max) | CV F1 wild-dev | in-sample F1 aeb-dev |",
             "|---|---|---|---|---|"]
    for name, held in (("coordinate (written folds)", coordinate), ("joint 3x3", joint)):
        by_fold = fold_f1(held, corpus, folds, "aeb")
        rows.append(f"| {name} | {pooled_f1(held, corpus, 'aeb'):.3f} | {min(by_fold):.3f}-"
                    f"{max(by_fold):.3f} | {pooled_f1(held, corpus, 'wild'):.3f} | "
                    + (f"{pooled_f1(in_sample, corpus, 'aeb'):.3f} |" if name.startswith("joint")
                       else "(shipped: bench.fit_cleaner) |"))
    return rows


if __name__ == "__main__":
    print("\n".join(run()))
