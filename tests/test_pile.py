"""The scale benchmark's news pile (bench/pile.py): stories with planted copies, and the score
of a run against them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bench import pile


def _stories(count: int = 400, seed: int = 3) -> dict[int, list[pile.PileArticle]]:
    stories: dict[int, list[pile.PileArticle]] = {}
    for article in pile.articles(count, seed):
        stories.setdefault(article.story, []).append(article)
    return stories


def test_an_article_is_the_same_whatever_the_count() -> None:
    few = [a.text for a in pile.articles(30, 5)]
    many = [a.text for a in pile.articles(300, 5)]
    assert many[:30] == few
    assert len(set(many)) > 250  # versions differ from their sources (a reprint adds a credit)


def test_stories_have_many_sizes_and_every_kind() -> None:
    stories = _stories(2_000)
    sizes = sorted(len(members) for members in stories.values())
    assert sizes[0] == 1 and sizes[-1] >= 20
    assert sum(size == 1 for size in sizes) >= len(sizes) // 3  # the long tail of singles
    kinds = {a.kind for members in stories.values() for a in members}
    assert kinds == {"first", "independent", *pile.DERIVED_KINDS}


def test_each_kind_is_made_as_its_name_says() -> None:
    by_id = {a.id: a for members in _stories().values() for a in members}
    checked = set()
    for article in by_id.values():
        if article.source is None:
            continue
        source = [line.text for line in by_id[article.source].lines]
        own = [line.text for line in article.lines]
        if article.kind == "duplicate":
            assert own[: len(source)] == source
        elif article.kind == "excerpt":
            runs = (own, own[:-1])  # maybe with a stock line after it
            assert any(run == source[i : i + len(run)] for run in runs
                       for i in range(len(source)))
        elif article.kind == "spin":  # the source's facts in its order, worded otherwise
            facts = [line.fact for line in article.lines if line.fact is not None]
            assert facts == [line.fact for line in by_id[article.source].lines
                             if line.fact is not None]
            several = [line for line in article.lines if line.fact is not None
                       and line.text not in source]
            assert len(several) >= len(facts) // 2
        checked.add(article.kind)
    assert checked == set(pile.DERIVED_KINDS)


def test_an_independent_report_words_no_fact_as_the_first_report_does() -> None:
    for members in _stories().values():
        first = members[0]
        worded = {line.text for line in first.lines if line.fact is not None}
        for article in members:
            if article.kind == "independent":
                shared = [line.text for line in article.lines if line.text in worded]
                assert all('"' in text for text in shared)  # only quotations, word for word


def _store(path: Path, articles: list[str], relations: list[tuple[str, str, str]],
           duplicates: dict[str, str] | None = None) -> None:
    """A store with the two tables `pile.score` reads, ids "s-" + the pile's id."""
    duplicates = duplicates or {}
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE articles (id TEXT, source_id TEXT, duplicate_of TEXT)")
    db.execute("CREATE TABLE relations (a TEXT, b TEXT, relation TEXT)")
    db.executemany("INSERT INTO articles VALUES (?, ?, ?)",
                   [(f"s-{a}", a, duplicates.get(a) and f"s-{duplicates[a]}") for a in articles])
    db.executemany("INSERT INTO relations VALUES (?, ?, ?)",
                   [(f"s-{a}", f"s-{b}", r) for a, b, r in relations])
    db.commit()
    db.close()


def test_score_counts_copies_siblings_independents_and_crossed_pairs(tmp_path: Path) -> None:
    jsonl = tmp_path / "p.jsonl"
    made = [("f", 0, "first", ""), ("d", 0, "duplicate", "f"), ("s", 0, "spin", "d"),
            ("x", 0, "excerpt", "f"), ("i", 0, "independent", ""), ("o", 1, "first", "")]
    pile.truth_path(jsonl).write_text("".join(
        f"https://example.org/{i}\t{story}\t{kind}\t{source}\t{i}\n"
        for i, story, kind, source in made))
    _store(tmp_path / "s.db", ["f", "d", "s", "x", "i", "o"], [
        ("f", "d", "duplicate"),      # copy found
        ("d", "s", "independent"),    # copy missed
        ("f", "s", "spin"),           # a copy of a copy: neither counted nor an error
        ("d", "x", "partial"),        # siblings (both from f)
        ("i", "s", "rewrite"),        # independent report called derived
        ("i", "f", "independent"),
        ("o", "f", "partial"),        # two stories called derived
    ], duplicates={"x": "f"})         # an identical text kept once: found
    quality = pile.score(tmp_path / "s.db", jsonl)
    assert quality.planted == {"duplicate": 1, "spin": 1, "excerpt": 1}
    assert quality.found == {"duplicate": 1, "excerpt": 1}
    assert (quality.sibling_pairs, quality.sibling_derived) == (1, 1)
    assert (quality.independent_pairs, quality.independent_derived) == (2, 1)
    assert (quality.crossed_pairs, quality.crossed_derived) == (1, 1)
    assert quality.false_derived == 2 / 3
    assert "2 of 3" in "\n".join(pile.quality_rows(quality))
