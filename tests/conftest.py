"""Shared fixtures: a fresh store, the example corpus, a CLI runner."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from newstrace.cli.main import cli
from newstrace.records import Article
from newstrace.runners.local.store.db import Store

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "collection.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    with Store(db_path) as opened:
        yield opened


@pytest.fixture(scope="session")
def labels() -> dict[str, Any]:
    return dict(json.loads((EXAMPLES / "labels.json").read_text(encoding="utf-8")))


def run_cli(*args: str, input: str | bytes | None = None) -> Result:
    """Run the CLI in-process; errors are kept in the result, not raised."""
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def articles_by_label(store: Store) -> dict[str, Article]:
    """Label key (examples/labels.json) -> the stored example article it describes."""
    articles = list(store.articles())
    labels = json.loads((EXAMPLES / "labels.json").read_text(encoding="utf-8"))
    found: dict[str, Article] = {}
    for label in labels["articles"]:
        matches = [a for a in articles if Path(a.source_path).name == Path(label["file"]).name
                   and (label["record"] is None or label["record"] in (a.source_id, a.url))]
        assert len(matches) == 1, label["key"]
        found[label["key"]] = matches[0]
    return found


@pytest.fixture(scope="session")
def example_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example corpus analysed once (ingested, related with paraphrase, in stories)."""
    from report_fixtures import analysed

    return analysed(tmp_path_factory.mktemp("example"), EXAMPLES / "articles")


@pytest.fixture(scope="session")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A story whose titles, bodies, outlets and URLs carry scripts and broken markup."""
    from report_fixtures import analysed, write_hostile

    folder = tmp_path_factory.mktemp("hostile")
    return analysed(folder, *write_hostile(folder))
