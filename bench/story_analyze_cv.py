"""Leave-topic-out cross-validation of the story threshold on the whole `newstrace analyze`
path (issue 19): event terms, the shipped conflict penalty, and the reuse verdicts the real
pipeline produces (`relation_overrides`, copies joined after clustering).

`bench.story_cv` fits the threshold on event terms alone; `analyze` also reads verdicts, and
they move merges. Here ecbplus-dev is related once as `Collection.add` does it (the whole
corpus, and each topic as a collection of its own; `bench.analyzed` keeps the stores), and
each fold re-clusters from the stored terms, frequencies and verdicts: one run of average
linkage down to 0 gives the stories at every threshold, and the fold takes the middle of the
widest range of thresholds tying for the best F1 on the other 19 topics
(`story_cv.chosen_threshold`). The TF-IDF baseline and event terms alone (from the same
stores) are measured in the same run.

`python -m bench.story_analyze_cv` prints the table; `--errors` lists the false merges and
splits of the whole corpus at the shipped threshold with the evidence behind them.
"""

from __future__ import annotations

import argparse
import itertools
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from bench.analyzed import Analyzed, analyzed, code_digest
from bench.story_cv import (
    Choice,
    Corpus,
    Method,
    Result,
    Tree,
    cross_validate,
    cut_counts,
    fixed,
    held_out,
    joined,
    load_ecbplus,
    outside,
    scores,
    table,
    tfidf_baseline,
)
from newstrace.stages.stories.agglomerate import merges
from newstrace.stages.stories.cluster import (
    ClusterConfig,
    cluster,
    copy_pairs,
    pair_similarity,
    penalised,
    relation_overrides,
)


def analyze_edges(found: Analyzed, config: ClusterConfig,
                  verdicts: bool = True) -> dict[tuple[str, str], float]:
    """The edges `clusters_from_edges` clusters on a first run: the names' cosine, the
    conflict penalty, and (with `verdicts`) the reuse verdicts' overrides."""
    edges = penalised(pair_similarity(found.terms, found.df, found.total, config), found.facts,
                      config.penalty)
    if verdicts:
        for pair, value in relation_overrides(found.relations, config).items():
            edges[pair] = max(edges.get(pair, 0.0), value) if value else 0.0
    return edges


def analyze_tree(found: Analyzed, config: ClusterConfig, verdicts: bool = True) -> Tree:
    """The collection's stories at every threshold, as `analyze` clusters it (copies joined
    after clustering, with `verdicts`)."""
    items = sorted(found.terms)
    links = tuple(copy_pairs(found.relations, config)) if verdicts else ()
    return Tree(items, merges(items, analyze_edges(found, config, verdicts), 0.0),
                links=links)


def check_stored(found: Analyzed, config: ClusterConfig) -> None:
    """The tree at the configured threshold must give what the product's `cluster` gives on
    the same inputs, and (when the story code is the one that stored them, at the default
    configuration) the stories the run stored: else this bench does not measure what
    `analyze` does."""
    mine = analyze_tree(found, config).labels(config.threshold)
    product = cluster(found.terms, found.df, found.total,
                      relation_overrides(found.relations, config), config,
                      copy_pairs(found.relations, config), found.facts)
    expected = [{doc: str(n) for n, group in enumerate(product) for doc in group}]
    if found.stories_code == code_digest(stories=True) and config == ClusterConfig():
        expected.append(found.stories)
    for stories in expected:
        pairs = set((mine[doc], story) for doc, story in stories.items())
        if len(pairs) != len(set(mine.values())) or len(pairs) != len(set(stories.values())):
            raise RuntimeError("re-clustering the stored inputs does not give the product's "
                               "stories; the bench reads the inputs wrongly")


def topics_of(corpus: Corpus) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    for doc, text in corpus.texts.items():
        found.setdefault(corpus.topic[doc], {})[doc] = text
    return dict(sorted(found.items(), key=lambda item: int(item[0])))


WHOLE = "whole corpus: analyze path (event terms, penalty, reuse verdicts)"
ALONE = "each topic alone: analyze path"
JOINT = (WHOLE, ALONE)


