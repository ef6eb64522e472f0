"""Event signals: the names, numbers and quotations an article gives, weighted by rarity.

Two reports of one event share its particulars (who, where, how many); two reports of
look-alike events (another actress entering rehab, another earthquake) share the topic's
words but not its particulars. So stories are clustered on these terms alone, weighted by
TF-IDF, measured on ecbplus-dev (docs/benchmarks.md). A multi-word name also counts its words
("Tara Reid" gives "reid"), since later mentions shorten it; numbers under 100 are left out.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Mapping

import numpy as np
from scipy import sparse

from newstrace.stages.reuse.candidates import ordered_pair
from newstrace.stages.reuse.sketch import anchors

Terms = dict[int, int]  # term hash -> count in the article


def term_key(term: str) -> int:
    digest = hashlib.blake2b(b"E" + term.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


_SMALL_NUMBER = re.compile(r"#\d{1,2}")


def event_terms(text: str) -> Terms:
    return {term_key(term): count for term, count in event_term_strings(text).items()}


def event_term_strings(text: str) -> Counter[str]:
    """The event terms of `text` as written ("@tara reid", "#2013", a quotation's words),
    before hashing: what `event_terms` counts."""
    counts: Counter[str] = Counter()
    for anchor in anchors(text):
        if _SMALL_NUMBER.fullmatch(anchor):
            continue  # "6 people", "14 March", "40 km/h": in every kind of story
        counts[anchor] += 1
        if anchor.startswith("@") and " " in anchor:
            for part in anchor[1:].split():
                if len(part) > 2:
                    counts["@" + part] += 1
    return counts


def weighted(terms: Terms, df: Mapping[int, int], total: int) -> dict[int, float]:
    """Unit-length TF-IDF weights; terms no other article has carry no evidence and are left
    out (their df is 1 or unknown)."""
    vector = {term: (1 + math.log(count)) * math.log(total / df[term])
              for term, count in terms.items() if df.get(term, 0) > 1}
    norm = math.sqrt(sum(value * value for value in vector.values())) or 1.0
    return {term: value / norm for term, value in vector.items()}


def cosine(a: Mapping[int, float], b: Mapping[int, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(value * b.get(term, 0.0) for term, value in a.items())


def similarity_edges(vectors: Mapping[str, Mapping[int, float]], max_term_articles: int,
                     floor: float = 0.02, neighbours: int = 50,
                     block: int = 2000) -> dict[tuple[str, str], float]:
    """Cosine between articles sharing a term carried by at most `max_term_articles` of them,
    keyed (a, b) with a < b: each article's `neighbours` most similar, down to `floor`.

    A sparse matrix product, a block of rows at a time, so memory stays bounded and the work
    is in C; pairs sharing no usable term are never formed."""
    ids = sorted(vectors)
    df: dict[int, int] = {}
    for vector in vectors.values():
        for term in vector:
            df[term] = df.get(term, 0) + 1
    columns = {term: n for n, term in enumerate(t for t, c in df.items()
                                               if 1 < c <= max_term_articles)}
    rows, cols, values = [], [], []
    for row, article_id in enumerate(ids):
        for term, weight in vectors[article_id].items():
            column = columns.get(term)
            if column is not None:
                rows.append(row)
                cols.append(column)
                values.append(weight)
    matrix = sparse.csr_matrix((np.asarray(values, dtype=np.float32), (rows, cols)),
                               shape=(len(ids), max(len(columns), 1)))
    transposed = matrix.T.tocsc()
    edges: dict[tuple[str, str], float] = {}
    for start in range(0, len(ids), block):
        product = (matrix[start : start + block] @ transposed).tocsr()
        for offset in range(product.shape[0]):
            row = start + offset
            begin, end = product.indptr[offset], product.indptr[offset + 1]
            others, scores = product.indices[begin:end], product.data[begin:end]
            keep = (scores >= floor) & (others != row)
            others, scores = others[keep], scores[keep]
            if len(scores) > neighbours:
                top = np.argpartition(-scores, neighbours)[:neighbours]
                others, scores = others[top], scores[top]
            for other, score in zip(others.tolist(), scores.tolist(), strict=True):
                edges[ordered_pair(ids[row], ids[other])] = score
    return edges
