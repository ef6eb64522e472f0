"""Who acts, read from each lead by a parser, as event evidence (issue 19).

Topics 9, 10 and 20 of ecbplus-dev merge their two events because both share their place and
name each other's actors; what differs is who acts (one administration issues a rule, the next
reverses it; one club makes an offer, another club makes one). `bench/lead_actors.py`
reads each article's actor from its lead with spaCy's dependency parse. Here that reading is
tried as a factor on the names' link, under the leave-topic-out protocol of
`bench.story_analyze_cv` (ecbplus-dev related once as `analyze` relates it, the whole corpus
and each topic alone, one threshold for both views chosen per fold with the setting):

- an actor conflict (both leads name an actor, no actor of one shares a word with one of
  the other's) multiplies the link by x0, x0.5 or x1 (ignored);
- an actor match (both name one) multiplies it by x1, x1.25 or x1.5 (support);
- each alone with one threshold, each chosen per fold, and both chosen per fold together.

The TF-IDF baseline is measured in the same run. Then the risk: on every ECB+ pair of one
event and of two look-alike events of one topic, how often the actors conflict and agree;
and what the in-sample choice does to the generated pile (mixed share, `bench.story_pile`)
and to spread-dev's 20 stories.

    python -m bench.story_actors                  # everything (relates what is not cached)
    python -m bench.story_actors --part cv risk   # ECB+ only
    python -m bench.story_actors --part show      # each article's actors, topics 9, 10, 20
    python -m bench.story_actors --part lead      # the veto with 1, 2 or 3 lead sentences
    python -m bench.story_actors --sentences 1    # actors of the lead's first sentence only
"""

from __future__ import annotations

import argparse
import itertools
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from bench.analyzed import Analyzed, analyzed
from bench.data import data_dir
from bench.lead_actors import (
    LEAD_SENTENCES,
    actors_agree,
    actors_conflict,
    many_lead_actors,
)
from bench.story_analyze_cv import (
    ALONE,
    WHOLE,
    PairFactor,
    analyze_tree,
    fold_lines,
    joint_best,
    jointly,
    stores,
)
from bench.story_cv import (
    Corpus,
    Result,
    Tree,
    cross_validate,
    joined,
    load_ecbplus,
    table,
    tfidf_baseline,
)
from bench.story_pile import mixing, planted, related_pile
from newstrace.stages.stories.cluster import (
    ClusterConfig,
    clusters_from_edges,
    copy_pairs,
    pair_similarity,
    relation_overrides,
)

CONFLICTS = (1.0, 0.5, 0.0)  # an actor conflict's factor on the names' link (1: ignored)
SUPPORTS = (1.0, 1.25, 1.5)  # an actor match's factor (1: ignored)
LEADS = (1, 2, 3)  # sentences with a verb read from the lead (`--part lead`)
Actors = dict[str, frozenset[str]]


def actors_of(found: Analyzed, sentences: int = LEAD_SENTENCES) -> Actors:
    """Each article's actors, read from its text as the store keeps it (the first
    `sentences` sentences with a verb)."""
    docs = sorted(found.texts)
    return dict(zip(docs, many_lead_actors((found.texts[doc] for doc in docs), sentences),
                    strict=True))


def actor_factor(actors: Mapping[str, frozenset[str]], conflict: float,
                 support: float) -> PairFactor:
    empty: frozenset[str] = frozenset()

    def factor(a: str, b: str) -> float:
        first, second = actors.get(a, empty), actors.get(b, empty)
        if actors_conflict(first, second):
            return conflict
        return support if actors_agree(first, second) else 1.0

    return factor


def setting_name(conflict: float, support: float) -> str:
    return f"actors apart x{conflict:g}, agreeing x{support:g}"


Stores = Callable[[str], list[Analyzed]]  # `story_analyze_cv.stores`: view -> collections


def actor_settings(get: Stores, config: ClusterConfig, grid: Sequence[tuple[float, float]],
                   read: Mapping[int, Actors]) -> dict[str, dict[str, Tree]]:
    """Each (conflict, support) setting's trees of both views (`read`: each collection's
    actors, by the collection's `id`)."""
    found: dict[str, dict[str, Tree]] = {}
    for conflict, support in grid:
        found[setting_name(conflict, support)] = {
            view: joined([analyze_tree(item, config, factor=actor_factor(
                read[id(item)], conflict, support)) for item in get(name)])
            for view, name in ((WHOLE, "whole"), (ALONE, "alone"))}
    return found


def read_all(get: Stores, sentences: int = LEAD_SENTENCES) -> dict[int, Actors]:
    return {id(item): actors_of(item, sentences) for item in [*get("whole"), *get("alone")]}


