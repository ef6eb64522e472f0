"""bench.html_mode's choice: each fold takes the mode its training pages score better with."""

from __future__ import annotations

from bench.html_mode import HtmlPage, choose_by_cv

TRUTH = ("the tunnel reopened on friday after engineers finished pumping out the water and "
         "checking every cable that runs along the old carriageway")


def pages(n: int) -> list[HtmlPage]:
    return [HtmlPage("aeb", f"aeb:site{i}", "<html></html>", f"{TRUTH} page {i}")
            for i in range(n)]


def test_each_fold_takes_the_better_mode_and_holds_out_its_own_pages() -> None:
    items = pages(10)
    whole = [p.truth for p in items]
    menus = [f"Home News Sport {p.truth} Subscribe to our newsletter today" for p in items]
    folds = [i % 5 for i in range(10)]
    chosen = choose_by_cv(items, {True: menus, False: whole}, folds)
    assert chosen.per_fold == [False] * 5 and chosen.on_all is False
    assert chosen.held_out == whole


def test_ties_keep_favor_precision() -> None:
    items = pages(10)
    same = [p.truth for p in items]
    chosen = choose_by_cv(items, {True: same, False: list(same)}, [i % 5 for i in range(10)])
    assert chosen.per_fold == [True] * 5 and chosen.on_all is True
