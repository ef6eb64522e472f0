"""Report and web app speed: generating the report of a 50-article story and the index of a
10,000-article collection, page weights, and API latency (p50/p95) for story, trace and check
on a uvicorn server on loopback.

The 50-article story is built here: an agency text (the example corpus's original, which the
project wrote) and 49 derivatives of it (word-for-word copies, excerpts, and rewrites that drop,
reorder and add sentences), 2,450 words of furniture-free text each at most, with credits on a
third. The 10,000-article collection is bench/synthetic.py's, analysed with
`newstrace analyze --no-paraphrase` (about ten minutes on two loaded cores; set
NEWSTRACE_BENCH_INDEX=0 to skip it, or another size). Latency: NEWSTRACE_BENCH_REQUESTS per
endpoint (default 200), four clients at once.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bench import synthetic
from bench.throughput import _newstrace_command, measure_process
from newstrace import Collection
from newstrace.report import ReportSource, write_report
from newstrace.report.links import Links
from newstrace.report.model import display_name, index_page
from newstrace.report.render import Renderer

ROOT = Path(__file__).resolve().parents[1]
KB = 1024


def _note(message: str) -> None:
    print(f"[web] {message}", file=sys.stderr, flush=True)


def story_records(size: int = 50, seed: int = 5) -> list[dict[str, str]]:
    """One agency text and `size - 1` derivatives of it, as JSON lines records."""
    labels = json.loads((ROOT / "examples" / "labels.json").read_text(encoding="utf-8"))
    original = next(a for a in labels["articles"] if a["key"] == "alpinepress-original")
    paragraphs = original["body"].split("\n\n")
    rng = random.Random(seed)
    start = datetime(2026, 3, 14, 10, 20)
    records = [{"id": "agency", "url": original["url"], "title": original["title"],
                "outlet": "Alpine Press Agency", "published": start.isoformat() + "Z",
                "text": original["body"]}]
    extras = ["Residents said they had feared such a slide for years.",
              "The operator declined to say when the last inspection took place.",
              "Tourism officials expect bookings to drop over the coming weeks.",
              "Several hotels in the valley offered stranded travellers free rooms."]
    for index in range(1, size):
        kind = ("duplicate", "excerpt", "rewrite")[index % 3]
        body = list(paragraphs)
        if kind == "excerpt":
            body = body[: rng.randint(2, 4)]
        elif kind == "rewrite":
            body.pop(rng.randrange(1, len(body)))
            i, j = rng.sample(range(1, len(body)), 2)
            body[i], body[j] = body[j], body[i]
            body.insert(rng.randrange(1, len(body)), rng.choice(extras))
        if index % 3 == 0:
            body.append("This article first appeared on Alpine Press Agency.")
        when = start + timedelta(minutes=7 * index + rng.randint(0, 5))
        records.append({"id": f"copy-{index}", "url": f"https://outlet{index}.example/news/"
                        f"landslide-{index}", "title": f"{original['title']} ({kind} {index})",
                        "outlet": f"Outlet {index}", "published": when.isoformat() + "Z",
                        "text": "\n\n".join(body)})
    return records


def _build_story(folder: Path) -> Path:
    jsonl = folder / "story.jsonl"
    jsonl.write_text("\n".join(json.dumps(r) for r in story_records()) + "\n", encoding="utf-8")
    db = folder / "story.db"
    with Collection(db) as collection:
        collection.add([str(jsonl)])
    return db


def _weights(folder: Path) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for page in folder.glob("*.html"):
        kind = page.name.split("-", 1)[0].removesuffix(".html")
        found.setdefault(kind, []).append(page.stat().st_size)
    return found


def _story_rows(db: Path, folder: Path) -> list[str]:
    with Collection(db, paraphrase=False) as collection:
        story = collection.stories()[0]
        started = time.perf_counter()
        summary = write_report(ReportSource(collection), folder / "story-report",
                               [story.id])
        seconds = time.perf_counter() - started
    weights = _weights(folder / "story-report")
    rows = [f"Report of one story of {story.size} articles ({summary.pages} pages, "
            f"{summary.bytes / KB / KB:.1f} MB): **{seconds:.1f} s** (`write_report`, facts "
            "included).", "",
            "| page | count | median KB | largest KB |", "|---|---|---|---|"]
    for kind in ("index", "story", "edge", "article"):
        sizes = weights.get(kind, [])
        if sizes:
            rows.append(f"| {kind} | {len(sizes)} | {statistics.median(sizes) / KB:.0f} | "
                        f"{max(sizes) / KB:.0f} |")
    return rows


def _index_rows(folder: Path, size: int) -> list[str]:
    jsonl = synthetic.write_jsonl(folder / f"articles-{size}.jsonl", size, 11)
    db = folder / f"index-{size}.db"
    _note(f"analyze {size:,} synthetic articles (slow)")
    run = measure_process([*_newstrace_command(), "-q", "analyze", str(jsonl), "--db", str(db),
                           "--no-paraphrase"])
    with Collection(db, paraphrase=False) as collection:
        started = time.perf_counter()
        source = ReportSource(collection)
        traced = source.traced_stories()
        traced_at = time.perf_counter()
        ids = [a for story, _ in traced for a in story.articles]
        names = {a: display_name(article) for a, article in source.articles(ids).items()}
        links = Links(static=True)
        page = index_page(traced, names, source.conflict_counts(s for s, _ in traced), links)
        html = Renderer(links).page("index.html", page=page)
        done = time.perf_counter()
    return [f"Index of a {size:,}-article collection ({len(traced):,} stories; analysed in "
            f"{run.seconds:,.0f} s): **{done - started:.1f} s**, of which tracing every story "
            f"{traced_at - started:.1f} s and rendering {done - traced_at:.1f} s; the page "
            f"weighs {len(html.encode()) / KB / KB:.1f} MB."]


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(share * len(ordered)), len(ordered) - 1)]


def _latency_rows(db: Path, requests: int) -> list[str]:
    import httpx

    from newstrace.web.server import running
    from newstrace.web.settings import WebSettings

    with Collection(db, paraphrase=False) as collection:
        story = collection.stories()[0]
        derivative = collection.article(story.articles[-1])
    endpoints: dict[str, tuple[str, str, dict[str, Any] | None]] = {
        "story (JSON)": ("GET", f"/api/stories/{story.id}", None),
        "trace": ("GET", f"/api/trace/{story.id}", None),
        "story page (HTML)": ("GET", f"/story/{story.id}", None),
        "check (paraphrase on)": ("POST", "/api/check", {"text": derivative.text}),
    }
    rows = ["| endpoint | first request ms | requests | errors | p50 ms | p95 ms |",
            "|---|---|---|---|---|---|"]
    with running(WebSettings(db=str(db))) as url, \
            httpx.Client(base_url=url, timeout=120) as client:
        for name, (method, path, body) in endpoints.items():
            began = time.perf_counter()
            client.request(method, path, json=body)  # the first: fills the app's caches
            first = (time.perf_counter() - began) * 1000

            def timed(_: int, method: str = method, path: str = path,
                      body: dict[str, Any] | None = body) -> tuple[float, int]:
                began = time.perf_counter()
                status = client.request(method, path, json=body).status_code
                return time.perf_counter() - began, status

            with ThreadPoolExecutor(max_workers=4) as pool:
                results = list(pool.map(timed, range(requests)))
            times = [t * 1000 for t, _ in results]
            errors = sum(1 for _, status in results if status != 200)
            rows.append(f"| {name} | {first:.0f} | {requests} | {errors} | "
                        f"{_percentile(times, 0.5):.0f} | {_percentile(times, 0.95):.0f} |")
    return [f"API latency on the {story.size}-article story, four clients at once on "
            "loopback (uvicorn, one process):", "", *rows]


def run() -> list[str]:
    index_size = int(os.environ.get("NEWSTRACE_BENCH_INDEX", "10000"))
    requests = int(os.environ.get("NEWSTRACE_BENCH_REQUESTS", "200"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _note("building the 50-article story")
        db = _build_story(folder)
        rows = _story_rows(db, folder)
        rows += ["", *_latency_rows(db, requests)]
        if index_size:
            rows += ["", *_index_rows(folder, index_size)]
    return rows


if __name__ == "__main__":
    print("\n".join(run()))
