"""Candidate signals for the derivation model, each measured by the grouped cross-validation
of `make train` before it is adopted.

`python -m bench.feature_trials [--kind paraphrase]` fits the model with the shipped signals
and with each candidate set on the same folds (the aligned pairs come from `make train`'s
cache), and prints, for each, the out-of-fold figures of each pair alone at the shipped
derived threshold, the log loss, and the figure with the derived threshold and reconcile's
`explainable_below` chosen by the same folds (the other thresholds as shipped).
The L2 strength is the one `make train` chose on all data for the shipped signals (choosing it
again inside every fold for every trial would multiply the cost by thirty); say so with the
figures.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np

from bench.background_signals import CONTRASTED, with_contrast, with_rare_words
from bench.derivation_data import CORPUS, Example
from bench.derivation_errors import table
from bench.derivation_scoring import Verdict, score
from bench.fit_decisions import fit_decisions, grid
from bench.train_derivation import (
    FEATURES,
    FOLDS,
    _folds,
    all_examples,
    choose_strength,
    datasets,
    fit,
    modelled,
    predict,
    training_rows,
)
from newstrace.records import DERIVED as DERIVED_LABELS
from newstrace.stages.reuse.align import AlignConfig, Aligner
from newstrace.stages.reuse.relate import RelateConfig
from newstrace.stages.reuse.wording import CANDIDATE_SIGNALS


def _ratio(top: str, bottom: str) -> Callable[[dict[str, float]], float]:
    return lambda s: s.get(top, 0.0) / s[bottom] if s.get(bottom, 0.0) > 0 else 0.0


# Signals computed from a pair's stored scores (no new alignment needed).
DERIVED: dict[str, Callable[[dict[str, float]], float]] = {
    "prose_order": _ratio("chain_max", "follow_max"),  # the matches' order, not their amount
    "close_share": _ratio("close_follow", "follow_max"),  # how close the matches are
}

# Against the shipped signals. Adopted on 2026-12-06 (lowest out-of-fold log loss on two
# dealings of the folds): anchor_overlap, text_similarity and matched_sequence_max/min, now
# part of FEATURES; the trials with them are kept out of this list, the others stay to be
# re-measured as the corpus grows (docs/benchmarks.md has the table).
TRIALS: dict[str, tuple[str, ...]] = {
    "shipped signals": FEATURES,
    "+ order": (*FEATURES, "order"),
    "+ prose_order": (*FEATURES, "prose_order"),
    "+ close_share": (*FEATURES, "close_share"),
    "+ shared_quotes, quoted_sentences": (*FEATURES, "shared_quotes", "quoted_sentences"),
    # 2026-12-07 (s29): what separates following a source's wording from following the same
    # fact sheet (docs/benchmarks.md, fourth pass).
    "+ wording": (*FEATURES, "wording_max", "wording_min"),
    "+ skeleton": (*FEATURES, "skeleton_max", "skeleton_min"),
    "+ frame_trigrams": (*FEATURES, "frame_trigrams"),
    "+ monotone": (*FEATURES, "monotone_max", "monotone_min"),
    "+ wording, skeleton, frame_trigrams, monotone": (
        *FEATURES, "wording_max", "wording_min", "skeleton_max", "skeleton_min",
        "frame_trigrams", "monotone_max", "monotone_min"),
    "+ every pairwise candidate": (*FEATURES, *CANDIDATE_SIGNALS),
    "+ rare_words": (*FEATURES, "rare_words_max", "rare_words_min"),
    "+ background contrast": (*FEATURES, *(f"{name}_contrast_{side}" for name in CONTRASTED
                                           for side in ("min", "max"))),
    "+ fact_packaging": (*FEATURES, "fact_packaging"),
    "+ matched_lengths": (*FEATURES, "matched_lengths"),
    "+ fact_packaging, matched_lengths, wording": (*FEATURES, "fact_packaging",
                                                   "matched_lengths", "wording_max",
                                                   "wording_min"),
    "+ chosen_words": (*FEATURES, "chosen_words_max", "chosen_words_min"),
    "+ wording, monotone": (*FEATURES, "wording_max", "wording_min", "monotone_max",
                            "monotone_min"),
    "+ wording, monotone, rare_words": (*FEATURES, "wording_max", "wording_min",
                                        "monotone_max", "monotone_min", "rare_words_max",
                                        "rare_words_min"),
    "+ background contrast, wording, monotone": (
        *FEATURES, *(f"{name}_contrast_{side}" for name in CONTRASTED for side in ("min", "max")),
        "wording_max", "wording_min", "monotone_max", "monotone_min"),
    "+ background contrast, related neighbours": (
        *FEATURES, *(f"{name}_contrast_related_{side}" for name in CONTRASTED
                     for side in ("min", "max"))),
    "+ background contrast, two neighbours": (
        *FEATURES, *(f"{name}_contrast_two_{side}" for name in CONTRASTED
                     for side in ("min", "max"))),
    "+ close_follow contrast": (*FEATURES, "close_follow_contrast_min",
                                "close_follow_contrast_max"),
}


def with_derived(found: Sequence[Example]) -> None:
    for example in found:
        for name, signal in DERIVED.items():
            example.scores.setdefault(name, round(signal(example.scores), 4))


def cross_validated(found: Sequence[Example], features: Sequence[str], strength: float,
                    seed: int = 0) -> tuple[list[list[Verdict]], float]:
    """Out-of-fold verdicts by fold, and the out-of-fold log loss of the true label."""
    config = RelateConfig()
    rows = training_rows(found, config)
    by_fold, loss = [], 0.0
    for held in _folds([e.pair.group for e in found], FOLDS, seed=seed):
        model = fit([r for r in rows if r.pair.group not in held], strength, features)
        by_fold.append([predict(model, e, config) for e in found if e.pair.group in held])
        for row in rows:
            if row.pair.group in held:
                p = model.probabilities(row.scores).get(row.pair.label, 0.0)
                loss -= float(np.log(max(p, 1e-9)))
    return by_fold, loss / max(len(rows), 1)


def boosted_trees(found: Sequence[Example], features: Sequence[str], strength: float,
                  seed: int = 0) -> dict[str, dict[float, tuple[float, float]]]:
    """Derived recall and precision, each pair alone, of gradient-boosted trees over
    `features` on the same grouped folds (derived or not; pairs the model decides): whether
    the signals hold more than a linear model reads from them. A diagnostic, not a model to
    ship (its probabilities are not calibrated here and prediction would need the trees)."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from threadpoolctl import threadpool_limits

    rows = training_rows(found, RelateConfig())
    x = np.array([[float(r.scores.get(f, 0.0)) for f in features] for r in rows])
    derived = np.array([r.pair.label != "independent" for r in rows])
    groups = np.array([r.pair.group for r in rows])
    trees, linear = np.zeros(len(rows)), np.zeros(len(rows))
    for held in _folds(list(groups), FOLDS, seed=seed):
        test = np.isin(groups, list(held))
        model = HistGradientBoostingClassifier(max_iter=100, learning_rate=0.05,
                                               max_leaf_nodes=15, random_state=0)
        with threadpool_limits(1):
            model.fit(x[~test], derived[~test])
            trees[test] = model.predict_proba(x[test])[:, 1]
        logistic = fit([r for r, t in zip(rows, test, strict=True) if not t], strength, features)
        linear[test] = [1.0 - logistic.probabilities(r.scores).get("independent", 0.0)
                        for r, t in zip(rows, test, strict=True) if t]
    figures: dict[str, dict[float, tuple[float, float]]] = {}
    for name, probability in (("boosted trees", trees), ("logistic", linear)):
        figures[name] = {}
        for threshold in (0.3, 0.5):
            called = probability > threshold
            tp = int((called & derived).sum())
            figures[name][threshold] = (tp / max(int(derived.sum()), 1),
                                        tp / max(int(called.sum()), 1))
    return figures


