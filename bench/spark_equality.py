"""The Spark runner against the local runner on evaluation sets: relations (pair, label)
and stories (membership) compared, every difference listed.

    NEWSTRACE_DATA=/work/shared/data python -m bench.spark_equality spread-dev wild-dev ecbplus-dev
"""

from __future__ import annotations

import json
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.data import data_dir
from newstrace.collection import Collection
from newstrace.runners.spark.job import run


def _stories(pairs: list[tuple[str, str]]) -> set[frozenset[str]]:
    found: dict[str, set[str]] = {}
    for article_id, story in pairs:
        found.setdefault(story, set()).add(article_id)
    return {frozenset(members) for members in found.values()}


def compare(name: str, master: str = "local[2]") -> dict[str, Any]:
    import pyarrow.parquet as pq

    folder = str(data_dir(name))
    with tempfile.TemporaryDirectory() as work:
        started = time.perf_counter()
        with Collection.open(Path(work) / "local.db") as local:
            local.add([folder])
        local_seconds = time.perf_counter() - started
        db = sqlite3.connect(Path(work) / "local.db")
        local_relations = {(a, b): r for a, b, r in db.execute(
            "SELECT a, b, relation FROM relations")}
        local_stories = _stories(list(db.execute(
            "SELECT article_id, story_id FROM story_members")))
        started = time.perf_counter()
        summary = run([folder], f"{work}/out", master=master, partitions=4)
        spark_seconds = time.perf_counter() - started
        spark_relations = {(r["a"], r["b"]): r["relation"] for r in
                           pq.read_table(f"{work}/out/relations").to_pylist()}
        spark_stories = {frozenset(r["articles"]) for r in
                         pq.read_table(f"{work}/out/stories").to_pylist()}
        local_articles = {row[0] for row in db.execute("SELECT id FROM articles")}
        spark_articles = set(pq.read_table(f"{work}/out/articles").column("id").to_pylist())
    pairs = set(local_relations) | set(spark_relations)
    differ = sorted((a, b, local_relations.get((a, b)), spark_relations.get((a, b)))
                    for a, b in pairs if local_relations.get((a, b)) != spark_relations.get((a, b)))
    return {"set": name, "relations_local": len(local_relations),
            "relations_spark": len(spark_relations), "relations_differing": differ,
            "articles_only_local": sorted(local_articles - spark_articles),
            "articles_only_spark": sorted(spark_articles - local_articles),
            "stories_local": len(local_stories), "stories_spark": len(spark_stories),
            "stories_equal": local_stories == spark_stories,
            "stories_only_local": sorted(sorted(s) for s in local_stories - spark_stories),
            "stories_only_spark": sorted(sorted(s) for s in spark_stories - local_stories),
            "seconds_local": round(local_seconds, 1), "seconds_spark": round(spark_seconds, 1),
            "spark_stage_seconds": summary.as_dict()["seconds"]}


def main(names: list[str]) -> None:
    for name in names:
        print(json.dumps(compare(name)), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:] or ["spread-dev", "wild-dev", "ecbplus-dev"])
