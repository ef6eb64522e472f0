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
splits of the whole corpus at the shipped threshold with the evidence behind them; `--only
events` crosses the days-and-counts conflict's factor with the threshold, with ECB+ read as
`analyze` reads it and with its datelines as publication dates (`dated`).
"""

from __future__ import annotations

import argparse
import bisect
import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

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
    unvetoed,
)
from newstrace.stages.stories.signals import ConflictPenalty, penalty_facts

PairFactor = Callable[[str, str], float]  # a trial's factor on a pair's names' link


def analyze_edges(found: Analyzed, config: ClusterConfig, verdicts: bool = True,
                  factor: PairFactor | None = None) -> dict[tuple[str, str], float]:
    """The edges `clusters_from_edges` clusters on a first run: the names' cosine, the
    conflict penalty, and (with `verdicts`) the reuse verdicts' overrides; `factor`, a
    trial's evidence, multiplies the names' link as the penalty does."""
    edges = penalised(pair_similarity(found.terms, found.df, found.total, config), found.facts,
                      config.penalty)
    if factor is not None:
        edges = {(a, b): value * factor(a, b) for (a, b), value in edges.items()}
    if verdicts:
        for pair, value in relation_overrides(found.relations, config).items():
            edges[pair] = max(edges.get(pair, 0.0), value) if value else 0.0
    return edges


def analyze_tree(found: Analyzed, config: ClusterConfig, verdicts: bool = True,
                 factor: PairFactor | None = None) -> Tree:
    """The collection's stories at every threshold, as `analyze` clusters it (copies joined
    after clustering, with `verdicts`; `factor` as `analyze_edges` takes it)."""
    items = sorted(found.terms)
    links = (tuple(unvetoed(copy_pairs(found.relations, config), found.facts, config.penalty))
             if verdicts else ())
    return Tree(items, merges(items, analyze_edges(found, config, verdicts, factor), 0.0),
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
    return joint_best(trees, gold, within)[2]


def joint_best(trees: Sequence[Tree], gold: Mapping[str, str],
               within: Sequence[str]) -> tuple[float, float, float]:
    """The best mean pairwise F1 of the views, the width of the widest range of thresholds
    that reaches it, and that range's middle."""
    curves = []
    for tree in trees:
        falling = [-bound for bound in tree.bounds()[1:-1]]  # merges, rising once negated
        curves.append((falling, [scores(*row)[2] for row in cut_counts(tree, gold, within)]))
    points = sorted({b for tree in trees for b in tree.bounds()}, reverse=True)
    spans = []  # (high, low, mean F1) of each range between neighbouring merges
    for high, low in itertools.pairwise(points):
        inside = (high + low) / 2  # the merges at or above it are done
        spans.append((high, low, float(np.mean([f1[bisect.bisect_right(falling, -inside)]
                                                for falling, f1 in curves]))))
    best = max(mean for _, _, mean in spans)
    ranges = []
    for tied, run in itertools.groupby(spans, lambda span: span[2] == best):
        if tied:
            members = list(run)
            ranges.append((members[0][0] - members[-1][1], members[0][0], members[-1][1]))
    width, high, low = max(ranges)
    return best, width, (high + low) / 2


def jointly(settings: Mapping[str, Mapping[str, Tree]], corpus: Corpus,
            label: str = "one threshold for both views") -> list[Result]:
    """Each view cross-validated with one setting and one threshold for all views, chosen
    per fold on the other topics: the setting with the best mean F1 (then the widest range;
    then the first listed), and the middle of its range. `settings`: setting name -> view
    name -> the view's tree under it."""
    def choice(view: str) -> Choice:
        def choose(held: str | None) -> tuple[str, float, Tree]:
            within = outside(corpus, held)
            scored = {name: joint_best(list(trees.values()), corpus.gold, within)
                      for name, trees in settings.items()}
            name = max(scored, key=lambda setting: scored[setting][:2])
            return name, scored[name][2], settings[name][view]
        return choose

    views = next(iter(settings.values()))
    return [held_out(f"{view} ({label})", corpus, choice(view)) for view in views]


NEVER = 1.01  # a mean-vector cosine no pair reaches: the same-event override off


def override_configs(config: ClusterConfig) -> dict[str, ClusterConfig]:
    """The reuse verdicts' overrides to choose among (the shipped ones first): an independent
    pair sharing `anchors` of names and numbers with mean sentence-vector cosine `similarity`
    or more is at least `edge` similar (or never raised); an unrelated pair under cosine
    `different` is cut (or never)."""
    found = {"shipped overrides": config}
    for similarity, anchors, edge, different in itertools.product(
            (0.75, 0.8, 0.85, 0.9, NEVER), (0.3, 0.4, 0.5), (0.2, 0.3, 0.4), (0.0, 0.35, 0.5)):
        if similarity == NEVER and (anchors, edge) != (0.4, 0.3):
            continue  # off: the other two do not matter
        same = ("same event off" if similarity == NEVER else
                f"same event: cosine {similarity}, anchors {anchors} -> {edge}")
        found[f"{same}; unrelated under {different} cut"] = replace(
            config, same_event_similarity=similarity, same_event_anchors=anchors,
            same_event_edge=edge, different_similarity=different)
    return found


