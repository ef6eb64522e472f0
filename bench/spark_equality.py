"""The Spark runner against the local runner on evaluation sets or the pile: relations (pair,
label and every score), stories (membership), provenance edges, claims and discrepancies
compared, every difference listed.

    NEWSTRACE_DATA=/work/shared/data python -m bench.spark_equality --data spread-dev \
        --data wild-dev --data ecbplus-dev
    python -m bench.spark_equality --pile 2000 --encoder static --keep DIR

Both sides run as `newstrace analyze` does by default (paraphrase on, MiniLM) unless
`--encoder` or `--no-paraphrase` says otherwise: the local runner in this process through
`Collection.analyze`, the Spark job as `newstrace spark analyze --master local[2]` in a
subprocess (so its JVM and Python workers are counted by `TreeCpu`). Scores are compared
exactly: both runners call the same kernels on the same float16-rounded vectors, so any
difference, however small, is a difference to explain. Provenance edges, claims and
discrepancies are compared row for row, every field exactly: the local side as `newstrace
export --format parquet` writes them (facts drawn from the store after `analyze`), the Spark
side as its Parquet; a story is named by its first article on both sides, since each runner
numbers its stories itself. `--keep DIR` keeps the store, the
Parquet tables and Spark's event log (`events`, for `bench.spark_profile`) under DIR/<set>
for a closer look."""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, cast

from bench import pile
from bench.data import DataMissing, data_dir
from bench.spark_scaling import SEED, TreeCpu, cpu_seconds
from newstrace.collection import Collection
from newstrace.runners.config import ReuseConfig
from newstrace.stages.reuse.cascade import Encoder
from newstrace.tables import Row, collection_tables

Relations = dict[tuple[str, str], tuple[str, dict[str, float]]]
FACT_TABLES = ("edges", "claims", "discrepancies")
# Tables whose rows carry an id the runner generates (a discrepancy's "story/kind/number"):
# compared by content without it.
GENERATED = {"discrepancies": "discrepancy"}
SHOWN = 10  # rows listed of each side's differences in a table


def _stories(pairs: Iterable[tuple[str, str]]) -> set[frozenset[str]]:
    found: dict[str, set[str]] = {}
    for article_id, story in pairs:
        found.setdefault(story, set()).add(article_id)
    return {frozenset(members) for members in found.values()}


def story_named(rows: Mapping[str, list[Row]], members: Mapping[str, Iterable[str]]
                ) -> dict[str, Counter[str]]:
    """Each table's rows by content, as canonical JSON, counted, so two runners' tables
    compare as multisets: a story named by its first article (`members`: each story id's
    articles), and a generated id (`GENERATED`: numbered within its story) left out, so one
    row more on one side counts once and does not renumber the rest. The rows sharing a
    generated id are also compared as a whole (`<table> grouped`: each group its rows'
    contents, sorted), so the same rows grouped otherwise count too."""
    first = {story: min(articles) for story, articles in members.items()}
    found: dict[str, Counter[str]] = {}
    for name, table_rows in rows.items():
        counted: Counter[str] = Counter()
        groups: dict[str, list[str]] = {}
        generated = GENERATED.get(name)
        for row in table_rows:
            renamed = {**row, "story": first[row["story"]]}
            if generated:
                del renamed[generated]
            content = json.dumps(renamed, sort_keys=True, default=str)
            counted[content] += 1
            if generated:
                groups.setdefault(row[generated], []).append(content)
        found[name] = counted
        if generated:
            found[f"{name} grouped"] = Counter(
                json.dumps(sorted(group)) for group in groups.values())
    return found


def local_fact_tables(local: Collection) -> dict[str, Counter[str]]:
    """The local runner's provenance edges, claims and discrepancies, as its export writes
    them, stories named by their first article."""
    tables = collection_tables(local, FACT_TABLES)
    members = {story.id: story.articles for story, _ in local.traced_stories()}
    return story_named({name: table.to_pylist() for name, table in tables.items()}, members)


