"""A story-level second stage for the derivation model, under nested leave-group-out CV.

`python -m bench.story_stage` asks whether a pair's standing in its story
(newstrace.stages.reuse.standing: its derived probability against the same two articles'
other links) tells a copy from a report of the same fact sheet better than the pair model
alone. The second stage is a binary logistic regression over the pair's logit and its
standing; it replaces the derived probability, and the derived label keeps the pair model's
choice among excerpt, spin, rewrite and partial.

Nested, as `make train` is: 10 outer folds of whole groups (dealt as train_derivation deals
them). Inside each outer fold's training groups: the pair model's L2 strength is chosen by
grouped inner CV; the pair model's out-of-fold probabilities over those groups (5 inner
folds) give the standings the second stage is fitted on; the second stage's signal set and
L2 strength are chosen by grouped inner CV on those rows. The held-out groups are then scored
with the pair model fitted on all training groups and the second stage fitted as above. The
derived threshold and reconcile's `explainable_below` are chosen by the same outer folds
(bench/fit_decisions.py) for the pair model alone and for the second stage.

A story of two articles has no standing; so that the second stage does not need one, every
training pair is also given once with a random part of its story as background (none to all
of the other members), and the held-out figures are also given with no background at all
(each pair as if its story held only the two) and with two random other members.
"""

from __future__ import annotations

import argparse
import pickle
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from bench.derivation_data import CORPUS, SIBLING, Example
from bench.derivation_scoring import Verdict, calibration, relabelled, score
from bench.feature_trials import by_pair_kind
from bench.fit_decisions import decided, fit_decisions, grid
from bench.standing import standings
from bench.train_derivation import (
    FOLDS,
    INNER_FOLDS,
    _folds,
    all_examples,
    choose_strength,
    datasets,
    fit,
    modelled,
    predict,
    training_rows,
)
from newstrace.records import DERIVED
from newstrace.stages.reuse.derivation import DerivationModel
from newstrace.stages.reuse.relate import RelateConfig, is_related

# The signal sets the second stage may use (chosen by grouped inner CV, with the L2 strength).
SIGNAL_SETS: dict[str, tuple[str, ...]] = {
    "pair logit": ("pair_logit",),
    "margins": ("pair_logit", "margin_max", "margin_min", "background"),
    "margins, contrasts": ("pair_logit", "margin_max", "margin_min", "contrast_max",
                           "contrast_min", "background"),
}
# The pair signals whose own standing (margin over, and contrast with, the same articles'
# other links) is tried: the strongest single signal (word_sequence) and the three whose
# background contrast helped in the fourth pass.
STANDING_SIGNALS = ("word_sequence", "matched_sequence_max", "close_follow", "follow_max")
SIGNAL_SETS["margins, contrasts, signal standings"] = (
    *SIGNAL_SETS["margins, contrasts"],
    *(f"{name}_{part}_{side}" for name in STANDING_SIGNALS for part in ("margin", "contrast")
      for side in ("max", "min")))
SECOND_STRENGTHS = (0.1, 1.0, 10.0)
Story = tuple[str, str]  # (data set, group)
Backgrounds = str  # "full", "none", "two", "random"


def story_of(e: Example) -> Story:
    return (e.pair.dataset, e.pair.group)


def derived_probabilities(model: DerivationModel, found: Sequence[Example]) -> dict[int, float]:
    """The pair model's derived probability of every pair, keyed by id(example)."""
    return {id(e): 1.0 - model.probabilities(e.scores).get("independent", 0.0) for e in found}


def related(e: Example, config: RelateConfig) -> bool:
    """Whether relate keeps the pair as a link (not unrelated): reconcile's view of a story."""
    scores = e.scores
    return (min(scores["verbatim_a"], scores["verbatim_b"]) >= config.duplicate_coverage
            or is_related(scores, e.paraphrase, config))


@dataclass(slots=True)
class Row:
    example: Example
    signals: dict[str, float]


