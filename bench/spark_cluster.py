"""A real standalone Spark cluster on this machine: a master and two workers on loopback
(started with pyspark's own `spark-class`), the job submitted to it by `spark-submit` through
the module's entry point, its tables compared with a local[2] run's, the cluster stopped.

    make spark-cluster-test            (the example collection)
    python -m bench.spark_cluster [INPUT...]
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyspark

import newstrace.spark as entry
from newstrace.runners.spark.job import SparkJobConfig, run

SPARK_HOME = Path(pyspark.__file__).parent
EXAMPLES = Path(__file__).parent.parent / "examples" / "articles"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait(log: Path, text: str, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if log.exists() and text in log.read_text(errors="replace"):
            return
        time.sleep(1)
    raise RuntimeError(f"{log} never said {text!r}:\n{log.read_text(errors='replace')[-2000:]}")


@contextmanager
def cluster(work: Path, workers: int = 2) -> Iterator[str]:
    """A master and `workers` one-core workers on 127.0.0.1; yields the master URL."""
    env = dict(os.environ, SPARK_HOME=str(SPARK_HOME), SPARK_LOCAL_IP="127.0.0.1",
               PYSPARK_PYTHON=sys.executable)
    spark_class = str(SPARK_HOME / "bin" / "spark-class")
    port = _free_port()
    url = f"spark://127.0.0.1:{port}"
    started: list[subprocess.Popen[bytes]] = []
    try:
        master_log = work / "master.log"
        started.append(subprocess.Popen(
            [spark_class, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
             "--port", str(port), "--webui-port", str(_free_port())],
            stdout=master_log.open("wb"), stderr=subprocess.STDOUT, env=env))
        _wait(master_log, "I have been elected leader")
        for number in range(workers):
            log = work / f"worker{number}.log"
            started.append(subprocess.Popen(
                [spark_class, "org.apache.spark.deploy.worker.Worker", url, "--host",
                 "127.0.0.1", "--cores", "1", "--memory", "1g", "--webui-port",
                 str(_free_port()), "--work-dir", str(work / f"worker{number}")],
                stdout=log.open("wb"), stderr=subprocess.STDOUT, env=env))
            _wait(log, "Successfully registered with master")
        yield url
    finally:
        for process in reversed(started):
            process.terminate()
        for process in started:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()


def _tables(out: str) -> dict[str, list[str]]:
    import pyarrow.parquet as pq

    found = {}
    for name in ("articles", "sentences", "relations", "stories", "edges", "claims",
                 "discrepancies", "rejects"):
        rows = pq.read_table(f"{out}/{name}").to_pylist()
        found[name] = sorted(json.dumps(row, sort_keys=True, default=str) for row in rows)
    return found


def main(paths: list[str]) -> int:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        started = time.perf_counter()
        with cluster(work) as url:
            up = time.perf_counter() - started
            submit = [str(SPARK_HOME / "bin" / "spark-submit"), "--master", url,
                      "--conf", "spark.ui.enabled=false", entry.__file__, "analyze", *paths,
                      "--out", str(work / "cluster"), "--partitions", "4", "--no-paraphrase"]
            env = dict(os.environ, PYSPARK_PYTHON=sys.executable, SPARK_HOME=str(SPARK_HOME))
            began = time.perf_counter()
            result = subprocess.run(submit, env=env, capture_output=True, text=True)
            job = time.perf_counter() - began
            if result.returncode != 0:
                # Spark's INFO lines bury the driver's error: show the rest.
                shown = [line for line in result.stderr.splitlines() if " INFO " not in line]
                print(result.stdout[-4000:], "\n".join(shown[-80:]), sep="\n", file=sys.stderr)
                return 1
        began = time.perf_counter()
        run(paths, str(work / "local"), master="local[2]", partitions=4,
            config=SparkJobConfig(paraphrase=False))
        local = time.perf_counter() - began
        same = _tables(str(work / "cluster")) == _tables(str(work / "local"))
        print(json.dumps({"master": "standalone, 2 workers x 1 core, loopback",
                          "cluster_start_seconds": round(up, 1),
                          "cluster_job_seconds": round(job, 1),
                          "local2_job_seconds": round(local, 1),
                          "tables_equal": same, "summary": result.stdout.strip()}))
        return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or [str(EXAMPLES)]))
