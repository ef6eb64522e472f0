"""Migration 12: the candidate index's postings with their articles' publication days.

Every posting is copied into the new table with its article's day as candidate search reads
it (`posting_day`), then the new table takes the old one's name. It runs inside the
migration's transaction.
"""

from __future__ import annotations

import sqlite3

from newstrace.stages.reuse.candidates import day_number

UNKNOWN_DAY = 0  # no article's day: `date.toordinal` starts at 1


def posting_day(published: str | None) -> int:
    """The day a posting of an article published then is filed under (`UNKNOWN_DAY` when
    its date is absent or unreadable)."""
    return day_number(published) or UNKNOWN_DAY


def date_postings(db: sqlite3.Connection) -> None:
    db.execute("CREATE TEMP TABLE article_days (article_id TEXT PRIMARY KEY, "
               "day INTEGER NOT NULL) WITHOUT ROWID")
    db.executemany("INSERT INTO temp.article_days (article_id, day) VALUES (?, ?)",
                   [(article_id, posting_day(published)) for article_id, published
                    in db.execute("SELECT id, published FROM articles").fetchall()])
    db.execute("INSERT INTO sketch_keys_dated (key, day, article_id, kind) "
               f"SELECT k.key, coalesce(d.day, {UNKNOWN_DAY}), k.article_id, k.kind "
               "FROM sketch_keys k LEFT JOIN temp.article_days d ON d.article_id = k.article_id")
    db.execute("DROP TABLE temp.article_days")
    db.execute("DROP TABLE sketch_keys")
    db.execute("ALTER TABLE sketch_keys_dated RENAME TO sketch_keys")
    db.execute("CREATE INDEX sketch_keys_article ON sketch_keys(article_id)")
