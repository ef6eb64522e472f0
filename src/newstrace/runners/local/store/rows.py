"""The store's edge: stored rows to records, one function per record type.

Everything the local runner reads back from SQLite becomes a record here (`records.py`), so
no stage, face or other module sees a row: the stages take records only.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Mapping
from typing import Any

from newstrace.records import (
    AlignedPassage,
    Alignment,
    Article,
    Cue,
    Related,
    Relation,
    RemovedLine,
    Segment,
    Sentence,
    Skip,
    SourceKind,
)

Row = sqlite3.Row | Mapping[str, Any]


def article_fields(row: Row) -> dict[str, Any]:
    """An article's plain fields, from a row of the `articles` table: the store's and the
    Parquet export's (one schema, `newstrace.tables`); lists and raw text are stored apart."""
    return {"id": row["id"], "source_path": row["source_path"],
            "kind": SourceKind(row["source_kind"]), "text": row["text"],
            "text_hash": row["text_hash"], "source_id": row["source_id"], "url": row["url"],
            "canonical_url": row["canonical_url"], "outlet": row["outlet"],
            "author": row["author"], "title": row["title"], "published": row["published"],
            "published_source": row["published_source"], "language": row["language"]}


def article_of_row(row: Row, cues: list[Cue], raw: Row | None) -> Article:
    """An `articles` row with its cues and (when read) its `raw_inputs` row."""
    spans = json.loads(row["sentences"])
    return Article(
        **article_fields(row),
        sentences=[Sentence(i, start, end) for i, (start, end) in enumerate(spans)],
        removed=[RemovedLine(line, reason) for line, reason in json.loads(row["removed"])],
        cues=cues,
        raw=zlib.decompress(raw["content"]).decode("utf-8") if raw else None,
        raw_map=[Segment(*item) for item in json.loads(raw["raw_map"] or "[]")] if raw else None,
        duplicate_of=row["duplicate_of"], source_key=row["source_key"],
        raw_hash=row["raw_hash"],
    )


def cue_of_row(row: Row) -> Cue:
    """A `cues` row."""
    return Cue(row["kind"], row["text"], row["outlet"], row["url"])


def skip_of_row(row: Row) -> Skip:
    """A `skips` row."""
    return Skip(row["path"], row["reason"], row["message"])


def related_of_row(row: Mapping[str, Any]) -> Related:
    """A `relations` row (its JSON columns decoded) as records: the relation, and the
    alignment it keeps (its passages and unmatched spans; none when the row was read without
    them)."""
    relation = Relation(row["a"], row["b"], row["relation"], row.get("source"),
                        float(row["confidence"]), row["scores"],
                        source_reason=row.get("source_reason"), pairwise=row.get("pairwise"),
                        explained_by=row.get("explained_by"))
    unmatched = row.get("unmatched") or {}
    passages = [AlignedPassage(p["kind"], (p["a"][0], p["a"][1]), (p["b"][0], p["b"][1]),
                               float(p["score"])) for p in row.get("passages") or ()]
    alignment = Alignment(row["a"], row["b"], passages,
                          [(s[0], s[1]) for s in unmatched.get("a", ())],
                          [(s[0], s[1]) for s in unmatched.get("b", ())],
                          row["scores"], bool(row["paraphrase"]))
    return relation, alignment
