"""Straight or bent, and which signals: does a change to the derivation model's form or to the
signals it reads beat the shipped model out of sample? (issue 18)

Two tests, both fitting exactly as `make train-derivation` does (L2 strength by inner grouped
CV). With no options they compare straight signals against each signal bent at its training
quantiles; with `--without` / `--with` they compare the shipped signals (bent) against the
shipped set less or plus the named signals (any score `features.follow_signals` computes):

1. grouped 10-fold CV over every group (corpus and dev sets): log loss of the true label over
   the pairs the model decides, and derived recall / precision / label accuracy with the
   shipped thresholds, reconciled as `relate` stores them;
2. each later writing round held out, fitted on the rounds before it (bench.derivation_holdout),
   beside the same round's pairs under the grouped CV of 1.

`python -m bench.bend_trials` (about 6 CPU-minutes a model once the alignment cache in bench/out
is built; building it takes about 9). `python -m bench.bend_trials --without lede_matched
facts_grouped_max facts_grouped_min` re-runs the trial that adopted those three (2026-12-07).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bench.derivation_data import CORPUS, SIBLING, Example
from bench.derivation_holdout import ROUNDS, HeldOut, writing_round
from bench.derivation_scoring import Verdict, score
from bench.fit_decisions import decided, shipped
from bench.train_derivation import (
    FEATURES,
    HEADER,
    _line,
    all_examples,
    cross_validated,
    datasets,
)
from newstrace.stages.reuse.relate import RelateConfig


@dataclass(frozen=True)
class Trial:
    """One model to fit on the folds: its name, its form and the signals it reads."""

    name: str
    bent: bool = True
    features: tuple[str, ...] = FEATURES


FORMS = (Trial("straight", bent=False), Trial("bent"))


def signal_trials(without: Sequence[str], with_: Sequence[str]) -> tuple[Trial, ...]:
    """The shipped signals against the set less `without` and plus `with_`."""
    unknown = [f for f in without if f not in FEATURES]
    if unknown:
        raise SystemExit(f"--without {' '.join(unknown)}: not a shipped signal (shipped: "
                         f"{', '.join(FEATURES)})")
    changed = tuple(f for f in FEATURES if f not in without) + tuple(
        f for f in with_ if f not in FEATURES)
    label = " ".join([*(f"-{f}" for f in without), *(f"+{f}" for f in with_)])
    return Trial("shipped signals"), Trial(f"signals {label}", features=changed)


def missing_signals(found: Sequence[Example], trials: Sequence[Trial]) -> list[str]:
    """Signals a trial reads that no example's scores carry (a misspelt or uncomputed name)."""
    have = set().union(*(e.scores for e in found))
    return sorted({f for t in trials for f in t.features if f not in have})


def grouped_cv(found: Sequence[Example], trial: Trial) -> tuple[list[str], float]:
    """The reconciled out-of-fold figures lines (all groups, then each later round), and the
    out-of-fold log loss of the true label per pair the model decides."""
    verdicts, _, _ = cross_validated(found, RelateConfig(), trial.bent, trial.features)
    decides = [v for v in verdicts if v.modelled and v.example.pair.label != SIBLING]
    loss = -sum(float(np.log(max(_probability_of_truth(v), 1e-9))) for v in decides)
    name = trial.name
    verdicts = decided(verdicts, shipped("paraphrase"))
    lines = [_line(f"{name}, grouped 10-fold CV", score(verdicts))]
    for number in range(1, len(ROUNDS)):
        if part := [v for v in verdicts if writing_round(v.example) == number]:
            lines.append(_line(f"{name}, grouped 10-fold CV, round {'/'.join(ROUNDS[number])} "
                               "only", score(part)))
    return lines, loss / max(len(decides), 1)


def _probability_of_truth(verdict: Verdict) -> float:
    """The model's probability of the pair's true label: a derived label's own, or what the
    derived labels leave for `independent`."""
    label = verdict.example.pair.label
    if label == "independent":
        return 1.0 - sum(verdict.kinds.values())
    return verdict.kinds.get(label, 0.0)


def run(trials: Sequence[Trial] = FORMS) -> list[str]:
    loaded, notes = datasets(CORPUS)
    found = all_examples(loaded, paraphrase=True)
    if missing := missing_signals(found, trials):
        raise SystemExit(f"no pair carries the signal(s) {', '.join(missing)}: name scores "
                         "that newstrace.stages.reuse.features computes")
    config = RelateConfig()
    lines = [*notes, "", *HEADER]
    losses = {}
    for trial in trials:
        cv_lines, losses[trial.name] = grouped_cv(found, trial)
        lines += cv_lines
        for held in range(1, len(ROUNDS)):
            if any(writing_round(e) == held for e in found):
                fitted = HeldOut.of(found, config, held, trial.bent, trial.features)
                lines.append(_line(f"{trial.name}, round {'/'.join(ROUNDS[held])} held out",
                                   score(decided(fitted.verdicts, shipped("paraphrase")))))
    lines += ["", "Out-of-fold log loss of the true label (pairs the model decides): " +
              ", ".join(f"{name} {loss:.4f}" for name, loss in losses.items()) + "."]
    return lines


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--without", nargs="+", default=[], metavar="SIGNAL",
                        help="compare the shipped signals with the set less these")
    parser.add_argument("--with", dest="with_", nargs="+", default=[], metavar="SIGNAL",
                        help="compare the shipped signals with the set plus these")
    args = parser.parse_args(argv)
    trials = signal_trials(args.without, args.with_) if args.without or args.with_ else FORMS
    print("\n".join(run(trials)))


if __name__ == "__main__":
    main()
