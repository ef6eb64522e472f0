"""Event signals: the names, numbers and quotations an article gives, weighted by rarity.

Two reports of one event share its particulars (who, where, how many); two reports of
look-alike events (another actress entering rehab, another earthquake) share the topic's
words but not its particulars. So stories are clustered on these terms alone, weighted by
TF-IDF, measured on ecbplus-dev (docs/benchmarks.md). A multi-word name also counts its words
("Tara Reid" gives "reid"), since later mentions shorten it.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Mapping

from newstrace.reuse.sketch import anchors

Terms = dict[int, int]  # term hash -> count in the article


def term_key(term: str) -> int:
    digest = hashlib.blake2b(b"E" + term.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def event_terms(text: str) -> Terms:
    counts: Counter[int] = Counter()
    for anchor in anchors(text):
        counts[term_key(anchor)] += 1
        if anchor.startswith("@") and " " in anchor:
            for part in anchor[1:].split():
                if len(part) > 2:
                    counts[term_key("@" + part)] += 1
    return dict(counts)


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
                     floor: float = 0.0) -> dict[tuple[str, str], float]:
    """Cosine of every pair of articles sharing a term carried by at most `max_term_articles`
    of them (a term on more links nothing telling), keyed (a, b) with a < b."""
    index: dict[int, list[str]] = {}
    for article_id, vector in vectors.items():
        for term in vector:
            index.setdefault(term, []).append(article_id)
    edges: dict[tuple[str, str], float] = {}
    for article_ids in index.values():
        if len(article_ids) > max_term_articles:
            continue
        ordered = sorted(article_ids)
        for position, a in enumerate(ordered):
            for b in ordered[position + 1 :]:
                if (a, b) not in edges:
                    edges[(a, b)] = cosine(vectors[a], vectors[b])
    return {pair: value for pair, value in edges.items() if value > floor}
