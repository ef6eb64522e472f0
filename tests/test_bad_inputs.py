"""Bad input never aborts a batch and never damages the store: each gets one line naming the
file and the reason, and is counted."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import run_cli
from newstrace.runners.local.ingest import Ingestor
from newstrace.runners.local.store.db import Store
from newstrace.stages.articles import IngestConfig
from newstrace.stages.readers.config import ReaderConfig
from pages import gz, html_page, jsonl, story, text_dump, warc, write


def bad_inputs(folder: Path) -> dict[str, str]:
    """File name -> the skip reason it must produce."""
    write(folder / "photo.html", bytes(range(256)) * 50)
    write(folder / "empty.txt", "")
    write(folder / "blank.html", "   \n\n  ")
    write(folder / "broken.html", "<html><body><div><p>Tiny</div></span>" + "<<<>>>" * 10)
    write(folder / "cut.txt.gz", gz(text_dump(story(90)))[:-30])
    archive = warc([(f"https://w.example/{i}", html_page(story(91 + i))) for i in range(4)])
    write(folder / "cut.warc.gz", archive[: len(archive) * 2 // 3])
    write(folder / "notawarc.warc", "this is not a warc file\n" * 5)
    write(folder / "records.jsonl", jsonl([{"id": "nobody", "title": "No text here"}])
          + "{not json\n")
    write(folder / "nofeed.rss", "<rss><channel><title>x</title></channel></rss>")
    write(folder / "notes.docx", "binary office file")
    write(folder / "mystery.txt", bytes(0x80 + (i * 37) % 128 for i in range(3000)))
    os.symlink(folder / "missing-target.html", folder / "dangling.html")
    return {
        "photo.html": "binary", "empty.txt": "empty", "blank.html": "empty",
        "broken.html": "no-article-text", "cut.txt.gz": "truncated", "cut.warc.gz": "truncated",
        "notawarc.warc": "malformed-warc", "records.jsonl:1": "missing-field",
        "records.jsonl:2": "malformed-json", "nofeed.rss": "malformed-feed",
        "notes.docx": "unsupported-type", "dangling.html": "unreadable",
        "mystery.txt": "encoding",
    }


def test_each_bad_input_is_skipped_with_its_reason(tmp_path: Path, store: Store) -> None:
    expected = bad_inputs(tmp_path / "in")
    write(tmp_path / "in" / "good.html", html_page(story(99)))
    summary = Ingestor(store).ingest([str(tmp_path / "in")])
    found = {os.path.basename(skip.path).split("@")[0]: skip.reason for skip in summary.skips}
    assert found == expected
    assert store.count() == 1 + 2  # the good page and the two WARC records before the cut
    assert summary.errors == 0


def test_messages_name_the_fix(tmp_path: Path, store: Store) -> None:
    bad_inputs(tmp_path / "in")
    summary = Ingestor(store).ingest([str(tmp_path / "in")])
    messages = {os.path.basename(s.path): s.message for s in summary.skips}
    assert "--text-field" in messages["records.jsonl:1"]
    assert "title" in messages["records.jsonl:1"]  # lists the fields the record does have
    assert "rename" in messages["notes.docx"]


def test_files_over_the_size_limit(tmp_path: Path, store: Store) -> None:
    big = write(tmp_path / "big.html", html_page(story(1) * 400))
    config = IngestConfig(reader=ReaderConfig(max_file_bytes=100_000))
    summary = Ingestor(store, config).ingest([str(big)])
    assert [s.reason for s in summary.skips] == ["too-large"]
    assert "--max-size" in summary.skips[0].message
    assert "limit of 0.1 MB" in summary.skips[0].message  # the unit --max-size is given in


def test_a_bad_batch_loses_nothing_already_stored(tmp_path: Path, db_path: Path) -> None:
    write(tmp_path / "good" / "a.html", html_page(story(1)))
    write(tmp_path / "good" / "b.txt", text_dump(story(2)))
    assert run_cli("ingest", str(tmp_path / "good"), "--db", str(db_path)).exit_code == 0
    with Store(db_path) as store:
        before = {a.id: a.text for a in store.articles()}
    bad_inputs(tmp_path / "bad")
    result = run_cli("ingest", str(tmp_path / "bad"), "--db", str(db_path))
    with Store(db_path) as store:
        after = {a.id: a.text for a in store.articles()}
    assert {k: after[k] for k in before} == before
    assert "skipped" in result.output


@pytest.mark.parametrize(("extra", "code"), [((), 0), (("--strict",), 3)])
def test_exit_codes(tmp_path: Path, db_path: Path, extra: tuple[str, ...], code: int) -> None:
    write(tmp_path / "in" / "good.html", html_page(story(3)))
    write(tmp_path / "in" / "empty.txt", "")
    result = run_cli("ingest", str(tmp_path / "in"), "--db", str(db_path), *extra)
    assert result.exit_code == code
    assert "empty.txt" in result.output and "1 ingested" in result.output


def test_nothing_ingested_is_an_error(tmp_path: Path, db_path: Path) -> None:
    write(tmp_path / "empty.txt", "")
    assert run_cli("ingest", str(tmp_path / "empty.txt"), "--db", str(db_path)).exit_code == 1


def test_a_file_that_is_not_a_store_is_refused(tmp_path: Path) -> None:
    not_db = write(tmp_path / "notes.db", "plain text, not SQLite " * 100)
    page = write(tmp_path / "a.html", html_page(story(4)))
    result = run_cli("ingest", str(page), "--db", str(not_db))
    assert result.exit_code == 1 and "notes.db" in result.output
    assert not_db.read_text().startswith("plain text")
