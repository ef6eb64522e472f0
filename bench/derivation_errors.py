"""Where the derivation model's cross-validated verdicts go wrong, by their signals.

`python -m bench.derivation_errors` runs the nested grouped CV of `make train`
(bench/train_derivation.evaluate, paraphrase model) and prints, for each kind of verdict
(independent pairs called independent or derived, derived pairs found or missed, siblings
called derived or not), how many there are, in which data sets and role pairs, and the mean
of every signal, with the false positives' distance from the true negatives in pooled
standard deviations: what the model sees in the pairs it gets wrong, not their strings.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np

from bench.derivation_data import CORPUS, SIBLING
from bench.derivation_scoring import Verdict
from bench.train_derivation import FEATURES, all_examples, datasets, evaluate
from newstrace.records import DERIVED


def kind(v: Verdict) -> str:
    truth = v.example.pair.label
    called = v.label in DERIVED
    if truth == SIBLING:
        return "sibling called derived" if called else "sibling called independent"
    if truth in DERIVED:
        return "derived found" if called else "derived missed"
    return "independent called derived" if called else "independent kept"


def table(verdicts: Sequence[Verdict], features: Sequence[str]) -> list[str]:
    kinds = ("independent kept", "independent called derived", "derived found",
             "derived missed", "sibling called independent", "sibling called derived")
    by_kind = {k: [v for v in verdicts if kind(v) == k] for k in kinds}
    lines = ["| signal | " + " | ".join(f"{k} ({len(by_kind[k])})" for k in kinds)
             + " | FP - TN (sd) |", "|---" * (len(kinds) + 2) + "|"]
    for name in (*features, "derived_probability"):
        means = []
        for k in kinds:
            values = [float(v.example.scores.get(name, 0.0)) if name != "derived_probability"
                      else v.probability for v in by_kind[k]]
            means.append(float(np.mean(values)) if values else float("nan"))
        fp = np.array([v.example.scores.get(name, 0.0) if name != "derived_probability"
                       else v.probability for v in by_kind["independent called derived"]])
        tn = np.array([v.example.scores.get(name, 0.0) if name != "derived_probability"
                       else v.probability for v in by_kind["independent kept"]])
        spread = float(np.sqrt((fp.var() + tn.var()) / 2)) if len(fp) and len(tn) else 0.0
        gap = (fp.mean() - tn.mean()) / spread if spread else float("nan")
        lines.append(f"| {name} | " + " | ".join(f"{m:.3f}" for m in means)
                     + f" | {gap:+.2f} |")
    return lines


def origins(verdicts: Sequence[Verdict], which: str) -> str:
    found = Counter(f"{v.example.pair.dataset} {v.example.pair.a}-{v.example.pair.b}"
                    for v in verdicts if kind(v) == which)
    return f"- {which}: " + ", ".join(f"{k} {n}" for k, n in found.most_common())


def main() -> None:
    loaded, _ = datasets(CORPUS)
    found = all_examples(loaded, paraphrase=True)
    evaluation = evaluate(found, "paraphrase")
    held = evaluation.decisions.verdicts
    lines = table(held, FEATURES)
    lines += ["", *(origins(held, k) for k in ("independent called derived", "derived missed",
                                              "sibling called derived"))]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
