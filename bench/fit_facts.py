"""The facts stage's thresholds chosen by grouped cross-validation (`python -m bench.fit_facts`).

Data: the 20 spread-dev groups as clean texts (bench/facts.py's collection: base, spin,
rewrite, independent report) and the 20 wild-dev piles built from the same groups (pages in
real furniture: reprint, excerpt, spin, rewrite, independent, the origin's page in half), each
analysed as `newstrace analyze` does. A group's spread-dev story and its wild-dev pile are one
unit: the folds are five sets of four groups, each held out whole (both forms), so no
held-out text was seen in any form while fitting.

Additions: every derived article's unmatched sentences, with the support the rest of its
story offers (`additions.support`), measured once; a configuration is a set of bars over
those measures (`Support.unsupported`). Scored over every derivative (not only rewrites): a
reported sentence is right when it is one of the rewrite's labelled `added` sentences, and
every other report (a spin's, a reprint's, an excerpt's, a rewrite's unlabelled one) is a
false alarm. Altered facts: `altered_facts` along the story's edges under each sentence-pair
bar; recall of the labelled change in rewrites, precision over every reported alteration of
every derivative. Conflicts: the project's fixtures (corpus/conflicts), folds by shape.

Per fold the configuration with the best training score is applied to the held-out groups;
the held-out counts, pooled over folds, give the cross-validated figure; the best
configuration on all groups gives the in-sample figure and the defaults in FactsConfig.
"""

from __future__ import annotations

import itertools
import json
import os
import pickle
import statistics
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from functools import partial
from pathlib import Path
from typing import Any

from bench.conflicts import load_cases, run_case
from bench.conflicts import score as conflict_score
from bench.data import data_dir
from bench.facts import _changed, _same_sentence
from bench.facts import collection as spread_collection
from newstrace.collection import Collection
from newstrace.records import AlteredFact
from newstrace.runners.config import ReuseConfig
from newstrace.stages.facts.additions import Support, support
from newstrace.stages.facts.compare import altered_facts
from newstrace.stages.facts.config import FactsConfig
from newstrace.stages.facts.runner import (
    _passages,
    addition_inputs,
    derivation_edges,
)

FOLDS = 5
# The hand-set values before the first fit (2026-12-06): ties between settings go to the one
# nearest these, and "before this fit" is scored with them. Never the fitted defaults: those
# were chosen on all groups, and breaking a fold's ties towards them would leak.
PRIOR = FactsConfig(anchored_support=0.3, sentence_overlap=0.4, adjacent_shared=99)
ADDITION_GRID: dict[str, Sequence[float]] = {
    "lexical_support": (0.5, 0.55, 0.6, 0.65, 0.7),
    "semantic_support": (0.6, 0.65, 0.7, 0.75, 0.8),
    "anchored_support": (0.2, 0.3, 0.4, 0.5),
    "local_lexical": (0.2, 0.3, 0.4, 0.5),
    "local_semantic": (0.45, 0.5, 0.55, 0.6, 0.65),
    "merged_support": (0.7, 0.8, 0.9, 1.01),
}
ALTERED_GRID: dict[str, Sequence[float]] = {
    "sentence_overlap": (0.25, 0.3, 0.35, 0.4, 0.5, 0.6),
    "sentence_shared": (2, 3, 4),
    "adjacent_shared": (0, 1, 2, 99),
}
CONFLICT_GRID: dict[str, Sequence[float]] = {
    "context_overlap": (0.25, 0.3, 0.4, 0.5, 0.6),
    "context_shared": (1, 2, 3),
}


@dataclass(slots=True)
class Target:
    """One derived article of a labelled story, with what was measured for it."""

    group: str
    source: str  # "spread-dev" or "wild-dev"
    role: str
    added: list[str]  # the labelled added sentences (rewrites only)
    altered: dict[str, str] | None  # the labelled change (rewrites only)
    linked: bool = False  # whether the reuse stage linked it to a source (a derivation edge)
    # each unmatched sentence's support, with the index of the labelled addition it is (-1)
    supports: list[tuple[Support, int]] = field(default_factory=list)
    alterations: dict[tuple[float, ...], list[AlteredFact]] = field(default_factory=dict)


