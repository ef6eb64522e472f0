"""Reads of a store whose relations or stories other code computed say so (issue 19): the
terminal commands warn, naming the store and the command that brings it up to date; `report`
and `serve` refuse unless told to show them as they are."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_cli
from newstrace import Collection
from newstrace.errors import StaleResultsError
from newstrace.runners.local.relating import RELATE_STAMP
from newstrace.runners.local.storying import STORIES_STAMP
from test_stamps import _collection as write_events


@pytest.fixture
def analysed(tmp_path: Path) -> Path:
    """The two earthquakes and the budget, analysed by this code (verbatim evidence only)."""
    db = tmp_path / "news.db"
    with Collection(db, paraphrase=False) as news:
        news.analyze([str(write_events(tmp_path))])
        assert news.stale() == []
    return db


def _age(db: Path, key: str) -> None:
    with Collection(db, paraphrase=False) as news:
        news.store.set_setting(key, "kept by an older newstrace")


def _story_pair(db: Path) -> tuple[str, str, str]:
    """A story of two or more articles, and two of its members."""
    with Collection(db, paraphrase=False) as news:
        story = next(s for s in news.stories() if len(s["articles"]) > 1)
    return story["id"], story["articles"][0], story["articles"][1]


def test_stories_of_other_code_are_found_and_placing_them_again_clears_it(
        analysed: Path) -> None:
    _age(analysed, STORIES_STAMP)
    with Collection(analysed, paraphrase=False) as news:
        assert [item.what for item in news.stale()] == ["stories"]
        message = news.stale_message()
        assert message is not None and str(analysed) in message
        assert f"newstrace stories --update --db {analysed}" in message
        with pytest.raises(StaleResultsError, match="stories --update"):
            news.require_current()
        assert news.update_stories().code_changed
        assert news.stale() == [] and news.stale_message() is None
        news.require_current()


def test_relations_of_another_model_make_their_stories_stale_too(analysed: Path) -> None:
    """Stories are placed over the verdicts (copies join them): verdicts related again by
    another model leave stories to place again, and the next update places them whole."""
    _age(analysed, RELATE_STAMP)
    with Collection(analysed, paraphrase=False) as news:
        # stories placed over verdicts that are not this code's
        assert [item.what for item in news.stale()] == ["relations", "stories"]
        assert news.update_stories().code_changed
        assert [item.what for item in news.stale()] == ["relations"]
        message = news.stale_message()
        assert message is not None and f"newstrace relate --db {analysed}" in message
        assert news.relate().model_changed
        assert [item.what for item in news.stale()] == ["stories"]
        assert news.update_stories().code_changed
        assert news.stale() == []


def test_a_store_without_stories_or_relations_is_not_stale(tmp_path: Path) -> None:
    with Collection(tmp_path / "empty.db", paraphrase=False) as news:
        news.ingest([str(write_events(tmp_path))])
        assert news.stale() == []


@pytest.mark.parametrize("command", ["stories", "trace", "facts", "why", "relations",
                                     "export"])
def test_terminal_reads_warn_naming_the_store_and_the_fix(analysed: Path, tmp_path: Path,
                                                          command: str) -> None:
    story, first, second = _story_pair(analysed)
    args = {"stories": ["stories"], "trace": ["trace", story], "facts": ["facts", story],
            "why": ["why", first, second], "relations": ["relations"],
            "export": ["export", str(tmp_path / "tables"), "--format", "csv"]}[command]
    db = ["--db", str(analysed)]
    current = run_cli(*args, *db)
    assert current.exit_code == 0 and "warning" not in current.stderr
    _age(analysed, STORIES_STAMP)
    stale = run_cli(*args, *db)
    assert stale.exit_code == 0
    assert stale.stdout == current.stdout  # the answer is shown, as it is stored
    warning = " ".join(stale.stderr.split())
    assert "warning:" in warning and str(analysed) in warning
    assert "newstrace stories --update" in warning


def test_stories_update_is_the_fix_it_names(analysed: Path) -> None:
    _age(analysed, STORIES_STAMP)
    updated = run_cli("stories", "--update", "--db", str(analysed))
    assert updated.exit_code == 0 and "warning" not in updated.stderr


def test_report_refuses_stale_stories_unless_allowed(analysed: Path, tmp_path: Path) -> None:
    _age(analysed, STORIES_STAMP)
    refused = run_cli("report", "--out", str(tmp_path / "report"), "--db", str(analysed))
    assert refused.exit_code != 0
    said = " ".join(refused.stderr.split())
    assert str(analysed) in said and "newstrace stories --update" in said
    assert "--allow-stale" in said
    assert not (tmp_path / "report" / "index.html").exists()
    allowed = run_cli("report", "--out", str(tmp_path / "report"), "--db", str(analysed),
                      "--allow-stale")
    assert allowed.exit_code == 0 and (tmp_path / "report" / "index.html").exists()
    assert "warning:" in allowed.stderr


def test_serve_refuses_stale_stories_unless_allowed(analysed: Path) -> None:
    pytest.importorskip("fastapi")
    from newstrace.web.app import create_app
    from newstrace.web.settings import WebSettings

    create_app(WebSettings(db=str(analysed), paraphrase=False))  # current: served
    _age(analysed, STORIES_STAMP)
    with pytest.raises(StaleResultsError, match="--allow-stale") as refused:
        create_app(WebSettings(db=str(analysed), paraphrase=False))
    assert str(analysed) in str(refused.value)
    app = create_app(WebSettings(db=str(analysed), paraphrase=False, allow_stale=True))
    assert "stories --update" in app.state.service.stale


def test_an_import_is_current_only_with_the_stamps_of_the_code_that_made_it(
        analysed: Path, tmp_path: Path) -> None:
    """An export carries its stamps; tables without them (written by an older version) are
    read as other code's, and a later `add` still relates and places them whole."""
    pytest.importorskip("pyarrow")
    with Collection(analysed, paraphrase=False) as news:
        written = {item.table for item in news.export(tmp_path / "tables", "parquet")}
    assert "stamps" in written
    with Collection(tmp_path / "imported.db", paraphrase=False) as imported:
        imported.import_spark_run(str(tmp_path / "tables"))
        assert imported.stale() == []
        assert imported.store.setting(STORIES_STAMP) is None  # not the local runner's own
    (tmp_path / "tables" / "stamps.parquet").unlink()
    with Collection(tmp_path / "older.db", paraphrase=False) as imported:
        imported.import_spark_run(str(tmp_path / "tables"))
        assert [item.what for item in imported.stale()] == ["relations", "stories"]
        imported.add([str(write_events(tmp_path))])
        assert imported.stale() == []
