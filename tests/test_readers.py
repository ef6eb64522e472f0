"""Each input format, read through the real ingest into a real store."""

from __future__ import annotations

import io
import json
from pathlib import Path

from conftest import run_cli
from newstrace.records import SourceKind
from newstrace.runners.local.ingest import Ingestor
from newstrace.runners.local.store.db import Store
from newstrace.stages.articles import IngestConfig
from newstrace.stages.readers.config import JsonFields, ReaderConfig
from newstrace.stages.readers.sources import sniff_file, sniff_format, spool
from pages import atom, gz, html_page, jsonl, rss, story, text_dump, warc, write


def ingest(store: Store, *paths: Path, config: IngestConfig | None = None) -> None:
    summary = Ingestor(store, config).ingest([str(p) for p in paths])
    assert not summary.skips, summary.skips


def test_html_page_gives_text_and_metadata(tmp_path: Path, store: Store) -> None:
    page = write(tmp_path / "post.html", html_page(
        story(1), url="https://post.example/tunnel", canonical="https://post.example/tunnel"))
    ingest(store, page)
    article = store.article("post.html")
    assert article.kind is SourceKind.HTML
    assert article.text.split("\n") == story(1)
    assert article.title == "Carrow tunnel flooded"
    assert article.url == "https://post.example/tunnel"
    assert article.canonical_url == "https://post.example/tunnel"
    assert article.outlet == "Port Ellery Post"
    assert article.published == "2026-04-06T09:30+02:00"
    assert article.language == "en"
    assert article.cues == []  # a canonical link to itself is no cue


def test_gzipped_html_and_legacy_charset(tmp_path: Path, store: Store) -> None:
    paragraphs = [p.replace("“", '"').replace("”", '"') + " Größere Schäden." for p in story(2)]
    page = html_page(paragraphs, charset="iso-8859-1").encode("iso-8859-1")
    ingest(store, write(tmp_path / "alt.htm.gz", gz(page)))
    assert "Größere Schäden." in store.article("alt.htm.gz").text


def test_text_dump_keeps_raw_and_map(tmp_path: Path, store: Store) -> None:
    ingest(store, write(tmp_path / "dump.txt", text_dump(story(3))))
    article = store.article("dump.txt")
    assert article.text.split("\n") == story(3)
    assert article.title == "Carrow tunnel flooded"
    assert article.published == "2026-04-06"
    assert article.raw is not None and article.raw_map
    first = article.raw_map[0]
    assert article.raw[first.raw_start : first.raw_start + first.raw_length] == story(3)[0]
    assert any(line.reason == "date line" for line in article.removed)


def test_jsonl_with_default_and_custom_fields(tmp_path: Path, store: Store) -> None:
    default = write(tmp_path / "a.jsonl", jsonl([
        {"id": "r1", "url": "https://echo.example/1", "title": "One", "outlet": "Echo",
         "published": "2026-04-06", "text": "\n\n".join(story(4))},
        {"id": "r2", "body": "<p>" + "</p><p>".join(story(5)) + "</p>", "headline": "Two"},
    ]))
    ingest(store, default)
    first = store.article("https://echo.example/1")
    assert (first.source_id, first.title, first.outlet, first.published) == (
        "r1", "One", "Echo", "2026-04-06")
    assert first.text.split("\n") == story(4)
    second = next(a for a in store.articles() if a.source_id == "r2")
    assert second.title == "Two" and second.text.split("\n") == story(5)

    custom = write(tmp_path / "b.jsonl", jsonl([{"key": "k9", "story": "\n".join(story(6)),
                                                 "when": "6 April 2026"}]))
    fields = JsonFields(id=("key",), text=("story",), date=("when",))
    ingest(store, custom, config=IngestConfig(reader=ReaderConfig(json_fields=fields)))
    third = next(a for a in store.articles() if a.source_id == "k9")
    assert third.published == "2026-04-06"


def test_json_array(tmp_path: Path, store: Store) -> None:
    records = [{"id": "x", "text": " ".join(story(7))}, {"id": "y", "text": " ".join(story(8))}]
    path = write(tmp_path / "list.json", json.dumps(records))
    ingest(store, path)
    assert sorted(a.source_id or "" for a in store.articles()) == ["x", "y"]


