"""The store: stable ids, idempotent re-ingest, duplicates, schema versions, concurrency."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from newstrace.errors import NotFoundError, StoreError
from newstrace.runners.config import ReuseConfig
from newstrace.runners.local.ingest import Ingestor
from newstrace.runners.local.relating import Relater
from newstrace.runners.local.store.db import SCHEMA_VERSION, Store
from newstrace.runners.local.store.key_days import UNKNOWN_DAY, posting_day
from newstrace.runners.local.store.reuse import ReuseTables
from newstrace.stages.reuse.embed import Vectors, encode_articles
from newstrace.stages.reuse.key_join import candidate_pairs
from pages import PARAGRAPHS, html_page, jsonl, story, text_dump, write


def test_reingesting_the_same_content_adds_nothing(tmp_path: Path, store: Store) -> None:
    write(tmp_path / "in" / "a.html", html_page(story(1), url="https://a.example/1"))
    write(tmp_path / "in" / "b.txt", text_dump(story(2)))
    write(tmp_path / "in" / "c.jsonl", jsonl([{"id": "c", "text": " ".join(story(3))}]))
    first = Ingestor(store).ingest([str(tmp_path / "in")])
    ids = sorted(a.id for a in store.articles())
    second = Ingestor(store).ingest([str(tmp_path / "in")])
    assert (first.ingested, second.ingested, second.unchanged) == (3, 0, 3)
    assert sorted(a.id for a in store.articles()) == ids


def test_ids_are_stable_across_stores(tmp_path: Path) -> None:
    write(tmp_path / "in" / "a.html", html_page(story(1), url="https://a.example/1"))
    write(tmp_path / "in" / "b.txt", text_dump(story(2)))
    ids = []
    for name in ("one.db", "two.db"):
        with Store(tmp_path / name) as store:
            Ingestor(store).ingest([str(tmp_path / "in")])
            ids.append(sorted(a.id for a in store.articles()))
    assert ids[0] == ids[1]


def test_same_text_at_two_urls_is_two_articles_marked_duplicate(tmp_path: Path,
                                                                 store: Store) -> None:
    write(tmp_path / "a.html", html_page(story(1), url="https://a.example/story"))
    write(tmp_path / "b.html", html_page(story(1), url="https://b.example/copy",
                                         site="Other Outlet"))
    Ingestor(store).ingest([str(tmp_path / "a.html")])
    summary = Ingestor(store).ingest([str(tmp_path / "b.html")])
    original, copy = store.article("a.html"), store.article("b.html")
    assert original.id != copy.id
    assert copy.duplicate_of == original.id and original.duplicate_of is None
    assert summary.duplicates == 1


def test_a_syndicated_copy_keeps_its_own_id_despite_its_canonical_link(
        tmp_path: Path, store: Store) -> None:
    original_url = "https://agency.example/story"
    write(tmp_path / "original.html", html_page(story(1), url=original_url,
                                                canonical=original_url))
    # Saved without its own URL, pointing at the original (as syndicated pages do).
    extra = "Our own extra paragraph about it, added by the reprinting outlet here."
    write(tmp_path / "copy.html", html_page([*story(1), extra],
                                            canonical=original_url))
    Ingestor(store).ingest([str(tmp_path)])
    assert store.count() == 2


def test_updated_page_at_the_same_url_replaces_the_old_version(tmp_path: Path,
                                                               store: Store) -> None:
    page = tmp_path / "live.jsonl"
    write(page, jsonl([{"id": "x", "url": "https://a.example/live", "text": " ".join(story(1))}]))
    Ingestor(store).ingest([str(page)])
    write(page, jsonl([{"id": "x", "url": "https://a.example/live", "text": " ".join(story(2))}]))
    summary = Ingestor(store).ingest([str(page)])
    assert summary.updated == 1 and store.count() == 1
    assert "Carrow-2" in store.article("https://a.example/live").text


def test_articles_are_found_by_id_prefix_url_and_file_name(tmp_path: Path, store: Store) -> None:
    write(tmp_path / "a.html", html_page(story(1), url="https://a.example/1"))
    Ingestor(store).ingest([str(tmp_path / "a.html")])
    article = store.article("a.html")
    assert store.article(article.id[:6]).id == article.id
    assert store.article("https://a.example/1").id == article.id
    with pytest.raises(NotFoundError, match="newstrace articles"):
        store.article("nothing-like-this")


def test_schema_is_versioned_and_a_newer_store_is_refused(db_path: Path) -> None:
    with Store(db_path) as store:
        assert store.schema_version == SCHEMA_VERSION >= 1
    connection = sqlite3.connect(db_path)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.close()
    with pytest.raises(StoreError, match="newer newstrace"):
        Store(db_path)


def test_a_reader_can_query_while_a_writer_holds_a_transaction(db_path: Path,
                                                               tmp_path: Path) -> None:
    write(tmp_path / "a.html", html_page(story(1)))
    with Store(db_path) as store:
        Ingestor(store).ingest([str(tmp_path / "a.html")])
    writer = sqlite3.connect(db_path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("DELETE FROM articles")
    counts: list[int] = []
    reader = threading.Thread(target=lambda: counts.append(Store(db_path).count()))
    reader.start()
    reader.join(timeout=10)
    writer.execute("ROLLBACK")
    writer.close()
    assert counts == [1]  # the reader saw the last committed state, without waiting


def test_every_skip_is_recorded_with_its_run(tmp_path: Path, store: Store) -> None:
    write(tmp_path / "empty.txt", "")
    write(tmp_path / "a.html", html_page(story(1)))
    Ingestor(store).ingest([str(tmp_path)])
    assert [(Path(s.path).name, s.reason) for s in store.skips()] == [("empty.txt", "empty")]


def test_an_article_is_found_by_its_record_id(tmp_path: Path) -> None:
    feed = tmp_path / "records.jsonl"
    feed.write_text(jsonl([{"id": "rec-7", "text": "\n\n".join(PARAGRAPHS)}]), encoding="utf-8")
    with Store(tmp_path / "c.db") as store:
        Ingestor(store).ingest([str(feed)])
        assert store.article("rec-7").source_id == "rec-7"


def test_a_changed_text_drops_its_stale_sketch(tmp_path: Path) -> None:
    """Migration 5's trigger: every sketch is of its article's current text, so counting
    articles and sketches tells whether anything needs sketching."""
    page = tmp_path / "a.txt"
    page.write_text("Council approves a new library budget for Kellsworth, the mayor said on "
                    "Monday, after a long debate about costs.\n", encoding="utf-8")
    with Store(tmp_path / "s.db") as store:
        Ingestor(store).ingest([str(page)])
        Relater(store, None).index_collection()
        tables = ReuseTables(store)
        assert tables.unsketched() == [] and tables.total() == 1
        (only,) = store.articles()
        store.connection.execute("UPDATE articles SET text_hash = 'changed' WHERE id = ?",
                                 (only.id,))
        assert tables.total() == 0 and tables.unsketched() == [only.id]


class _NoisyEncoder:
    """Unit vectors with more precision than the store keeps (no model needed)."""

    name = "noisy"
    dimensions = 8

    def encode(self, sentences: Sequence[str]) -> Vectors:
        seeded = np.random.default_rng(len(sentences))
        rows = seeded.normal(size=(len(sentences), self.dimensions)).astype(np.float32)
        unit: Vectors = rows / np.linalg.norm(rows, axis=1, keepdims=True)
        return unit


def test_vectors_read_back_from_the_store_are_the_ones_just_made(tmp_path: Path,
                                                                  store: Store) -> None:
    # The local runner relates a batch on vectors it encodes now and on vectors an earlier
    # batch cached; the memory and Spark runners only on fresh ones. All must be the same
    # numbers, or a borderline pair's verdict depends on the batch it fell in.
    write(tmp_path / "in" / "a.jsonl", jsonl([{"id": str(n), "text": " ".join(story(n))}
                                              for n in (1, 2)]))
    Ingestor(store).ingest([str(tmp_path / "in")])
    articles = list(store.articles())
    made = encode_articles(_NoisyEncoder(), articles)
    tables = ReuseTables(store)
    tables.write_vectors(made, "noisy", {a.id: a.text_hash for a in articles})
    read = tables.vectors([a.id for a in articles], "noisy", {a.id: a.text_hash for a in articles})
    assert set(read) == set(made) and all(len(made[a]) > 1 for a in made)
    for article_id, vectors in made.items():
        assert np.array_equal(read[article_id], vectors)


def test_an_articles_vectors_of_two_models_are_both_kept(tmp_path: Path) -> None:
    # Under --encoder cascade an article has the static model's vectors (candidates, relating,
    # facts) and MiniLM's (the undecided pairs): keeping one replaced the other, and facts
    # then read no vectors for it. A store from before (schema 12) migrates with its vectors.
    db = tmp_path / "vectors.db"
    with Store(db) as store:
        write(tmp_path / "in" / "a.jsonl", jsonl([{"id": str(n), "text": " ".join(story(n))}
                                                  for n in (1, 2)]))
        Ingestor(store).ingest([str(tmp_path / "in")])
        articles = list(store.articles())
        hashes = {a.id: a.text_hash for a in articles}
        ids = [a.id for a in articles]
        tables = ReuseTables(store)
        static = full = encode_articles(_NoisyEncoder(), articles)
        tables.write_vectors(static, "static", hashes)
        tables.write_vectors(full, "full", hashes)
        assert set(tables.vectors(ids, "static", hashes)) == set(ids)
        assert set(tables.vectors(ids, "full", hashes)) == set(ids)
        # As a store of schema 12 was: one row an article, the model a column.
        store.connection.executescript(
            "DELETE FROM sentence_vectors WHERE model = 'full';"
            "ALTER TABLE sentence_vectors RENAME TO v;"
            "CREATE TABLE sentence_vectors (article_id TEXT PRIMARY KEY REFERENCES articles(id) "
            "ON DELETE CASCADE, text_hash TEXT NOT NULL, model TEXT NOT NULL, dims INTEGER NOT "
            "NULL, vectors BLOB NOT NULL);"
            "INSERT INTO sentence_vectors SELECT article_id, text_hash, model, dims, vectors "
            "FROM v; DROP TABLE v; PRAGMA user_version = 12;")
    with Store(db) as store:  # reopening migrates
        tables = ReuseTables(store)
        kept = tables.vectors(ids, "static", hashes)
        assert all(np.array_equal(kept[a], static[a]) for a in ids)
        tables.write_vectors(full, "full", hashes)
        assert set(tables.vectors(ids, "static", hashes)) == set(ids)


def _versions(tmp_path: Path, days: dict[str, str | None], name: str) -> Path:
    """Versions of one story (each pair shares most of its text), one for each key of `days`,
    published on its day (None: undated)."""
    records = [{"id": key, **({"published": day} if day else {}),
                "text": "\n\n".join([*PARAGRAPHS[:-1], f"Reported by desk {key}."])}
               for key, day in days.items()]
    return write(tmp_path / "in" / name, jsonl(records))


def _dated_versions(tmp_path: Path) -> Path:
    """Six versions published on days out of id order, one undated."""
    return _versions(tmp_path, {"a": "2026-04-09", "b": "2026-04-06T23:30+02:00", "c": None,
                                "d": "2026-04-07", "e": "2026-04-06T08:00+00:00",
                                "f": "2026-04-08"}, "versions.jsonl")


def test_articles_meet_their_candidates_by_publication_day(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        Ingestor(store).ingest([str(_dated_versions(tmp_path))])
        Relater(store, None).index_collection()
        by_key = {a.source_id: a.id for a in store.articles()}
        # By day (its first ten characters), then id; the undated last.
        order = [by_key[k] for k in ("b", "e")]
        expected = [*sorted(order), by_key["d"], by_key["f"], by_key["a"], by_key["c"]]
        assert ReuseTables(store).unrelated() == expected


@pytest.mark.parametrize("batch_size", [1, 2])
def test_relations_do_not_depend_on_the_batches(tmp_path: Path, batch_size: int) -> None:
    """Which pairs are related, and how, is the same in one batch as in many: the order
    articles meet their candidates in changes only when a pair is related."""
    found = {}
    for size in (batch_size, 500):
        with Store(tmp_path / f"s{size}.db") as store:
            Ingestor(store).ingest([str(_dated_versions(tmp_path))])
            Relater(store, None, ReuseConfig(batch_size=size, workers=1)).relate_collection()
            found[size] = sorted((r["a"], r["b"], r["relation"], r["scores"])
                                 for r in ReuseTables(store).relations(include_unrelated=True))
    assert len(found[500]) == 15  # every pair of the six
    assert found[batch_size] == found[500]


def _spread_versions(tmp_path: Path) -> Path:
    """Six versions published over three months (some pairs more than the 30-day window
    apart), one undated."""
    return _versions(tmp_path, {"a": "2026-01-05", "b": "2026-02-20T23:30+02:00", "c": None,
                                "d": "2026-01-30", "e": "2026-04-06T08:00+00:00",
                                "f": "2026-03-10"}, "spread.jsonl")


def _pairs(store: Store) -> list[tuple[str, str, str]]:
    return sorted((r["a"], r["b"], r["relation"])
                  for r in ReuseTables(store).relations(include_unrelated=True))


def test_batches_read_the_postings_of_their_days_and_find_every_pair_in_the_window(
        tmp_path: Path) -> None:
    """Related one article at a time, each batch reads only the postings its window reaches
    (and the undated): the pairs are those of one batch that reads every posting, and
    those the memory runner's join finds."""
    found = {}
    for size in (1, 500):
        with Store(tmp_path / f"s{size}.db") as store:
            Ingestor(store).ingest([str(_spread_versions(tmp_path))])
            relater = Relater(store, None, ReuseConfig(batch_size=size, workers=1))
            relater.relate_collection()
            found[size] = _pairs(store)
            sketches = [relater.sketcher.sketch(article) for article in store.articles()]
    expected = [(a, b) for a, b, _ in candidate_pairs(sketches)]
    # a-d, b-f, d-b, f-e are within 30 days; c (undated) pairs with every other.
    assert len(expected) == 4 + 5
    assert found[1] == found[500] and [(a, b) for a, b, _ in found[1]] == expected