def stores(corpus: Corpus, config: ClusterConfig) -> Callable[[str], list[Analyzed]]:
    """The related collections, built or read on first use and checked: "whole" (the whole
    corpus) or "alone" (each topic a collection of its own)."""
    found: dict[str, list[Analyzed]] = {}

    def get(view: str) -> list[Analyzed]:
        if view not in found:
            found[view] = ([analyzed("ecbplus-whole", corpus.texts)] if view == "whole" else
                           [analyzed(f"ecbplus-topic-{topic}", texts)
                            for topic, texts in topics_of(corpus).items()])
            for collection in found[view]:
                check_stored(collection, config)
        return found[view]

    return get


def methods(corpus: Corpus, config: ClusterConfig) -> dict[str, Method]:
    get = stores(corpus, config)

    def view(name: str, verdicts: bool) -> Method:
        return fixed(lambda: {"": joined([analyze_tree(found, config, verdicts)
                                          for found in get(name)])})

    return {
        WHOLE: view("whole", True),
        "whole corpus: event terms alone (same stores, no verdicts)": view("whole", False),
        ALONE: view("alone", True),
        "each topic alone: event terms alone (same stores, no verdicts)": view("alone", False),
        "baseline: word TF-IDF, average linkage": tfidf_baseline(corpus.texts),
    }


def joint_threshold(trees: Sequence[Tree], gold: Mapping[str, str],
                    within: Sequence[str]) -> float:
    """One threshold for several views of one corpus (the whole corpus, each topic alone):
    the middle of the widest range of thresholds with the best mean pairwise F1 over the
    views among `within` (the rule of `story_cv.chosen_threshold`, on the mean). The
    product has one threshold for collections of every size, so it is chosen on both."""
    curves = [(tree.bounds(), [scores(*row)[2] for row in cut_counts(tree, gold, within)])
              for tree in trees]
    points = sorted({b for bounds, _ in curves for b in bounds}, reverse=True)
    spans = []  # (high, low, mean F1) of each range between neighbouring merges
    for high, low in itertools.pairwise(points):
        inside = (high + low) / 2
        spans.append((high, low, float(np.mean([
            f1[sum(1 for bound in bounds[1:-1] if bound >= inside)]
            for bounds, f1 in curves]))))
    best = max(mean for _, _, mean in spans)
    ranges = []
    for tied, run in itertools.groupby(spans, lambda span: span[2] == best):
        if tied:
            members = list(run)
            ranges.append((members[0][0] - members[-1][1], members[0][0], members[-1][1]))
    _, high, low = max(ranges)
    return (high + low) / 2


def jointly(views: Mapping[str, Tree], corpus: Corpus) -> list[Result]:
    """Each view cross-validated with the one threshold `joint_threshold` chooses per fold
    on the other topics of every view."""
    def choice(view: Tree) -> Choice:
        def choose(held: str | None) -> tuple[str, float, Tree]:
            within = outside(corpus, held)
            return "", joint_threshold(list(views.values()), corpus.gold, within), view
        return choose

    return [held_out(f"{name} (one threshold for both views)", corpus, choice(view))
            for name, view in views.items()]


def evaluate(corpus: Corpus, config: ClusterConfig | None = None,
             only: Sequence[str] = ()) -> list[Result]:
    config = config or ClusterConfig()
    found = methods(corpus, config)
    results = [cross_validate(name, corpus, method) for name, method in found.items()
               if not only or any(word in name for word in only)]
    if not only or "jointly" in only:  # both views, whatever `only` says of them
        views = {name: found[name](None)[""] for name in JOINT}
        results += jointly(views, corpus)
    return results


def errors(corpus: Corpus, config: ClusterConfig | None = None) -> list[str]:
    """The whole corpus's false merges and splits at the configured threshold: each pair of
    a found story and a gold event that disagree, with the link evidence between them."""
    from bench.story_errors import described

    config = config or ClusterConfig()
    return described(analyzed("ecbplus-whole", corpus.texts), corpus, config)


def main(arguments: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="*", default=(),
                        help="methods whose name holds one of these words")
    parser.add_argument("--errors", action="store_true",
                        help="list the whole corpus's false merges and splits instead")
    options = parser.parse_args(arguments)
    corpus = load_ecbplus()
    if options.errors:
        print("\n".join(errors(corpus)))
    else:
        print("\n".join(table(evaluate(corpus, only=options.only))))


if __name__ == "__main__":
    main()
