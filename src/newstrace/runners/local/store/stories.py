"""The store's story tables: event terms with their document frequencies, and memberships."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Sequence

from newstrace.runners.local.store.db import Store
from newstrace.runners.local.store.reuse import select_in
from newstrace.stages.stories.events import Terms


class StoryTables:
    def __init__(self, store: Store) -> None:
        self.store = store
        self._db = store.connection

    def unplaced(self) -> list[str]:
        """Articles in no story, or placed with a text they no longer have."""
        return [row[0] for row in self._db.execute(
            "SELECT a.id FROM articles a LEFT JOIN story_members m ON m.article_id = a.id "
            "WHERE m.text_hash IS NULL OR m.text_hash != a.text_hash ORDER BY a.id")]

    def all_articles(self) -> list[str]:
        return [row[0] for row in self._db.execute("SELECT id FROM articles ORDER BY id")]

    def has_members(self) -> bool:
        """Whether any article has been placed in a story."""
        return self._db.execute("SELECT 1 FROM story_members LIMIT 1").fetchone() is not None

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

    def facts_basis(self, story_ids: Sequence[str], verdicts: Iterable[tuple[str, str, str]],
                    code: str) -> dict[str, str]:
        """What each story's facts are computed from, hashed: its members with their texts,
        the relation verdicts (a, b, relation) among them, and the `code` that computes them
        (a stamp: `newstrace.stamps.code_stamp`)."""
        parts: dict[str, list[str]] = {story_id: [f"code:{code}"] for story_id in story_ids}
        story_of: dict[str, str] = {}
        for story_id, article_id, text_hash in select_in(
                self._db, "SELECT story_id, article_id, text_hash FROM story_members WHERE "
                "story_id IN ({marks})", story_ids):
            parts[story_id].append(f"{article_id}:{text_hash}")
            story_of[article_id] = story_id
        for a, b, relation in verdicts:
            if a in story_of and story_of[a] == story_of.get(b):
                parts[story_of[a]].append(f"{a}|{b}|{relation}")
        return {story_id: hashlib.blake2b("\n".join(sorted(items)).encode(),
                                          digest_size=16).hexdigest()
                for story_id, items in parts.items()}

    def facts_summaries(self, basis: dict[str, str]) -> dict[str, dict[str, int]]:
        """Stored facts summaries of these stories whose basis is still the one given."""
        return {story_id: json.loads(summary) for story_id, stored, summary in select_in(
                    self._db, "SELECT story_id, basis, summary FROM story_facts WHERE story_id "
                    "IN ({marks})", list(basis)) if basis.get(story_id) == stored}

    def write_facts_summaries(self, summaries: dict[str, tuple[str, dict[str, int]]]) -> None:
        with self.store.transaction() as db:
            db.executemany("INSERT OR REPLACE INTO story_facts (story_id, basis, summary) "
                           "VALUES (?, ?, ?)",
                           [(story_id, basis, json.dumps(summary))
                            for story_id, (basis, summary) in summaries.items()])
