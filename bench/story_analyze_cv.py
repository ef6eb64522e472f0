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
from collections.abc import Sequence

from bench.analyzed import Analyzed, analyzed, code_digest
from bench.story_cv import (
    Corpus,
    Method,
    Result,
    Tree,
    cross_validate,
    fixed,
    joined,
    load_ecbplus,
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


def methods(corpus: Corpus, config: ClusterConfig) -> dict[str, Method]:
    whole = analyzed("ecbplus-whole", corpus.texts)
    check_stored(whole, config)
    alone = [analyzed(f"ecbplus-topic-{topic}", texts)
             for topic, texts in topics_of(corpus).items()]
    for found in alone:
        check_stored(found, config)
    return {
        "whole corpus: analyze path (event terms, penalty, reuse verdicts)":
            fixed(lambda: {"": analyze_tree(whole, config)}),
        "whole corpus: event terms alone (same stores, no verdicts)":
            fixed(lambda: {"": analyze_tree(whole, config, verdicts=False)}),
        "each topic alone: analyze path":
            fixed(lambda: {"": joined([analyze_tree(found, config) for found in alone])}),
        "each topic alone: event terms alone":
            fixed(lambda: {"": joined([analyze_tree(found, config, verdicts=False)
                                       for found in alone])}),
        "baseline: word TF-IDF, average linkage": tfidf_baseline(corpus.texts),
    }


def evaluate(corpus: Corpus, config: ClusterConfig | None = None,
             only: Sequence[str] = ()) -> list[Result]:
    config = config or ClusterConfig()
    return [cross_validate(name, corpus, method)
            for name, method in methods(corpus, config).items()
            if not only or any(word in name for word in only)]


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