# The roles of the reports written without the base (the corpus's and spread-dev's
# "independent", wild-dev's independent roles).
INDEPENDENT_ROLES = ("independent",)


def spread_of_false_positives(verdicts: Sequence[Verdict]) -> str:
    """Whether the independent reports called derived are a few reports close to their whole
    group (a report that followed the base after all) or single pairs of many reports: how many
    of each report's labelled pairs are called derived, and against which role when one is."""
    pairs: Counter[tuple[str, str, str]] = Counter()
    called: Counter[tuple[str, str, str]] = Counter()
    against: Counter[str] = Counter()
    for v in verdicts:
        p = v.example.pair
        if p.label != "independent":
            continue
        report, other = (p.a, p.b) if p.a in INDEPENDENT_ROLES else (p.b, p.a)
        key = (p.dataset, p.group, report)
        pairs[key] += 1
        if v.label in DERIVED_LABELS:
            called[key] += 1
            against[f"{p.dataset} {other}"] += 1
    shape = Counter((n, pairs[key]) for key, n in called.items())
    return (f"Independent reports with a pair called derived: {len(called)} of {len(pairs)}; "
            "(pairs called derived, the report's labelled pairs): " + ", ".join(
                f"{k} ×{n}" for k, n in sorted(shape.items())) + ". Against: " + ", ".join(
                f"{k} {n}" for k, n in against.most_common()) + ".")


