"""The web app through its HTTP interface: pages, JSON API, errors, limits and headers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from conftest import EXAMPLES, articles_by_label, run_cli
from newstrace import Collection
from newstrace.errors import MissingDependencyError
from newstrace.units import MB
from newstrace.web import require_web
from newstrace.web.app import create_app
from newstrace.web.settings import WebSettings
from report_fixtures import HOSTILE_TITLE

SPIN = (EXAMPLES / "articles" / "trendwire-spin.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def client(example_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(WebSettings(db=str(example_db), max_upload_bytes=200_000)),
                    base_url="http://127.0.0.1") as opened:
        yield opened


@pytest.fixture(scope="module")
def labels(example_db: Path) -> dict[str, Any]:
    with Collection(example_db, paraphrase=False) as collection:
        found = articles_by_label(collection.store)
        story = collection.story(found["alpinepress-original"].id).as_dict()
    return {"story": story["id"], **{key: a.id for key, a in found.items()}}


def test_pages_render_with_a_strict_policy(client: TestClient, labels: dict[str, Any]) -> None:
    for path in ("/", f"/story/{labels['story']}", f"/article/{labels['trendwire-spin']}",
                 f"/edge/{labels['alpinepress-original']}/{labels['buzzfeedly-rewrite']}",
                 "/search?q=landslide", "/check", "/docs"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith("text/html")
        policy = response.headers["content-security-policy"]
        assert "default-src 'none'" in policy and "script-src 'sha256-" in policy
        assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
        assert response.headers["x-content-type-options"] == "nosniff"


def test_edge_of_an_unstored_pair_is_compared_on_demand(client: TestClient,
                                                        labels: dict[str, Any]) -> None:
    response = client.get(f"/edge/{labels['riverside-council']}/{labels['trendwire-spin']}")
    assert response.status_code == 200 and 'class="sbs"' in response.text


def test_api_stories_trace_facts_compare(client: TestClient, labels: dict[str, Any]) -> None:
    stories = client.get("/api/stories").json()
    assert labels["story"] in [s["id"] for s in stories]
    story = client.get(f"/api/stories/{labels['trendwire-spin']}").json()
    assert story["id"] == labels["story"] and story["trace"]["edges"]
    trace = client.get(f"/api/trace/{labels['story']}").json()
    assert trace["tree"][labels["trendwire-spin"]] == labels["alpinepress-original"]
    facts = client.get(f"/api/facts/{labels['story']}").json()
    assert facts["story"] == labels["story"]
    assert ("about 4 kilometres", "about 14 kilometres") in {
        (item["from"], item["to"]) for item in facts["altered_facts"]}
    compared = client.get("/api/compare", params={"a": labels["alpinepress-original"],
                                                  "b": labels["northgate-reprint"]}).json()
    assert compared["relation"] == "duplicate" and compared["passages"]
    article = client.get(f"/api/articles/{labels['buzzfeedly-rewrite']}").json()
    assert article["story"] == labels["story"] and "14 kilometres" in article["text"]


def test_api_check_finds_the_source(client: TestClient, labels: dict[str, Any]) -> None:
    found = client.post("/api/check", json={"text": SPIN, "filename": "spin.html"}).json()
    assert found["sources"] and "Halted" in (found["query"]["title"] or "")
    assert labels["alpinepress-original"] in [s["id"] for s in found["sources"]]
    uploaded = client.post("/api/check/upload",
                           files={"file": ("spin.html", SPIN.encode(), "text/html")}).json()
    assert [s["id"] for s in uploaded["sources"]] == [s["id"] for s in found["sources"]]
    assert client.post("/api/check", json={"text": "   "}).status_code == 422


def test_check_form_states_the_upload_limit_in_the_unit_of_max_upload(example_db: Path) -> None:
    """`--max-upload 1.5` (MB, as `--max-size`: 10**6 bytes) reads back as 1.5 MB."""
    settings = WebSettings(db=str(example_db), max_upload_bytes=int(1.5 * MB), paraphrase=False)
    with TestClient(create_app(settings), base_url="http://127.0.0.1") as opened:
        assert "up to 1.5 MB" in opened.get("/check").text


def test_check_form_shows_sources_side_by_side(client: TestClient) -> None:
    response = client.post("/check", files={"file": ("spin.html", SPIN.encode(), "text/html")},
                           data={"text": ""})
    assert response.status_code == 200
    assert "Likely sources" in response.text and 'class="sbs"' in response.text
    assert 'id="c1R-p1"' in response.text  # ids stay unique with several views on a page
    empty = client.post("/check", data={"text": ""})
    assert empty.status_code == 422 and "paste an article" in empty.text


def test_search_finds_stories_and_articles(client: TestClient) -> None:
    found = client.get("/api/search", params={"q": "Pralunga"}).json()
    assert len(found["articles"]) == 2 and all("Pralunga" in a["snippet"]
                                               for a in found["articles"])
    assert client.get("/api/search", params={"q": "100%_"}).json()["articles"] == []
    page = client.get("/search", params={"q": "<script>alert(1)</script>"})
    assert page.status_code == 200 and "<script>alert(1)" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text


def test_errors_are_clear(client: TestClient) -> None:
    missing = client.get("/api/stories/s-nope")
    assert missing.status_code == 404 and "no article" in missing.json()["detail"]
    page = client.get("/article/nope")
    assert page.status_code == 404 and "Not found" in page.text
    assert client.get("/no/such/page").status_code == 404
    assert client.get("/api/compare", params={"a": "x"}).status_code == 422


def test_uploads_over_the_limit_are_refused(client: TestClient) -> None:
    big = "word " * 60_000  # 300 kB, over the 200 kB limit of this app
    declared = client.post("/api/check", json={"text": big})
    assert declared.status_code == 413 and "--max-upload" in declared.json()["detail"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it streams
        yield (b'--b\r\nContent-Disposition: form-data; name="file"; filename="x.txt"\r\n'
               b"Content-Type: text/plain\r\n\r\n")
        for _ in range(40):
            yield b"word " * 2_000
        yield b"\r\n--b--\r\n"

    streamed = client.post("/api/check/upload", content=chunks(),
                           headers={"content-type": "multipart/form-data; boundary=b"})
    assert streamed.status_code == 413
    form = client.post("/check", files={"file": ("big.txt", big.encode(), "text/plain")})
    assert form.status_code == 413


def test_openapi_schema_and_docs_cover_the_api(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    paths = set(schema["paths"])
    assert {"/api/stories", "/api/stories/{reference}", "/api/trace/{reference}",
            "/api/facts/{reference}", "/api/compare", "/api/check", "/api/search"} <= paths
    docs = client.get("/docs").text
    assert all(path in docs for path in ("/api/trace/{reference}", "/api/check"))
    assert "cdn" not in docs.lower()


def test_hostile_collection_is_served_escaped(hostile_db: Path) -> None:
    with TestClient(create_app(WebSettings(db=str(hostile_db), paraphrase=False))) as client:
        index = client.get("/").text
        assert "&lt;script&gt;alert(&#34;title&#34;)" in index
        assert HOSTILE_TITLE not in index
        story = client.get("/api/stories").json()[0]
        assert story["label"] == HOSTILE_TITLE  # JSON keeps the text as it is
        page = client.get(f"/story/{story['id']}").text
        assert "<img src=x" not in page and 'href="javascript:' not in page


def test_serve_refuses_a_missing_collection(tmp_path: Path) -> None:
    result = run_cli("serve", "--db", str(tmp_path / "none.db"))
    assert result.exit_code == 1 and "no such collection" in result.output


def test_missing_web_extra_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import newstrace.web as web

    monkeypatch.setattr(web, "find_spec", lambda name: None if name == "fastapi" else True)
    with pytest.raises(MissingDependencyError, match=r"newstrace\[web\]"):
        require_web()


def test_cached_stories_follow_the_store(example_db: Path, tmp_path: Path) -> None:
    import json
    import shutil

    db = tmp_path / "copy.db"
    shutil.copy(example_db, db)
    with Collection(db, paraphrase=False) as collection:
        original = collection.article(articles_by_label(collection.store)[
            "alpinepress-original"].id)
    with TestClient(create_app(WebSettings(db=str(db), paraphrase=False))) as client:
        before = client.get(f"/api/stories/{original.id}").json()
        assert "Reprint Weekly" not in client.get(f"/story/{before['id']}").text
        assert client.get(f"/api/trace/{original.id}").json() == before["trace"]
        reprint = tmp_path / "reprint.jsonl"
        reprint.write_text(json.dumps({"id": "r1", "url": "https://reprint.example/a",
                                       "outlet": "Reprint Weekly", "title": original.title,
                                       "published": "2026-03-15T09:00:00Z",
                                       "text": original.text}) + "\n", encoding="utf-8")
        with Collection(db, paraphrase=False) as collection:
            collection.add([str(reprint)])
        after = client.get(f"/api/stories/{original.id}").json()
        assert after["size"] == before["size"] + 1
        assert "Reprint Weekly" in client.get(f"/story/{after['id']}").text
        assert any(s["size"] == after["size"] for s in client.get("/api/stories").json())


def test_a_page_requested_while_it_is_built_is_built_once(example_db: Path) -> None:
    import threading
    import time

    from newstrace.web.service import Service

    service = Service(WebSettings(db=str(example_db), paraphrase=False))
    builds: list[int] = []

    def build() -> str:
        builds.append(1)
        time.sleep(0.2)  # long enough that the other requests arrive meanwhile
        return "<html>story</html>"

    pages: list[str] = []
    threads = [threading.Thread(target=lambda: pages.append(service.page("story-x", build)))
               for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert pages == ["<html>story</html>"] * 4 and len(builds) == 1
