"""Shared fixtures: a fresh store, the example corpus, a CLI runner."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from newstrace.cli.main import cli
from newstrace.store.db import Store

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