def _postings(store: Store) -> list[tuple[int, int, str, int]]:
    return sorted(tuple(row) for row in store.connection.execute(
        "SELECT key, day, article_id, kind FROM sketch_keys"))


def test_a_store_from_before_dated_postings_opens_and_migrates(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    with Store(db) as store:
        Ingestor(store).ingest([str(_spread_versions(tmp_path))])
        Relater(store, None, ReuseConfig(workers=1)).relate_collection()
        before = _pairs(store)
        dated = _postings(store)
        published = {a.id: a.published for a in store.articles()}
        # As a store of schema 11 was: postings without days.
        store.connection.executescript(
            "DROP TRIGGER articles_day_changed; ALTER TABLE sketch_keys RENAME TO k;"
            "CREATE TABLE sketch_keys (key INTEGER NOT NULL, article_id TEXT NOT NULL, "
            "kind INTEGER NOT NULL, PRIMARY KEY (key, article_id)) WITHOUT ROWID;"
            "INSERT INTO sketch_keys SELECT key, article_id, kind FROM k; DROP TABLE k;"
            "CREATE INDEX sketch_keys_article ON sketch_keys(article_id);"
            "PRAGMA user_version = 11;")
    with Store(db) as store:  # reopening migrates
        migrated = _postings(store)
        assert migrated == dated and {day for _, day, _, _ in migrated} == {
            posting_day(published[article]) for article in published}
        assert UNKNOWN_DAY in {day for _, day, _, _ in migrated}
        ReuseTables(store).clear_relations()
        with store.transaction() as connection:
            connection.execute("UPDATE sketches SET related = 0")
        Relater(store, None, ReuseConfig(batch_size=1, workers=1)).relate_collection()
        assert _pairs(store) == before


def test_a_new_publication_day_drops_the_sketch(tmp_path: Path) -> None:
    """Migration 12's trigger: a posting is filed under its article's day, so an article
    whose day changes is sketched (and related) again; another time on the same day is not
    a new day."""
    with Store(tmp_path / "s.db") as store:
        Ingestor(store).ingest([str(_spread_versions(tmp_path))])
        Relater(store, None).index_collection()
        tables = ReuseTables(store)
        by_key = {a.source_id: a.id for a in store.articles()}
        store.connection.execute("UPDATE articles SET published = '2026-02-20T09:00+00:00' "
                                 "WHERE id = ?", (by_key["b"],))
        assert tables.unsketched() == []
        store.connection.execute("UPDATE articles SET published = '2026-02-21' WHERE id = ?",
                                 (by_key["b"],))
        assert tables.unsketched() == [by_key["b"]]