# -- measuring ----------------------------------------------------------------------------------


def _measure(news: Collection, role_of: dict[str, tuple[str, str]], labels: dict[str, Any],
             source: str) -> list[Target]:
    """Every derived article of every story: its additions' support and its alterations
    under each sentence-pair bar."""
    targets: list[Target] = []
    seen: set[str] = set()
    for article_id in sorted(role_of):
        story_id = news._stories().story_id(article_id)
        if story_id not in seen:
            seen.add(story_id)
            targets += _measure_story(news, story_id, role_of, labels, source)
    return targets


def _measure_story(news: Collection, story_id: str, role_of: dict[str, tuple[str, str]],
                   labels: dict[str, Any], source: str) -> list[Target]:
    story, vectors = news.story_claims(story_id)
    scale = news.vector_scale()
    by_id: dict[str, Target] = {}

    def target(member: str) -> Target:
        if member not in by_id:
            group, role = role_of[member]
            rewrite = role == "rewrite"
            by_id[member] = Target(group, source, role,
                                   labels[group]["added"] if rewrite else [],
                                   labels[group]["altered"] if rewrite else None)
        return by_id[member]

    for member in story.members:  # every rewrite counts, linked to its source or not
        if role_of.get(member, ("", ""))[1] == "rewrite":
            target(member)
    for member, _, unmatched, supporters, gaps in addition_inputs(story):
        if member not in role_of:
            continue
        text, item = story.articles[member].text, target(member)
        item.linked = True
        item.supports = [
            (found, next((i for i, label in enumerate(item.added)
                          if _same_sentence(text[found.start:found.end], label)), -1))
            for found in support(story.articles[member], unmatched, supporters, vectors,
                                 gaps, story.claims, scale=scale)]
    edges = [(s, t, row) for s, t, row in derivation_edges(story)
             if story.trace.tree.get(t, s) == s and t in role_of]
    for values in _grid(ALTERED_GRID):
        config = PRIOR.with_values(**values)
        key = tuple(values.values())
        for s, t, row in edges:
            target(t).alterations.setdefault(key, []).extend(altered_facts(
                s, t, _passages(row, s), story.claims, story.texts, story.sentences, config))
    return list(by_id.values())


def _grid(grid: dict[str, Sequence[float]]) -> list[dict[str, float]]:
    names = list(grid)
    return [dict(zip(names, values, strict=True)) for values in itertools.product(*grid.values())]


def spread_targets(tmp: Path, reuse: ReuseConfig | None = None) -> list[Target]:
    folder = data_dir("spread-dev")
    news, names = spread_collection(tmp, folder, reuse=reuse)
    labels = {}
    for path in sorted(folder.glob("b*.labels.json")):
        label = json.loads(path.read_text(encoding="utf-8"))
        labels[label["base"]] = label
    role_of = {article_id: tuple(name.split(".")[:2]) for article_id, name in names.items()}
    with news:
        return _measure(news, role_of, labels, "spread-dev")  # type: ignore[arg-type]


def wild_targets(tmp: Path, reuse: ReuseConfig | None = None) -> list[Target]:
    folder = data_dir("wild-dev")
    labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
    groups = {group: {"added": _listed(value["added"]), "altered": _mapping(value["altered"])}
              for group, value in labels["groups"].items()}
    with Collection(tmp / "wild.db", reuse=reuse) as news:
        news.add([str(folder / name) for name in sorted(labels["files"])])
        role_of = {}
        for article in news.store.articles():
            label = labels["files"][Path(article.source_path).name]
            role_of[article.id] = (label["group"], label["role"])
        return _measure(news, role_of, groups, "wild-dev")


def _listed(value: Any) -> list[str]:
    import ast
    return list(ast.literal_eval(value)) if isinstance(value, str) else list(value)


def _mapping(value: Any) -> dict[str, str]:
    import ast
    return dict(ast.literal_eval(value)) if isinstance(value, str) else dict(value)


