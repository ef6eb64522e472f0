"""The cascade's undecided band, chosen by grouped cross-validation (issue 21 item 5).

Each labelled pair has two out-of-fold verdicts: the static model's and MiniLM's. The cascade
gives a pair MiniLM's verdict when the static verdict is undecided (CascadeConfig.undecided:
its derived probability in [low, high], or `unrelated` only for want of text similarity, at
least `gate_similarity`), the static verdict otherwise. The setting chosen is the cheapest
(fewest pairs sent to MiniLM) whose reconciled verdicts on the training groups keep derived F1
and label accuracy each within TOLERANCE of MiniLM's own on the same groups; nested: each
fold's setting is chosen without it.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from bench.derivation_scoring import Verdict, counts, f1
from bench.fit_decisions import decided, shipped
from newstrace.records import Relation
from newstrace.stages.reuse.cascade import CascadeConfig

LOWS = (0.0, 0.02, 0.05, 0.08, 0.1, 0.12, 0.15, 0.2, 0.25, 0.3)
HIGHS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 1.0)
GATES = (1.01, 0.55, 0.5, 0.45, 0.4, 0.35)  # 1.01: no static `unrelated` is sent
# Half of issue 21's allowance (0.01 on every dev set), so that the held-out folds' noise
# has room: a band that only just keeps up with MiniLM on its training groups is not taken.
TOLERANCE = 0.005
NEVER = CascadeConfig(1.0, 0.0, 1.01)  # nothing undecided: the static model alone
EVERYTHING = CascadeConfig(0.0, 1.0, 0.0)


@dataclass(frozen=True, slots=True)
class BandFit:
    chosen: CascadeConfig  # on all groups: the one to ship
    per_fold: list[CascadeConfig]
    held_out: list[list[Verdict]]  # each fold's cascade verdicts, its band chosen without it
    sent: int  # held-out pairs sent to MiniLM
    pairs: int


def key(v: Verdict) -> tuple[str, str, str, str]:
    pair = v.example.pair
    return pair.dataset, pair.group, pair.a, pair.b


def undecided(v: Verdict, band: CascadeConfig) -> bool:
    """Whether the cascade sends this (static) verdict's pair to MiniLM: the product's own
    rule, on the verdict as a relation."""
    scores = {**v.example.scores, "derived_probability": v.probability}
    return band.undecided(Relation("a", "b", v.label, None, 0.0, scores))


def mixed(static: Sequence[Verdict], full: dict[tuple[str, str, str, str], Verdict],
          band: CascadeConfig) -> list[Verdict]:
    """The cascade's verdicts (each pair alone, before reconcile)."""
    return [full[key(v)] if undecided(v, band) else v for v in static]


def bands() -> list[CascadeConfig]:
    return [NEVER] + [replace(CascadeConfig(), low=lo, high=hi, gate_similarity=gate)
                      for gate, lo, hi in itertools.product(GATES, LOWS, HIGHS) if lo < hi]


def fit_band(static: Sequence[Verdict], full: Sequence[Verdict],
             folds: Sequence[set[str]]) -> BandFit:
    """The band chosen on all groups, and nested: each fold's chosen without it. `static`
    and `full` are the two models' out-of-fold verdicts (each pair alone); `folds` the
    held-out groups of each fold."""
    by_key = {key(v): v for v in full}
    decision = shipped("paraphrase")
    groups = sorted({v.example.pair.group for v in static})
    index = {g: k for k, g in enumerate(groups)}
    points = bands()
    # table[point, group] = (true pos., false pos., misses, right labels, pairs, sent);
    # the last row is MiniLM alone, the reference.
    table = np.zeros((len(points) + 1, len(groups), 6), dtype=np.int64)
    reconciled_by = []
    for p, band in enumerate([*points, EVERYTHING]):
        found = decided(mixed(static, by_key, band), decision)
        if p == len(points):
            found = decided([by_key[key(v)] for v in static], decision)
        reconciled_by.append(found)
        for v, cheap in zip(found, static, strict=True):
            tp, fp, fn, right, total = counts([v])
            table[p, index[v.example.pair.group]] += (tp, fp, fn, right, total,
                                                      undecided(cheap, band))

    def best(kept: list[int]) -> int:
        sums = table[:, kept, :].sum(axis=1)
        ref = sums[-1]
        ref_f1, ref_acc = f1(*map(int, ref[:3])), ref[3] / max(ref[4], 1)
        good = [p for p in range(len(points))
                if f1(*map(int, sums[p, :3])) >= ref_f1 - TOLERANCE
                and sums[p, 3] / max(sums[p, 4], 1) >= ref_acc - TOLERANCE]
        if not good:
            return len(points) - 1  # the widest band tried
        return min(good, key=lambda p: (sums[p, 5], -f1(*map(int, sums[p, :3])), p))

    per_fold, held_out, sent, pairs = [], [], 0, 0
    for held in folds:
        choice = best([index[g] for g in groups if g not in held])
        per_fold.append(points[choice])
        rows = [k for k, v in enumerate(static) if v.example.pair.group in held]
        held_out.append([reconciled_by[choice][k] for k in rows])
        sent += sum(undecided(static[k], points[choice]) for k in rows)
        pairs += len(rows)
    return BandFit(points[best(list(range(len(groups))))], per_fold, held_out, sent, pairs)
