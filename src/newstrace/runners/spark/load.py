"""`newstrace import`: a Spark run's Parquet tables into a SQLite store, through the store's
own writers, so `stories`, `trace`, `facts`, `report` and `serve` show a cluster run.

Articles, relations (with their passages) and story membership are loaded; traces and facts
are drawn again from them on demand, as for any stored collection. Sketches, event terms and
sentence vectors are not in the tables: a later `newstrace add` on the store computes them."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

from newstrace.errors import InputError
from newstrace.records import (
    AlignedPassage,
    Alignment,
    Article,
    Cue,
    Relation,
    RemovedLine,
    Segment,
    Sentence,
    SourceKind,
)
from newstrace.runners.local.store.db import Store
from newstrace.runners.local.store.reuse import ReuseTables
from newstrace.runners.local.store.stories import StoryTables
from newstrace.runners.spark.session import require_pyspark

_BATCH = 500


def load_tables(folder: str, store: Store) -> dict[str, int]:
    """Load the tables under `folder`; returns the rows loaded per table."""
    require_pyspark()
    for name in ("articles", "sentences", "relations", "stories"):
        if not os.path.isdir(os.path.join(folder, name)):
            raise InputError(folder, "not-a-spark-run",
                             f"has no {name}/ table; give the --out folder of "
                             "`newstrace spark analyze`")
    sentences: dict[str, list[Sentence]] = {}
    for row in _rows(folder, "sentences"):
        sentences.setdefault(row["article_id"], []).append(
            Sentence(row["index"], row["start"], row["end"]))
    articles = [_article(row, sentences) for row in _rows(folder, "articles")]
    for start in range(0, len(articles), _BATCH):
        store.write_batch(articles[start : start + _BATCH], {})
    relations = [_relation(row) for row in _rows(folder, "relations")]
    ReuseTables(store).write_relations(relations)
    hashes = {a.id: a.text_hash for a in articles}
    members = {row["article_id"]: row["story"] for row in _rows(folder, "stories")}
    StoryTables(store).assign(members, hashes)
    return {"articles": len(articles), "relations": len(relations), "story_members": len(members)}


def _rows(folder: str, name: str) -> Iterator[dict[str, Any]]:
    import pyarrow.parquet as pq

    yield from pq.read_table(os.path.join(folder, name)).to_pylist()


def _article(row: dict[str, Any], sentences: dict[str, list[Sentence]]) -> Article:
    return Article(
        id=row["id"], source_path=row["source_path"], kind=SourceKind(row["source_kind"]),
        text=row["text"], text_hash=row["text_hash"], source_id=row["source_id"],
        url=row["url"], canonical_url=row["canonical_url"], outlet=row["outlet"],
        author=row["author"], title=row["title"], published=row["published"],
        language=row["language"],
        sentences=sorted(sentences.get(row["id"], []), key=lambda s: s.index),
        removed=[RemovedLine(r["line"], r["reason"]) for r in json.loads(row["removed"])],
        cues=[Cue(c["kind"], c["text"], c["outlet"], c["url"]) for c in json.loads(row["cues"])],
        raw=row["raw"],
        raw_map=None if row["raw_map"] is None else [Segment(*s) for s in
                                                    json.loads(row["raw_map"])],
        duplicate_of=row["duplicate_of"], source_key=row["source_key"],
        raw_hash=row["raw_hash"])


def _relation(row: dict[str, Any]) -> tuple[Relation, Alignment]:
    scores = json.loads(row["scores"])
    unmatched = json.loads(row["unmatched"])
    passages = [AlignedPassage(p["kind"], tuple(p["a"]), tuple(p["b"]), p["score"])
                for p in json.loads(row["passages"])]
    relation = Relation(row["a"], row["b"], row["relation"], row["source"],
                        row["confidence"], scores, row["source_reason"], row["pairwise"],
                        row["explained_by"])
    alignment = Alignment(row["a"], row["b"], passages,
                          [tuple(u) for u in unmatched["a"]], [tuple(u) for u in unmatched["b"]],
                          scores, row["paraphrase"])
    return relation, alignment
