"""Verdicts on labelled pairs, as `relate` and reconcile give them, and their scores.

A verdict keeps the model's probabilities, so that a different derived threshold can relabel
it without refitting (bench/fit_decisions.py chooses that threshold and reconcile's by
grouped cross-validation). Reconcile runs over each group's pairs of each data set as
`relate` runs it over a collection.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from bench.derivation_data import SIBLING, Example
from newstrace.records import DERIVED
from newstrace.stages.reuse.candidates import ordered_pair
from newstrace.stages.reuse.reconcile import Link, ReconcileConfig, reconcile

BINS = 10


@dataclass(slots=True)
class Verdict:
    example: Example
    label: str
    probability: float  # derived probability (1.0 for a duplicate by definition)
    modelled: bool  # whether the model decided (not the duplicate rule or the related gate)
    kinds: Mapping[str, float] = field(default_factory=dict)  # each derived label's probability


def relabelled(verdicts: Sequence[Verdict], threshold: float) -> list[Verdict]:
    """The verdicts with the derived threshold `threshold` instead of the one they were
    given with (only pairs the model decided change)."""
    found = []
    for v in verdicts:
        if not v.modelled or not v.kinds:
            found.append(v)
        elif v.probability <= threshold:
            found.append(replace(v, label="independent"))
        else:
            found.append(replace(v, label=max(sorted(v.kinds), key=v.kinds.__getitem__)))
    return found


def _node(v: Verdict, side: str) -> str:
    pair = v.example.pair
    return f"{pair.dataset}:{pair.group}:{getattr(pair, side)}"


def reconciled(verdicts: Sequence[Verdict], config: ReconcileConfig) -> list[Verdict]:
    """The verdicts after reconcile, over each data set's groups as `relate` runs it over a
    collection (ids are dataset:group:role: a spread-dev group and its wild-dev pages share a
    group key, not a collection)."""
    links = []
    for v in verdicts:
        if v.label == "unrelated":
            continue
        s = v.example.scores
        links.append(Link(_node(v, "a"), _node(v, "b"), v.label, v.probability,
                          s["coverage_a"], s["coverage_b"], max(s["verbatim_a"], s["verbatim_b"]),
                          v.example.spans_a, v.example.spans_b))
    demoted = {d.pair for d in reconcile(links, config)}
    return [replace(v, label="independent")
            if ordered_pair(_node(v, "a"), _node(v, "b")) in demoted else v for v in verdicts]


def counts(verdicts: Sequence[Verdict]) -> tuple[int, int, int, int, int]:
    """True positives, false positives, misses (derived or not), right labels, labelled
    pairs."""
    tp = fp = fn = right = total = 0
    for v in verdicts:
        truth = v.example.pair.label
        if truth == SIBLING:
            continue
        total += 1
        right += v.label == truth
        if truth in DERIVED:
            tp += v.label in DERIVED
            fn += v.label not in DERIVED
        else:
            fp += v.label in DERIVED
    return tp, fp, fn, right, total


def f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / max(2 * tp + fp + fn, 1)


def score(verdicts: Sequence[Verdict]) -> dict[str, Any]:
    tp, fp, fn, right, total = counts(verdicts)
    siblings = [v for v in verdicts if v.example.pair.label == SIBLING]
    labelled = [v for v in verdicts if v.example.pair.label != SIBLING]
    return {"pairs": total, "derived": tp + fn, "independent": total - tp - fn,
            "recall": tp / max(tp + fn, 1), "precision": tp / max(tp + fp, 1),
            "f1": f1(tp, fp, fn), "label_accuracy": right / max(total, 1),
            "false_positives": fp, "misses": fn, "ece": calibration(labelled)[0],
            "siblings_derived": sum(v.label in DERIVED for v in siblings) / max(len(siblings), 1)}


def calibration(verdicts: Sequence[Verdict]) -> tuple[float, list[tuple[str, int, float, float]]]:
    """Expected calibration error of the derived probability over the pairs the model
    decided, and the reliability table (bin, pairs, mean probability, share derived)."""
    decided = [v for v in verdicts if v.modelled and v.example.pair.label != SIBLING]
    table, error = [], 0.0
    for k in range(BINS):
        low, high = k / BINS, (k + 1) / BINS
        inside = [v for v in decided if low <= v.probability < high or (k == BINS - 1
                                                                        and v.probability == 1)]
        if not inside:
            continue
        mean = sum(v.probability for v in inside) / len(inside)
        share = sum(v.example.pair.label in DERIVED for v in inside) / len(inside)
        error += len(inside) / len(decided) * abs(mean - share)
        table.append((f"{low:.1f}-{high:.1f}", len(inside), mean, share))
    return error, table


def share_error(verdicts: Sequence[Verdict]) -> tuple[int, float]:
    """Mean absolute error of the partial reading on the corpus's partial pairs called derived
    (the label: the share of the partial's sentences taken from the base)."""
    errors = []
    for v in verdicts:
        pair = v.example.pair
        if pair.share is not None and v.label in DERIVED:
            s = v.example.scores
            own = s["coverage_a"] if pair.a == "partial" else s["coverage_b"]
            errors.append(abs(own - pair.share))
    return len(errors), (sum(errors) / len(errors) if errors else 0.0)


def wild_agreement(verdicts: Sequence[Verdict]) -> tuple[int, int]:
    """Same verdict on wild-dev pages as on the clean spread-dev texts, over the pairs both
    hold (same group and roles)."""
    clean = {(v.example.pair.group, frozenset((v.example.pair.a, v.example.pair.b))): v.label
             for v in verdicts if v.example.pair.dataset == "spread-dev"}
    same = total = 0
    for v in verdicts:
        key = (v.example.pair.group, frozenset((v.example.pair.a, v.example.pair.b)))
        if v.example.pair.dataset == "wild-dev" and key in clean:
            total += 1
            same += clean[key] == v.label
    return same, total
