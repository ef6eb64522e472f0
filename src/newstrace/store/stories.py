"""The store's story tables: event terms with their document frequencies, and memberships."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

from newstrace.store.db import Store
from newstrace.store.reuse import select_in
from newstrace.stories.events import Terms


class StoryTables:
    def __init__(self, store: Store) -> None:
        self.store = store
        self._db = store.connection

    def unplaced(self) -> list[str]:
        """Articles in no story, or placed with a text they no longer have."""
        return [row[0] for row in self._db.execute(
            "SELECT a.id FROM articles a LEFT JOIN story_members m ON m.article_id = a.id "
            "WHERE m.text_hash IS NULL OR m.text_hash != a.text_hash ORDER BY a.id")]

    def write_terms(self, terms: dict[str, Terms]) -> None:
        """Record articles' event terms (replacing earlier ones) and their frequencies."""
        with self.store.transaction() as db:
            for article_id, items in terms.items():
                old = [row[0] for row in db.execute(
                    "SELECT term FROM event_terms WHERE article_id = ?", (article_id,))]
                db.executemany("UPDATE event_df SET articles = articles - 1 WHERE term = ?",
                               [(term,) for term in old])
                db.execute("DELETE FROM event_terms WHERE article_id = ?", (article_id,))
                db.executemany("INSERT INTO event_terms (term, article_id, count) "
                               "VALUES (?, ?, ?)",
                               [(term, article_id, count) for term, count in items.items()])
                db.executemany("INSERT INTO event_df (term, articles) VALUES (?, 1) "
                               "ON CONFLICT (term) DO UPDATE SET articles = articles + 1",
                               [(term,) for term in items])

    def total(self) -> int:
        """How many articles the document frequencies are over: every stored article."""
        return int(self._db.execute("SELECT count(*) FROM articles").fetchone()[0])

    def df(self, terms: Iterable[int]) -> dict[int, int]:
        return dict(select_in(self._db, "SELECT term, articles FROM event_df WHERE term IN "
                              "({marks}) AND articles > 0", list(set(terms))))

    def terms_of(self, article_ids: Sequence[str]) -> dict[str, Terms]:
        found: dict[str, Terms] = {article_id: {} for article_id in article_ids}
        for term, article_id, count in select_in(
                self._db, "SELECT term, article_id, count FROM event_terms WHERE article_id IN "
                "({marks})", article_ids):
            found[article_id][term] = count
        return found

    def leads(self, terms: Iterable[int], total: int, limit: int, most: int) -> list[str]:
        """The `most` articles sharing the most rarity-weighted terms with these, counting
        only terms carried by at most `limit` of the collection's `total` articles."""
        df = {term: count for term, count in self.df(terms).items() if 1 < count <= limit}
        score: dict[str, float] = {}
        for term, article_id in select_in(
                self._db, "SELECT term, article_id FROM event_terms WHERE term IN ({marks})",
                list(df)):
            score[article_id] = score.get(article_id, 0.0) + math.log(max(total, 2) / df[term])
        return sorted(score, key=lambda article_id: -score[article_id])[:most]

    def story_of(self, article_ids: Sequence[str]) -> dict[str, str]:
        return dict(select_in(self._db, "SELECT article_id, story_id FROM story_members WHERE "
                              "article_id IN ({marks})", article_ids))

    def members(self, story_ids: Sequence[str]) -> list[str]:
        return [row[0] for row in select_in(
            self._db, "SELECT article_id FROM story_members WHERE story_id IN ({marks})",
            story_ids)]

    def assign(self, stories: dict[str, str], text_hashes: dict[str, str]) -> None:
        with self.store.transaction() as db:
            db.executemany(
                "INSERT INTO story_members (article_id, story_id, text_hash) VALUES (?, ?, ?) "
                "ON CONFLICT (article_id) DO UPDATE SET story_id = excluded.story_id, "
                "text_hash = excluded.text_hash",
                [(a, s, text_hashes[a]) for a, s in stories.items()])

    def stories(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for article_id, story_id in self._db.execute(
                "SELECT article_id, story_id FROM story_members ORDER BY story_id, article_id"):
            found.setdefault(story_id, []).append(article_id)
        return found

    def listing(self, story_id: str | None = None) -> list[dict[str, Any]]:
        """Each story (or the one named) with its members' titles and dates (for labels and
        time ranges)."""
        rows: dict[str, dict[str, Any]] = {}
        where, params = ("WHERE m.story_id = ? ", (story_id,)) if story_id else ("", ())
        for row in self._db.execute(
                "SELECT m.story_id, a.id, a.title, a.published, a.outlet FROM story_members m "
                f"JOIN articles a ON a.id = m.article_id {where}ORDER BY m.story_id, a.id",
                params):
            story = rows.setdefault(row[0], {"id": row[0], "members": []})
            story["members"].append({"id": row[1], "title": row[2], "published": row[3],
                                     "outlet": row[4]})
        return list(rows.values())
