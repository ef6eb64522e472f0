"""Leave-topic-out cross-validation of story clustering on ecbplus-dev.

For each of the 20 topics (two look-alike events each): the same-event model is fitted on the
candidate pairs of the other topics, the clustering threshold chosen on the other topics, the
whole corpus clustered with both, and the pairs touching the held-out topic scored. The
TF-IDF agglomerative baseline gets its threshold the same way. Reported: pooled pairwise
precision, recall and F1 over the held-out pairs (the cross-validated figure), B-cubed F1 of
the held-out topics' articles, the spread of per-topic F1, and the figure fitted on everything.

`python -m bench.story_cv --fit` prints the model fitted on all of it, for stories/cluster.py.
"""

from __future__ import annotations

import argparse
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from bench.data import data_dir
from bench.spread import _logistic
from newstrace.stories.agglomerate import agglomerate
from newstrace.stories.cluster import ClusterConfig, particulars_similarity
from newstrace.stories.events import event_terms
from newstrace.stories.signals import SIGNALS, SameEventModel, event_facts, pair_signals

THRESHOLDS = tuple(round(x, 2) for x in np.arange(0.10, 0.90, 0.02))
Pair = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Corpus:
    texts: dict[str, str]
    gold: dict[str, str]  # doc -> event (subtopic)
    topic: dict[str, str]


def detokenised(text: str) -> str:
    """ECB+ text is tokenised ("May 03 , 2013", "Iran 's"); glue punctuation back as a page
    has it, so dates and names read as in any article. Done for every method alike."""
    text = re.sub(r" ([,.;:!?%)])", r"\1", text).replace("( ", "(")
    return text.replace(" 's", "'s").replace(" n't", "n't")


def load_ecbplus() -> Corpus:
    rows = [json.loads(line) for line in
            (data_dir("ecbplus-dev") / "docs.jsonl").read_text(encoding="utf-8").splitlines()]
    return Corpus({r["doc"]: detokenised(r["text"]) for r in rows},
                  {r["doc"]: str(r["subtopic"]) for r in rows},
                  {r["doc"]: str(r["topic"]) for r in rows})


def pair_table(texts: Mapping[str, str]) -> tuple[list[Pair], np.ndarray]:
    """Candidate pairs of the whole corpus (sharing a usable event term) and their signals."""
    terms = {doc: event_terms(text) for doc, text in texts.items()}
    facts = {doc: event_facts(text) for doc, text in texts.items()}
    df = Counter(term for items in terms.values() for term in items)
    similarity = particulars_similarity(terms, df, len(terms), ClusterConfig())
    pairs = sorted(similarity)
    x = np.array([[pair_signals(similarity[(a, b)], facts[a], facts[b])[name]
                   for name in SIGNALS] for a, b in pairs])
    return pairs, x


def fit_model(x: np.ndarray, y: np.ndarray) -> SameEventModel:
    weights, bias = _logistic(x, y)
    return SameEventModel({name: round(float(w), 2) for name, w in zip(SIGNALS, weights,
                                                                       strict=True)},
                          round(float(bias), 2))


def counts(found: Mapping[str, str], gold: Mapping[str, str],
           held: Mapping[str, bool] | None = None) -> tuple[int, int, int]:
    """Pairwise true positives, false positives, false negatives over the items of `gold`;
    with `held`, only the pairs touching an item marked True (all pairs less those between
    unmarked items), counted from cluster sizes rather than pair by pair."""
    total = _pair_counts(found, gold, list(gold))
    if held is None:
        return total
    outside = _pair_counts(found, gold, [item for item in gold if not held[item]])
    return total[0] - outside[0], total[1] - outside[1], total[2] - outside[2]


