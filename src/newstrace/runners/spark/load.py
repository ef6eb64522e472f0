"""`newstrace import`: Parquet tables in `newstrace.tables`' schema (a Spark run's `--out`
folder, or a local `newstrace export --format parquet`) into a SQLite store, through the
store's own writers, so `stories`, `trace`, `facts`, `report` and `serve` show a cluster run.

Articles, relations (with their passages) and story membership are loaded; traces and facts
are drawn again from them on demand, as for any stored collection. Sketches, event terms and
sentence vectors are not in the tables: a later `newstrace add` on the store computes them."""

from __future__ import annotations

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
)
from newstrace.runners.local.freshness import STAMPS_TABLE, keep_imported_stamps
from newstrace.runners.local.store.db import Store
from newstrace.runners.local.store.reuse import ReuseTables
from newstrace.runners.local.store.rows import article_fields
from newstrace.runners.local.store.stories import StoryTables
from newstrace.tables import require_pyarrow

_BATCH = 500


def load_tables(folder: str, store: Store) -> dict[str, int]:
    """Load the tables under `folder`; returns the rows loaded per table."""
    require_pyarrow()
    paths = {name: _table_path(folder, name)
             for name in ("articles", "sentences", "relations", "stories")}
    sentences: dict[str, list[Sentence]] = {}
    for row in _rows(paths["sentences"]):
        sentences.setdefault(row["article"], []).append(
            Sentence(row["index"], row["start"], row["end"]))
    articles = [_article(row, sentences) for row in _rows(paths["articles"])]
    for start in range(0, len(articles), _BATCH):
        store.write_batch(articles[start : start + _BATCH], {})
    relations = [_relation(row) for row in _rows(paths["relations"])]
    ReuseTables(store).write_relations(relations)
    hashes = {a.id: a.text_hash for a in articles}
    members = {article: row["id"] for row in _rows(paths["stories"])
               for article in row["articles"]}
    StoryTables(store).assign(members, hashes)
    keep_imported_stamps(store, _stamps(folder))
    return {"articles": len(articles), "relations": len(relations), "story_members": len(members)}


def _found_table(folder: str, name: str) -> str | None:
    """A table's folder (as Spark writes it) or file (as `newstrace export` writes it), if
    there is one."""
    for path in (os.path.join(folder, name), os.path.join(folder, f"{name}.parquet")):
        if os.path.exists(path):
            return path
    return None


def _table_path(folder: str, name: str) -> str:
    """A table's folder or file (`_found_table`), which must be there."""
    if (path := _found_table(folder, name)) is not None:
        return path
    raise InputError(folder, "not-a-table-folder",
                     f"has no {name}/ table (nor {name}.parquet); give the --out folder of "
                     "`newstrace spark analyze` or a folder of `newstrace export --format "
                     "parquet`")


def _stamps(folder: str) -> dict[str, str | None]:
    """The stamps of the code that wrote the tables (`freshness.STAMPS_TABLE`); none for a
    folder written before runs carried them."""
    path = _found_table(folder, STAMPS_TABLE)
    return {} if path is None else next(_rows(path), {})


def _rows(path: str) -> Iterator[dict[str, Any]]:
    import pyarrow.parquet as pq

    yield from pq.read_table(path).to_pylist()


def _article(row: dict[str, Any], sentences: dict[str, list[Sentence]]) -> Article:
    return Article(
        **article_fields(row),
        sentences=sorted(sentences.get(row["id"], []), key=lambda s: s.index),
        removed=[RemovedLine(r["line"], r["reason"]) for r in row["removed"] or ()],
        cues=[Cue(c["kind"], c["text"], c["outlet"], c["url"]) for c in row["cues"] or ()],
        raw=row["raw"],
        raw_map=None if row["raw_map"] is None else [
            Segment(s["start"], s["length"], s["raw_start"], s["raw_length"])
            for s in row["raw_map"]],
        duplicate_of=row["duplicate_of"], source_key=row["source_key"] or "",
        raw_hash=row["raw_hash"] or "")


def _relation(row: dict[str, Any]) -> tuple[Relation, Alignment]:
    # A map column reads back as (key, value) pairs.
    scores = {str(k): float(v) for k, v in dict(row["scores"] or ()).items()}
    passages = [AlignedPassage(p["kind"], (p["a_start"], p["a_end"]), (p["b_start"], p["b_end"]),
                               p["score"]) for p in row["passages"] or ()]
    relation = Relation(row["a"], row["b"], row["relation"], row["source"],
                        row["confidence"], scores, row["source_reason"], row["pairwise"],
                        row["explained_by"])
    alignment = Alignment(row["a"], row["b"], passages,
                          [(s["start"], s["end"]) for s in row["unmatched_a"] or ()],
                          [(s["start"], s["end"]) for s in row["unmatched_b"] or ()],
                          scores, bool(row["paraphrase_detection"]))
    return relation, alignment