def standing_rows(found: Sequence[Example], probability: dict[int, float],
                  background: Backgrounds, seed: int = 0) -> list[Row]:
    """The labelled pairs the model decides, each with its standing among the story's links:
    the whole story (`full`), no other member (`none`), two other members drawn at random
    (`two`), or a random number of them, none to all (`random`)."""
    config = RelateConfig()
    stories: dict[Story, list[Example]] = {}
    for e in found:
        stories.setdefault(story_of(e), []).append(e)
    rng = random.Random(seed)
    rows = []
    for members in stories.values():
        links = {(e.pair.a, e.pair.b): probability[id(e)] for e in members if related(e, config)}
        signal = {(e.pair.a, e.pair.b): e.scores for e in members}
        roles = sorted({r for e in members for r in (e.pair.a, e.pair.b)})
        for e in members:
            if e.pair.label == SIBLING or not modelled(e, config):
                continue
            others = [r for r in roles if r not in (e.pair.a, e.pair.b)]
            if background == "none":
                kept: list[str] = []
            elif background == "two":
                kept = rng.sample(others, min(2, len(others)))
            elif background == "random":
                kept = rng.sample(others, rng.randint(0, len(others)))
            else:
                kept = others
            inside = {e.pair.a, e.pair.b, *kept}
            around = {pair: p for pair, p in links.items() if set(pair) <= inside}
            around[(e.pair.a, e.pair.b)] = probability[id(e)]
            signals = standings(around)[(e.pair.a, e.pair.b)].as_dict()
            for name in STANDING_SIGNALS:
                values = {pair: signal[pair][name] for pair in around}
                own = standings(values, float)[(e.pair.a, e.pair.b)]
                signals.update({f"{name}_margin_max": own.margin_max,
                                f"{name}_margin_min": own.margin_min,
                                f"{name}_contrast_max": own.contrast_max,
                                f"{name}_contrast_min": own.contrast_min})
            rows.append(Row(e, signals))
    return rows


@dataclass(frozen=True, slots=True)
class SecondStage:
    signals: tuple[str, ...]
    strength: float
    means: tuple[float, ...]
    scales: tuple[float, ...]
    weights: tuple[float, ...]
    intercept: float

    def probability(self, signals: dict[str, float]) -> float:
        z = self.intercept + sum(
            w * (signals[name] - m) / s for name, m, s, w in
            zip(self.signals, self.means, self.scales, self.weights, strict=True))
        return float(1.0 / (1.0 + np.exp(-z)))


def fit_second(rows: Sequence[Row], signals: Sequence[str], strength: float) -> SecondStage:
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler
    from threadpoolctl import threadpool_limits

    x = np.array([[r.signals[name] for name in signals] for r in rows])
    y = np.array([r.example.pair.label != "independent" for r in rows])
    scaler = StandardScaler().fit(x)
    scales = np.where(scaler.scale_ > 0, scaler.scale_, 1.0)
    with threadpool_limits(1):
        model = LogisticRegression(C=strength, max_iter=5000).fit((x - scaler.mean_) / scales, y)
    return SecondStage(tuple(signals), strength, tuple(float(v) for v in scaler.mean_),
                       tuple(float(v) for v in scales), tuple(float(v) for v in model.coef_[0]),
                       float(model.intercept_[0]))


def log_loss(stage: SecondStage, rows: Sequence[Row]) -> float:
    loss = 0.0
    for r in rows:
        p = stage.probability(r.signals)
        derived = r.example.pair.label != "independent"
        loss -= float(np.log(max(p if derived else 1.0 - p, 1e-9)))
    return loss


def choose_second(rows: Sequence[Row]) -> tuple[str, float]:
    """The signal set and L2 strength with the least grouped inner-CV log loss on `rows`."""
    folds = _folds([r.example.pair.group for r in rows], INNER_FOLDS, seed=2)
    losses = {}
    for name, signals in SIGNAL_SETS.items():
        for strength in SECOND_STRENGTHS:
            loss = 0.0
            for held in folds:
                train = [r for r in rows if r.example.pair.group not in held]
                test = [r for r in rows if r.example.pair.group in held]
                loss += log_loss(fit_second(train, signals, strength), test)
            losses[(name, strength)] = loss
    return min(losses, key=lambda k: (losses[k], list(SIGNAL_SETS).index(k[0]), k[1]))


def training_background(found: Sequence[Example], probability: dict[int, float],
                        seed: int) -> list[Row]:
    """Each labelled pair with its whole story and once more with a random part of it."""
    return [*standing_rows(found, probability, "full"),
            *standing_rows(found, probability, "random", seed)]


def out_of_fold(found: Sequence[Example], strength: float) -> dict[int, float]:
    """The pair model's derived probabilities, each group's from a model fitted without it
    (grouped inner folds)."""
    config = RelateConfig()
    rows = training_rows(found, config)
    probability: dict[int, float] = {}
    for held in _folds([e.pair.group for e in found], INNER_FOLDS, seed=1):
        model = fit([r for r in rows if r.pair.group not in held], strength)
        probability.update(derived_probabilities(
            model, [e for e in found if e.pair.group in held]))
    return probability


