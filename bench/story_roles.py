"""Names typed by their role, each role weighted by leave-topic-out CV (issue 19).

The names' cosine (`stages/stories/events.py`) weighs a person, a place, an organisation, an
untyped name, a number and a quotation alike, by rarity only. Two look-alike events of one
topic may share their place (two quakes in one region) and differ in their people, or share
a person (two title defences of one boxer) and differ in place and date; if one role tells
events apart better than another, weighting it more should part them. Here each event term
takes the role `facts.entities.RuleEntities` gives its name (by majority over the
collection's mentions; a word of a typed multi-word name takes that name's role; numbers and
quotations are one role), its TF-IDF weight is multiplied by the square root of its role's
weight, and the cosine is taken as before: all weights 1 is the shipped similarity. The role
weights (each of 0.5, 1, 2) and the threshold are chosen together by `bench.story_cv`'s
protocol, for the whole corpus and for each topic as its own collection.

`python -m bench.story_roles` (about a minute of CPU).
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Mapping, Sequence

from bench.story_cv import Corpus, Method, Result, Tree, cross_validate, fixed, joined, table
from bench.story_cv import load_ecbplus as load
from newstrace.stages.clean.sentences import SentenceSplitter
from newstrace.stages.facts.entities import NAME, ORGANISATION, PERSON, PLACE, RuleEntities
from newstrace.stages.stories.agglomerate import merges
from newstrace.stages.stories.cluster import ClusterConfig, story_vectors
from newstrace.stages.stories.events import event_term_strings, similarity_edges, term_key

ROLES = (PERSON, ORGANISATION, PLACE, NAME, "particular")  # particular: numbers, quotations
WEIGHTS = (0.5, 1.0, 2.0)
PARTICULAR_WEIGHTS = (0.5, 1.0, 2.0, 4.0, 8.0, 16.0)
Strings = dict[str, Counter[str]]


def name_roles(texts: Mapping[str, str]) -> dict[str, str]:
    """Each name's role by majority of its typed mentions over the collection, and each word
    of a typed multi-word name by majority of the names it is in (casefolded)."""
    splitter, finder = SentenceSplitter(), RuleEntities()
    votes: dict[str, Counter[str]] = {}
    words: dict[str, Counter[str]] = {}
    for text in texts.values():
        spans = [(s.start, s.end) for s in splitter.split(text)] or [(0, len(text))]
        for mention in finder.find(text, spans):
            if mention.type == NAME:
                continue
            name = mention.text.casefold()
            votes.setdefault(name, Counter())[mention.type] += 1
            for word in name.split() if " " in name else ():
                words.setdefault(word, Counter())[mention.type] += 1
    return {name: counter.most_common(1)[0][0] for name, counter in
            {**words, **votes}.items()}


def term_role(term: str, roles: Mapping[str, str]) -> str:
    if not term.startswith("@"):
        return "particular"
    return roles.get(term[1:], NAME)


def role_weighted(terms: Strings, roles: Mapping[str, str],
                  weights: Mapping[str, float]) -> dict[str, dict[int, float]]:
    """The shipped TF-IDF vectors with each term scaled by its role's weight's root, unit
    length again."""
    hashed = {doc: {term_key(t): n for t, n in items.items()} for doc, items in terms.items()}
    scale = {term_key(t): math.sqrt(weights[term_role(t, roles)])
             for items in terms.values() for t in items}
    df = Counter(term for items in hashed.values() for term in items)
    vectors = story_vectors(hashed, df, len(hashed), ClusterConfig())
    found = {}
    for doc, vector in vectors.items():
        scaled = {t: w * scale[t] for t, w in vector.items()}
        norm = math.sqrt(sum(w * w for w in scaled.values())) or 1.0
        found[doc] = {t: w / norm for t, w in scaled.items()}
    return found


def collections(corpus: Corpus, alone: bool) -> list[list[str]]:
    if not alone:
        return [sorted(corpus.texts)]
    topics = sorted(set(corpus.topic.values()), key=int)
    return [sorted(d for d in corpus.texts if corpus.topic[d] == t) for t in topics]


def weighted_roles(corpus: Corpus, terms: Strings, alone: bool,
                   grid: Sequence[tuple[float, ...]]) -> Method:
    """One tree of merges per setting of the role weights; roles read within each
    collection, as a user's collection would read them."""
    def make() -> dict[str, Tree]:
        groups = collections(corpus, alone)
        roles = [name_roles({d: corpus.texts[d] for d in docs}) for docs in groups]
        limit = ClusterConfig().max_term_articles
        found = {}
        for values in grid:
            weights = dict(zip(ROLES, values, strict=True))
            trees = []
            for docs, known in zip(groups, roles, strict=True):
                vectors = role_weighted({d: terms[d] for d in docs}, known, weights)
                trees.append(Tree(docs, merges(docs, similarity_edges(vectors, limit),
                                               0.0)))
            found[", ".join(f"{r} {w:g}" for r, w in weights.items())] = joined(trees)
        return found

    return fixed(make)


def evaluate() -> list[Result]:
    corpus = load()
    terms = {doc: event_term_strings(text) for doc, text in corpus.texts.items()}
    grid = list(itertools.product(WEIGHTS, repeat=len(ROLES)))
    results = []
    for alone in (False, True):
        where = "each topic alone" if alone else "whole corpus"
        results.append(cross_validate(f"role weights all 1 (the shipped cosine): {where}",
                                      corpus, weighted_roles(corpus, terms, alone,
                                                             [(1.0,) * len(ROLES)])))
        results.append(cross_validate(
            f"role weights ({', '.join(ROLES)}) each of {WEIGHTS}, chosen per fold: {where}",
            corpus, weighted_roles(corpus, terms, alone, grid)))
        results.append(cross_validate(
            f"particulars (numbers, quotations) weighted each of {PARTICULAR_WEIGHTS} against "
            f"names, chosen per fold: {where}", corpus, weighted_roles(
                corpus, terms, alone, [(1.0, 1.0, 1.0, 1.0, w) for w in PARTICULAR_WEIGHTS])))
    return results


if __name__ == "__main__":
    print("\n".join(table(evaluate())))
