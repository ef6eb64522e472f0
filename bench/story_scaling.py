"""Scaling of the main job: `newstrace analyze` on 10,000 and 100,000 synthetic articles, and
adding 1,000 more to the 100,000-article collection (incremental) against analysing it all.

Each run is `newstrace -q analyze FILE --db DB --no-paraphrase` in a subprocess, timed, with
its own peak RSS (wait4). Paraphrase detection is off: embedding every sentence of 100,000
articles takes hours on two cores (about 180 sentences/s, docs/benchmarks.md), so these
figures are for the lexical pipeline (ingest, sketch, candidates, verbatim alignment, stories).
Sizes: `NEWSTRACE_BENCH_ANALYZE` (comma-separated, default 10000,100000) and
`NEWSTRACE_BENCH_ADD` (default 1000). `NEWSTRACE_BENCH_KEEP=DIR` writes the inputs and stores
into DIR and keeps them (for reading stage times from the store afterwards); by default they go
to a temporary folder. `NEWSTRACE_BENCH_WORKERS` passes `--workers` (default: every core).

Then `check` latency against the collection analyze built: 21 copies (exact, excerpt, edited,
seven each) of random stored articles, not stored themselves, each checked by a new
`Relater` as the `newstrace check` command makes one. `python -m bench.story_scaling --check
DB` measures only that, on an existing store.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench import synthetic
from bench.reuse_speed import Planted, check_queries, planted_copy
from bench.throughput import MB, ProcessRun, _newstrace_command, _note, measure_process
from newstrace.runners.local.store.db import Store
from newstrace.runners.local.store.stories import StoryTables
from newstrace.stages.clean.sentences import SentenceSplitter

SEED, ADD_SEED, CHECK_SEED = 11, 12, 13
CHECK_KINDS = ("exact", "excerpt", "edited")


def _analyze(jsonl: Path, db: Path) -> ProcessRun:
    workers = os.environ.get("NEWSTRACE_BENCH_WORKERS")
    return measure_process([*_newstrace_command(), "-q", "analyze", str(jsonl), "--db", str(db),
                            "--no-paraphrase", *(["--workers", workers] if workers else [])])


def _counts(db: Path) -> tuple[int, int]:
    with Store(db, readonly=True) as store:
        return store.count(), len(StoryTables(store).stories())


def _row(label: str, run: ProcessRun, db: Path) -> str:
    articles, stories = _counts(db)
    return (f"| {label} | {articles:,} | {stories:,} | {run.seconds:,.0f} | "
            f"{articles / run.seconds:,.0f} | {run.peak_bytes / MB:,.0f} |")


@contextmanager
def _workspace() -> Iterator[Path]:
    kept = os.environ.get("NEWSTRACE_BENCH_KEEP")
    if kept:
        folder = Path(kept)
        folder.mkdir(parents=True, exist_ok=True)
        yield folder
        return
    with tempfile.TemporaryDirectory() as tmp:
        yield Path(tmp)


def run() -> list[str]:
    sizes = [int(n) for n in os.environ.get("NEWSTRACE_BENCH_ANALYZE", "10000,100000").split(",")]
    extra = int(os.environ.get("NEWSTRACE_BENCH_ADD", "1000"))
    rows = ["| run | articles in the collection | stories | wall seconds | articles/s | "
            "peak RSS MB |", "|---|---|---|---|---|---|"]
    notes = []
    with _workspace() as folder:
        full: ProcessRun | None = None
        db = folder / "none.db"
        for size in sizes:
            jsonl = synthetic.write_jsonl(folder / f"articles-{size}.jsonl", size, SEED)
            db = folder / f"analyze-{size}.db"
            for old in folder.glob(db.name + "*"):  # a kept folder's earlier run
                old.unlink()
            _note(f"analyze {size:,} articles (slow)")
            full = _analyze(jsonl, db)
            rows.append(_row(f"`analyze`, {size:,} new articles", full, db))
        if full is not None and extra:
            more = synthetic.write_jsonl(folder / f"more-{extra}.jsonl", extra, ADD_SEED)
            _note(f"analyze {extra:,} more into the {sizes[-1]:,}-article collection")
            added = _analyze(more, db)
            rows.append(_row(f"`analyze`, {extra:,} more into it (incremental)", added, db))
            notes.append(f"Adding {extra:,} articles took {added.seconds / full.seconds:.1%} of "
                         f"the time of analysing {sizes[-1]:,} from scratch "
                         f"({added.seconds:,.0f} s against {full.seconds:,.0f} s).")
        notes += check_latency(db)
    return [*rows, "", *notes]


def check_latency(db: Path, per_kind: int = 7) -> list[str]:
    """`check` against a stored collection: copies of random stored articles as queries."""
    rng = random.Random(CHECK_SEED)
    splitter = SentenceSplitter()
    with Store(db) as store:
        ids = [row[0] for row in store.connection.execute("SELECT id FROM articles ORDER BY id")]
        sources = store.articles_by_id(rng.sample(ids, min(len(ids), per_kind * len(CHECK_KINDS))))
        queries = []
        for number, source in enumerate(sources.values()):
            kind = CHECK_KINDS[number % len(CHECK_KINDS)]
            query = planted_copy(rng, splitter, f"check-{number}", source, kind)
            queries.append((query, Planted(query.id, source.id, kind)))
        _note(f"check {len(queries)} queries against {len(ids):,} stored articles")
        found = check_queries(store, queries)
    return [f"`check` against the {len(ids):,}-article collection: median "
            f"{found['check_median']:.2f} s, max {found['check_max']:.2f} s, first "
            f"{found['check_first']:.2f} s over {found['checks']} queries (a new `Relater` "
            f"each, paraphrase off); {found['check_found']:.0f} of {found['checks']} found "
            "their source as derived."]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", type=Path, help="only measure check latency on this store")
    arguments = parser.parse_args()
    print("\n".join(check_latency(arguments.check) if arguments.check else run()))