def test_warc_reads_html_responses_only(tmp_path: Path, store: Store) -> None:
    pages = [(f"https://wire.example/{i}", html_page(story(10 + i), title=f"Story {i}"))
             for i in range(3)]
    ingest(store, write(tmp_path / "crawl.warc.gz", warc(pages)))
    articles = sorted(store.articles(), key=lambda a: a.url or "")
    assert [a.url for a in articles] == [url for url, _ in pages]
    assert all(a.kind is SourceKind.WARC and a.source_id for a in articles)
    assert articles[0].text.split("\n") == story(10)


def test_uncompressed_warc(tmp_path: Path, store: Store) -> None:
    pages = [("https://wire.example/plain", html_page(story(20)))]
    ingest(store, write(tmp_path / "crawl.warc", warc(pages, compress=False)))
    assert store.count() == 1


def test_rss_and_atom_feeds(tmp_path: Path, store: Store) -> None:
    feed = write(tmp_path / "echo.rss", rss([("Tunnel", "https://echo.example/t", story(30)),
                                             ("Ferry", "https://echo.example/f", story(31))]))
    feed_atom = write(tmp_path / "delta.atom", atom([("Delta", "https://delta.example/d",
                                                      story(32))]))
    ingest(store, feed, feed_atom)
    tunnel = store.article("https://echo.example/t")
    assert tunnel.kind is SourceKind.FEED and tunnel.outlet == "Estuary Echo"
    assert tunnel.published == "2026-04-06T10:00+02:00"
    assert tunnel.text.split("\n") == story(30)
    assert store.article("https://delta.example/d").text.split("\n") == story(32)


def test_folders_are_read_recursively_and_hidden_files_left_out(tmp_path: Path,
                                                                 store: Store) -> None:
    write(tmp_path / "in" / "a" / "one.html", html_page(story(40)))
    write(tmp_path / "in" / "b" / "two.txt", text_dump(story(41)))
    write(tmp_path / "in" / ".cache" / "three.html", html_page(story(42)))
    ingest(store, tmp_path / "in")
    assert store.count() == 2


def test_stdin_is_sniffed(db_path: Path) -> None:
    result = run_cli("ingest", "-", "--db", str(db_path), input=html_page(story(50)))
    assert result.exit_code == 0, result.output
    result = run_cli("ingest", "-", "--db", str(db_path),
                     input=jsonl([{"id": "s", "text": " ".join(story(51))}]))
    assert result.exit_code == 0, result.output
    with Store(db_path) as store:
        assert store.count() == 2
        assert {a.source_path for a in store.articles()} == {"<stdin>"}


def test_stdin_reads_as_the_same_file_does(tmp_path: Path) -> None:
    """Standard input is copied to disk and read twice from there (the first pass counts
    each site's repeated lines): the same articles as the same stream read from a file,
    furniture lines removed alike."""
    furniture = "Subscribe to the Port Ellery Post for more."
    records = [{"id": f"r{n}", "url": f"https://post.example/{n}",
                "text": "\n".join([*story(60 + n), furniture])} for n in range(6)]
    stream = jsonl(records)
    kept = {}
    for name, args in (("file", [str(write(tmp_path / "feed.jsonl", stream))]), ("stdin", ["-"])):
        db = tmp_path / f"{name}.db"
        piped = stream if name == "stdin" else None
        result = run_cli("ingest", *args, "--db", str(db), input=piped)
        assert result.exit_code == 0, result.output
        with Store(db) as store:
            kept[name] = sorted((a.id, a.text, a.removed) for a in store.articles())
            paths = {a.source_path for a in store.articles()}
        assert paths == ({"<stdin>"} if name == "stdin" else {str(tmp_path / "feed.jsonl")})
    assert len(kept["stdin"]) == 6
    assert all(furniture not in text for _, text, _ in kept["stdin"])
    assert kept["stdin"] == kept["file"]


def test_sniffing_a_spooled_file_reads_past_leading_space(tmp_path: Path) -> None:
    for content in (b" " * 200_000 + b'{"id": "a"}\n', b"\xef\xbb\xbf\n<html></html>", b""):
        path = tmp_path / "spooled"
        path.write_bytes(content)
        assert sniff_file(str(path), chunk=1024) == sniff_format(content)


def test_spool_copies_a_stream_a_chunk_at_a_time(tmp_path: Path) -> None:
    data = bytes(range(256)) * 1000
    with open(tmp_path / "copy", "wb") as target:
        assert spool(io.BytesIO(data), target, chunk=4096) == len(data)
    assert (tmp_path / "copy").read_bytes() == data
