"""Where `analyze` spends its time at scale: one run of the local runner on a generated
collection, stage by stage, with the floor that bounds each stage measured in the same run.

    NEWSTRACE_BENCH_SCALE_N=10000 python -m bench.run scale      # 10,000 is the default
    NEWSTRACE_BENCH_SCALE_N=1000000 python -m bench.run scale    # the million (hours)

The collection is bench/pile.py's news pile (seed 11): stories of many sizes with planted
wire reprints, excerpts, spins, rewrites and independent reports, so the run also scores what
it found against what was planted (speed is never bought with recall).
`NEWSTRACE_BENCH_SCALE_COLLECTION=synthetic` runs bench/synthetic.py's unrelated articles
instead (the collection of the figures before 2026-12-07 05:00 UTC). The run is
`Collection.analyze` in this process (aligning on every core, as `newstrace analyze` does),
timed through its stage callback, with the relating stage's own clock for its steps (sketch,
candidates, reading, alignment, writing, reconcile). Paraphrase detection is off unless
`NEWSTRACE_BENCH_SCALE_PARAPHRASE=1` (embedding every sentence of 10,000 articles on the int8
MiniLM takes about half an hour here); `NEWSTRACE_BENCH_SCALE_ENCODER=static` or `cascade`
aligns on the static sentence model, or on it and MiniLM for the pairs it leaves undecided
(`newstrace analyze --encoder`). `NEWSTRACE_BENCH_SCALE_KEEP=folder` leaves the collection
and its store there, to look into afterwards.

Per stage: CPU seconds (this process, plus the alignment workers for align+relate), wall
seconds, articles or pairs a CPU-second, and the peak RSS of this process while the stage ran
(sampled four times a second). Floors, measured in the same run: SQLite's bulk insert rate
into a table shaped like the sketch-key index (one transaction, `executemany`), the rate of
reading the input (JSON parsing of the same lines) and, when the paraphrase extra is
installed, the sentence model's sentences a second.
"""

from __future__ import annotations

import json
import os
import resource
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import pile
from bench.sampling import Sampler
from bench.spark_scaling import cpu_seconds
from newstrace.collection import Collection, ReuseConfig
from newstrace.progress import Progress
from newstrace.stages.reuse.cascade import ENCODERS, Encoder
from newstrace.units import MB

SEED = 11


def _rss() -> int:
    """This process's resident set, bytes."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class PeakRss(Sampler):
    """The largest resident set since the last `reset`, sampled on a thread."""

    def __init__(self, interval: float = 0.25) -> None:
        super().__init__(interval)
        self.peak = _rss()

    def reset(self) -> int:
        """The peak so far (read once more now); the next peak starts from the current RSS."""
        peak, self.peak = max(self.peak, _rss()), _rss()
        return peak

    def sample(self) -> None:
        self.peak = max(self.peak, _rss())


@dataclass(slots=True)
class Stage:
    cpu: float
    wall: float
    peak_mb: float


@dataclass(slots=True)
class Run:
    articles: int
    stages: dict[str, Stage] = field(default_factory=dict)
    relate_steps: dict[str, float] = field(default_factory=dict)  # parent CPU by step
    pairs: int = 0
    stories: int = 0
    cpu: float = 0.0
    wall: float = 0.0
    peak_mb: float = 0.0
    sent_to_minilm: int = 0  # the cascade's undecided pairs...
    minilm_articles: int = 0  # ...and the articles MiniLM was run on for them


def analyze_by_stage(jsonl: Path, db: Path, *, paraphrase: bool = False,
                     encoder: Encoder = "minilm") -> Run:
    """`Collection.analyze` on `jsonl` into a new store `db`, clocked stage by stage."""
    found = Run(articles=0)

    with PeakRss() as rss:
        @contextmanager
        def timed(stage: str, _total: int | None) -> Iterator[Progress]:
            rss.reset()
            began, used = time.perf_counter(), cpu_seconds()
            yield lambda _done: None
            found.stages[stage] = Stage(cpu_seconds() - used, time.perf_counter() - began,
                                        rss.reset() / MB)

        with Collection.open(db, paraphrase=paraphrase,
                             reuse=ReuseConfig(encoder=encoder)) as collection:
            began, used = time.perf_counter(), cpu_seconds()
            analysis = collection.analyze([str(jsonl)], stages=timed)
            found.wall, found.cpu = time.perf_counter() - began, cpu_seconds() - used
    found.stories = len(analysis.stories)  # a first run traces every story
    found.peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / MB  # KiB
    related = analysis.added.relate
    found.articles, found.pairs = analysis.articles, related.pairs
    found.relate_steps = dict(related.cpu_seconds)
    found.sent_to_minilm = related.sent_to_minilm
    found.minilm_articles = related.minilm_articles
    return found


# -- floors --------------------------------------------------------------------------------------


def sqlite_insert_rate(rows: int = 300_000) -> float:
    """Rows a second that SQLite takes in one transaction into a (key, article, kind) table
    with the sketch-key index's primary key, the keys in random order as sketches give them."""
    with tempfile.TemporaryDirectory() as folder:
        db = sqlite3.connect(Path(folder) / "floor.db")
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE keys (key INTEGER NOT NULL, article_id TEXT NOT NULL, "
                   "kind INTEGER NOT NULL, PRIMARY KEY (key, article_id)) WITHOUT ROWID")
        values = [((i * 0x9E3779B97F4A7C15) & (2**62 - 1), f"article-{i // 80:08d}", i % 4)
                  for i in range(rows)]
        began = time.process_time()
        with db:
            db.executemany("INSERT INTO keys VALUES (?, ?, ?)", values)
        seconds = time.process_time() - began
        db.close()
    return rows / seconds


