"""The store's reuse tables: sketch keys (the candidate index), cached sentence vectors and
relations. Kept apart from `Store` so the ingest side stays small; it shares its connection."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np

from newstrace.records import DERIVED, Alignment, Related, Relation
from newstrace.runners.local.store.db import Store
from newstrace.runners.local.store.key_days import UNKNOWN_DAY, posting_day
from newstrace.runners.local.store.rows import related_of_row
from newstrace.stages.reuse.embed import KEPT_DTYPE, Vectors
from newstrace.stages.reuse.key_join import DaySpan
from newstrace.stages.reuse.sketch import KeyKind, Sketch

_CHUNK = 500
_DERIVED_SQL = ", ".join(f"'{name}'" for name in sorted(DERIVED))  # for `relation IN (...)`


def _chunks(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def select_in(db: sqlite3.Connection, query: str, values: Sequence[Any],
              *params: Any) -> list[Any]:
    """Rows of `query` for every value, `{marks}` standing for a chunk of placeholders
    (SQLite limits how many one statement may have); `params` come before the chunk.
    Fetched a chunk at a time: candidate search reads thousands of rows per article."""
    rows: list[Any] = []
    for chunk in _chunks(list(values)):
        marks = ",".join("?" * len(chunk))
        rows += db.execute(query.format(marks=marks), (*params, *chunk)).fetchall()
    return rows


class ReuseTables:
    """Reads and writes sketches, vectors and relations; also the `Postings` that candidate
    search reads, answered from SQLite indexes so a 100,000-article collection is never
    loaded whole."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._db = store.connection

    # -- sketches ----------------------------------------------------------------------------

    def unsketched(self) -> list[str]:
        """Articles with no sketch, or a sketch of a text they no longer have (a changed text
        drops its sketch, migration 5, so equal counts mean nothing to do)."""
        articles = self._db.execute("SELECT count(*) FROM articles").fetchone()[0]
        if articles == self.total():
            return []
        return [row[0] for row in self._db.execute(
            "SELECT a.id FROM articles a LEFT JOIN sketches s ON s.article_id = a.id "
            "WHERE s.text_hash IS NULL OR s.text_hash != a.text_hash ORDER BY a.id")]

    def unrelated(self) -> list[str]:
        """Sketched articles that have not met their candidates yet, by publication day (the
        undated last), then id. A story's versions are published within days of each other,
        so in this order an article's candidate pairs fall in few consecutive batches, and
        the aligners find it still prepared (issue 21: in id order each article was
        tokenised 2.5 times at 3,000 articles). Which pairs are related does not depend on
        the order, only when."""
        return [row[0] for row in self._db.execute(
            "SELECT s.article_id FROM sketches s JOIN articles a ON a.id = s.article_id "
            "WHERE s.related = 0 "
            "ORDER BY a.published IS NULL, substr(a.published, 1, 10), s.article_id")]

    def mark_related(self, article_ids: Sequence[str]) -> None:
        with self.store.transaction() as db:
            db.executemany("UPDATE sketches SET related = 1 WHERE article_id = ?",
                           [(article_id,) for article_id in article_ids])

    def write_sketches(self, sketches: Sequence[Sketch], text_hashes: dict[str, str]) -> None:
        """Store sketches, replacing the keys and relations of any article sketched before."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self.store.transaction() as db:
            for sketch in sketches:
                self._forget(sketch.article_id)
                keys, day = sketch.all_keys(), posting_day(sketch.published)
                db.executemany("INSERT OR IGNORE INTO sketch_keys (key, day, article_id, kind) "
                               "VALUES (?, ?, ?, ?)",
                               [(key, day, sketch.article_id, int(kind)) for key, kind in keys])
                db.executemany("INSERT INTO key_counts (key, articles) VALUES (?, 1) ON CONFLICT"
                               " (key) DO UPDATE SET articles = articles + 1",
                               [(key,) for key, _ in keys])
                db.execute("INSERT INTO sketches (article_id, text_hash, words, anchors, "
                           "sketched_at) VALUES (?, ?, ?, ?, ?)",
                           (sketch.article_id, text_hashes[sketch.article_id], sketch.words,
                            len(sketch.keys[KeyKind.ANCHOR]), now))

    def _forget(self, article_id: str) -> None:
        db = self._db
        old = [row[0] for row in db.execute("SELECT key FROM sketch_keys WHERE article_id = ?",
                                            (article_id,))]
        db.executemany("UPDATE key_counts SET articles = articles - 1 WHERE key = ?",
                       [(key,) for key in old])
        db.execute("DELETE FROM sketch_keys WHERE article_id = ?", (article_id,))
        db.execute("DELETE FROM sketches WHERE article_id = ?", (article_id,))
        db.execute("DELETE FROM relations WHERE a = ? OR b = ?", (article_id, article_id))

    # -- Postings, for candidate search ----------------------------------------------------------

    def total(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM sketches").fetchone()[0])

    def key_counts(self, keys: Sequence[int]) -> dict[int, int]:
        return dict(self._select_in(
            "SELECT key, articles FROM key_counts WHERE key IN ({marks}) AND articles > 0", keys))

    def lookup(self, keys: Sequence[int]) -> dict[int, list[str]]:
        found: dict[int, list[str]] = {}
        for key, article_id in self._select_in(
                "SELECT key, article_id FROM sketch_keys WHERE key IN ({marks})", keys):
            found.setdefault(key, []).append(article_id)
        return found

    def anchor_counts(self, article_ids: Sequence[str]) -> dict[str, int]:
        return dict(self._select_in("SELECT article_id, anchors FROM sketches WHERE article_id "
                                    "IN ({marks})", article_ids))

    def published(self, article_ids: Sequence[str]) -> dict[str, str | None]:
        return dict(self._select_in("SELECT id, published FROM articles WHERE id IN ({marks})",
                                    article_ids))

    def sketched(self) -> list[tuple[str, str | None, int]]:
        """Every sketched article's id, publication date and anchor count, in id order."""
        return self._db.execute(
            "SELECT s.article_id, a.published, s.anchors FROM sketches s JOIN articles a "
            "ON a.id = s.article_id ORDER BY s.article_id").fetchall()

    def key_rows(self, keys: Sequence[int], most: int, most_anchor: int,
                 days: DaySpan | None = None) -> list[tuple[int, str, int, int]]:
        """(key, article, kind, articles carrying the key) for every carrier of these keys
        that more than one article and at most `most` carry (`most_anchor` for anchors): the
        postings a batch's candidate join reads, each key's once. With `days`, only the
        carriers published on those days (first to last, ordinals) or undated: one range of
        the index a key, instead of every carrier."""
        query = ("SELECT k.key, k.article_id, k.kind, c.articles FROM key_counts c "
                 "JOIN sketch_keys k ON k.key = c.key WHERE c.articles BETWEEN 2 AND ? "
                 f"AND (k.kind != {int(KeyKind.ANCHOR)} OR c.articles <= ?) ")
        if days is None:
            return self._select_in(query + "AND c.key IN ({marks})", keys, most, most_anchor)
        dated = self._select_in(query + "AND k.day BETWEEN ? AND ? AND c.key IN ({marks})",
                                keys, most, most_anchor, *days)
        return dated + self._select_in(query + "AND k.day = ? AND c.key IN ({marks})", keys,
                                       most, most_anchor, UNKNOWN_DAY)

    def _select_in(self, query: str, values: Sequence[Any], *params: Any) -> list[Any]:
        return select_in(self._db, query, values, *params)

    # -- sentence vectors ------------------------------------------------------------------------

    def vectors(self, article_ids: Sequence[str], model: str,
                text_hashes: dict[str, str]) -> dict[str, Vectors]:
        """Cached vectors of these articles made by `model` from their current text."""
        found: dict[str, Vectors] = {}
        for article_id, text_hash, dims, blob in self._select_in(
                "SELECT article_id, text_hash, dims, vectors FROM sentence_vectors WHERE "
                "model = ? AND article_id IN ({marks})", article_ids, model):
            if text_hashes.get(article_id) == text_hash:
                found[article_id] = np.frombuffer(blob, dtype=KEPT_DTYPE).reshape(
                    -1, dims).astype(np.float32)
        return found

    def write_vectors(self, vectors: dict[str, Vectors], model: str,
                      text_hashes: dict[str, str]) -> None:
        with self.store.transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO sentence_vectors (article_id, text_hash, model, dims, "
                "vectors) VALUES (?, ?, ?, ?, ?)",
                [(article_id, text_hashes[article_id], model, matrix.shape[1],
                  matrix.astype(KEPT_DTYPE).tobytes()) for article_id, matrix in vectors.items()])

    # -- relations -------------------------------------------------------------------------------

    def related_pairs_of(self, article_ids: Sequence[str]) -> set[tuple[str, str]]:
        """The stored pairs with an end among these articles."""
        pairs = set(self._select_in("SELECT a, b FROM relations WHERE a IN ({marks})",
                                    article_ids))
        pairs |= set(self._select_in("SELECT a, b FROM relations WHERE b IN ({marks})",
                                     article_ids))
        return {(str(a), str(b)) for a, b in pairs}

    def write_relations(self, found: Sequence[tuple[Relation, Alignment]]) -> None:
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self.store.transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO relations (a, b, relation, source, source_reason, "
                "confidence, scores, passages, unmatched, paraphrase, computed_at, pairwise, "
                "explained_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(r.a, r.b, r.relation, r.source, r.source_reason, r.confidence,
                  json.dumps(r.scores), json.dumps([p.as_dict() for p in al.passages]),
                  json.dumps({"a": al.unmatched_a, "b": al.unmatched_b}), int(al.paraphrase),
                  now, r.pairwise, r.explained_by) for r, al in found])

    def derived_pairs(self, article_ids: Sequence[str]) -> list[tuple[str, str]]:
        """Derived relations (duplicate, excerpt, spin, rewrite, partial) touching these
        articles."""
        query = (f"SELECT a, b FROM relations WHERE relation IN ({_DERIVED_SQL}) AND {{side}} "
                 "IN ({{marks}})")
        pairs = set(self._select_in(query.format(side="a"), article_ids))
        pairs |= set(self._select_in(query.format(side="b"), article_ids))
        return sorted((str(a), str(b)) for a, b in pairs)

    # -- reconcile ---------------------------------------------------------------------------

    def unreconciled(self) -> list[str]:
        """Articles of the pairs that reconcile has not seen yet (an unrelated one too: it may
        be a link that was derived before its article changed)."""
        ids: set[str] = set()
        for a, b in self._db.execute("SELECT a, b FROM relations WHERE reconciled = 0"):
            ids.update((a, b))
        return sorted(ids)

    def around(self, article_ids: Sequence[str]) -> tuple[list[Related], set[str]]:
        """What reconcile needs to judge these articles' pairs: the derived pairs (by their
        own verdicts) within two steps of them, with passages, and the verdicts between the
        articles those pairs join (only there can a triangle close), as records. Also the
        articles whose every derived pair is among them (these and their neighbours): a pair
        between two of them is judged on all it needs."""
        near = set(article_ids) | self._derived_partners(article_ids)
        derived = self._pairs_touching(sorted(near), derived=True)
        ends = {x for r, _ in derived for x in (r.a, r.b)}
        kept = {(r.a, r.b) for r, _ in derived}
        between = [item for item in self._pairs_touching(sorted(ends), derived=False,
                                                         within=ends)
                   if (item[0].a, item[0].b) not in kept]
        return derived + between, near

    def _derived_partners(self, article_ids: Sequence[str]) -> set[str]:
        """Both ends of the derived pairs (by their own verdicts) with an end among these
        articles: the first step out, which needs no passages read."""
        query = (f"SELECT a, b FROM relations WHERE coalesce(pairwise, relation) IN "
                 f"({_DERIVED_SQL}) AND {{side}} IN ({{{{marks}}}})")
        ends: set[str] = set()
        for side in ("a", "b"):
            for a, b in self._select_in(query.format(side=side), article_ids):
                ends.update((str(a), str(b)))
        return ends

    def _pairs_touching(self, article_ids: Sequence[str], *, derived: bool,
                        within: set[str] | None = None) -> list[Related]:
        """Related pairs with an end among `article_ids` (derived ones, with passages; or any
        but unrelated), or with both ends `within` a set."""
        names = ("a", "b", "relation", "source", "source_reason", "confidence", "pairwise",
                 "explained_by", "scores", "paraphrase") + (("passages",) if derived else ())
        verdict = (f"coalesce(pairwise, relation) IN ({_DERIVED_SQL})"
                   if derived else "coalesce(pairwise, relation) != 'unrelated'")
        rows: dict[tuple[str, str], Related] = {}
        for column in ("a",) if within is not None else ("a", "b"):
            query = (f"SELECT {', '.join(names)} FROM relations WHERE {verdict} AND {column} "
                     "IN ({marks})")
            for row in self._select_in(query, article_ids):
                if within is not None and row[1] not in within:
                    continue
                item = dict(zip(names, row, strict=True))
                item["scores"] = json.loads(item["scores"])
                if derived:
                    item["passages"] = json.loads(item["passages"])
                rows[(item["a"], item["b"])] = related_of_row(item)
        return [rows[pair] for pair in sorted(rows)]

    def write_reconciled(self, changed: Sequence[Relation]) -> None:
        """Store verdicts reconcile changed (relabelled, or given back their own), and mark
        every pair reconciled."""
        with self.store.transaction() as db:
            db.executemany(
                "UPDATE relations SET relation = ?, source = ?, source_reason = ?, "
                "confidence = ?, pairwise = ?, explained_by = ? WHERE a = ? AND b = ?",
                [(r.relation, r.source, r.source_reason, r.confidence, r.pairwise,
                  r.explained_by, r.a, r.b) for r in changed])
            db.execute("UPDATE relations SET reconciled = 1 WHERE reconciled = 0")

    def has_relations(self) -> bool:
        return self._db.execute("SELECT 1 FROM relations LIMIT 1").fetchone() is not None

    def clear_relations(self) -> None:
        """Forget every relation: every sketched article meets its candidates again."""
        with self.store.transaction() as db:
            db.execute("DELETE FROM relations")
            db.execute("UPDATE sketches SET related = 0")

    def relations(self, *, include_unrelated: bool = False, article_id: str | None = None,
                  article_ids: Sequence[str] | None = None) -> list[dict[str, Any]]:
        """Stored relations: all, those of one article, or those among a set of articles."""
        query = ("SELECT r.*, aa.title AS a_title, ab.title AS b_title FROM relations r "
                 "JOIN articles aa ON aa.id = r.a JOIN articles ab ON ab.id = r.b WHERE 1")
        params: list[str] = []
        if not include_unrelated:
            query += " AND relation != 'unrelated'"
        if article_id is not None:
            query += " AND (r.a = ? OR r.b = ?)"
            params += [article_id, article_id]
        if article_ids is not None:
            wanted = set(article_ids)
            rows = select_in(self._db, query + " AND r.a IN ({marks})", sorted(wanted), *params)
            return sorted((_decoded(row) for row in rows if row["b"] in wanted),
                          key=lambda item: (item["a"], item["b"]))
        return [_decoded(row) for row in self._db.execute(query + " ORDER BY r.a, r.b", params)]

    def relation(self, a: str, b: str) -> dict[str, Any] | None:
        """The stored relation (with its alignment) between two articles, either order."""
        for record in self.relations(article_ids=[a, b]):
            if {record["a"], record["b"]} == {a, b}:
                return record
        return None

    def verdicts(self, article_ids: Sequence[str]) -> list[Related]:
        """The relations among a set of articles (unrelated pairs included) without their
        passages: what clustering reads, for thousands of pairs. Ordered by pair."""
        wanted = set(article_ids)
        rows = select_in(self._db, "SELECT a, b, relation, confidence, scores, paraphrase FROM "
                         "relations WHERE a IN ({marks})", sorted(wanted))
        return sorted((related_of_row({"a": a, "b": b, "relation": relation,
                                       "confidence": confidence, "scores": json.loads(scores),
                                       "paraphrase": bool(paraphrase)})
                       for a, b, relation, confidence, scores, paraphrase in rows if b in wanted),
                      key=lambda item: (item[0].a, item[0].b))

    def related(self, article_ids: Sequence[str]) -> list[Related]:
        """The relations among a set of articles (not unrelated pairs), with their
        alignments, as records: what tracing and facts read. Ordered by pair."""
        return [related_of_row(row) for row in self.relations(article_ids=article_ids)]


def _decoded(row: sqlite3.Row) -> dict[str, Any]:
    item = dict(row)
    for name in ("scores", "passages", "unmatched"):
        item[name] = json.loads(item[name])
    item["paraphrase"] = bool(item["paraphrase"])
    item.pop("reconciled", None)  # bookkeeping
    return item
