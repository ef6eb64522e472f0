"""The embedded store: one SQLite file in WAL mode, so a reader can query while a writer
ingests. Every write is one transaction; a killed ingest leaves whole articles or none."""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import Any

from newstrace.errors import NotFoundError, StoreError
from newstrace.records import Article, Cue, Skip
from newstrace.runners.local.store.key_days import date_postings
from newstrace.runners.local.store.rekey import rekey_file_articles
from newstrace.runners.local.store.rows import article_of_row, cue_of_row, skip_of_row

BUSY_TIMEOUT_MS = 60_000
_LISTING_COLUMNS = ("id", "source_id", "source_path", "source_kind", "url", "canonical_url",
                    "outlet", "author", "title", "published", "language", "words", "text_hash",
                    "duplicate_of")


def _migrations() -> list[tuple[int, str]]:
    folder = resources.files("newstrace.runners.local.store") / "migrations"
    scripts = sorted(item.name for item in folder.iterdir() if item.name.endswith(".sql"))
    return [(int(name.split("_", 1)[0]), (folder / name).read_text(encoding="utf-8"))
            for name in scripts]


SCHEMA_VERSION = max(version for version, _ in _migrations())

# Steps a script cannot express, run after the script of the same number in its transaction.
_PYTHON_STEPS: dict[int, Callable[[sqlite3.Connection], None]] = {9: rekey_file_articles,
                                                                  12: date_postings}


