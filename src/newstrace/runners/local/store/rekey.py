"""Migration 9: ids that follow the content, not the folder.

Stores written before it keyed articles read from files by the file's absolute path, and gave
an article without a URL an id derived from that path: the same folder read from another
place was ingested a second time, and ties between duplicates fell by the folder's name. This
step re-derives each such key and id as ingest now derives them (`ids.input_name`: the file's
name and its record) and renames the article wherever a table refers to it. Two stored copies
of one input that now get the same id (one folder ingested from two places) become one: the
earlier stored is kept, the later's derived rows are forgotten, its relations dropped.

It runs inside the migration's transaction, with foreign keys deferred to its end.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import PurePath

from newstrace.ids import article_id

# Tables whose `article_id` column names one article and is keyed by nothing else of it.
_PER_ARTICLE = ("cues", "raw_inputs", "sketches", "sketch_keys", "sentence_vectors",
                "event_terms", "story_members")


def rekey_file_articles(db: sqlite3.Connection) -> None:
    db.execute("PRAGMA defer_foreign_keys = ON")
    rows = db.execute("SELECT id, source_key, url, text_hash FROM articles "
                      "ORDER BY ingested_at, id").fetchall()
    taken = {row[0] for row in rows}
    stories = _stories(db)
    renamed: dict[str, str | None] = {}  # old id -> new id (None: forgotten)
    for old_id, old_key, url, text_hash in rows:
        if not old_key.startswith("/"):
            continue  # a URL, or stdin: nothing depended on a folder
        new_key = PurePath(old_key).name
        db.execute("UPDATE articles SET source_key = ? WHERE id = ?", (new_key, old_id))
        if url:
            continue  # the id came from the URL
        new_id = article_id(f"{new_key}\n{text_hash}")
        if new_id == old_id:
            continue
        if new_id in taken:
            _forget(db, old_id)
            renamed[old_id] = None
        else:
            _rename(db, old_id, new_id)
            taken.add(new_id)
            renamed[old_id] = new_id
        taken.discard(old_id)
    _rename_stories(db, stories, renamed)


def _stories(db: sqlite3.Connection) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for article, story in db.execute("SELECT article_id, story_id FROM story_members"):
        found.setdefault(story, []).append(article)
    return found


def _rename_stories(db: sqlite3.Connection, stories: dict[str, list[str]],
                    renamed: dict[str, str | None]) -> None:
    """A story's id names its smallest member when a first run made it (and the member it
    was opened for otherwise): it follows that member to its new id, as a fresh run would
    name it."""
    for story, old_members in stories.items():
        members = [renamed.get(m, m) for m in old_members]
        kept = sorted(m for m in members if m is not None)
        if not kept:
            continue
        if story == f"s-{min(old_members)[:16]}":
            new_story = f"s-{kept[0][:16]}"
        else:
            named = [new for old, new in renamed.items() if new and story == f"s-{old[:16]}"]
            new_story = f"s-{named[0][:16]}" if named else story
        if new_story == story or new_story in stories:
            continue
        db.execute("UPDATE story_members SET story_id = ? WHERE story_id = ?", (new_story, story))
        db.execute("UPDATE story_facts SET story_id = ? WHERE story_id = ?", (new_story, story))


def _rename(db: sqlite3.Connection, old: str, new: str) -> None:
    db.execute("UPDATE articles SET id = ? WHERE id = ?", (new, old))
    db.execute("UPDATE articles SET duplicate_of = ? WHERE duplicate_of = ?", (new, old))
    for table in _PER_ARTICLE:
        db.execute(f"UPDATE {table} SET article_id = ? WHERE article_id = ?", (new, old))
    for column in ("source", "explained_by"):
        db.execute(f"UPDATE relations SET {column} = ? WHERE {column} = ?", (new, old))
    for row in db.execute("SELECT * FROM relations WHERE a = ? OR b = ?", (old, old)).fetchall():
        _rekey_relation(db, dict(zip(row.keys(), row, strict=True)), old, new)


def _rekey_relation(db: sqlite3.Connection, row: dict[str, object], old: str, new: str) -> None:
    """Relations are keyed (smaller id, larger id): a renamed side may have to change places,
    and every a/b-sided value with it."""
    a, b = (new if row["a"] == old else row["a"]), (new if row["b"] == old else row["b"])
    db.execute("DELETE FROM relations WHERE a = ? AND b = ?", (row["a"], row["b"]))
    if str(a) > str(b):
        a, b = b, a
        row["scores"] = json.dumps(_swap_sides(json.loads(str(row["scores"]))))
        row["passages"] = json.dumps([{**p, "a": p["b"], "b": p["a"]}
                                      for p in json.loads(str(row["passages"]))])
        unmatched = json.loads(str(row["unmatched"]))
        row["unmatched"] = json.dumps({"a": unmatched.get("b", []),
                                       "b": unmatched.get("a", [])})
    row["a"], row["b"] = a, b
    names = list(row)
    db.execute(f"INSERT INTO relations ({', '.join(names)}) VALUES "
               f"({', '.join('?' * len(names))})", [row[name] for name in names])


def _swap_sides(scores: dict[str, float]) -> dict[str, float]:
    """The scores with every a-sided value and its b-sided twin exchanged (keys in place)."""
    def twin(name: str) -> str:
        side = {"_a": "_b", "_b": "_a"}.get(name[-2:])
        return name[:-2] + side if side and name[:-2] + side in scores else name
    return {name: scores[twin(name)] for name in scores}


def _forget(db: sqlite3.Connection, article: str) -> None:
    """Drop a second copy of an input, with the counts its sketch and terms added."""
    db.execute("UPDATE key_counts SET articles = articles - 1 WHERE key IN "
               "(SELECT key FROM sketch_keys WHERE article_id = ?)", (article,))
    db.execute("UPDATE event_df SET articles = articles - 1 WHERE term IN "
               "(SELECT term FROM event_terms WHERE article_id = ?)", (article,))
    db.execute("UPDATE articles SET duplicate_of = NULL WHERE duplicate_of = ?", (article,))
    for table in _PER_ARTICLE:
        db.execute(f"DELETE FROM {table} WHERE article_id = ?", (article,))
    db.execute("DELETE FROM relations WHERE a = ? OR b = ?", (article, article))
    db.execute("DELETE FROM articles WHERE id = ?", (article,))