def json_read_rate(jsonl: Path) -> float:
    """Lines a second of reading and parsing the input, the least ingest can do."""
    began = time.process_time()
    with jsonl.open(encoding="utf-8") as lines:
        count = sum(1 for line in lines if json.loads(line))
    return count / max(time.process_time() - began, 1e-9)


def _sample_sentences(jsonl: Path, count: int) -> list[str]:
    """The first `count` sentences of the collection, as the encoder is given them."""
    from newstrace.stages.clean.sentences import SentenceSplitter
    from newstrace.stages.reuse.embed import encoder_input

    splitter = SentenceSplitter()
    texts: list[str] = []
    with jsonl.open(encoding="utf-8") as lines:
        for line in lines:
            text = json.loads(line)["text"]
            texts += [encoder_input(text[s.start : s.end]) for s in splitter.split(text)]
            if len(texts) >= count:
                break
    return texts[:count]


def encoder_rates(jsonl: Path, encoder: Encoder, sentences: int = 1_000) -> dict[str, float]:
    """Sentences a CPU-second of each sentence model the run uses, by name: the static model
    under `static`, it and MiniLM under `cascade`, MiniLM under `minilm` (left out without
    the paraphrase extra)."""
    from newstrace.stages.reuse.embed import SentenceEncoder, load_encoder
    from newstrace.stages.reuse.static_embed import load_static_encoder

    models: dict[str, SentenceEncoder | None] = {}
    if encoder in ("static", "cascade"):
        models["static"] = load_static_encoder()
    if encoder in ("minilm", "cascade"):
        models["MiniLM"] = load_encoder()
    texts = _sample_sentences(jsonl, sentences)
    rates = {}
    for name, model in models.items():
        if model is None:
            continue
        model.encode(texts[:32])  # the first call loads the session
        began = time.process_time()
        model.encode(texts)
        rates[name] = len(texts) / max(time.process_time() - began, 1e-9)
    return rates


# -- the table -----------------------------------------------------------------------------------


def _rate(count: float, seconds: float, unit: str) -> str:
    return f"{count / seconds:,.0f} {unit}/s" if seconds > 0 else "-"


