"""Could a static model pick the sentence pairs worth the transformer? (issue 21, item 5)

`python -m bench.static_filter` reads every pair of articles within each group of the
derivation corpus (and spread-dev, where present, as a set the question was not asked on),
computes the cosine of every sentence pair with the shipped MiniLM and with WordLlama's static
embeddings (reuse/static_embed.py), and asks, for a static cut `lo`: of the sentence
pairs MiniLM calls a paraphrase match (AlignConfig.pair_similarity, 0.70) or a close one (0.85),
what share has a static cosine of at least `lo` (the filter's recall); what share of all
sentence pairs passes; and what share of the sentences would still need the transformer (a
sentence with any partner passing). The transformer's cost is a sentence's encoding, not a
pair's cosine, so only the last column is work saved. MiniLM's vectors come from the derivation
bench's cache (bench/out), the static ones are computed here.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from bench.data import DataMissing, data_dir
from bench.derivation_data import (
    VECTOR_CACHE,
    Loaded,
    articles_of,
    cached_vectors,
    load_corpus,
    load_spread,
)
from newstrace.stages.reuse.align import AlignConfig
from newstrace.stages.reuse.embed import SentenceEncoder, Vectors, load_encoder
from newstrace.stages.reuse.static_embed import load_static_encoder

CUTS = (0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)
CLOSE = 0.85  # the signals' close-paraphrase cosine (features.py)


@dataclass
class PairCosines:
    """One article pair: both models' sentence cosine matrices."""

    reference: Vectors
    static: Vectors


def pair_cosines(loaded: Loaded, reference: SentenceEncoder,
                 static: SentenceEncoder) -> list[PairCosines]:
    by_key = articles_of(loaded)
    articles = list(by_key.values())
    ref = cached_vectors(reference, articles, VECTOR_CACHE)
    own = {a.id: static.encode(a.sentence_texts() or [a.text]) for a in articles}
    groups: dict[str, list[str]] = defaultdict(list)
    for (group, _role), article in by_key.items():
        groups[group].append(article.id)
    return [PairCosines(ref[a] @ ref[b].T, own[a] @ own[b].T)
            for ids in groups.values() for a, b in itertools.combinations(sorted(ids), 2)]


def table(pairs: list[PairCosines], name: str) -> list[str]:
    match = AlignConfig().pair_similarity
    ref = np.concatenate([p.reference.ravel() for p in pairs])
    own = np.concatenate([p.static.ravel() for p in pairs])
    sentences = sum(sum(p.static.shape) for p in pairs)
    lines = [f"{name}: {len(pairs)} article pairs, {len(ref)} sentence pairs; MiniLM >= "
             f"{match:.2f}: {(ref >= match).sum()}, >= {CLOSE:.2f}: {(ref >= CLOSE).sum()}", "",
             f"| static cut | recall of MiniLM >= {match:.2f} | recall of >= {CLOSE:.2f} | "
             "sentence pairs passing | sentences still to encode |", "|---|---|---|---|---|"]
    def recall(passing: np.ndarray, floor: float) -> float:
        return float((passing & (ref >= floor)).sum() / max((ref >= floor).sum(), 1))

    def still_to_encode(pair: PairCosines, cut: float) -> int:
        """The sentences of either article with a partner at or above the cut."""
        passing = pair.static >= cut
        return int(passing.any(axis=1).sum() + passing.any(axis=0).sum())

    for cut in CUTS:
        passing = own >= cut
        needed = sum(still_to_encode(p, cut) for p in pairs)
        lines.append(f"| {cut:.2f} | {recall(passing, match):.4f} | {recall(passing, CLOSE):.4f} "
                     f"| {passing.mean():.4f} | {needed / sentences:.3f} |")
    return [*lines, ""]


def main() -> None:
    reference = load_encoder(required=True)
    assert reference is not None
    static = load_static_encoder()
    lines = table(pair_cosines(load_corpus(), reference, static), "corpus/derivation")
    try:
        lines += table(pair_cosines(load_spread(data_dir("spread-dev")), reference, static),
                       "spread-dev")
    except DataMissing as missing:
        lines.append(f"spread-dev skipped: {missing}")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