# -- scoring ------------------------------------------------------------------------------------


Counts = dict[str, int]


def addition_counts(targets: Iterable[Target], config: FactsConfig) -> Counts:
    counts = {"tp": 0, "fp": 0, "fn": 0, "rewrite_fp": 0, "other_fp": 0}
    for item in targets:
        reported = [label for found, label in item.supports if found.unsupported(config)]
        hits = sum(1 for i in range(len(item.added)) if i in reported)
        counts["tp"] += hits
        counts["fn"] += len(item.added) - hits
        wrong = reported.count(-1)
        counts["fp"] += wrong
        counts["rewrite_fp" if item.role == "rewrite" else "other_fp"] += wrong
    return counts


def altered_counts(targets: Iterable[Target], key: tuple[float, ...]) -> Counts:
    counts = {"found": 0, "labelled": 0, "reported": 0, "right": 0}
    for item in targets:
        reported = item.alterations.get(key, [])
        counts["reported"] += len(reported)
        if item.altered is None:
            continue
        change = item.altered
        right = [a for a in reported if _changed(a.to_text, change["changed"], change["original"])
                 and _changed(a.from_text, change["original"], change["changed"])]
        counts["labelled"] += 1
        counts["found"] += bool(right)
        counts["right"] += len(right)
    return counts


def f1(counts: Counts) -> float:
    precision = counts["tp"] / max(counts["tp"] + counts["fp"], 1)
    recall = counts["tp"] / max(counts["tp"] + counts["fn"], 1)
    return 2 * precision * recall / max(precision + recall, 1e-9)


def altered_f1(counts: Counts) -> float:
    recall = counts["found"] / max(counts["labelled"], 1)
    precision = counts["right"] / max(counts["reported"], 1)
    return 2 * precision * recall / max(precision + recall, 1e-9)


def _distance(values: dict[str, float]) -> float:
    """How far a configuration is from the prior values (ties go to the nearer)."""
    return float(sum(abs(value - float(getattr(PRIOR, name)))
                     for name, value in values.items()))


def _pick(candidates: list[dict[str, float]], objective: Callable[[dict[str, float]], float],
          ) -> dict[str, float]:
    return max(candidates, key=lambda values: (round(objective(values), 9), -_distance(values)))


def _folds(groups: Sequence[str]) -> list[set[str]]:
    ordered = sorted(groups)
    return [set(ordered[i::FOLDS]) for i in range(FOLDS)]


@dataclass(slots=True)
class Fitted:
    name: str
    chosen: dict[str, float]  # on all groups
    in_sample: str
    cross_validated: str
    per_fold: list[float]
    per_fold_chosen: list[dict[str, float]]
    extra: list[str] = field(default_factory=list)


def fit_additions(targets: list[Target]) -> Fitted:
    grid = _grid(ADDITION_GRID)
    configs = [PRIOR.with_values(**values) for values in grid]
    groups = sorted({t.group for t in targets})
    # every configuration's counts per group, once
    table = {group: [addition_counts([t for t in targets if t.group == group], config)
                     for config in configs] for group in groups}

    def pooled(chosen_groups: Iterable[str], index: int) -> Counts:
        total: Counts = {}
        for group in chosen_groups:
            for name, value in table[group][index].items():
                total[name] = total.get(name, 0) + value
        return total

    position = {id(values): i for i, values in enumerate(grid)}
    held: Counts = {}
    per_fold, per_fold_chosen = [], []
    for fold in _folds(groups):
        train = [g for g in groups if g not in fold]
        chosen = _pick(grid, partial(lambda keep, values: f1(pooled(keep, position[id(values)])),
                                     train))
        counts = pooled(fold, position[id(chosen)])
        per_fold.append(f1(counts))
        per_fold_chosen.append(chosen)
        for name, value in counts.items():
            held[name] = held.get(name, 0) + value
    best = _pick(grid, lambda values: f1(pooled(groups, position[id(values)])))
    inside = pooled(groups, position[id(best)])
    default = pooled(groups, position[id(_nearest(grid, {}))])
    by_source = []
    for source in ("spread-dev", "wild-dev"):
        part = [t for t in targets if t.source == source]
        counts = addition_counts(part, PRIOR.with_values(**best))
        by_source.append(f"{source}, in-sample with the chosen bars: {_additions_text(counts)}")
    return Fitted("additions", best, _additions_text(inside), _additions_text(held), per_fold,
                  per_fold_chosen,
                  [*by_source, f"the bars before this fit, on the same data: "
                   f"{_additions_text(default)}"])