def stage_rows(run: Run, floors: dict[str, Any]) -> list[str]:
    stages, steps, n = run.stages, run.relate_steps, run.articles
    relating = stages["relating"]
    workers = relating.cpu - sum(steps.values())  # alignment on worker processes
    rows = ["| stage | CPU s | wall s | rate (a CPU-second) | peak RSS MB | floor, same run |",
            "|---|---|---|---|---|---|"]

    def row(name: str, cpu: float, wall: str, rate: str, peak: str, floor: str = "") -> None:
        rows.append(f"| {name} | {cpu:,.1f} | {wall} | {rate} | {peak} | {floor} |")

    ingest = stages["ingesting"]
    row("ingest (read, clean, store)", ingest.cpu, f"{ingest.wall:,.1f}",
        _rate(n, ingest.cpu, "articles"), f"{ingest.peak_mb:,.0f}",
        f"reading the JSON alone: {floors['json']:,.0f} articles/s")
    peak = f"{relating.peak_mb:,.0f} (relating)"
    row("sketch (+ key index writes)", steps.get("sketch", 0.0), "", _rate(
        n, steps.get("sketch", 0.0), "articles"), peak,
        f"SQLite bulk insert: {floors['sqlite']:,.0f} rows/s")
    row("candidates", steps.get("candidates", 0.0), "", _rate(
        n, steps.get("candidates", 0.0), "articles"), peak)
    embed: dict[str, float] = floors.get("encoder") or {}
    row("read pairs' articles (+ embed)", steps.get("read+embed", 0.0), "", _rate(
        n, steps.get("read+embed", 0.0), "articles"), peak,
        ", ".join(f"sentence model ({name}): {rate:,.0f} sentences/s"
                  for name, rate in embed.items()) or "paraphrase off")
    align = steps.get("align", 0.0) + max(workers, 0.0)
    row("align + relate (all processes)", align, "", _rate(run.pairs, align, "pairs"), peak)
    row("write relations", steps.get("write", 0.0), "", _rate(
        run.pairs, steps.get("write", 0.0), "pairs"), peak)
    row("reconcile", steps.get("reconcile", 0.0), "", "", peak)
    row("relating, all of it", relating.cpu, f"{relating.wall:,.1f}",
        _rate(n, relating.cpu, "articles"), f"{relating.peak_mb:,.0f}")
    for name, stage in stages.items():
        if name not in ("ingesting", "relating"):
            row(name, stage.cpu, f"{stage.wall:,.1f}", _rate(n, stage.cpu, "articles"),
                f"{stage.peak_mb:,.0f}")
    rows.append(f"| **end to end** | **{run.cpu:,.1f}** | **{run.wall:,.1f}** | "
                f"**{_rate(n, run.cpu, 'articles')}** (wall: {_rate(n, run.wall, 'articles')}) "
                f"| **{run.peak_mb:,.0f}** | |")
    return rows


def measure(size: int, paraphrase: bool, collection: str = "pile",
            encoder: Encoder = "minilm", keep: str | None = None
            ) -> tuple[Run, dict[str, Any], pile.Quality | None]:
    """One run; `keep` names a folder to leave the collection and its store in."""
    with _folder(keep) as folder:
        jsonl = pile.write_collection(collection, Path(folder) / f"articles-{size}.jsonl",
                                      size, SEED)
        floors: dict[str, Any] = {"json": json_read_rate(jsonl), "sqlite": sqlite_insert_rate(),
                                  "encoder": encoder_rates(jsonl, encoder) if paraphrase else None}
        db = Path(folder) / "scale.db"
        run = analyze_by_stage(jsonl, db, paraphrase=paraphrase, encoder=encoder)
        quality = pile.score(db, jsonl) if collection == "pile" else None
    return run, floors, quality


@contextmanager
def _folder(keep: str | None) -> Iterator[str]:
    if keep is None:
        with tempfile.TemporaryDirectory() as folder:
            yield folder
    else:
        Path(keep).mkdir(parents=True, exist_ok=True)
        if (Path(keep) / "scale.db").exists():
            raise SystemExit(f"{keep} already holds a store (scale.db): name an empty folder")
        yield keep


def run() -> list[str]:
    size = int(os.environ.get("NEWSTRACE_BENCH_SCALE_N", "10000"))
    paraphrase = os.environ.get("NEWSTRACE_BENCH_SCALE_PARAPHRASE", "0") == "1"
    collection = os.environ.get("NEWSTRACE_BENCH_SCALE_COLLECTION", "pile")
    encoder = os.environ.get("NEWSTRACE_BENCH_SCALE_ENCODER", "minilm")
    if encoder not in ENCODERS:
        raise SystemExit(f"NEWSTRACE_BENCH_SCALE_ENCODER: one of {', '.join(ENCODERS)}")
    found, floors, quality = measure(size, paraphrase, collection, encoder,
                                     os.environ.get("NEWSTRACE_BENCH_SCALE_KEEP"))
    sent = (f" ({found.sent_to_minilm:,} pairs sent to MiniLM, needing "
            f"{found.minilm_articles:,} articles' vectors)" if paraphrase
            and encoder == "cascade" else "")
    lines = [f"{found.articles:,} articles ({collection}), {found.pairs:,} candidate pairs "
             f"aligned, {found.stories:,} stories; paraphrase detection "
             f"{'on, encoder ' + encoder + sent if paraphrase else 'off'}.", "",
             *stage_rows(found, floors), "",
             "Sketch, candidates, reading, writing and reconcile are the relating stage's "
             "own clock (this process's CPU); align + relate adds the worker processes' CPU. "
             "Peak RSS is this process's while the stage ran (workers not included)."]
    if quality is not None:
        lines += ["", "Quality in the same run (the pile's planted copies):", "",
                  *pile.quality_rows(quality)]
    return lines


if __name__ == "__main__":
    print("\n".join(run()))
