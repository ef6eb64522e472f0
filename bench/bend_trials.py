"""Straight or bent: does letting each signal bend (derivation.hinge_columns) beat a straight
line per signal, out of sample? (issue 18)

Two tests, both fitting exactly as `make train-derivation` does (L2 strength by inner grouped
CV), once with straight signals and once with each signal bent at its training quantiles:

1. grouped 10-fold CV over every group (corpus and dev sets): log loss of the true label over
   the pairs the model decides, and derived recall / precision / label accuracy with the
   shipped thresholds, reconciled as `relate` stores them;
2. each later writing round held out, fitted on the rounds before it (bench.derivation_holdout),
   beside the same round's pairs under the grouped CV of 1.

`python -m bench.bend_trials` (about 40 CPU-minutes; the alignment cache in bench/out is
reused).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from bench.derivation_data import CORPUS, SIBLING, Example
from bench.derivation_holdout import ROUNDS, HeldOut, writing_round
from bench.derivation_scoring import Verdict, score
from bench.fit_decisions import decided, shipped
from bench.train_derivation import HEADER, _line, all_examples, cross_validated, datasets
from newstrace.stages.reuse.relate import RelateConfig

FORMS = {"straight": False, "bent": True}


def grouped_cv(found: Sequence[Example], bent: bool) -> tuple[list[str], float]:
    """The reconciled out-of-fold figures lines (all groups, then each later round), and the
    out-of-fold log loss of the true label per pair the model decides."""
    verdicts, _, _ = cross_validated(found, RelateConfig(), bent)
    decides = [v for v in verdicts if v.modelled and v.example.pair.label != SIBLING]
    loss = -sum(float(np.log(max(_probability_of_truth(v), 1e-9))) for v in decides)
    name = "bent" if bent else "straight"
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


def run() -> list[str]:
    loaded, notes = datasets(CORPUS)
    found = all_examples(loaded, paraphrase=True)
    config = RelateConfig()
    lines = [*notes, "", *HEADER]
    losses = {}
    for name, bent in FORMS.items():
        cv_lines, losses[name] = grouped_cv(found, bent)
        lines += cv_lines
        for held in range(1, len(ROUNDS)):
            if any(writing_round(e) == held for e in found):
                fitted = HeldOut.of(found, config, held, bent)
                lines.append(_line(f"{name}, round {'/'.join(ROUNDS[held])} held out",
                                   score(decided(fitted.verdicts, shipped("paraphrase")))))
    lines += ["", "Out-of-fold log loss of the true label (pairs the model decides): " +
              ", ".join(f"{name} {loss:.4f}" for name, loss in losses.items()) + "."]
    return lines


def main(argv: Sequence[str] | None = None) -> None:
    print("\n".join(run()))


if __name__ == "__main__":
    main()
