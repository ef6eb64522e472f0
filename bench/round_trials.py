"""Candidate derivation signals measured held out by writing round (issue 18).

bench/feature_trials.py judges a signal by random-fold CV, which deals groups of both writing
rounds into every fold. The loss the issue names is on text written by other hands: fitted on
the first round (corpus a-/b-, spread-dev, wild-dev), the model's precision on the later round
(c-/d-) falls to 0.43 (bench/derivation_holdout.py; bench/round_diagnosis.py shows it is
mostly a ranking failure). For each trial set of signals this bench fits the model on the
first round and scores the later one: the shipped thresholds, the AUC and average precision
of the derived probability (every pair, and the derived pairs against base ~ independent),
the log loss, and F1 with the thresholds chosen by grouped CV on the later round; then the
same signals under random-fold nested CV over all groups (thresholds by the same folds), which
a signal must not lose. The L2 strength is the one grouped CV chooses on the first round for
the shipped signals (choosing it per trial and fold would multiply the cost); say so.

`python -m bench.round_trials [--trial NAME ...]` (aligns every pair with the candidate
signals once; the alignment cache in bench/out makes later runs quick).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

import numpy as np

from bench.background_signals import CONTRASTED, with_contrast, with_rare_words
from bench.derivation_data import CORPUS, Example
from bench.derivation_holdout import first, later
from bench.derivation_scoring import Verdict, score
from bench.feature_trials import cross_validated, pair_kind
from bench.fit_decisions import decided, fit_decisions, grid, shipped
from bench.round_diagnosis import on_later, ranking
from bench.train_derivation import (
    FEATURES,
    all_examples,
    choose_strength,
    datasets,
    fit,
    modelled,
    predict,
    training_rows,
)
from newstrace.stages.reuse.align import AlignConfig, Aligner
from newstrace.stages.reuse.derivation import DerivationModel
from newstrace.stages.reuse.relate import RelateConfig

WHOLE_TEXT_WORDING = ("prose_trigrams", "trigram_containment", "word_sequence",
                      "prose_sequence")
TRIALS: dict[str, tuple[str, ...]] = {
    "shipped signals": FEATURES,
    "+ factfree_follow": (*FEATURES, "factfree_follow_max", "factfree_follow_min"),
    "+ factfree_close": (*FEATURES, "factfree_close_max"),
    "+ factfree_follow, factfree_close": (*FEATURES, "factfree_follow_max",
                                          "factfree_follow_min", "factfree_close_max"),
    # which shared facts each text's paragraphs put together (the base's layout, which a
    # report written from a fact sheet does not have)
    "+ paragraph_packaging": (*FEATURES, "paragraph_packaging"),
    "+ paragraph_packaging, fact_packaging": (*FEATURES, "paragraph_packaging",
                                              "fact_packaging"),
    "+ wording": (*FEATURES, "wording_max", "wording_min"),
    "+ skeleton": (*FEATURES, "skeleton_max", "skeleton_min"),
    "+ frame_trigrams": (*FEATURES, "frame_trigrams"),
    "+ monotone": (*FEATURES, "monotone_max", "monotone_min"),
    "+ fact_packaging": (*FEATURES, "fact_packaging"),
    "+ matched_lengths": (*FEATURES, "matched_lengths"),
    "+ chosen_words": (*FEATURES, "chosen_words_max", "chosen_words_min"),
    # The whole-text wording overlaps: the signals whose separation falls most between the
    # rounds (bench/round_diagnosis.py), because reports written from one fact sheet share
    # its phrasing. Chosen from that diagnosis, so the forward figure of these two sets is
    # not held out; the reverse direction (--reverse) is the check.
    "- whole-text wording": tuple(f for f in FEATURES if f not in WHOLE_TEXT_WORDING),
    "- whole-text wording, - larger sides": tuple(
        f for f in FEATURES if f not in WHOLE_TEXT_WORDING and not f.endswith("_max")),
    "+ background contrast, related members": (
        *FEATURES, *(f"{name}_contrast_related_{side}" for name in CONTRASTED
                     for side in ("min", "max"))),
}


def log_loss(model: DerivationModel, rows: Sequence[Example]) -> float:
    loss = -sum(float(np.log(max(model.probabilities(r.scores).get(r.pair.label, 0.0), 1e-9)))
                for r in rows)
    return loss / max(len(rows), 1)


def held_by_round(found: Sequence[Example], features: Sequence[str], strength: float,
                  reverse: bool = False) -> tuple[list[Verdict], float]:
    """The later round's verdicts from a model fitted on the first round, and its log loss
    on the later round's modelled pairs; `reverse`: the first round's corpus groups (a-, b-)
    from a model fitted on the later round alone."""
    config = RelateConfig()
    if reverse:
        train = [e for e in found if later(e)]
        second = [e for e in found if first(e) and e.pair.dataset == "corpus"]
    else:
        train = [e for e in found if first(e)]
        second = [e for e in found if later(e)]
    model = fit(training_rows(train, config), strength, features)
    return ([predict(model, e, config) for e in second],
            log_loss(model, training_rows(second, config)))


def thresholds_on_later(held: Sequence[Verdict]) -> dict[str, float]:
    """The figures with the thresholds chosen by grouped CV on the scored round itself."""
    result: dict[str, float] = score(on_later(held).verdicts)
    return result


def independents_called(verdicts: Sequence[Verdict], kind: str) -> str:
    chosen = [v for v in verdicts if pair_kind(v.example.pair) == kind]
    called = sum(v.label not in ("independent", "unrelated") for v in chosen)
    return f"{called}/{len(chosen)}"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trial", action="append", help="only these trials (by name)")
    parser.add_argument("--reverse", action="store_true", help="fit on the later round, "
                        "score the first round's corpus groups")
    parser.add_argument("--strength", type=float, help="this L2 strength (C) instead of the "
                        "one grouped CV chooses on the first round (a sensitivity check)")
    parser.add_argument("--no-random-folds", action="store_true",
                        help="skip the random-fold nested CV of each trial")
    args = parser.parse_args(argv)
    loaded, _ = datasets(CORPUS)
    found = all_examples(loaded, True, Aligner(AlignConfig(candidate_signals=True)))
    config = RelateConfig()
    with_contrast(found, "_related", lambda e: modelled(e, config)
                  or min(e.scores["verbatim_a"], e.scores["verbatim_b"])
                  >= config.duplicate_coverage)
    with_rare_words(found, loaded)
    strength = args.strength or choose_strength(
        training_rows([e for e in found if first(e)], config))
    print(f"L2 strength (C) {strength}: "
          + ("given." if args.strength else "grouped CV on the first round, shipped signals.")
          + (" Reverse: fitted on the later round, scored on a-, b-." if args.reverse else "")
          + "\n")
    print("| signals | held out by round: recall | precision | F1 | label acc. | ECE | "
          "log loss | AUC | AP | AUC base~indep. | base~indep. called | indep.~indep. "
          "called | F1, thresholds by CV on the scored round | random folds nested: recall | "
          "precision | F1 | label acc. | log loss |")
    print("|" + "---|" * 18)
    for name, features in TRIALS.items():
        if args.trial and name not in args.trial:
            continue
        held, loss = held_by_round(found, features, strength, args.reverse)
        shipped_held = decided(held, shipped("paraphrase"))
        r = score(shipped_held)
        ranks = {kind: (auc, ap) for kind, _, auc, ap in ranking(held)}
        line = (f"| {name} | {r['recall']:.3f} | {r['precision']:.3f} | {r['f1']:.3f} | "
                f"{r['label_accuracy']:.3f} | {r['ece']:.3f} | {loss:.4f} | "
                f"{ranks['every pair'][0]:.3f} | {ranks['every pair'][1]:.3f} | "
                f"{ranks['independent-base'][0]:.3f} | "
                f"{independents_called(shipped_held, 'independent-base')} | "
                f"{independents_called(shipped_held, 'independent-independent')} | "
                f"{thresholds_on_later(held)['f1']:.3f} |")
        if args.no_random_folds:
            print(line + " | | | | |", flush=True)
            continue
        by_fold, cv_loss = cross_validated(found, features, strength)
        nested = score(fit_decisions(by_fold, grid(full=False)).verdicts)
        print(line + f" {nested['recall']:.3f} | {nested['precision']:.3f} | "
              f"{nested['f1']:.3f} | {nested['label_accuracy']:.3f} | {cv_loss:.4f} |",
              flush=True)


if __name__ == "__main__":
    main()
