"""A link's standing in its story (bench/standing.py): margins over the same articles' other
links, on small stories written for these tests."""

from __future__ import annotations

import pytest

from bench.standing import logit, standings


def test_a_story_of_two_has_a_neutral_standing() -> None:
    found = standings({("a", "b"): 0.8})[("a", "b")]
    assert found.pair_logit == pytest.approx(logit(0.8))
    assert (found.margin_max, found.margin_min, found.contrast_max, found.contrast_min,
            found.background) == (0.0, 0.0, 0.0, 0.0, 0.0)


def test_a_copy_has_its_source_as_best_partner_by_a_clear_margin() -> None:
    # copy follows source closely; both independents are about as close to everything.
    links = {("copy", "source"): 0.95, ("copy", "one"): 0.4, ("copy", "two"): 0.35,
             ("source", "one"): 0.45, ("source", "two"): 0.4, ("one", "two"): 0.5}
    found = standings(links)
    copy, reports = found[("copy", "source")], found[("one", "two")]
    assert copy.margin_max > 2.0 and copy.background == 1.0
    assert reports.margin_max < 0.5 < copy.margin_min
    assert copy.contrast_max > reports.contrast_max


def test_a_side_with_no_other_link_reads_as_neutral() -> None:
    found = standings({("a", "b"): 0.9, ("b", "c"): 0.99})[("a", "b")]
    assert found.background == 0.5
    assert found.margin_max == 0.0  # a has no other link; b's best other link is stronger
    assert found.margin_min == pytest.approx(logit(0.9) - logit(0.99))


def test_standing_does_not_depend_on_the_order_of_links_or_of_a_pair() -> None:
    links = {("a", "b"): 0.7, ("a", "c"): 0.2, ("b", "c"): 0.6, ("c", "d"): 0.9}
    forward = standings(links)
    backward = standings({(b, a): p for (a, b), p in reversed(links.items())})
    for (a, b), standing in forward.items():
        assert backward[(b, a)] == standing


def test_probabilities_of_zero_and_one_stay_finite() -> None:
    found = standings({("a", "b"): 1.0, ("a", "c"): 0.0})
    assert all(abs(v) < 20 for s in found.values() for v in s.as_dict().values())