def settings_of(corpus: Corpus, configs: Mapping[str, ClusterConfig],
                config: ClusterConfig) -> dict[str, dict[str, Tree]]:
    """Each configuration's trees of both views (what `jointly` chooses among)."""
    get = stores(corpus, config)
    return {name: {WHOLE: joined([analyze_tree(found, chosen) for found in get("whole")]),
                   ALONE: joined([analyze_tree(found, chosen) for found in get("alone")])}
            for name, chosen in configs.items()}


def override_settings(corpus: Corpus, config: ClusterConfig
                      ) -> dict[str, dict[str, Tree]]:
    return settings_of(corpus, override_configs(config), config)


def evidence_configs(config: ClusterConfig) -> dict[str, ClusterConfig]:
    """Issue 19's place conflict and term scoring to choose among (the shipped ones first):
    a candidate's cosine over every shared term or the rare ones only, and event places apart
    (`places_conflict`) as a factor of 0 (a veto, copies parted too), 0.5 or 1 (ignored).
    Rare terms only with places ignored is the story stage before issue 19's item 1-2."""
    found = {}
    for common, places in itertools.product((True, False), (0.0, 0.5, 1.0)):
        name = (f"{'every shared term' if common else 'rare terms only'}, "
                f"places x{places:g}")
        found[name] = replace(config, score_common_terms=common,
                              penalty=replace(config.penalty, places=places))
    shipped = next(name for name, chosen in found.items() if chosen == config)
    return {shipped: found.pop(shipped), **found}


def dated(found: Analyzed, corpus: Corpus, penalty: ConflictPenalty) -> Analyzed:
    """`found` with each article's facts read from its stored text with its dateline's day
    as its publication date (`story_cv.dateline`): ECB+ gives no publication dates, so on
    the analyze path no article has an event day; a crawler reads one from the page."""
    return replace(found, facts={doc: penalty_facts(text, corpus.published.get(doc), penalty)
                                 for doc, text in found.texts.items()})


def event_settings(corpus: Corpus, config: ClusterConfig, dates: bool
                   ) -> dict[str, dict[str, Tree]]:
    """Issue 19's event days and counts apart (`signals.another_event`) as a factor of 0
    (shipped), 0.5 or 1 (ignored), with the facts as `analyze` reads ECB+ (no publication
    dates) or (`dates`) with each article's dateline as its publication date."""
    get = stores(corpus, config)
    found: dict[str, dict[str, Tree]] = {}
    for factor in (0.0, 0.5, 1.0):
        chosen = replace(config, penalty=replace(config.penalty, days_and_counts=factor))
        label = f"days and counts apart x{factor:g}" + (", datelines as dates" if dates else "")
        found[label] = {view: joined([analyze_tree(dated(item, corpus, chosen.penalty)
                                                   if dates else item, chosen)
                                      for item in get(name)])
                        for view, name in ((WHOLE, "whole"), (ALONE, "alone"))}
    return found


def evaluate(corpus: Corpus, config: ClusterConfig | None = None,
             only: Sequence[str] = ()) -> list[Result]:
    config = config or ClusterConfig()
    found = methods(corpus, config)
    results = [cross_validate(name, corpus, method) for name, method in found.items()
               if not only or any(word in name for word in only)]
    if not only or "jointly" in only:  # both views, whatever `only` says of them
        results += jointly({"": {name: found[name](None)[""] for name in JOINT}}, corpus)
    if not only or "overrides" in only:
        results += jointly(override_settings(corpus, config), corpus,
                           "overrides and one threshold chosen per fold")
    if not only or "evidence" in only:
        settings = settings_of(corpus, evidence_configs(config), config)
        for name, trees in settings.items():
            results += jointly({name: trees}, corpus, f"{name}, one threshold")
        results += jointly(settings, corpus, "scoring, place factor and threshold per fold")
    if not only or "events" in only:
        for dates in (False, True):
            settings = event_settings(corpus, config, dates)
            for name, trees in settings.items():
                results += jointly({name: trees}, corpus, f"{name}, one threshold")
            results += jointly(settings, corpus, "days-and-counts factor and threshold per "
                               "fold" + (", datelines as dates" if dates else ""))
    return results


def errors(corpus: Corpus, config: ClusterConfig | None = None) -> list[str]:
    """The whole corpus's false merges and splits at the configured threshold: each pair of
    a found story and a gold event that disagree, with the link evidence between them."""
    from bench.story_errors import described

    config = config or ClusterConfig()
    return described(analyzed("ecbplus-whole", corpus.texts), corpus, config)


def fold_lines(results: Sequence[Result], corpus: Corpus) -> list[str]:
    """Each fold's chosen threshold and held-out pairwise F1, topic by topic (folds run in
    the order of the topics' numbers, as `held_out` runs them)."""
    topics = sorted(set(corpus.topic.values()), key=int)
    return [f"- {result.name}: " + "; ".join(
        f"{topic} {threshold:.4f} ({f1:.3f})" for topic, threshold, f1 in zip(
            topics, result.thresholds, result.folds, strict=True)) for result in results]


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
        results = evaluate(corpus, only=options.only)
        print("\n".join([*table(results), "", "Per fold (topic, threshold, F1):",
                         *fold_lines(results, corpus)]))


if __name__ == "__main__":
    main()
