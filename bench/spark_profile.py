"""Where a Spark run's task time goes, from its event log: per step of the job (the job
description `newstrace.runners.spark.job` gives each step's Spark jobs) and per call site (the
code line that made each stage; Spark names a stage by its last operation, so a stage also
holds the narrow work before it, e.g. relating every pair ran under a `components.py` line
while `related` was first computed there), the stages run, their tasks, task-seconds and
shuffle written, busiest first.

    python -m bench.spark_profile EVENT_DIR [TOP]

The event log is the one `bench.spark_scaling` asks Spark to write (uncompressed, not rolled);
a run stopped before its end still gives the stages that completed."""

from __future__ import annotations

import bisect
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.spark_scaling import _events


@dataclass(slots=True)
class Site:
    stages: int = 0
    tasks: int = 0
    run_ms: int = 0
    written: int = 0


def sites(event_dir: Path, by_step: bool = False) -> dict[str, Site]:
    """Each call site's (or, `by_step`, each job step's) totals over the stages that
    completed."""
    names: dict[int, str] = {}
    steps: dict[int, str] = {}
    by_stage: dict[int, Site] = defaultdict(Site)
    for event in _events(event_dir):
        kind = event.get("Event")
        if kind == "SparkListenerJobStart":
            step = (event.get("Properties") or {}).get("spark.job.description") or "(none)"
            for stage in event.get("Stage IDs", []):
                steps.setdefault(stage, step)
        elif kind == "SparkListenerStageCompleted":
            info = event["Stage Info"]
            names[info["Stage ID"]] = info["Stage Name"].split("/")[-1]
        elif kind == "SparkListenerTaskEnd" and event.get("Task Metrics"):
            metrics = event["Task Metrics"]
            site = by_stage[event["Stage ID"]]
            site.tasks += 1
            site.run_ms += metrics["Executor Run Time"]
            site.written += metrics["Shuffle Write Metrics"]["Shuffle Bytes Written"]
    found: dict[str, Site] = defaultdict(Site)
    for stage, site in by_stage.items():
        name = names.get(stage, f"stage {stage} (not completed)")
        total = found[steps.get(stage, "(none)") if by_step else name]
        total.stages += 1
        total.tasks += site.tasks
        total.run_ms += site.run_ms
        total.written += site.written
    return found


def step_cpu(event_dir: Path, timeline: Sequence[tuple[float, float]]) -> dict[str, float]:
    """CPU seconds by step of the job: `timeline` is (epoch seconds, CPU seconds so far) of the
    job's process tree (`bench.spark_scaling.TreeCpu`); a step runs from the submission of its
    first Spark job to that of the next step's first (the driver runs steps one after
    another), the last to the timeline's end; "start-up" is what came before the first."""
    starts: dict[str, float] = {}
    for event in _events(event_dir):
        if event.get("Event") == "SparkListenerJobStart":
            step = (event.get("Properties") or {}).get("spark.job.description") or "(none)"
            starts.setdefault(step, event["Submission Time"] / 1e3)
    if not timeline or not starts:
        return {}
    times = [moment for moment, _ in timeline]

    def used(moment: float) -> float:
        before = bisect.bisect_right(times, moment) - 1
        return timeline[before][1] if before >= 0 else 0.0

    ordered = sorted(starts.items(), key=lambda item: item[1])
    bounds = [start for _, start in ordered] + [times[-1]]
    found = {"start-up": used(bounds[0])}
    for (step, begun), ended in zip(ordered, bounds[1:], strict=True):
        found[step] = used(ended) - used(begun)
    return {step: round(cpu, 1) for step, cpu in found.items()}


def table(found: dict[str, Site], top: int) -> str:
    rows = sorted(found.items(), key=lambda item: -item[1].run_ms)
    lines = [f"{'step or call site':60} {'stages':>6} {'tasks':>6} {'task-s':>8} "
             f"{'shuffle MB':>10}"]
    for name, site in rows[:top]:
        lines.append(f"{name[:60]:60} {site.stages:6d} {site.tasks:6d} "
                     f"{site.run_ms / 1e3:8.1f} {site.written / 1e6:10.1f}")
    every = sum(s.run_ms for s in found.values()) / 1e3
    lines.append(f"{'all':60} {sum(s.stages for s in found.values()):6d} "
                 f"{sum(s.tasks for s in found.values()):6d} {every:8.1f}")
    return "\n".join(lines)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit("usage: python -m bench.spark_profile EVENT_DIR [TOP]")
    folder, top = Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 25
    print(table(sites(folder, by_step=True), top))
    print()
    print(table(sites(folder), top))