def _nearest(grid: list[dict[str, float]], values: dict[str, float]) -> dict[str, float]:
    return min(grid, key=_distance)


def _additions_text(counts: Counts) -> str:
    precision = counts["tp"] / max(counts["tp"] + counts["fp"], 1)
    recall = counts["tp"] / max(counts["tp"] + counts["fn"], 1)
    return (f"F1 {f1(counts):.3f} (precision {precision:.3f}, recall {recall:.3f}; "
            f"{counts['tp']} found, {counts['fn']} missed, {counts['rewrite_fp']} false in "
            f"rewrites, {counts['other_fp']} in other derivatives)")


def fit_altered(targets: list[Target]) -> Fitted:
    grid = _grid(ALTERED_GRID)
    groups = sorted({t.group for t in targets})

    def pooled(chosen_groups: Iterable[str], values: dict[str, float]) -> Counts:
        return altered_counts([t for t in targets if t.group in set(chosen_groups)],
                              tuple(values.values()))

    held: Counts = {}
    per_fold, per_fold_chosen = [], []
    for fold in _folds(groups):
        train = [g for g in groups if g not in fold]
        chosen = _pick(grid, partial(lambda keep, values: altered_f1(pooled(keep, values)),
                                     train))
        counts = pooled(fold, chosen)
        per_fold.append(counts["found"] / max(counts["labelled"], 1))
        per_fold_chosen.append(chosen)
        for name, value in counts.items():
            held[name] = held.get(name, 0) + value
    best = _pick(grid, lambda values: altered_f1(pooled(groups, values)))
    by_source = [f"{source}, in-sample with the chosen bars: " + _altered_text(altered_counts(
        [t for t in targets if t.source == source], tuple(best.values())))
        for source in ("spread-dev", "wild-dev")]
    default = _nearest(grid, {})
    return Fitted("altered facts", best, _altered_text(pooled(groups, best)),
                  _altered_text(held), per_fold, per_fold_chosen,
                  [*by_source, "the bars before this fit, on the same data: "
                   + _altered_text(pooled(groups, default))])


def _altered_text(counts: Counts) -> str:
    recall = counts["found"] / max(counts["labelled"], 1)
    precision = counts["right"] / max(counts["reported"], 1)
    return (f"recall {recall:.3f} ({counts['found']} of {counts['labelled']} labelled "
            f"changes), precision {precision:.3f} ({counts['right']} of {counts['reported']} "
            f"reported)")


def fit_conflicts() -> Fitted:
    cases = load_cases()
    grid = _grid(CONFLICT_GRID)
    shapes = sorted({case["shape"] for case in cases})
    outcomes = {tuple(values.values()): [run_case(case, PRIOR.with_values(**values))
                                         for case in cases] for values in grid}

    def objective(values: dict[str, float], keep: set[str]) -> float:
        found = conflict_score([o for o in outcomes[tuple(values.values())] if o.shape in keep])
        return found["recall"] - found["flagged"]

    held = []
    per_fold, per_fold_chosen = [], []
    for shape in shapes:
        train = set(shapes) - {shape}
        chosen = _pick(grid, partial(lambda keep, values: objective(values, keep), train))
        part = [o for o in outcomes[tuple(chosen.values())] if o.shape == shape]
        held += part
        per_fold.append(conflict_score(part)["recall"])
        per_fold_chosen.append(chosen)
    best = _pick(grid, lambda values: objective(values, set(shapes)))
    inside = conflict_score(outcomes[tuple(best.values())])
    across = conflict_score(held)
    return Fitted("conflicts (corpus/conflicts, leave-one-shape-out)", best,
                  _conflict_text(inside), _conflict_text(across), per_fold, per_fold_chosen)


