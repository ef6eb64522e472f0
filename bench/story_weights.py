"""What the names' weights become when a collection is one topic (issue 19), under the
leave-topic-out protocol of `bench.story_cv`.

A story's similarity is a TF-IDF cosine over event terms, with document frequencies from
the collection. When the collection is one ECB+ topic (two look-alike events, about 23
articles) instead of the whole corpus (462), the frequencies change: the topic's own names
are on most of its articles, and words common across topics (weekdays, "Los Angeles",
"county") are rare within one. This measures, for the whole corpus and for each topic as its
own collection, the shipped weighting against weightings that depend less on the
collection's size and make-up:

- the rarity floor (`ClusterConfig.min_rarity_articles`: rarity read against at least this
  many articles) at 0 (plain within-collection IDF), 100, 200 (shipped) and 400;
- a background frequency prior: an article's chance of carrying a term is estimated as
  (df + a * p) / (N + a), where p is the term's chance in general English text
  (wordfreq's word frequency over a 500-word article) and a the prior's weight in articles;
  a small collection leans on the background, a large one on its own counts.

And a threshold relative to the collection's own similarity scale. (Until 2026-12-07 also a
second stage, each story split again with IDF local to its members: it never split under CV,
0.941 whole and 0.927 alone, docs/benchmarks.md; it is left out since its two thresholds do
not make one tree of merges, which the protocol now reads thresholds from.)

Every threshold is chosen on the other 19 topics, as in `bench.story_cv`. The wordfreq rows
need `pip install wordfreq` (a measurement only: the product does not depend on it).
`python -m bench.story_weights` (about 2 minutes on 2 shared cores).
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Callable, Mapping

from bench.story_cv import Corpus, Method, Result, Tree, cross_validate, fixed, joined, table
from bench.story_cv import load_ecbplus as load
from newstrace.stages.stories.agglomerate import merges
from newstrace.stages.stories.cluster import ClusterConfig, story_vectors
from newstrace.stages.stories.events import event_term_strings, similarity_edges, term_key

Strings = dict[str, Counter[str]]
Vectors = dict[str, dict[int, float]]
Weigh = Callable[[Strings], Vectors]
ARTICLE_WORDS = 500  # for a term's chance to be in an article, from its word frequency
FLOORS = (0, 50, 100, 200, 400, 800)


def rarity_floor(floor: int) -> Weigh:
    """The shipped weighting (`story_vectors`) with rarity read against at least `floor`."""
    config = ClusterConfig(min_rarity_articles=floor)

    def weigh(terms: Strings) -> Vectors:
        hashed = {doc: {term_key(t): n for t, n in items.items()} for doc, items in terms.items()}
        df = Counter(term for items in hashed.values() for term in items)
        return story_vectors(hashed, df, len(hashed), config)

    return weigh


def background_chance(term: str) -> float:
    """The chance that an article of general English carries `term` (a quotation: 0)."""
    from wordfreq import word_frequency

    if term.startswith('"'):
        return 0.0
    return 1 - math.exp(-word_frequency(term[1:], "en") * ARTICLE_WORDS)


def background_prior(weight: float) -> Weigh:
    """TF-IDF with each term's article chance smoothed towards its background chance."""
    def weigh(terms: Strings) -> Vectors:
        df = Counter(term for items in terms.values() for term in items)
        chance = {term: background_chance(term) for term in df}
        total, limit = len(terms), ClusterConfig().max_term_articles
        vectors = {}
        for doc, items in terms.items():
            raw = {term_key(t): (1 + math.log(n)) * max(0.0, math.log(
                (total + weight) / (df[t] + weight * chance[t])))
                   for t, n in items.items() if 1 < df[t] <= limit}
            norm = math.sqrt(sum(v * v for v in raw.values())) or 1.0
            vectors[doc] = {t: v / norm for t, v in raw.items() if v > 0}
        return vectors

    return weigh


def grouped(corpus: Corpus, docs: list[str], alone: bool) -> dict[str, list[str]]:
    """The collections: the whole corpus, or each topic on its own."""
    if not alone:
        return {"all": docs}
    found: dict[str, list[str]] = {}
    for doc in docs:
        found.setdefault(corpus.topic[doc], []).append(doc)
    return found


