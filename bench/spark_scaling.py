"""The Spark runner on local[2] against the local runner, on synthetic collections: wall time
per stage and shuffle bytes per stage (from Spark's event log), paraphrase off on both sides
(as bench.story_scaling measures the local runner).

    NEWSTRACE_BENCH_SPARK_N=10000 python -m bench.spark_scaling
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from bench import synthetic

SEED = 7


def _shuffle(event_dir: Path) -> dict[str, Any]:
    """Shuffle bytes written and read, in all and by stage name, from the event log."""
    names: dict[int, str] = {}
    written: dict[int, int] = defaultdict(int)
    read: dict[int, int] = defaultdict(int)
    for log in event_dir.iterdir():
        for line in log.open():
            event = json.loads(line)
            kind = event.get("Event")
            if kind == "SparkListenerStageCompleted":
                info = event["Stage Info"]
                names[info["Stage ID"]] = info["Stage Name"].split(" at ")[0]
            elif kind == "SparkListenerTaskEnd" and event.get("Task Metrics"):
                metrics = event["Task Metrics"]
                stage = event["Stage ID"]
                written[stage] += metrics["Shuffle Write Metrics"]["Shuffle Bytes Written"]
                shuffled = metrics["Shuffle Read Metrics"]
                read[stage] += (shuffled["Remote Bytes Read"] + shuffled["Local Bytes Read"])
    by_name: dict[str, int] = defaultdict(int)
    for stage, count in written.items():
        by_name[names.get(stage, str(stage))] += count
    top = sorted(by_name.items(), key=lambda item: -item[1])[:8]
    return {"written_mb": round(sum(written.values()) / 1e6, 1),
            "read_mb": round(sum(read.values()) / 1e6, 1),
            "largest_writers_mb": {name: round(count / 1e6, 1) for name, count in top}}


def measure(size: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        jsonl = synthetic.write_jsonl(work / f"articles-{size}.jsonl", size, SEED)
        newstrace = [sys.executable, "-m", "newstrace"]
        began = time.perf_counter()
        subprocess.run([*newstrace, "-q", "analyze", str(jsonl), "--db", str(work / "l.db"),
                        "--no-paraphrase"], check=True, capture_output=True)
        local = time.perf_counter() - began
        events = work / "events"
        events.mkdir()
        env = dict(os.environ, PYSPARK_SUBMIT_ARGS=(
            f"--conf spark.eventLog.enabled=true --conf spark.eventLog.dir=file://{events} "
            "pyspark-shell"))
        began = time.perf_counter()
        done = subprocess.run([*newstrace, "spark", "analyze", str(jsonl), "--out",
                               str(work / "out"), "--master", "local[2]", "--partitions", "8",
                               "--no-paraphrase"], check=True, capture_output=True, env=env,
                              text=True)
        spark = time.perf_counter() - began
        return {"articles": size, "local_seconds": round(local, 1),
                "spark_local2_seconds": round(spark, 1),
                "spark": json.loads(done.stdout), "shuffle": _shuffle(events)}


if __name__ == "__main__":
    for size in os.environ.get("NEWSTRACE_BENCH_SPARK_N", "10000").split(","):
        print(json.dumps(measure(int(size))), flush=True)
