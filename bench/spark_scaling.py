"""The Spark runner on local[2] against the local runner, on the same generated collection:
wall time per stage on both sides, and Spark's shuffle bytes per stage (from its event log).
Paraphrase detection is off on both sides (as bench.story_scaling measures the local runner).
Beside wall times, each side's CPU seconds (this process and every child it waited for:
alignment workers, the JVM, Spark's Python workers), which a shared, loaded machine inflates
far less than wall time, and from which the per-article cost for a cluster estimate follows.
Spark's CPU is also split by step of the job (`step_cpu_seconds`): the process tree's CPU,
sampled twice a second, between the first Spark job of one step and the first of the next
(from the event log's job start times and descriptions; "start-up" is the time before the
first job, the JVM's start and the driver's reading of the input list).

    NEWSTRACE_BENCH_SPARK_N=10000 python -m bench.spark_scaling

The local runner runs in this process through `Collection.analyze` (aligning on every core,
as `newstrace analyze` does), timed stage by stage through its stage callback; the Spark job
runs as `newstrace spark analyze --master local[2] --partitions N` in a subprocess
(`NEWSTRACE_BENCH_SPARK_PARTITIONS`, default 8), with a driver (in local mode, also the
executor) of `NEWSTRACE_BENCH_SPARK_MEMORY` (default 4g; Spark's own default is 1g).
`NEWSTRACE_BENCH_SPARK_SIDES=spark` skips the local runner. `NEWSTRACE_BENCH_SPARK_KEEP=DIR`
works in DIR/N and keeps it (the event log under DIR/N/events, for `bench.spark_profile`).
The collection is bench/pile.py's news pile; `NEWSTRACE_BENCH_SPARK_COLLECTION=synthetic`
runs bench/synthetic.py's unrelated articles, the collection of every figure before 2026-12-07
06:00 UTC. Its phrasebook puts one
sentence on a third of all articles (1,767 of 5,000 at seed 7; the pile's most shared sentence
is on 569), so sentence keys under the candidate caps (1% of the collection, at most 2,000
articles) carry far more unrelated articles than news does, and the candidate join's rows (the
sum over keys of their carriers squared) are 7 times the pile's at 5,000."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench import pile
from bench.sampling import Sampler
from newstrace.collection import Collection
from newstrace.progress import Progress

SEED = 7


def cpu_seconds() -> float:
    """CPU seconds of this process and of every child it has waited for (user + system)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class TreeCpu(Sampler):
    """CPU seconds of a process and all its descendants, sampled from /proc twice a second.

    Spark's JVM and its Python workers are not waited for by the process that starts them,
    so `getrusage` never sees them; the last sample of each process counts (a process that
    ends between two samples loses at most half a second)."""

    def __init__(self, root: int) -> None:
        super().__init__(0.5)
        self.root = root
        self.seen: dict[tuple[int, str], float] = {}
        self.timeline: list[tuple[float, float]] = []  # (epoch seconds, CPU seconds so far)
        self._tick = os.sysconf("SC_CLK_TCK")

    def seconds(self) -> float:
        return round(sum(self.seen.values()), 1)

    def sample(self) -> None:
        parents: dict[int, int] = {}
        stats: dict[int, list[str]] = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                text = (entry / "stat").read_text()
            except OSError:
                continue
            fields = text[text.rindex(")") + 2:].split()  # after "pid (command) "
            stats[int(entry.name)] = fields
            parents[int(entry.name)] = int(fields[1])
        family = {self.root}
        grew = True
        while grew:
            grew = False
            for pid, parent in parents.items():
                if parent in family and pid not in family:
                    family.add(pid)
                    grew = True
        for pid in family & stats.keys():
            fields = stats[pid]  # utime, stime are fields 14, 15 of stat; starttime 22
            self.seen[(pid, fields[19])] = (int(fields[11]) + int(fields[12])) / self._tick
        self.timeline.append((time.time(), sum(self.seen.values())))


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
    run_ms: dict[int, int] = defaultdict(int)
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
            run_ms[stage] += metrics["Executor Run Time"]
            written[stage] += metrics["Shuffle Write Metrics"]["Shuffle Bytes Written"]
            shuffled = metrics["Shuffle Read Metrics"]
            read[stage] += shuffled["Remote Bytes Read"] + shuffled["Local Bytes Read"]
    by_name: dict[str, int] = defaultdict(int)
    for stage, count in written.items():
        by_name[names.get(stage, str(stage))] += count
    top = sorted(by_name.items(), key=lambda item: -item[1])[:10]
    task_ms: dict[str, int] = defaultdict(int)
    for stage, count in run_ms.items():
        task_ms[names.get(stage, str(stage))] += count
    busiest = sorted(task_ms.items(), key=lambda item: -item[1])[:10]
    return {"stages_run": stages,
            "task_seconds": round(sum(run_ms.values()) / 1e3, 1),
            "busiest_task_seconds": {name: round(ms / 1e3, 1) for name, ms in busiest},
            "written_mb": round(sum(written.values()) / 1e6, 1),
            "read_mb": round(sum(read.values()) / 1e6, 1),
            "largest_writers_mb": {name: round(count / 1e6, 1) for name, count in top}}


