"""The story CV bench's bookkeeping: scores read merge by merge, with copies joined after
clustering (`Tree.links`), must equal scoring each cut's stories directly."""

from __future__ import annotations

import itertools

from bench.story_cv import Tree, chosen_threshold, counts, cut_counts, joined
from newstrace.stages.stories.agglomerate import merges
from newstrace.stages.stories.cluster import ClusterConfig, clusters_from_edges, merge_linked

GOLD = {"a1": "A", "a2": "A", "a3": "A", "b1": "B", "b2": "B", "c1": "C", "c2": "C"}
EDGES = {("a1", "a2"): 0.9, ("a2", "a3"): 0.5, ("a1", "b1"): 0.45, ("b1", "b2"): 0.8,
         ("c1", "c2"): 0.3, ("a3", "c1"): 0.2}


def _tree(links: tuple[tuple[str, str], ...] = ()) -> Tree:
    items = sorted(GOLD)
    return Tree(items, merges(items, EDGES, 0.0), links=links)


def test_cut_counts_equal_scoring_each_cut_with_links_joined() -> None:
    links = (("a3", "b2"), ("c2", "c1"))
    tree = _tree(links)
    within = ["a1", "a3", "b1", "b2", "c2"]
    rows = cut_counts(tree, GOLD, within)
    bounds = tree.bounds()
    assert len(rows) == len(tree.done) + 1
    for k, row in enumerate(rows):
        threshold = (bounds[k] + bounds[k + 1]) / 2  # strictly inside the k-th range
        labels = tree.labels(threshold)
        gold = {item: GOLD[item] for item in within}
        assert row == counts({item: labels[item] for item in within}, gold)


def test_labels_with_links_are_what_the_product_clusters() -> None:
    links = (("a3", "b2"),)
    for threshold in (0.85, 0.46, 0.25, 0.1):
        labels = _tree(links).labels(threshold)
        found = clusters_from_edges(sorted(GOLD), EDGES, config=ClusterConfig(
            threshold=threshold), copies=links)
        product = {item: n for n, group in enumerate(found) for item in group}
        for x, y in itertools.combinations(sorted(GOLD), 2):
            assert (labels[x] == labels[y]) == (product[x] == product[y]), (threshold, x, y)


def test_the_chosen_threshold_is_the_middle_of_the_best_range_with_links() -> None:
    # Merges: a1-a2 0.9, b1-b2 0.8, c1-c2 0.3, a3 to A 0.25, A-B 0.075. Without links the
    # best stories need every merge down to a3's: (0.075, 0.25], middle 0.1625.
    assert abs(chosen_threshold({"": _tree()}, GOLD, sorted(GOLD))[1] - 0.1625) < 1e-9
    # A copy a1~a3 puts a3 in A whatever the threshold: the range widens to (0.075, 0.3].
    linked = _tree((("a1", "a3"),))
    assert abs(chosen_threshold({"": linked}, GOLD, sorted(GOLD))[1] - 0.1875) < 1e-9


def test_joined_trees_keep_their_links() -> None:
    first, second = _tree((("a1", "b1"),)), Tree(["z"], [])
    assert joined([first, second]).links == (("a1", "b1"),)
    assert merge_linked([["a"], ["b"], ["c"]], [("a", "c")]) == [["a", "c"], ["b"]]


def test_the_veto_count_names_each_pair_of_one_story_it_parts() -> None:
    from bench.versions_wild import within_groups
    from newstrace.stages.stories.signals import named_versions

    texts = {"a": "The company showed the new iPhone 17 on Tuesday.",
             "b": "Buyers queued for the iPhone 17 and the older iPhone 16.",
             "c": "Reviewers say the iPhone 18 is faster.",
             "d": "Flight 93 landed; it was late."}
    versions = {name: named_versions(text) for name, text in texts.items()}
    pairs, fired = within_groups(versions, {"a": "one", "b": "one", "c": "one", "d": "two"})
    assert pairs == 3  # a~b, a~c, b~c; d is alone in its story
    assert fired == ["one: a ~ c: iphone 17 vs 18", "one: b ~ c: iphone 16/17 vs 18"]


def test_one_threshold_for_several_views_is_best_on_their_mean() -> None:
    from bench.story_analyze_cv import joint_threshold

    plain, linked = _tree(), _tree((("a1", "a3"),))
    one = chosen_threshold({"": plain}, GOLD, sorted(GOLD))[1]
    assert abs(joint_threshold([plain], GOLD, sorted(GOLD)) - one) < 1e-9
    # The linked view is best on (0.075, 0.3], the plain one on (0.075, 0.25]: both on the
    # second, so its middle.
    assert abs(joint_threshold([plain, linked], GOLD, sorted(GOLD)) - 0.1625) < 1e-9
    # Scored among the A and C articles only, joining B costs nothing: the range reaches
    # past A's merge with B (0.075) down to its merge with C (0.02).
    within = ["a1", "a2", "a3", "c1", "c2"]
    assert abs(joint_threshold([plain, linked], GOLD, within) - 0.135) < 1e-9