def cv(corpus: Corpus, get: Stores, config: ClusterConfig,
       read: Mapping[int, Actors]) -> list[Result]:
    conflict_grid = [(c, 1.0) for c in CONFLICTS]
    support_grid = [(1.0, s) for s in SUPPORTS]
    both_grid = list(itertools.product(CONFLICTS, SUPPORTS))
    every = actor_settings(get, config, both_grid, read)
    results = [cross_validate("baseline: word TF-IDF, average linkage", corpus,
                              tfidf_baseline(corpus.texts))]
    for name, trees in every.items():
        if name in {setting_name(*s) for s in (*conflict_grid, *support_grid)}:
            results += jointly({name: trees}, corpus, f"{name}, one threshold")
    for label, grid in (("conflict factor", conflict_grid), ("support factor", support_grid),
                        ("conflict and support factors", both_grid)):
        chosen = {setting_name(*s): every[setting_name(*s)] for s in grid}
        results += jointly(chosen, corpus, f"{label} and threshold chosen per fold")
    return results


def lead_trial(corpus: Corpus, get: Stores, config: ClusterConfig) -> list[Result]:
    """The veto on conflicting actors read from the first 1, 2 or 3 sentences of the lead,
    each with one threshold, and the lead's length (or no actors) chosen per fold."""
    collections = [*get("whole"), *get("alone")]
    shipped = setting_name(1.0, 1.0)
    settings = {"no actors (shipped)": actor_settings(
        get, config, [(1.0, 1.0)], {id(item): {} for item in collections})[shipped]}
    for sentences in LEADS:
        read = {id(item): actors_of(item, sentences) for item in collections}
        settings[f"actors of {sentences} lead sentences apart x0"] = actor_settings(
            get, config, [(0.0, 1.0)], read)[setting_name(0.0, 1.0)]
    results = []
    for name, trees in settings.items():
        results += jointly({name: trees}, corpus, f"{name}, one threshold")
    return results + jointly(settings, corpus, "lead length (or no actors) and threshold "
                                               "chosen per fold")


def per_topic(results: Sequence[Result], corpus: Corpus,
              topics: Sequence[str] = ("9", "10", "20")) -> list[str]:
    order = sorted(set(corpus.topic.values()), key=int)
    return [f"- {result.name}: " + ", ".join(
        f"topic {t} {result.folds[order.index(t)]:.3f}" for t in topics)
        for result in results]


def risk(corpus: Corpus, read: Actors) -> list[str]:
    """How the actors compare on every pair of one event and of two events of one topic."""
    docs = sorted(read)
    rows: Counter[tuple[str, str]] = Counter()
    for a, b in itertools.combinations(docs, 2):
        if corpus.topic[a] != corpus.topic[b]:
            continue
        kind = "one event" if corpus.gold[a] == corpus.gold[b] else "two events, one topic"
        first, second = read[a], read[b]
        said = ("conflict" if actors_conflict(first, second) else
                "agree" if actors_agree(first, second) else "one or both name none")
        rows[(kind, said)] += 1
        rows[(kind, "all")] += 1
    named = sum(1 for doc in docs if read[doc])
    lines = [f"Articles whose lead names an actor: {named} of {len(docs)}", "",
             "| pairs | all | actors conflict | actors agree | one or both name none |",
             "|---|---|---|---|---|"]
    for kind in ("one event", "two events, one topic"):
        lines.append(f"| {kind} | {rows[(kind, 'all')]:,} | {rows[(kind, 'conflict')]:,} | "
                     f"{rows[(kind, 'agree')]:,} | {rows[(kind, 'one or both name none')]:,} |")
    by_topic = Counter((corpus.topic[a], corpus.gold[a] == corpus.gold[b])
                       for a, b in itertools.combinations(docs, 2)
                       if corpus.topic[a] == corpus.topic[b]
                       and actors_conflict(read[a], read[b]))
    lines += ["", "Conflicts by topic (one event / two events): " + "; ".join(
        f"{t} {by_topic[(t, True)]}/{by_topic[(t, False)]}"
        for t in sorted(set(corpus.topic.values()), key=int))]
    return lines


def show(corpus: Corpus, read: Actors, topics: Sequence[str] = ("9", "10", "20")) -> list[str]:
    return [f"{corpus.topic[doc]} {corpus.gold[doc]} {doc}: {', '.join(sorted(read[doc]))}"
            for doc in sorted(read, key=lambda d: (int(corpus.topic[d]), corpus.gold[d], d))
            if corpus.topic[doc] in topics]


def in_sample(corpus: Corpus, settings: Mapping[str, Mapping[str, Tree]]) -> tuple[str, float]:
    """The setting and threshold chosen on all 20 topics (as `jointly` chooses per fold)."""
    scored = {name: joint_best(list(trees.values()), corpus.gold, sorted(corpus.gold))
              for name, trees in settings.items()}
    name = max(scored, key=lambda setting: scored[setting][:2])
    return name, scored[name][2]


def stories_with(found: Analyzed, config: ClusterConfig,
                 factor: PairFactor | None) -> list[list[str]]:
    """The collection's stories at `config`'s threshold with the actors' factor, clustered as
    `cluster` clusters a first run."""
    edges = pair_similarity(found.terms, found.df, found.total, config)
    if factor is not None:
        edges = {(a, b): value * factor(a, b) for (a, b), value in edges.items()}
    return clusters_from_edges(found.terms, edges, relation_overrides(found.relations, config),
                               config, copy_pairs(found.relations, config), found.facts)


