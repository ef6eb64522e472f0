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
from newstrace.stages.stories.credits import without_credits

Terms = dict[int, int]  # term hash -> count in the article


def term_key(term: str) -> int:
    digest = hashlib.blake2b(b"E" + term.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


_SMALL_NUMBER = re.compile(r"#\d{1,2}")


def event_terms(text: str) -> Terms:
    return {term_key(term): count for term, count in event_term_strings(text).items()}


def event_term_strings(text: str) -> Counter[str]:
    """The event terms of `text` as written ("@tara reid", "#2013", a quotation's words),
    before hashing: what `event_terms` counts. Credit sentences give none (`credits.py`):
    two stories reprinted from one outlet share its name, not their event."""
    counts: Counter[str] = Counter()
    for anchor in anchors(without_credits(text)):
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
                     floor: float = 0.02, neighbours: int = 50, block: int = 2000,
                     collection_df: Mapping[int, int] | None = None,
                     ) -> dict[tuple[str, str], float]:
    """Cosine between articles sharing a term carried by at most `max_term_articles` of them
    (the candidates), over every term the two share (the score), keyed (a, b) with a < b:
    each article's `neighbours` most similar, down to `floor`.

    The candidates are a sparse matrix product over the rare terms, a block of rows at a time,
    so memory stays bounded and the work is in C; the common terms (on more articles) add
    their products to those pairs only, so pairs sharing no rare term are never formed and a
    common term costs what its candidates cost, not the square of its articles. A term is
    rare when at most `max_term_articles` of the collection carry it (`collection_df`; by
    default, of `vectors`), so a part of the collection has the candidates it has in full."""
    ids = sorted(vectors)
    df: dict[int, int] = {}
    for vector in vectors.values():
        for term in vector:
            df[term] = df.get(term, 0) + 1
    within = collection_df or df
    rare = _term_matrix(ids, vectors, [t for t, c in df.items()
                                       if c > 1 and within.get(t, c) <= max_term_articles])
    common = _term_matrix(ids, vectors, [t for t, c in df.items()
                                         if c > 1 and within.get(t, c) > max_term_articles])
    transposed = rare.T.tocsc()
    edges: dict[tuple[str, str], float] = {}
    for start in range(0, len(ids), block):
        product = (rare[start : start + block] @ transposed).tocoo()
        rows, others = product.row + start, product.col
        keep = rows != others
        rows, others, scores = rows[keep], others[keep], product.data[keep]
        if common.nnz:
            scores = scores + np.asarray(common[rows].multiply(common[others]).sum(axis=1),
                                         dtype=np.float32).ravel()
        _keep_nearest(ids, rows, others, scores, floor, neighbours, edges)
    return edges


def _term_matrix(ids: list[str], vectors: Mapping[str, Mapping[int, float]],
                 terms: list[int]) -> sparse.csr_matrix:
    """Rows `ids`, columns `terms`: each article's weights on those terms."""
    columns = {term: n for n, term in enumerate(terms)}
    rows, cols, values = [], [], []
    for row, article_id in enumerate(ids):
        for term, weight in vectors[article_id].items():
            column = columns.get(term)
            if column is not None:
                rows.append(row)
                cols.append(column)
                values.append(weight)
    return sparse.csr_matrix((np.asarray(values, dtype=np.float32), (rows, cols)),
                             shape=(len(ids), max(len(columns), 1)))


def _keep_nearest(ids: list[str], rows: np.ndarray, others: np.ndarray, scores: np.ndarray,
                  floor: float, neighbours: int, edges: dict[tuple[str, str], float]) -> None:
    """Into `edges`, each row's `neighbours` best-scored others down to `floor`."""
    keep = scores >= floor
    if not keep.any():
        return
    rows, others, scores = rows[keep], others[keep], scores[keep]
    order = np.lexsort((others, rows))
    rows, others, scores = rows[order], others[order], scores[order]
    bounds = np.flatnonzero(np.diff(rows)) + 1
    for first, last in zip(np.r_[0, bounds], np.r_[bounds, len(rows)], strict=True):
        mine, best = others[first:last], scores[first:last]
        if len(best) > neighbours:
            top = np.argpartition(-best, neighbours)[:neighbours]
            mine, best = mine[top], best[top]
        row = ids[int(rows[first])]
        for other, score in zip(mine.tolist(), best.tolist(), strict=True):
            edges[ordered_pair(row, ids[other])] = score