def _local(jsonl: Path, db: Path) -> dict[str, Any]:
    seconds: dict[str, float] = {}
    cpu: dict[str, float] = {}

    @contextmanager
    def timed(stage: str, _total: int | None) -> Iterator[Progress]:
        began, used = time.perf_counter(), cpu_seconds()
        yield lambda _done: None
        seconds[stage] = round(time.perf_counter() - began, 1)
        cpu[stage] = round(cpu_seconds() - used, 1)

    began, used = time.perf_counter(), cpu_seconds()
    with Collection.open(db, paraphrase=False) as collection:
        analysis = collection.analyze([str(jsonl)], stages=timed)
        total = time.perf_counter() - began
        total_cpu = cpu_seconds() - used
        # A first run covers every story; `collection.stories()` would trace them all again.
        stories = len(analysis.stories)
    # Opening the store and the work between `analyze`'s stages.
    seconds["other"] = round(total - sum(seconds.values()), 1)
    cpu["other"] = round(total_cpu - sum(cpu.values()), 1)
    return {"seconds": round(total, 1), "cpu_seconds": round(total_cpu, 1),
            "stage_seconds": seconds, "stage_cpu_seconds": cpu,
            "articles": analysis.articles, "stories": stories}


def _spark(jsonl: Path, work: Path, partitions: int) -> dict[str, Any]:
    events = work / "events"
    events.mkdir()
    env = dict(os.environ, PYSPARK_SUBMIT_ARGS=(
        "--conf spark.eventLog.enabled=true --conf spark.eventLog.compress=false "
        f"--conf spark.eventLog.rolling.enabled=false --conf spark.eventLog.dir=file://{events} "
        f"--driver-memory {os.environ.get('NEWSTRACE_BENCH_SPARK_MEMORY', '4g')} pyspark-shell"))
    began = time.perf_counter()
    job = subprocess.Popen([sys.executable, "-m", "newstrace", "spark", "analyze", str(jsonl),
                            "--out", str(work / "out"), "--master", "local[2]",
                            "--partitions", str(partitions), "--no-paraphrase"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    with TreeCpu(job.pid) as tree:
        out, err = job.communicate()
    if job.returncode:
        raise SystemExit(f"the Spark job failed ({job.returncode}):\n{err[-3000:]}")
    from bench.spark_profile import sites, step_cpu

    steps = sites(events, by_step=True)
    return {"seconds": round(time.perf_counter() - began, 1),
            "cpu_seconds": tree.seconds(), "partitions": partitions,
            "job": json.loads(out), "shuffle": _shuffle(events),
            "step_cpu_seconds": step_cpu(events, tree.timeline),
            "step_task_seconds": {step: round(site.run_ms / 1e3, 1)
                                  for step, site in steps.items()},
            "step_shuffle_mb": {step: round(site.written / 1e6, 1)
                                for step, site in steps.items()}}


def measure(size: int, sides: set[str], partitions: int) -> dict[str, Any]:
    kept = os.environ.get("NEWSTRACE_BENCH_SPARK_KEEP")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(kept) / str(size) if kept else Path(folder)
        work.mkdir(parents=True, exist_ok=not kept)
        jsonl = pile.write_collection(
            os.environ.get("NEWSTRACE_BENCH_SPARK_COLLECTION", "pile"),
            work / f"articles-{size}.jsonl", size, SEED)
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