def alone_verdicts(by_fold: list[list[Verdict]]) -> list[Verdict]:
    return [v for fold in by_fold for v in fold]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kind", choices=("paraphrase", "lexical"), default="paraphrase")
    parser.add_argument("--trial", action="append", help="only these trials (by name)")
    parser.add_argument("--seed", type=int, default=0, help="how groups are dealt into folds "
                        "(0: as make train deals them)")
    parser.add_argument("--errors", action="store_true", help="also print the candidate "
                        "signals' means by kind of error of the shipped signals' out-of-fold "
                        "verdicts, each pair alone (as bench/derivation_errors does)")
    parser.add_argument("--by-dataset", action="store_true", help="also each data set's "
                        "figures, each pair alone")
    parser.add_argument("--trees", nargs="*", metavar="TRIAL", help="also gradient-boosted "
                        "trees over these trials' signals (a diagnostic)")
    args = parser.parse_args(argv)
    loaded, _ = datasets(CORPUS)
    found = all_examples(loaded, args.kind == "paraphrase",
                         Aligner(AlignConfig(candidate_signals=True)))
    with_derived(found)
    with_contrast(found)
    config = RelateConfig()
    with_contrast(found, "_related", lambda e: modelled(e, config)
                  or min(e.scores["verbatim_a"], e.scores["verbatim_b"])
                  >= config.duplicate_coverage)
    with_contrast(found, "_two", most=2)
    with_rare_words(found, loaded)
    strength = choose_strength(training_rows(found, RelateConfig()))
    print(f"{args.kind} model; L2 strength (C) {strength} (chosen on all data, shipped "
          f"signals); {FOLDS} grouped folds, dealt with seed {args.seed}.\n")
    if args.errors:
        by_fold, _ = cross_validated(found, FEATURES, strength, args.seed)
        candidates = sorted({f for features in TRIALS.values() for f in features} - set(FEATURES)
                            - {"order", "shared_quotes"})
        print("\n".join(table([v for fold in by_fold for v in fold], candidates)), "\n")
        print(spread_of_false_positives(alone_verdicts(by_fold)), "\n")
    print("| signals | log loss | recall | precision | F1 | label acc. | ECE | "
          "thresholds by CV: recall | precision | label acc. |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, features in TRIALS.items():
        if args.trial and name not in args.trial:
            continue
        by_fold, loss = cross_validated(found, features, strength, args.seed)
        alone = score([v for fold in by_fold for v in fold])
        nested = score(fit_decisions(by_fold, grid(full=False)).verdicts)
        if args.by_dataset:
            for dataset in sorted({v.example.pair.dataset for v in alone_verdicts(by_fold)}):
                part = score([v for v in alone_verdicts(by_fold)
                              if v.example.pair.dataset == dataset])
                print(f"| {name}, {dataset} only | | {part['recall']:.3f} | "
                      f"{part['precision']:.3f} | {part['f1']:.3f} | "
                      f"{part['label_accuracy']:.3f} | {part['ece']:.3f} | | | |")
        print(f"| {name} | {loss:.4f} | {alone['recall']:.3f} | {alone['precision']:.3f} | "
              f"{alone['f1']:.3f} | {alone['label_accuracy']:.3f} | {alone['ece']:.3f} | "
              f"{nested['recall']:.3f} | {nested['precision']:.3f} | "
              f"{nested['label_accuracy']:.3f} |", flush=True)

    for name in args.trees or ():
        for model, at in boosted_trees(found, TRIALS[name], strength, args.seed).items():
            print(f"- {model}, {name}: " + "; ".join(
                f"threshold {t}: recall {r:.3f}, precision {p:.3f}" for t, (r, p) in at.items())
                + " (each pair alone, pairs the model decides)")


if __name__ == "__main__":
    main()
