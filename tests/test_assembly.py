"""The library assembly that newstrace's reuse path is measured against (bench/assembly.py):
its candidate routes, its pair verdict, the fit of its two cuts, and a run on a tiny pile."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from bench import assembly, pile

RNG = np.random.default_rng(5)


def _unit(rows: int, columns: int = 16) -> np.ndarray:
    values = RNG.normal(size=(rows, columns)).astype(np.float32)
    unit: np.ndarray = values / np.linalg.norm(values, axis=1, keepdims=True)
    return unit


def test_shingles_are_lower_cased_word_runs() -> None:
    assert assembly.shingles("The Council met on Monday", 3) == [
        "the council met", "council met on", "met on monday"]
    assert assembly.shingles("Two words", 3) == ["two words"]


def test_nearest_pairs_are_each_rows_best_others_by_cosine_across_blocks() -> None:
    unit = _unit(50)
    found = assembly.nearest_pairs(unit, neighbours=3, block=7)
    cosines = unit @ unit.T
    np.fill_diagonal(cosines, -np.inf)
    expected = {(min(i, int(j)), max(i, int(j))) for i in range(50)
                for j in np.argsort(-cosines[i])[:3]}
    assert found == expected


def test_nearest_pairs_of_one_row_are_none() -> None:
    assert assembly.nearest_pairs(_unit(1)) == set()


def test_a_pair_is_derived_when_one_sides_share_of_matched_sentences_reaches_the_cut() -> None:
    source = _unit(10)
    excerpt = source[2:6]  # every sentence of the excerpt is in the source
    stranger = _unit(8)
    cuts = assembly.Cuts(sentence=0.95, share=0.8)
    assert cuts.derived(excerpt, source) and cuts.derived(source, excerpt)
    assert not cuts.derived(stranger, source)
    grid = assembly.shares(excerpt, source)
    assert grid[assembly.SENTENCE_CUTS.index(0.95)] == pytest.approx(1.0)
    assert assembly.shares(stranger, source)[-1] < 0.5


def test_the_fit_takes_the_cuts_that_separate_copies_and_counts_missed_copies() -> None:
    columns = len(assembly.SENTENCE_CUTS)
    copies = np.full((6, columns), 0.9, dtype=np.float32)
    others = np.full((10, columns), 0.9, dtype=np.float32)
    others[:, :4] = 0.95  # at loose sentence cuts the non-copies look like copies...
    others[:, 4:] = 0.2  # ...at stricter ones they do not
    grid = np.vstack([copies, others])
    labels = np.array([True] * 6 + [False] * 10)
    fit = assembly.fit_cuts(grid, labels, planted=8)  # two copies no route found
    assert fit.cuts.sentence >= assembly.SENTENCE_CUTS[4]
    assert 0.2 < fit.cuts.share <= 0.9
    assert fit.precision == 1.0
    assert fit.recall == pytest.approx(6 / 8)
    assert fit.f1 == pytest.approx(2 * 6 / (2 * 6 + 0 + 2))


def test_truth_tells_copies_from_siblings_and_independent_reports() -> None:
    made = list(pile.articles(600, 3))
    by_id = {article.id: article for article in made}
    truth = pile.Truth(story={a.id: a.story for a in made}, kind={a.id: a.kind for a in made},
                       source={a.id: a.source for a in made if a.source})
    seen = set()
    for article in made:
        if article.source:
            assert truth.pair(article.id, article.source) == "copy"
            seen.add("copy")
            grand = by_id[article.source].source
            if grand:
                assert truth.pair(grand, article.id) == "descendant"
                seen.add("descendant")
        if article.kind == "independent":
            first = next(a for a in made if a.story == article.story)
            assert truth.pair(first.id, article.id) == "independent"
            seen.add("independent")
    assert truth.pair(made[0].id, next(a.id for a in made if a.story != made[0].story)) \
        == "crossed"
    assert seen == {"copy", "descendant", "independent"}


needs_libraries = pytest.mark.skipif(
    importlib.util.find_spec("rensa") is None or importlib.util.find_spec("wordllama") is None,
    reason="needs the bench and static extras (rensa, wordllama)")


@needs_libraries
def test_a_run_on_a_tiny_pile_scores_both_methods() -> None:
    lines = assembly.run(size=250, fit_size=250)
    text = "\n".join(lines)
    assert "| newstrace |" in text and "| assembly |" in text
    assert "sentence cosine >=" in text
    results = [line for line in lines if line.startswith(("| newstrace |", "| assembly |"))]
    for line in results:
        recall = float(line.split("|")[6].split()[0])
        assert 0.0 < recall <= 1.0