def fitted_stage(found: Sequence[Example], strength: float, seed: int) -> tuple[SecondStage,
                                                                                 str]:
    rows = training_background(found, out_of_fold(found, strength), seed)
    name, second_strength = choose_second(rows)
    return fit_second(rows, SIGNAL_SETS[name], second_strength), name


def staged_verdicts(model: DerivationModel, stage: SecondStage | None,
                    found: Sequence[Example], background: Backgrounds,
                    seed: int = 0) -> list[Verdict]:
    """Verdicts on `found` (pair model alone when `stage` is None), each pair alone at the
    shipped derived threshold."""
    config = RelateConfig()
    verdicts = {id(e): predict(model, e, config) for e in found}
    if stage is not None:
        probability = derived_probabilities(model, found)
        for row in standing_rows(found, probability, background, seed):
            v = verdicts[id(row.example)]
            verdicts[id(row.example)] = replace(v, probability=stage.probability(row.signals))
    return relabelled([verdicts[id(e)] for e in found], config.derived_threshold)


def demotion_only(alone: Sequence[Verdict], staged: Sequence[Verdict]) -> list[Verdict]:
    """The second stage as reconcile could apply it: it may only take a derived verdict back
    (derived probability the smaller of the pair model's and the second stage's), never call
    derived a pair the pair model called independent."""
    config = RelateConfig()
    return relabelled([replace(a, probability=min(a.probability, s.probability))
                       for a, s in zip(alone, staged, strict=True)], config.derived_threshold)


def nested(found: Sequence[Example], seed: int, echo: bool = True, fold_seed: int = 0
           ) -> tuple[dict[str, list[list[Verdict]]], list[str]]:
    """Out-of-fold verdicts by fold for the pair model alone and the second stage with each
    background; and the signal set each fold chose."""
    config = RelateConfig()
    by_name: dict[str, list[list[Verdict]]] = {
        "pair model alone": [], "story stage, whole story": [],
        "story stage, no other member (a story of two)": [],
        "story stage, two random other members": [],
        "story stage, demotion only (whole story)": []}
    chosen = []
    for k, held in enumerate(_folds([e.pair.group for e in found], FOLDS, seed=fold_seed)):
        train = [e for e in found if e.pair.group not in held]
        test = [e for e in found if e.pair.group in held]
        strength = choose_strength(training_rows(train, config))
        model = fit(training_rows(train, config), strength)
        stage, name = fitted_stage(train, strength, seed + k)
        chosen.append(f"{name} (C {stage.strength})")
        if echo:
            print(f"fold {k}: pair C {strength}; second stage {name}, C {stage.strength}: " +
                  ", ".join(f"{s} {w:+.2f}" for s, w in zip(stage.signals, stage.weights,
                                                             strict=True)), flush=True)
        by_name["pair model alone"].append(staged_verdicts(model, None, test, "full"))
        for title, background in (("story stage, whole story", "full"),
                                  ("story stage, no other member (a story of two)", "none"),
                                  ("story stage, two random other members", "two")):
            by_name[title].append(staged_verdicts(model, stage, test, background, seed))
        by_name["story stage, demotion only (whole story)"].append(demotion_only(
            by_name["pair model alone"][-1], by_name["story stage, whole story"][-1]))
    return by_name, chosen


def _row(name: str, r: dict[str, float | int]) -> str:
    return (f"| {name} | {r['recall']:.3f} | {r['precision']:.3f} | {r['f1']:.3f} | "
            f"{r['label_accuracy']:.3f} | {r['ece']:.3f} | {r['false_positives']} / "
            f"{r['misses']} |")


