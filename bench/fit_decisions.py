"""Relate's derived threshold and reconcile's thresholds, chosen by grouped cross-validation.

The derivation model's out-of-fold verdicts (bench/train_derivation.py) are relabelled with
each derived threshold of the grid and reconciled with each reconcile setting of the grid. For
each outer fold, the setting with the best derived F1 (then label accuracy) over the other
folds' groups decides the fold's own verdicts, so the figure on them is held out for the
choice of thresholds as for the model. (The models that gave the other folds' verdicts saw
this fold's groups in training; choosing five numbers on those verdicts is the only path from
a fold's labels to its own figure.) The setting chosen on all groups is the one to ship.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bench.derivation_scoring import Verdict, counts, f1, reconciled, relabelled
from newstrace.stages.reuse.reconcile import ReconcileConfig
from newstrace.stages.reuse.relate import RelateConfig

# The values tried; every combination is scored (ordered so that ties keep the earlier).
DERIVED_THRESHOLDS = (0.5, 0.45, 0.4, 0.35, 0.3, 0.25, 0.2, 0.55, 0.6, 0.65)
EXPLAINABLE_BELOW = (1.01, 0.9, 0.8, 0.7, 0.6, 0.5)  # 0.5: reconcile keeps every model verdict
CONTAINER_MARGINS = (0.15, 0.05, 0.0, 0.3)
DISTINCT_SHARES = (0.5, 0.3, 0.7)
VERBATIM = (0.5, 0.7)


@dataclass(frozen=True, slots=True)
class Decision:
    """The thresholds that turn the model's probabilities into stored verdicts."""

    derived_threshold: float
    reconcile: ReconcileConfig

    def describe(self) -> str:
        r = self.reconcile
        return (f"derived_threshold {self.derived_threshold}, explainable_below "
                f"{r.explainable_below}, container_margin {r.container_margin}, "
                f"distinct_share {r.distinct_share}, verbatim {r.verbatim}")

    def as_dict(self) -> dict[str, float]:
        r = self.reconcile
        return {"derived_threshold": self.derived_threshold,
                "explainable_below": r.explainable_below,
                "container_margin": r.container_margin, "distinct_share": r.distinct_share,
                "verbatim": r.verbatim}


def shipped(kind: str) -> Decision:
    """The thresholds `relate` uses for the model `kind` ("paraphrase" or "lexical")."""
    config = RelateConfig()
    return Decision(config.derived_threshold if kind == "paraphrase"
                    else config.lexical_derived_threshold, ReconcileConfig())


def grid(full: bool = True) -> list[Decision]:
    """Every combination of the values tried; `full=False`: only the derived threshold and
    `explainable_below`, the others as shipped (a quicker search, for comparing signals)."""
    others = (itertools.product(CONTAINER_MARGINS, DISTINCT_SHARES, VERBATIM) if full else
              [(ReconcileConfig().container_margin, ReconcileConfig().distinct_share,
                ReconcileConfig().verbatim)])
    return [Decision(t, ReconcileConfig(container_margin=m, distinct_share=d, verbatim=v,
                                        explainable_below=e))
            for t, e, (m, d, v) in itertools.product(DERIVED_THRESHOLDS, EXPLAINABLE_BELOW,
                                                     list(others))]


def decided(verdicts: Sequence[Verdict], decision: Decision) -> list[Verdict]:
    """The verdicts `relate` would store with these thresholds."""
    return reconciled(relabelled(verdicts, decision.derived_threshold), decision.reconcile)


@dataclass(slots=True)
class Fitted:
    chosen: Decision  # on all groups: the one to ship
    per_fold: list[Decision]  # chosen without each fold
    held_out: list[list[Verdict]]  # each fold's verdicts with the choice made without it

    @property
    def verdicts(self) -> list[Verdict]:
        return [v for fold in self.held_out for v in fold]


def fit_decisions(folds: Sequence[Sequence[Verdict]],
                  candidates: Sequence[Decision] | None = None) -> Fitted:
    """Choose the thresholds by grouped cross-validation over the folds' out-of-fold
    verdicts (each fold a list of whole groups)."""
    points = list(candidates or grid())
    relabelled_by = {t: relabelled([v for fold in folds for v in fold], t)
                     for t in {d.derived_threshold for d in points}}
    groups = sorted({v.example.pair.group for fold in folds for v in fold})
    index = {group: k for k, group in enumerate(groups)}
    # table[point, group] = (true pos., false pos., misses, right labels)
    table = np.zeros((len(points), len(groups), 4), dtype=np.int64)
    everything = [v for fold in folds for v in fold]
    by_group: dict[str, list[int]] = {}
    for position, v in enumerate(everything):
        by_group.setdefault(v.example.pair.group, []).append(position)
    for p, decision in enumerate(points):
        found = reconciled(relabelled_by[decision.derived_threshold], decision.reconcile)
        for group, positions in by_group.items():
            tp, fp, fn, right, _ = counts([found[k] for k in positions])
            table[p, index[group]] = (tp, fp, fn, right)

    def best(kept: list[int]) -> Decision:
        sums = table[:, kept, :].sum(axis=1)
        keys = [(f1(int(tp), int(fp), int(fn)), int(right)) for tp, fp, fn, right in sums]
        return points[max(range(len(points)), key=lambda p: (keys[p], -p))]

    per_fold, held_out = [], []
    for fold in folds:
        inside = {v.example.pair.group for v in fold}
        choice = best([index[g] for g in groups if g not in inside])
        per_fold.append(choice)
        held_out.append(decided(fold, choice))
    return Fitted(best(list(range(len(groups)))), per_fold, held_out)
