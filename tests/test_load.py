"""A small, bounded load test: a few hundred requests to the API of a real uvicorn server on
loopback, from four clients at once; every one must succeed. (Latency is measured in
bench/web.py, never asserted here.)"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from conftest import EXAMPLES
from newstrace import Collection
from newstrace.web.server import running as live_server
from newstrace.web.settings import WebSettings

REQUESTS = 320


def test_api_under_load_answers_every_request(example_db: Path) -> None:
    with Collection(example_db, paraphrase=False) as collection:
        story = collection.stories()[0]
    spin = (EXAMPLES / "articles" / "trendwire-spin.html").read_text(encoding="utf-8")
    first, second = story["articles"][:2]
    calls = [("GET", "/api/stories", None), ("GET", f"/api/stories/{story['id']}", None),
             ("GET", f"/api/trace/{story['id']}", None), ("GET", f"/story/{story['id']}", None),
             ("GET", f"/api/compare?a={first}&b={second}", None),
             ("GET", "/api/search?q=landslide", None),
             ("GET", f"/api/facts/{story['id']}", None)]
    plan = [calls[i % len(calls)] for i in range(REQUESTS - 20)]
    plan += [("POST", "/api/check", {"text": spin, "filename": "spin.html"})] * 20
    with live_server(WebSettings(db=str(example_db))) as url, \
            httpx.Client(base_url=url, timeout=60) as client:

        def call(item: tuple[str, str, dict[str, str] | None]) -> int:
            method, path, body = item
            return client.request(method, path, json=body).status_code

        with ThreadPoolExecutor(max_workers=4) as pool:
            statuses = list(pool.map(call, plan))
    assert len(statuses) == REQUESTS
    assert statuses.count(200) == REQUESTS, {s: statuses.count(s) for s in set(statuses)}
