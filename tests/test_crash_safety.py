"""kill -9 during a large ingest, then the same command again: every article exactly once,
no half-written rows."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from pages import jsonl, story, write

RECORDS = 3000


def _records() -> list[dict[str, object]]:
    return [{"id": f"r{i}", "url": f"https://wire.example/{i}",
             "text": "\n\n".join(story(i)) + f"\n\nRead the full article here: "
                                              f"https://agency.example/{i}"}
            for i in range(RECORDS)]


def _count(db: Path) -> int:
    try:
        connection = sqlite3.connect(db, timeout=30)
        try:
            return int(connection.execute("SELECT count(*) FROM articles").fetchone()[0])
        finally:
            connection.close()
    except sqlite3.DatabaseError:
        return 0


def _ingest_command(source: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "newstrace", "-q", "ingest", str(source), "--db", str(db),
            "--batch-size", "25"]


def test_kill_during_ingest_then_rerun(tmp_path: Path) -> None:
    source = write(tmp_path / "big.jsonl", jsonl(_records()))
    db = tmp_path / "store.db"
    process = subprocess.Popen(_ingest_command(source, db), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while _count(db) < 100 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    assert process.poll() is None, "ingest finished before it could be killed; raise RECORDS"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    partial = _count(db)
    assert 0 < partial < RECORDS

    rerun = subprocess.run(_ingest_command(source, db), capture_output=True, text=True,
                           timeout=600, check=False)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{RECORDS - partial} ingested" in rerun.stderr
    assert f"{partial} unchanged" in rerun.stderr

    connection = sqlite3.connect(db)
    assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    ids = [row[0] for row in connection.execute("SELECT source_id FROM articles")]
    assert sorted(ids) == sorted(f"r{i}" for i in range(RECORDS))
    # Whole articles only: every one has its sentences and its attribution cue.
    empty = connection.execute("SELECT count(*) FROM articles WHERE sentences = '[]'")
    assert empty.fetchone()[0] == 0
    cues = connection.execute("SELECT count(DISTINCT article_id) FROM cues WHERE kind = "
                              "'attribution'").fetchone()[0]
    assert cues == RECORDS
    runs = connection.execute("SELECT counts FROM ingest_runs WHERE finished_at IS NOT NULL")
    assert [json.loads(row[0])["ingested"] for row in runs] == [RECORDS - partial]
    connection.close()
