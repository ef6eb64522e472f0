"""The collection as Arrow tables and DataFrames: every table in its schema, every offset
pointing at the text it names, a Parquet round trip, and a clear message without pyarrow."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from newstrace import Collection
from newstrace.errors import MissingDependencyError
from newstrace.tables import (
    TABLES,
    discrepancy_rows,
    published_at,
    relation_row,
    schemas,
    table,
)

pa = pytest.importorskip("pyarrow")


@pytest.fixture(scope="module")
def tables(example_db: Path) -> dict[str, Any]:
    with Collection(example_db, paraphrase=False) as collection:
        return collection.tables()


@pytest.fixture(scope="module")
def texts(example_db: Path) -> dict[str, str]:
    with Collection(example_db, paraphrase=False) as collection:
        return {a.id: a.text for a in collection.store.articles()}


def test_every_table_is_built_in_its_schema(tables: dict[str, Any]) -> None:
    assert list(tables) == list(TABLES)
    for name, built in tables.items():
        assert built.schema.equals(schemas()[name]), name
        assert built.num_rows > 0, name


def test_articles_carry_their_story(tables: dict[str, Any]) -> None:
    stories = tables["stories"].to_pylist()
    story_of = {a: s["id"] for s in stories for a in s["articles"]}
    for row in tables["articles"].to_pylist():
        assert row["story"] == story_of[row["id"]]
    assert sum(s["size"] for s in stories) == tables["articles"].num_rows


def test_sentences_are_spans_of_their_article(tables: dict[str, Any],
                                              texts: dict[str, str]) -> None:
    for row in tables["sentences"].to_pylist():
        assert texts[row["article"]][row["start"] : row["end"]] == row["text"]


def test_passages_are_offsets_into_both_texts(tables: dict[str, Any],
                                              texts: dict[str, str]) -> None:
    verbatim = 0
    for row in tables["relations"].to_pylist():
        a, b = texts[row["a"]], texts[row["b"]]
        for passage in row["passages"]:
            assert 0 <= passage["a_start"] < passage["a_end"] <= len(a)
            assert 0 <= passage["b_start"] < passage["b_end"] <= len(b)
            if passage["kind"] == "verbatim":
                verbatim += 1
                words_a = a[passage["a_start"] : passage["a_end"]].lower().split()
                words_b = b[passage["b_start"] : passage["b_end"]].lower().split()
                assert words_a[0] == words_b[0] and words_a[-1] == words_b[-1]
        for span in row["unmatched_a"]:
            assert 0 <= span["start"] < span["end"] <= len(a)
    assert verbatim > 0


def test_claims_and_discrepancies_point_at_their_text(tables: dict[str, Any],
                                                      texts: dict[str, str]) -> None:
    for row in tables["claims"].to_pylist():
        assert texts[row["article"]][row["start"] : row["end"]] == row["text"]
    kinds = set()
    for row in tables["discrepancies"].to_pylist():
        kinds.add(row["kind"])
        if row["start"] is not None and row["kind"] in ("addition", "altered_quote"):
            assert texts[row["article"]][row["start"] : row["end"]] == row["text"]
    assert {"addition", "conflict"} <= kinds


def test_edges_mark_the_family_tree(example_db: Path, tables: dict[str, Any]) -> None:
    with Collection(example_db, paraphrase=False) as collection:
        trees = {s.id: t.tree for s, t in collection.traced_stories()}
    in_tree = [(r["story"], r["source"], r["target"]) for r in tables["edges"].to_pylist()
               if r["in_tree"]]
    assert sorted(in_tree) == sorted((story, source, target) for story, tree in trees.items()
                                     for target, source in tree.items())


def test_frames_keep_offsets_integer(example_db: Path) -> None:
    pytest.importorskip("pandas")
    with Collection(example_db, paraphrase=False) as collection:
        frame = collection.frame("discrepancies")
        articles = collection.frame("articles")
    assert str(frame["start"].dtype) == "Int32"
    assert str(articles["published_at"].dtype).startswith("datetime64")
    assert articles["published_at"].notna().any()


def test_parquet_round_trip(tables: dict[str, Any], tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    for name, built in tables.items():
        pq.write_table(built, tmp_path / f"{name}.parquet")
        assert pq.read_table(tmp_path / f"{name}.parquet").equals(built), name


def test_rows_from_json_records() -> None:
    row = relation_row({"a": "x", "b": "y", "relation": "excerpt", "confidence": 0.8,
                        "scores": {"coverage_a": 0.3, "verbatim_b": 1}, "paraphrase": False,
                        "passages": [{"kind": "verbatim", "a": [5, 9], "b": [0, 4],
                                      "score": 1.0}],
                        "unmatched": {"a": [[0, 4]], "b": []}})
    assert row["coverage_a"] == 0.3 and row["verbatim_a"] is None
    assert row["passages"] == [{"kind": "verbatim", "a_start": 5, "a_end": 9, "b_start": 0,
                                "b_end": 4, "score": 1.0}]
    built = table("relations", [row])
    assert built.column("scores").to_pylist() == [[("coverage_a", 0.3), ("verbatim_b", 1.0)]]
    facts = {"story": "s-1", "conflicts": [{"subject": "dead", "values": [
        {"value": 3, "articles": ["p", "q"], "texts": ["three"]},
        {"value": 4, "articles": ["r"], "texts": ["four", "4"]}]}],
        "additions": [{"article": "q", "source": "p", "text": "New.", "span": [10, 14]}]}
    rows = list(discrepancy_rows(facts))
    assert [(r["kind"], r["article"], r["value"], r["text"]) for r in rows] == [
        ("conflict", "p", "3", "three"), ("conflict", "q", "3", "three"),
        ("conflict", "r", "4", "four / 4"), ("addition", "q", None, "New.")]
    assert rows[0]["discrepancy"] == rows[2]["discrepancy"] != rows[3]["discrepancy"]
    assert rows[3]["sources"] == ["p"]


def test_publication_times_in_utc() -> None:
    assert published_at("2026-03-14") is not None
    assert str(published_at("2026-03-14T08:42:00+01:00")) == "2026-03-14 07:42:00+00:00"
    assert published_at("14 March") is None and published_at(None) is None


def test_without_pyarrow_the_message_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(MissingDependencyError, match=r"newstrace\[parquet\]"):
        schemas()


def test_an_exported_collection_imports_whole(example_db: Path, tmp_path: Path) -> None:
    """`newstrace import` reads a local export as it reads a Spark run (one schema): the
    imported collection has the same articles, relations and stories."""
    with Collection(example_db, paraphrase=False) as collection:
        collection.export(tmp_path / "tables", "parquet")
        stories = {frozenset(s.articles) for s, _ in collection.traced_stories()}
        relations = {(r["a"], r["b"], r["relation"]) for r in collection.relations()}
        articles = {a.id: (a.text, a.raw, a.raw_map, a.removed, a.source_key)
                    for a in collection.store.articles(with_raw=True)}
    with Collection(tmp_path / "imported.db", paraphrase=False) as imported:
        imported.import_spark_run(str(tmp_path / "tables"))
        assert {frozenset(s.articles) for s, _ in imported.traced_stories()} == stories
        assert {(r["a"], r["b"], r["relation"]) for r in imported.relations()} == relations
        assert imported.stale() == []  # the export carried the stamps of this code
        assert {a.id: (a.text, a.raw, a.raw_map, a.removed, a.source_key)
                for a in imported.store.articles(with_raw=True)} == articles
    assert any(raw for _, raw, _, _, _ in articles.values())