def spark_fact_tables(out: Path) -> dict[str, Counter[str]]:
    """A Spark run's provenance edges, claims and discrepancies from its Parquet, stories
    named by their first article."""
    import pyarrow.parquet as pq

    members = {row["id"]: row["articles"] for row in pq.read_table(out / "stories").to_pylist()}
    return story_named({name: pq.read_table(out / name).to_pylist() for name in FACT_TABLES},
                       members)


def table_differences(local: Mapping[str, Counter[str]], spark: Mapping[str, Counter[str]]
                      ) -> dict[str, Any]:
    """Per table: the rows of each side, and the rows one side has more often than the other
    (the first `SHOWN` of each listed)."""
    found: dict[str, Any] = {}
    for name in local.keys() | spark.keys():
        ours, theirs = local.get(name, Counter()), spark.get(name, Counter())
        only_local, only_spark = sorted((ours - theirs).elements()), sorted(
            (theirs - ours).elements())
        found[name] = {"rows_local": ours.total(), "rows_spark": theirs.total(),
                       "only_local_count": len(only_local), "only_spark_count": len(only_spark),
                       "only_local": [_shown(r) for r in only_local[:SHOWN]],
                       "only_spark": [_shown(r) for r in only_spark[:SHOWN]]}
    return found


def _shown(counted: str) -> Any:
    """A counted row (or a group of rows) as JSON values again."""
    value = json.loads(counted)
    return [json.loads(row) for row in value] if isinstance(value, list) else value


def _local(inputs: str, db: Path, reuse: ReuseConfig, paraphrase: bool) -> dict[str, Any]:
    began, used = time.perf_counter(), cpu_seconds()
    with Collection.open(db, paraphrase=paraphrase, reuse=reuse) as local:
        local.analyze([inputs])
        relations: Relations = {(r["a"], r["b"]): (r["relation"], dict(r["scores"]))
                                for r in local.relations(include_unrelated=True)}
        seconds, cpu = time.perf_counter() - began, cpu_seconds() - used
        facts = local_fact_tables(local)  # the export, outside the run's time
    with sqlite3.connect(db) as connection:
        stories = _stories(connection.execute(
            "SELECT article_id, story_id FROM story_members"))
        articles = {row[0] for row in connection.execute("SELECT id FROM articles")}
    return {"relations": relations, "stories": stories, "articles": articles, "facts": facts,
            "seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1)}


def _spark(inputs: str, out: Path, encoder: str, paraphrase: bool,
           partitions: int) -> dict[str, Any]:
    import pyarrow.parquet as pq

    events = out.parent / "events"  # for `python -m bench.spark_profile`
    events.mkdir()
    env = dict(os.environ, PYSPARK_SUBMIT_ARGS=(
        "--conf spark.eventLog.enabled=true --conf spark.eventLog.compress=false "
        f"--conf spark.eventLog.rolling.enabled=false --conf spark.eventLog.dir=file://{events} "
        f"--driver-memory {os.environ.get('NEWSTRACE_BENCH_SPARK_MEMORY', '4g')} pyspark-shell"))
    command = [sys.executable, "-m", "newstrace", "spark", "analyze", inputs, "--out", str(out),
               "--master", "local[2]", "--partitions", str(partitions), "--encoder", encoder,
               "--paraphrase" if paraphrase else "--no-paraphrase"]
    began = time.perf_counter()
    job = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                           text=True)
    with TreeCpu(job.pid) as tree:
        printed, err = job.communicate()
    if job.returncode:
        raise SystemExit(f"the Spark job failed ({job.returncode}):\n{err[-3000:]}")
    relations: Relations = {(r["a"], r["b"]): (r["relation"], dict(r["scores"]))
                            for r in pq.read_table(out / "relations").to_pylist()}
    return {"relations": relations,
            "stories": {frozenset(r["articles"])
                        for r in pq.read_table(out / "stories").to_pylist()},
            "articles": set(pq.read_table(out / "articles").column("id").to_pylist()),
            "facts": spark_fact_tables(out),
            "seconds": round(time.perf_counter() - began, 1),
            "cpu_seconds": tree.seconds(), "job": json.loads(printed)}