def _statements(script: str) -> list[str]:
    """The statements of a migration script, one at a time (inside a transaction, which
    `executescript` would commit); a trigger's body holds semicolons of its own."""
    statements, pending = [], ""
    for piece in script.split(";\n"):
        pending += piece + ";\n"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                statements.append(pending)
            pending = ""
    if pending.strip(" \n;"):
        statements.append(pending)
    return statements


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Store:
    """A newstrace collection on disk. Open with `Store(path)`; close or use as a context."""

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.path = str(path)
        if readonly and not Path(self.path).exists():
            raise StoreError(f"{self.path}: no such store; create it with `newstrace ingest`")
        try:
            self._db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000,
                                       isolation_level=None, check_same_thread=False)
            self._db.row_factory = sqlite3.Row
            self._db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")
            self._db.execute("PRAGMA foreign_keys = ON")
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{self.path}: cannot open as a newstrace store ({error}); is it "
                             "an SQLite file? Pass another --db path") from error
        self._migrate()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    # -- schema ---------------------------------------------------------------------------

    def _migrate(self) -> None:
        try:
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{self.path}: not a newstrace store ({error}); pass another "
                             "--db path") from error
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: written by a newer newstrace (schema {version}, this "
                             f"one knows {SCHEMA_VERSION}); upgrade newstrace to read it")
        for number, script in _migrations():
            if number <= version:
                continue
            try:
                self._db.execute("BEGIN IMMEDIATE")
                for statement in _statements(script):
                    self._db.execute(statement)
                if number in _PYTHON_STEPS:
                    _PYTHON_STEPS[number](self._db)
                self._db.execute(f"PRAGMA user_version = {number}")
                self._db.execute("COMMIT")
            except sqlite3.DatabaseError as error:
                self._db.execute("ROLLBACK")
                raise StoreError(f"{self.path}: migration {number} failed ({error}); the store "
                                 "is unchanged") from error

    @property
    def schema_version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def setting(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_setting(self, key: str, value: str) -> None:
        with self.transaction() as db:
            db.execute("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) "
                       "DO UPDATE SET value = excluded.value", (key, value))

    # -- reads used by ingestion ------------------------------------------------------------

    def mark_unchanged(self, source_key: str, raw_hash: str, source_path: str) -> bool:
        """Whether an article was stored from this input with this raw content; if so, the
        path it was read from now (a moved folder) is kept as its path."""
        row = self._db.execute("SELECT id, source_path FROM articles WHERE source_key = ? AND "
                               "raw_hash = ? LIMIT 1", (source_key, raw_hash)).fetchone()
        if row is None:
            return False
        if row["source_path"] != source_path:
            self._db.execute("UPDATE articles SET source_path = ? WHERE id = ?",
                             (source_path, row["id"]))
        return True

    def identity(self, article_id: str) -> tuple[str, str] | None:
        """(source_key, text_hash) of a stored article."""
        row = self._db.execute("SELECT source_key, text_hash FROM articles WHERE id = ?",
                               (article_id,)).fetchone()
        return (row["source_key"], row["text_hash"]) if row else None

    def first_with_text(self, text_hash: str) -> str | None:
        """The earliest-stored article with this clean text: what a copy duplicates."""
        row = self._db.execute("SELECT id FROM articles WHERE text_hash = ? AND duplicate_of IS "
                               "NULL ORDER BY ingested_at, id LIMIT 1", (text_hash,)).fetchone()
        return row["id"] if row else None

    def site_line_pages(self, site_key: str, hashes: Iterable[int]) -> dict[int, int]:
        """How many stored pages of a site carry each line hash."""
        wanted = list(set(hashes))
        found: dict[int, int] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self._db.execute(
                f"SELECT line_hash, pages FROM site_lines WHERE site_key = ? AND line_hash IN "
                f"({marks})", (site_key, *chunk)):
                found[row["line_hash"]] = row["pages"]
        return found

    # -- writes ------------------------------------------------------------------------------

    def write_batch(self, articles: list[Article], site_lines: dict[tuple[str, int], int]) -> None:
        """Store (or replace) articles and add to line repetition counts, in one transaction."""
        rows = [_article_row(article) for article in articles]
        with self.transaction():
            for article, row in zip(articles, rows, strict=True):
                # An update keeps the row (other articles may point at it as duplicate_of).
                self._db.execute("DELETE FROM cues WHERE article_id = ?", (article.id,))
                self._db.execute("DELETE FROM raw_inputs WHERE article_id = ?", (article.id,))
                updates = ", ".join(f"{name} = excluded.{name}" for name in row if name != "id")
                self._db.execute(
                    f"INSERT INTO articles ({', '.join(row)}) VALUES "
                    f"({', '.join('?' * len(row))}) ON CONFLICT (id) DO UPDATE SET {updates}",
                    tuple(row.values()))
                self._db.executemany(
                    "INSERT INTO cues (article_id, idx, kind, text, outlet, url) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    [(article.id, i, c.kind, c.text, c.outlet, c.url)
                     for i, c in enumerate(article.cues)])
                if article.raw is not None:
                    self._db.execute(
                        "INSERT INTO raw_inputs (article_id, content, raw_map) VALUES (?, ?, ?)",
                        (article.id, zlib.compress(article.raw.encode("utf-8")),
                         json.dumps([s.as_list() for s in article.raw_map or []])))
            self._db.executemany(
                "INSERT INTO site_lines (site_key, line_hash, pages) VALUES (?, ?, ?) "
                "ON CONFLICT (site_key, line_hash) DO UPDATE SET pages = pages + excluded.pages",
                [(site, line, pages) for (site, line), pages in site_lines.items()])

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it is stored, or (on any exception) none of it."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
            self._db.execute("COMMIT")
        except BaseException:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise

    @property
    def connection(self) -> sqlite3.Connection:
        """For the store's companion tables (store.reuse); not for callers outside the store."""
        return self._db

    def start_run(self, paths: list[str]) -> int:
        cursor = self._db.execute("INSERT INTO ingest_runs (started_at, paths) VALUES (?, ?)",
                                  (_now(), json.dumps(paths)))
        return int(cursor.lastrowid or 0)

    def finish_run(self, run_id: int, counts: dict[str, Any], skips: list[Skip]) -> None:
        self._db.execute("BEGIN IMMEDIATE")
        self._db.executemany("INSERT INTO skips (run_id, path, reason, message) VALUES (?,?,?,?)",
                             [(run_id, s.path, s.reason, s.message) for s in skips])
        self._db.execute("UPDATE ingest_runs SET finished_at = ?, counts = ? WHERE id = ?",
                         (_now(), json.dumps(counts), run_id))
        self._db.execute("COMMIT")

    # -- reads for users ---------------------------------------------------------------------

    def count(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM articles").fetchone()[0])

    def listing(self) -> Iterator[dict[str, Any]]:
        """One dict per article, without text: what `newstrace articles` shows."""
        cues = self._cues_by_article()
        query = (f"SELECT {', '.join(_LISTING_COLUMNS)}, json_array_length(removed) AS "
                 "removed_lines FROM articles ORDER BY published IS NULL, published, id")
        for row in self._db.execute(query):
            item = dict(row)
            item["cues"] = [cue.as_dict() for cue in cues.get(row["id"], [])]
            yield item

    def article(self, reference: str) -> Article:
        """The article named by `reference`: its id (or a unique prefix of it), URL, the
        path (or file name) it was read from, or its record id in that input (a JSON line's
        id, a WARC record id). Raises NotFoundError."""
        article_id = self._resolve(reference)
        row = self._db.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        raw = self._db.execute("SELECT content, raw_map FROM raw_inputs WHERE article_id = ?",
                               (article_id,)).fetchone()
        return article_of_row(row, self._cues_by_article(article_id).get(article_id, []), raw)

    def articles(self, *, with_raw: bool = False) -> Iterator[Article]:
        """Every article with its text (and, `with_raw`, a page dump's raw input and map),
        in a stable order."""
        cues = self._cues_by_article()
        for row in self._db.execute("SELECT * FROM articles ORDER BY id"):
            raw = self._db.execute("SELECT content, raw_map FROM raw_inputs WHERE article_id "
                                   "= ?", (row["id"],)).fetchone() if with_raw else None
            yield article_of_row(row, cues.get(row["id"], []), raw)

    def articles_by_id(self, article_ids: Iterable[str]) -> dict[str, Article]:
        """The named articles with their text and cues (not their raw input)."""
        wanted = list(dict.fromkeys(article_ids))
        found: dict[str, Article] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            cues: dict[str, list[Cue]] = {}
            for row in self._db.execute(f"SELECT * FROM cues WHERE article_id IN ({marks}) "
                                        "ORDER BY article_id, idx", chunk):
                cues.setdefault(row["article_id"], []).append(cue_of_row(row))
            for row in self._db.execute(f"SELECT * FROM articles WHERE id IN ({marks})", chunk):
                found[row["id"]] = article_of_row(row, cues.get(row["id"], []), None)
        return found

    def search(self, needle: str, limit: int) -> list[dict[str, Any]]:
        """Articles whose title, outlet or text contain `needle` (lower case), earliest first:
        id, title, outlet, url, published and text."""
        pattern = "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace(
            "_", "\\_") + "%"
        rows = self._db.execute(
            "SELECT id, title, outlet, url, published, text FROM articles WHERE "
            "lower(title) LIKE ? ESCAPE '\\' OR lower(outlet) LIKE ? ESCAPE '\\' OR "
            "lower(text) LIKE ? ESCAPE '\\' ORDER BY published IS NULL, published, id "
            "LIMIT ?", (pattern, pattern, pattern, limit)).fetchall()
        return [dict(row) for row in rows]

    def data_version(self) -> int:
        """Changes whenever another connection commits to the store (SQLite's data_version)."""
        return int(self._db.execute("PRAGMA data_version").fetchone()[0])

    def skips(self, run_id: int | None = None) -> list[Skip]:
        if run_id is None:
            row = self._db.execute("SELECT max(id) FROM ingest_runs").fetchone()
            run_id = row[0]
        return [skip_of_row(r) for r in
                self._db.execute("SELECT * FROM skips WHERE run_id = ?", (run_id,))]

    def _resolve(self, reference: str) -> str:
        db = self._db
        for query, value in (
            ("SELECT id FROM articles WHERE id = ?", reference),
            ("SELECT id FROM articles WHERE url = ? OR canonical_url = ?", reference),
            ("SELECT id FROM articles WHERE source_path = ? OR source_key = ?", reference),
            ("SELECT id FROM articles WHERE source_id = ?", reference),
            ("SELECT id FROM articles WHERE id LIKE ? || '%'", reference),
            ("SELECT id FROM articles WHERE source_path LIKE '%/' || ? OR source_key LIKE "
             "'%/' || ?", reference),
        ):
            params = (value,) * query.count("?")
            ids = [row[0] for row in db.execute(query, params).fetchall()]
            if len(ids) == 1:
                return str(ids[0])
            if len(ids) > 1:
                raise NotFoundError(f"{reference!r} names {len(ids)} articles ("
                                    f"{', '.join(ids[:5])}...); give one of their ids")
        raise NotFoundError(f"no article {reference!r} in {self.path}; list them with "
                            "`newstrace articles`")

    def _cues_by_article(self, article_id: str | None = None) -> dict[str, list[Cue]]:
        query = "SELECT * FROM cues"
        params: tuple[str, ...] = ()
        if article_id is not None:
            query += " WHERE article_id = ?"
            params = (article_id,)
        found: dict[str, list[Cue]] = {}
        for row in self._db.execute(query + " ORDER BY article_id, idx", params):
            found.setdefault(row["article_id"], []).append(cue_of_row(row))
        return found


def _article_row(article: Article) -> dict[str, Any]:
    return {
        "id": article.id, "source_key": article.source_key, "raw_hash": article.raw_hash,
        "source_id": article.source_id, "source_path": article.source_path,
        "source_kind": article.kind.value, "url": article.url,
        "canonical_url": article.canonical_url, "outlet": article.outlet,
        "author": article.author, "title": article.title, "published": article.published,
        "published_source": article.published_source, "language": article.language,
        "text": article.text, "text_hash": article.text_hash,
        "words": article.words,
        "sentences": json.dumps([[s.start, s.end] for s in article.sentences]),
        "removed": json.dumps([[r.line, r.reason] for r in article.removed]),
        "duplicate_of": article.duplicate_of, "ingested_at": _now(),
    }
