"""`bench.spark_profile.step_cpu` splits a process tree's CPU timeline by step of a Spark job,
at the submission of each step's first job (read from an event log)."""

from __future__ import annotations

import json
from pathlib import Path

from bench.spark_profile import step_cpu


def _job(step: str | None, submitted_ms: int) -> dict[str, object]:
    properties = {"spark.job.description": step} if step else {}
    return {"Event": "SparkListenerJobStart", "Submission Time": submitted_ms,
            "Stage IDs": [], "Properties": properties}


def test_cpu_is_split_at_each_steps_first_job(tmp_path: Path) -> None:
    events = [_job("read", 100_000), _job("read", 104_000), _job("relate", 110_000),
              {"Event": "SparkListenerTaskEnd"}, _job("read", 115_000)]
    (tmp_path / "app-1").write_text("\n".join(json.dumps(e) for e in events) + "\n")
    timeline = [(99.0, 1.0), (105.0, 3.0), (111.0, 6.0), (120.0, 10.0)]
    found = step_cpu(tmp_path, timeline)
    # A later job of an earlier step ("read" at 115 s) does not move where steps begin.
    assert found == {"start-up": 1.0, "read": 2.0, "relate": 7.0}
    assert sum(found.values()) == timeline[-1][1]


def test_no_jobs_or_no_samples_give_nothing(tmp_path: Path) -> None:
    (tmp_path / "app-1").write_text(json.dumps(_job(None, 1_000)) + "\n")
    assert step_cpu(tmp_path, []) == {}
    assert step_cpu(tmp_path, [(0.5, 1.0), (2.0, 4.0)]) == {"start-up": 1.0, "(none)": 3.0}