def report(by_name: dict[str, list[list[Verdict]]], found: Sequence[Example],
           seed: int) -> list[str]:
    lines = ["| verdicts | derived recall | derived precision | F1 | label accuracy | ECE | "
             "false pos. / misses |", "|---|---|---|---|---|---|---|"]
    details = []
    for name, folds in by_name.items():
        alone = [v for fold in folds for v in fold]
        decisions = fit_decisions(folds, grid(full=False))
        held = decisions.verdicts
        lines.append(_row(f"{name}, each pair alone (0.3)", score(alone)))
        lines.append(_row(f"**{name}, thresholds by CV, reconciled**", score(held)))
        fold_scores = [score(f) for f in decisions.held_out]
        details.append(f"- {name}: folds (thresholds by CV, reconciled) " + "; ".join(
            f"{key.replace('_', ' ')} {min(f[key] for f in fold_scores):.3f}-"
            f"{max(f[key] for f in fold_scores):.3f}"
            for key in ("recall", "precision", "label_accuracy", "ece")) +
            f". Chosen on all groups: {decisions.chosen.describe()}; per fold: " + "; ".join(
                f"{d.derived_threshold}/{d.reconcile.explainable_below} ×{n}"
                for d, n in Counter(decisions.per_fold).most_common()) + ".")
        for dataset in sorted({v.example.pair.dataset for v in held}):
            part = score([v for v in held if v.example.pair.dataset == dataset])
            details.append(f"  - {dataset}: recall {part['recall']:.3f}, precision "
                           f"{part['precision']:.3f}, label accuracy "
                           f"{part['label_accuracy']:.3f}")
        for title, prefixes in (("a-, b- groups", ("a-", "b-")),
                                ("c-, d- groups", ("c-", "d-"))):
            part = score([v for v in held if v.example.pair.dataset == "corpus"
                          and v.example.pair.group.startswith(prefixes)])
            details.append(f"  - corpus {title}: recall {part['recall']:.3f}, precision "
                           f"{part['precision']:.3f}, label accuracy "
                           f"{part['label_accuracy']:.3f}")
        details.append(f"  - c-, d- pair kinds (reconciled): {by_pair_kind(held, ('c-', 'd-'))}")
        ece, table = calibration(alone)
        details.append(f"  - reliability (ECE {ece:.3f}): " + "; ".join(
            f"{b}: {n} pairs, mean {m:.3f}, derived {s:.3f}" for b, n, m, s in table))
    return [*lines, "", *details]


def in_sample(found: Sequence[Example], seed: int) -> list[str]:
    """The pair model and the second stage fitted on every group, scored on them."""
    config = RelateConfig()
    rows = training_rows(found, config)
    strength = choose_strength(rows)
    model = fit(rows, strength)
    stage, name = fitted_stage(found, strength, seed)
    lines = [f"Fitted on everything: pair C {strength}; second stage {name}, C "
             f"{stage.strength}; " + ", ".join(
                 f"{s} {w:+.3f} (mean {m:.3f}, scale {sc:.3f})" for s, w, m, sc in
                 zip(stage.signals, stage.weights, stage.means, stage.scales, strict=True)) +
             f", intercept {stage.intercept:+.3f}."]
    alone = staged_verdicts(model, None, found, "full")
    staged = staged_verdicts(model, stage, found, "full")
    for title, verdicts in (("pair model alone", alone), ("story stage", staged),
                            ("story stage, demotion only", demotion_only(alone, staged))):
        chosen = fit_decisions([verdicts], grid(full=False)).chosen
        r = score(decided(verdicts, chosen))
        lines.append(f"- in-sample, {title}, thresholds chosen on everything "
                     f"({chosen.describe()}): recall {r['recall']:.3f}, precision "
                     f"{r['precision']:.3f}, label accuracy {r['label_accuracy']:.3f}, ECE "
                     f"{r['ece']:.3f}")
    return lines


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=0, help="random backgrounds' seed")
    parser.add_argument("--fold-seed", type=int, default=0, help="how groups are dealt "
                        "into the outer folds (0: as make train deals them)")
    parser.add_argument("--save", type=Path, help="also pickle the out-of-fold verdicts here")
    parser.add_argument("--in-sample-only", action="store_true", help="only the fit on every "
                        "group, scored on it")
    args = parser.parse_args(argv)
    loaded, notes = datasets(CORPUS)
    found = all_examples(loaded, True)
    print(f"{len({story_of(e) for e in found})} stories, "
          f"{sum(e.pair.label != SIBLING for e in found)} labelled pairs "
          f"({sum(e.pair.label in DERIVED for e in found)} derived); "
          + "; ".join(notes[1:]), flush=True)
    if args.in_sample_only:
        print("\n".join(in_sample(found, args.seed)))
        return
    by_name, chosen = nested(found, args.seed, fold_seed=args.fold_seed)
    if args.save:
        with args.save.open("wb") as out:
            pickle.dump(by_name, out)
    print("\nSecond stage chosen per fold: " + ", ".join(
        f"{c} ×{n}" for c, n in Counter(chosen).most_common()) + "\n")
    print("\n".join(report(by_name, found, args.seed)))
    print("\n".join(["", *in_sample(found, args.seed)]))


if __name__ == "__main__":
    main()