def group_edges(groups: Mapping[str, list[str]], terms: Strings,
                weigh: Weigh) -> dict[str, dict[tuple[str, str], float]]:
    return {name: similarity_edges(weigh({doc: terms[doc] for doc in docs}),
                                   ClusterConfig().max_term_articles)
            for name, docs in groups.items()}


def grouped_tree(groups: Mapping[str, list[str]], terms: Strings, weigh: Weigh) -> Tree:
    """Every threshold's stories, the collections clustered apart."""
    edges = group_edges(groups, terms, weigh)
    return joined([Tree(docs, merges(docs, edges[name], 0.0)) for name, docs in groups.items()])


def clustering(corpus: Corpus, terms: Strings, weigh: Weigh, alone: bool) -> Method:
    groups = grouped(corpus, sorted(terms), alone)
    return fixed(lambda: {"": grouped_tree(groups, terms, weigh)})


def floor_chosen(corpus: Corpus, terms: Strings, alone: bool) -> Method:
    """The rarity floor chosen with the threshold, per fold, on the other topics."""
    groups = grouped(corpus, sorted(terms), alone)
    return fixed(lambda: {f"floor {floor}": grouped_tree(groups, terms, rarity_floor(floor))
                          for floor in FLOORS})


def relative_threshold(corpus: Corpus, terms: Strings, alone: bool) -> Method:
    """The threshold a share of the collection's own scale: the median, over its articles,
    of each one's best neighbour's similarity; the share chosen per fold (the tree's
    similarities are divided by the scale, so a threshold on it is that share)."""
    groups = grouped(corpus, sorted(terms), alone)

    def make() -> dict[str, Tree]:
        edges = group_edges(groups, terms, rarity_floor(200))
        scale = {name: median_best(docs, edges[name]) for name, docs in groups.items()}
        trees = [Tree(docs, [(similarity / scale[name], x, y) for similarity, x, y in
                             merges(docs, edges[name], 0.0)], 1 / scale[name])
                 for name, docs in groups.items()]
        return {"share of the median best neighbour": joined(trees)}

    return fixed(make)


def median_best(docs: list[str], edges: Mapping[tuple[str, str], float]) -> float:
    best = dict.fromkeys(docs, 0.0)
    for (a, b), value in edges.items():
        best[a], best[b] = max(best[a], value), max(best[b], value)
    return statistics.median(best.values())


def weightings() -> dict[str, Weigh]:
    found = {f"rarity floor {floor}" + (" (shipped)" if floor == 200 else ""):
             rarity_floor(floor) for floor in (200, 0, 100, 400)}
    try:
        import wordfreq  # noqa: F401
    except ImportError:
        print("wordfreq is not installed: the background rows are left out "
              "(`pip install wordfreq` to measure them)")
        return found
    found.update({f"background prior, weight {a}": background_prior(a) for a in (200, 1000)})
    return found


def evaluate() -> list[Result]:
    corpus = load()
    terms = {doc: event_term_strings(text) for doc, text in corpus.texts.items()}
    results = []
    for name, weigh in weightings().items():
        for alone in (False, True):
            if alone or "floor" not in name or name.endswith("(shipped)"):
                # A floor under the corpus's 462 articles changes nothing on the whole.
                label = f"{name}: {'each topic alone' if alone else 'whole corpus'}"
                results.append(cross_validate(label, corpus,
                                              clustering(corpus, terms, weigh, alone)))
    for alone in (False, True):
        label = ("rarity floor chosen per fold from " + ", ".join(map(str, FLOORS)) + ": "
                 + ("each topic alone" if alone else "whole corpus"))
        results.append(cross_validate(label, corpus, floor_chosen(corpus, terms, alone)))
    for alone in (False, True):
        label = ("threshold relative to the collection's median best-neighbour similarity: "
                 + ("each topic alone" if alone else "whole corpus"))
        results.append(cross_validate(label, corpus, relative_threshold(corpus, terms, alone)))
    return results


if __name__ == "__main__":
    print("\n".join(table(evaluate())))