def _pair_counts(found: Mapping[str, str], gold: Mapping[str, str],
                 items: Sequence[str]) -> tuple[int, int, int]:
    def pairs(counter: Counter[Any]) -> int:
        return sum(n * (n - 1) // 2 for n in counter.values())

    both = pairs(Counter((found[i], gold[i]) for i in items))
    said = pairs(Counter(found[i] for i in items))
    true = pairs(Counter(gold[i] for i in items))
    return both, said - both, true - both


def scores(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision, recall = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    return precision, recall, 2 * precision * recall / max(precision + recall, 1e-9)


def bcubed(found: Mapping[str, str], gold: Mapping[str, str], items: Sequence[str]) -> float:
    by_found: dict[str, set[str]] = {}
    by_gold: dict[str, set[str]] = {}
    for item in gold:
        by_found.setdefault(found[item], set()).add(item)
        by_gold.setdefault(gold[item], set()).add(item)
    both = [len(by_found[found[i]] & by_gold[gold[i]]) for i in items]
    precision = float(np.mean([n / len(by_found[found[i]]) for n, i in zip(both, items,
                                                                           strict=True)]))
    recall = float(np.mean([n / len(by_gold[gold[i]]) for n, i in zip(both, items,
                                                                      strict=True)]))
    return 2 * precision * recall / max(precision + recall, 1e-9)


def _clusters(pairs: Sequence[Pair], probabilities: np.ndarray, items: Sequence[str],
              threshold: float) -> dict[str, str]:
    inside = set(items)
    edges = {pair: float(p) for pair, p in zip(pairs, probabilities, strict=True)
             if pair[0] in inside and pair[1] in inside}
    groups = agglomerate(items, edges, threshold)
    return {item: str(number) for number, group in enumerate(groups) for item in group}


@dataclass(frozen=True, slots=True)
class Result:
    name: str
    pooled: tuple[float, float, float]  # held-out precision, recall, F1
    b_cubed: float  # held-out topics' articles, each fold's clustering
    folds: list[float]  # per-topic held-out F1
    in_sample: tuple[float, float, float]
    setting: str  # the parameter fitted on everything

    def row(self) -> str:
        p, r, f = self.pooled
        return (f"| {self.name} | **{f:.3f}** ({p:.3f} / {r:.3f}) | {self.b_cubed:.3f} | "
                f"{min(self.folds):.3f} / {float(np.median(self.folds)):.3f} / "
                f"{max(self.folds):.3f} | {self.in_sample[2]:.3f} ({self.setting}) |")


Clusterer = Callable[[Sequence[str], float], dict[str, str]]


def _cross_validate(name: str, corpus: Corpus, fitted: Callable[[str | None], Clusterer],
                    thresholds: Sequence[float]) -> Result:
    """`fitted(held_out_topic)` gives a clusterer fitted without that topic (None: on all)."""
    gold, topic = corpus.gold, corpus.topic
    everything = sorted(gold)
    totals = np.zeros(3, dtype=int)
    folds, b3 = [], []
    for held in sorted(set(topic.values()), key=int):
        clusterer = fitted(held)
        train = [d for d in everything if topic[d] != held]
        train_gold = {d: gold[d] for d in train}
        best = max(thresholds, key=lambda t: scores(*counts(clusterer(train, t),
                                                            train_gold))[2])
        found = clusterer(everything, best)
        touched = counts(found, gold, {d: topic[d] == held for d in everything})
        totals += touched
        folds.append(scores(*touched)[2])
        b3.append(bcubed(found, gold, [d for d in everything if topic[d] == held]))
    clusterer = fitted(None)
    best = max(thresholds, key=lambda t: scores(*counts(clusterer(everything, t), gold))[2])
    in_sample = scores(*counts(clusterer(everything, best), gold))
    return Result(name, scores(*totals), float(np.mean(b3)), folds, in_sample,
                  f"threshold {best:.2f}")


def tfidf_tree(texts: dict[str, str]) -> tuple[list[str], np.ndarray]:
    """Average-linkage tree over word TF-IDF cosine: the baseline a user would pick."""
    from scipy.cluster.hierarchy import linkage
    from scipy.spatial.distance import squareform

    ids = sorted(texts)
    bags = [Counter(re.findall(r"\w+", texts[i].lower())) for i in ids]
    df = Counter(word for bag in bags for word in bag)
    vocabulary = {word: n for n, word in enumerate(df)}
    matrix = np.zeros((len(ids), len(vocabulary)), dtype=np.float32)
    for row, bag in enumerate(bags):
        for word, count in bag.items():
            matrix[row, vocabulary[word]] = (1 + math.log(count)) * math.log(len(ids) / df[word])
    matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-9)
    distance = np.clip(1 - matrix @ matrix.T, 0, None)
    np.fill_diagonal(distance, 0)
    return ids, linkage(squareform(distance, checks=False), "average")


def tfidf_labels(ids: list[str], tree: np.ndarray, similarity: float) -> dict[str, str]:
    from scipy.cluster.hierarchy import fcluster

    return {i: str(c) for i, c in zip(ids, fcluster(tree, 1 - similarity, "distance"),
                                      strict=True)}


def evaluate(corpus: Corpus) -> list[Result]:
    pairs, x = pair_table(corpus.texts)
    y = np.array([corpus.gold[a] == corpus.gold[b] for a, b in pairs], dtype=float)

    def same_event(held: str | None) -> Clusterer:
        keep = np.array([held not in (corpus.topic[a], corpus.topic[b]) for a, b in pairs])
        model = fit_model(x[keep], y[keep])
        probabilities = np.array([model.probability(dict(zip(SIGNALS, row, strict=True)))
                                  for row in x])
        return lambda items, t: _clusters(pairs, probabilities, items, t)

    def particulars_only(held: str | None) -> Clusterer:
        similarity = x[:, SIGNALS.index("particulars")]
        return lambda items, t: _clusters(pairs, similarity, items, t)

    ids, tree = tfidf_tree(corpus.texts)

    def baseline(held: str | None) -> Clusterer:
        return lambda items, t: {i: label for i, label in tfidf_labels(ids, tree, t).items()
                                 if i in set(items)}

    cosines = tuple(round(t, 2) for t in np.arange(0.02, 0.40, 0.01))
    return [
        _cross_validate("newstrace: same-event model over event evidence", corpus,
                        same_event, THRESHOLDS),
        _cross_validate("newstrace before issue 19: event-term cosine alone", corpus,
                        particulars_only, cosines),
        _cross_validate("baseline: word TF-IDF, average linkage", corpus, baseline,
                        tuple(round(t, 2) for t in np.arange(0.01, 0.70, 0.01))),
    ]


def table(results: Sequence[Result]) -> list[str]:
    return ["| method | cross-validated pairwise F1 (precision / recall) | cross-validated "
            "B-cubed F1 | per-topic F1 min / median / max | fitted on everything |",
            "|---|---|---|---|---|", *(result.row() for result in results)]


def fit() -> None:
    corpus = load_ecbplus()
    pairs, x = pair_table(corpus.texts)
    y = np.array([corpus.gold[a] == corpus.gold[b] for a, b in pairs], dtype=float)
    print(f"{len(pairs)} candidate pairs, {int(y.sum())} of one event")
    print(fit_model(x, y))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fit", action="store_true", help="print the model fitted on all")
    if parser.parse_args().fit:
        fit()
    else:
        print("\n".join(table(evaluate(load_ecbplus()))))
