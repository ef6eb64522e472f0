"""The Spark runner on local[2] against the local runner, on the same synthetic collection:
wall time per stage on both sides, and Spark's shuffle bytes per stage (from its event log).
Paraphrase detection is off on both sides (as bench.story_scaling measures the local runner).

    NEWSTRACE_BENCH_SPARK_N=10000 python -m bench.spark_scaling

The local runner runs in this process through `Collection.analyze` (aligning on every core,
as `newstrace analyze` does), timed stage by stage through its stage callback; the Spark job
runs as `newstrace spark analyze --master local[2] --partitions N` in a subprocess
(`NEWSTRACE_BENCH_SPARK_PARTITIONS`, default 8). `NEWSTRACE_BENCH_SPARK_SIDES=spark` skips
the local runner."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench import synthetic
from newstrace.collection import Collection
from newstrace.progress import Progress

SEED = 7


def _events(event_dir: Path) -> Iterator[dict[str, Any]]:
    """Every event of the logs under `event_dir` (written uncompressed, not rolled)."""
    for log in sorted(event_dir.rglob("*")):
        if log.is_file() and not log.name.startswith("."):
            with log.open(encoding="utf-8") as lines:
                for line in lines:
                    yield json.loads(line)


def _shuffle(event_dir: Path) -> dict[str, Any]:
    """Shuffle bytes written and read, in all and by the code line that made the stage."""
    names: dict[int, str] = {}
    written: dict[int, int] = defaultdict(int)
    read: dict[int, int] = defaultdict(int)
    stages = 0
    for event in _events(event_dir):
        kind = event.get("Event")
        if kind == "SparkListenerStageCompleted":
            info = event["Stage Info"]
            stages += 1
            names[info["Stage ID"]] = info["Stage Name"].split("/")[-1]
        elif kind == "SparkListenerTaskEnd" and event.get("Task Metrics"):
            metrics = event["Task Metrics"]
            stage = event["Stage ID"]
            written[stage] += metrics["Shuffle Write Metrics"]["Shuffle Bytes Written"]
            shuffled = metrics["Shuffle Read Metrics"]
            read[stage] += shuffled["Remote Bytes Read"] + shuffled["Local Bytes Read"]
    by_name: dict[str, int] = defaultdict(int)
    for stage, count in written.items():
        by_name[names.get(stage, str(stage))] += count
    top = sorted(by_name.items(), key=lambda item: -item[1])[:10]
    return {"stages_run": stages, "written_mb": round(sum(written.values()) / 1e6, 1),
            "read_mb": round(sum(read.values()) / 1e6, 1),
            "largest_writers_mb": {name: round(count / 1e6, 1) for name, count in top}}


def _local(jsonl: Path, db: Path) -> dict[str, Any]:
    seconds: dict[str, float] = {}

    @contextmanager
    def timed(stage: str, _total: int | None) -> Iterator[Progress]:
        began = time.perf_counter()
        yield lambda _done: None
        seconds[stage] = round(time.perf_counter() - began, 1)

    began = time.perf_counter()
    with Collection.open(db, paraphrase=False) as collection:
        analysis = collection.analyze([str(jsonl)], stages=timed)
        stories = len(collection.stories())
    total = time.perf_counter() - began
    seconds["trace+facts"] = round(total - sum(seconds.values()), 1)
    return {"seconds": round(total, 1), "stage_seconds": seconds,
            "articles": analysis.articles, "stories": stories}


def _spark(jsonl: Path, work: Path, partitions: int) -> dict[str, Any]:
    events = work / "events"
    events.mkdir()
    env = dict(os.environ, PYSPARK_SUBMIT_ARGS=(
        "--conf spark.eventLog.enabled=true --conf spark.eventLog.compress=false "
        f"--conf spark.eventLog.rolling.enabled=false --conf spark.eventLog.dir=file://{events} "
        "pyspark-shell"))
    began = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "newstrace", "spark", "analyze", str(jsonl),
                           "--out", str(work / "out"), "--master", "local[2]",
                           "--partitions", str(partitions), "--no-paraphrase"],
                          check=True, capture_output=True, env=env, text=True)
    return {"seconds": round(time.perf_counter() - began, 1), "partitions": partitions,
            "job": json.loads(done.stdout), "shuffle": _shuffle(events)}


def measure(size: int, sides: set[str], partitions: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        jsonl = synthetic.write_jsonl(work / f"articles-{size}.jsonl", size, SEED)
        found: dict[str, Any] = {"articles": size}
        if "local" in sides:
            found["local"] = _local(jsonl, work / "local.db")
        if "spark" in sides:
            found["spark_local2"] = _spark(jsonl, work, partitions)
        return found


if __name__ == "__main__":
    wanted = set(os.environ.get("NEWSTRACE_BENCH_SPARK_SIDES", "local,spark").split(","))
    parts = int(os.environ.get("NEWSTRACE_BENCH_SPARK_PARTITIONS", "8"))
    for size in os.environ.get("NEWSTRACE_BENCH_SPARK_N", "10000").split(","):
        print(json.dumps(measure(int(size), wanted, parts)), flush=True)