def mixed_rows(found: Analyzed, truth: Mapping[str, int], config: ClusterConfig,
               choices: Mapping[str, tuple[float, float, float]],
               sentences: int = LEAD_SENTENCES) -> list[str]:
    """Stories of `found` under each choice (conflict, support, threshold), scored against
    the planted stories or groups of `truth`."""
    read = actors_of(found, sentences)
    lines = ["| stories | threshold | found (2+) | mixing | share | pairwise P | pairwise R | "
             "largest mixed (parts) |", "|---|---|---|---|---|---|---|---|"]
    for name, (conflict, support, threshold) in choices.items():
        score = mixing(stories_with(found, replace(config, threshold=threshold),
                                    actor_factor(read, conflict, support)), truth)
        size, parts = score.largest
        lines.append(f"| {name} | {threshold:.4f} | {score.stories:,} | {score.mixed:,} | "
                     f"{score.share:.3f} | {score.precision:.3f} | {score.recall:.3f} | "
                     f"{size} ({', '.join(map(str, parts))}) |")
    named = sum(1 for actors in read.values() if actors)
    return [f"{named} of {len(read)} articles name an actor in their lead", "", *lines]


def spread_truth() -> tuple[dict[str, str], dict[str, int]]:
    """spread-dev's 80 texts (id "b01.base") and each one's group."""
    texts = {}
    for path in sorted(data_dir("spread-dev").glob("b*.txt")):
        group, role = path.name.split(".")[:2]
        texts[f"{group}.{role}"] = path.read_text(encoding="utf-8")
    groups = sorted({doc.split(".")[0] for doc in texts})
    return texts, {doc: groups.index(doc.split(".")[0]) for doc in texts}


def main(arguments: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", nargs="*", default=("cv", "risk", "pile", "spread"),
                        choices=("cv", "lead", "risk", "pile", "spread", "show"))
    parser.add_argument("--sentences", type=int, default=LEAD_SENTENCES,
                        help="lead sentences with a verb to read actors from (but --part lead)")
    options = parser.parse_args(arguments)
    corpus, config = load_ecbplus(), ClusterConfig()
    get = stores(corpus, config)
    read = read_all(get, options.sentences)
    whole = read[id(get("whole")[0])]
    if "show" in options.part:
        print("\n".join(show(corpus, whole)))
    if "risk" in options.part:
        print("\n".join(["", "### Risk: actors on ECB+ pairs", "", *risk(corpus, whole)]))
    choices = {"shipped": (1.0, 1.0, config.threshold)}
    if "cv" in options.part or {"pile", "spread"} & set(options.part):
        grid = list(itertools.product(CONFLICTS, SUPPORTS))
        settings = actor_settings(get, config, grid, read)
        for label, names in (("conflict", [(c, 1.0) for c in CONFLICTS]),
                             ("support", [(1.0, s) for s in SUPPORTS]), ("both", grid)):
            name, threshold = in_sample(corpus, {setting_name(*s): settings[setting_name(*s)]
                                                 for s in names})
            chosen = next(s for s in grid if setting_name(*s) == name)
            choices[f"{label} chosen on all 20 topics: {name}"] = (*chosen, threshold)
        for conflict in CONFLICTS[1:]:
            name = setting_name(conflict, 1.0)
            _, threshold = in_sample(corpus, {name: settings[name]})
            choices[f"{name}, its threshold fitted on all 20 topics"] = (conflict, 1.0,
                                                                         threshold)
            choices[f"{name}, shipped threshold"] = (conflict, 1.0, config.threshold)
    if "cv" in options.part:
        results = cv(corpus, get, config, read)
        print("\n".join(["", "### Leave-topic-out CV", "", *table(results), "",
                         "Per-topic held-out F1:", *per_topic(results, corpus), "",
                         "Per fold (topic, threshold, F1):", *fold_lines(results, corpus)]))
        print("\nIn-sample choices: " + "; ".join(
            f"{name} (threshold {t:.4f})" for name, (_, _, t) in choices.items()))
    if "lead" in options.part:
        results = lead_trial(corpus, get, config)
        print("\n".join(["", "### The lead's length, cross-validated", "", *table(results), "",
                         "Per-topic held-out F1:", *per_topic(results, corpus), "",
                         "Per fold (topic, threshold, F1):", *fold_lines(results, corpus)]))
    if "pile" in options.part:
        found, truth_file = related_pile(3000, 0)
        print("\n".join(["", "### The pile of 3,000 (seed 0)", "",
                         *mixed_rows(found, planted(truth_file), config, choices,
                                    options.sentences)]))
    if "spread" in options.part:
        texts, truth = spread_truth()
        print("\n".join(["", "### spread-dev (20 stories of 4)", "",
                         *mixed_rows(analyzed("spread-dev", texts), truth, config, choices,
                                    options.sentences)]))


if __name__ == "__main__":
    main()