def _conflict_text(found: dict[str, float]) -> str:
    return (f"conflict recall {found['recall']:.2f} of {int(found['conflicts'])} cases, "
            f"agreeing cases flagged {found['flagged']:.2f} of {int(found['agreeing'])}")


# -- the report ---------------------------------------------------------------------------------


def _spread(values: list[float]) -> str:
    if len(values) < 2:
        return ""
    return (f"folds {', '.join(f'{v:.2f}' for v in values)} (mean {statistics.mean(values):.2f},"
            f" sd {statistics.stdev(values):.2f}, range {min(values):.2f}-{max(values):.2f})")


def _section(fitted: Fitted) -> list[str]:
    chosen = ", ".join(f"{name} = {value:g}" for name, value in fitted.chosen.items())
    changed = [f"{name} {getattr(PRIOR, name):g} -> {value:g}"
               for name, value in fitted.chosen.items() if value != getattr(PRIOR, name)]
    per_fold = "; ".join(", ".join(f"{v:g}" for v in chosen.values())
                         for chosen in fitted.per_fold_chosen)
    return [f"**{fitted.name}**", "",
            f"- cross-validated (held-out, pooled): {fitted.cross_validated}",
            f"- in-sample (chosen on all): {fitted.in_sample}",
            f"- spread across folds (held-out per fold): {_spread(fitted.per_fold)}",
            f"- chosen on all groups: {chosen} (against the values before the fit: "
            f"{', '.join(changed) or 'unchanged'})",
            f"- chosen per fold ({', '.join(fitted.chosen)}): {per_fold}",
            *[f"- {line}" for line in fitted.extra], ""]


def measured() -> list[Target]:
    """Both data sets measured; kept in $FIT_FACTS_CACHE (a pickle) when it is set, so that
    a second run while working skips the analysis (delete the file when the code changes)."""
    cache = os.environ.get("FIT_FACTS_CACHE")
    if cache and Path(cache).is_file():
        with open(cache, "rb") as kept:
            targets: list[Target] = pickle.load(kept)
            return targets
    with tempfile.TemporaryDirectory() as tmp:
        targets = spread_targets(Path(tmp)) + wild_targets(Path(tmp))
    if cache:
        with open(cache, "wb") as kept:
            pickle.dump(targets, kept)
    return targets


def run() -> list[str]:
    targets = measured()
    groups = sorted({t.group for t in targets})
    lines = [f"{len(groups)} groups, {len(targets)} derived articles "
             f"({sum(t.source == 'spread-dev' for t in targets)} spread-dev, "
             f"{sum(t.source == 'wild-dev' for t in targets)} wild-dev), {FOLDS} folds of "
             f"whole groups; grids: {json.dumps(ADDITION_GRID)}, {json.dumps(ALTERED_GRID)}, "
             f"{json.dumps(CONFLICT_GRID)}", ""]
    for fitted in (fit_additions(targets), fit_altered(targets), fit_conflicts()):
        lines += _section(fitted)
    linked = [t for t in targets if t.linked or t.role != "rewrite"]
    unlinked = sorted(f"{t.source} {t.group}" for t in targets
                      if t.role == "rewrite" and not t.linked)
    lines += [f"**The same, over the rewrites the reuse stage linked to a source** "
              f"({len([t for t in linked if t.role == 'rewrite'])} of "
              f"{len([t for t in targets if t.role == 'rewrite'])}; not linked: "
              f"{', '.join(unlinked) or 'none'}: a rewrite without a derivation edge gets no "
              f"additions or altered facts, which is the reuse stage's verdict, not this "
              f"stage's)", ""]
    for fitted in (fit_additions(linked), fit_altered(linked)):
        lines += _section(fitted)
    return lines


def config_fields() -> list[str]:
    return [f.name for f in fields(FactsConfig)]


if __name__ == "__main__":
    print("\n".join(run()))