def differences(local: Relations, spark: Relations) -> dict[str, Any]:
    """Pairs on one side only, labels that differ, and scores that differ (by how much)."""
    shared = local.keys() & spark.keys()
    labels = sorted((a, b, local[a, b][0], spark[a, b][0]) for a, b in shared
                    if local[a, b][0] != spark[a, b][0])
    scores = []
    for a, b in sorted(shared):
        ours, theirs = local[a, b][1], spark[a, b][1]
        if ours != theirs:
            gaps = {key: (ours.get(key), theirs.get(key)) for key in ours.keys() | theirs.keys()
                    if ours.get(key) != theirs.get(key)}
            scores.append({"pair": [a, b], "scores": gaps})
    return {"only_local": sorted(local.keys() - spark.keys()),
            "only_spark": sorted(spark.keys() - local.keys()),
            "labels_differing": labels, "scores_differing": scores}


def compare(name: str, inputs: str, work: Path, *, encoder: str, paraphrase: bool,
            partitions: int) -> dict[str, Any]:
    reuse = ReuseConfig(encoder=cast(Encoder, encoder))  # one of argparse's choices
    local = _local(inputs, work / "local.db", reuse, paraphrase)
    spark = _spark(inputs, work / "out", encoder, paraphrase, partitions)
    found = differences(local["relations"], spark["relations"])
    return {"set": name, "encoder": encoder if paraphrase else "off",
            "relations_local": len(local["relations"]),
            "relations_spark": len(spark["relations"]),
            "labels_differing_count": len(found["labels_differing"]),
            "scores_differing_count": len(found["scores_differing"]), **found,
            "articles_only_local": sorted(local["articles"] - spark["articles"]),
            "articles_only_spark": sorted(spark["articles"] - local["articles"]),
            "stories_local": len(local["stories"]), "stories_spark": len(spark["stories"]),
            "stories_equal": local["stories"] == spark["stories"],
            "stories_only_local": sorted(sorted(s) for s in local["stories"] - spark["stories"]),
            "stories_only_spark": sorted(sorted(s) for s in spark["stories"] - local["stories"]),
            "tables": table_differences(local["facts"], spark["facts"]),
            "seconds_local": local["seconds"], "cpu_seconds_local": local["cpu_seconds"],
            "seconds_spark": spark["seconds"], "cpu_seconds_spark": spark["cpu_seconds"],
            "spark_stage_seconds": spark["job"].get("seconds")}


def _inputs(name: str, work: Path) -> str:
    """An evaluation set's folder, or for `pile:N` the pile of N articles written to `work`."""
    if name.startswith("pile:"):
        size = int(name.removeprefix("pile:"))
        return str(pile.write_collection("pile", work / f"pile-{size}.jsonl", size, SEED))
    return str(data_dir(name))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", help="evaluation sets, as --data (older commands)")
    parser.add_argument("--data", action="append", default=[],
                        help="an evaluation set in ../shared/data (repeatable)")
    parser.add_argument("--pile", action="append", type=int, default=[],
                        help="N articles of bench/pile.py's pile, seed 7 (repeatable)")
    parser.add_argument("--encoder", choices=["minilm", "static", "cascade"], default="minilm")
    parser.add_argument("--no-paraphrase", dest="paraphrase", action="store_false")
    parser.add_argument("--partitions", type=int, default=4)
    parser.add_argument("--keep", type=Path, help="keep each set's store and Parquet here")
    args = parser.parse_args(argv)
    names = args.sets + args.data + [f"pile:{n}" for n in args.pile]
    for name in names or ["spread-dev", "wild-dev", "ecbplus-dev"]:
        with tempfile.TemporaryDirectory() as scratch:
            work = args.keep / name.replace(":", "-") if args.keep else Path(scratch)
            work.mkdir(parents=True, exist_ok=not args.keep)
            try:
                inputs = _inputs(name, work)
            except DataMissing as missing:
                print(json.dumps({"set": name, "skipped": str(missing)}), flush=True)
                continue
            print(json.dumps(compare(name, inputs, work, encoder=args.encoder,
                                     paraphrase=args.paraphrase,
                                     partitions=args.partitions)), flush=True)


if __name__ == "__main__":
    main()
