"""The CLI's outputs: the fields each command promises, in each format."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from conftest import run_cli
from pages import html_page, story, text_dump, write

LISTING_FIELDS = {"id", "source_id", "source_path", "url", "canonical_url", "outlet", "title",
                  "published", "words", "removed_lines", "cues"}


@pytest.fixture
def filled(tmp_path: Path, db_path: Path) -> Path:
    write(tmp_path / "in" / "a.html", html_page(story(1), url="https://a.example/1"))
    write(tmp_path / "in" / "b.txt", text_dump([*story(2), "Source: Estuary Wire"]))
    assert run_cli("ingest", str(tmp_path / "in"), "--db", str(db_path)).exit_code == 0
    return db_path


def test_articles_json_has_the_promised_fields(filled: Path) -> None:
    rows = json.loads(run_cli("articles", "--db", str(filled), "--json").output)
    assert len(rows) == 2
    assert all(set(row) >= LISTING_FIELDS for row in rows)
    dump = next(row for row in rows if row["source_path"].endswith("b.txt"))
    assert dump["removed_lines"] > 5


def test_articles_ndjson_and_csv(filled: Path) -> None:
    lines = run_cli("articles", "--db", str(filled), "--nl").output.splitlines()
    assert [json.loads(line)["words"] > 0 for line in lines] == [True, True]
    table = list(csv.DictReader(io.StringIO(run_cli("articles", "--db", str(filled),
                                                    "--csv").output)))
    assert len(table) == 2 and "outlet" in table[0]


def test_articles_table_escapes_untrusted_text(tmp_path: Path, db_path: Path) -> None:
    write(tmp_path / "x.html", html_page(story(5), title="[bold red]Injected[/] title"))
    run_cli("ingest", str(tmp_path / "x.html"), "--db", str(db_path))
    output = run_cli("articles", "--db", str(db_path), "--table").output
    assert "[bold red]Injected[/]" in output


def test_show_json_adds_text_sentences_and_removed(filled: Path) -> None:
    record = json.loads(run_cli("show", "b.txt", "--db", str(filled), "--json").output)
    assert set(record) >= LISTING_FIELDS
    assert record["text"].split("\n") == story(2)
    for sentence in record["sentences"]:
        assert record["text"][sentence["start"] : sentence["end"]] == sentence["text"]
    reasons = {line["reason"] for line in record["removed"]}
    assert {"title", "date line", "footer"} <= reasons
    assert record["cues"][-1] == {"kind": "attribution", "text": "Source: Estuary Wire",
                                  "outlet": "Estuary Wire", "url": None}


def test_show_text_view_lists_removed_lines(filled: Path) -> None:
    output = run_cli("show", "b.txt", "--db", str(filled), "--removed").output
    assert "Removed lines" in output and "footer" in output and story(2)[0][:40] in output


def test_unknown_article_is_a_clear_error(filled: Path) -> None:
    result = run_cli("show", "nope", "--db", str(filled))
    assert result.exit_code == 1 and "newstrace articles" in result.output


def test_missing_store_is_a_clear_error(tmp_path: Path) -> None:
    result = run_cli("articles", "--db", str(tmp_path / "none.db"))
    assert result.exit_code == 1 and "newstrace ingest" in result.output


def test_ingest_json_summary(tmp_path: Path, db_path: Path) -> None:
    write(tmp_path / "a.html", html_page(story(1)))
    result = run_cli("ingest", str(tmp_path / "a.html"), "--db", str(db_path), "--json")
    summary = json.loads(result.stdout)
    assert summary["ingested"] == 1 and summary["skipped"] == {}
