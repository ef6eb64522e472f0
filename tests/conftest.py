"""Shared fixtures: a fresh store, the example corpus, a CLI runner."""

from __future__ import annotations

import builtins
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
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


def block_imports(monkeypatch: pytest.MonkeyPatch, *packages: str) -> None:
    """Make importing these top-level packages fail, as if they were not installed."""
    real_import = builtins.__import__

    def blocked(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.split(".")[0] in packages:
            raise ImportError(f"{name} is blocked in this test")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", blocked)


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


# -- the browser: one Chromium for the session (Playwright's sync API allows one at a time) ----

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def chromium_path() -> str:
    found = os.environ.get("NEWSTRACE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(found).exists():
        pytest.fail(f"chromium not found ({found}): the browser tests drive Debian's chromium. "
                    "Install it with `apt-get install chromium` (`make test` does, as root), "
                    "point NEWSTRACE_CHROMIUM at a Chromium binary, or set "
                    "NEWSTRACE_SKIP_BROWSER=1 to skip these tests", pytrace=False)
    return found


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if os.environ.get("NEWSTRACE_SKIP_BROWSER") == "1":
        pytest.skip("NEWSTRACE_SKIP_BROWSER=1")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path(),
                                              args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@dataclass
class Watched:
    """A page with everything that went wrong on it recorded."""

    page: Any
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def clean(self) -> None:
        assert not self.dialogs, f"a dialog opened: {self.dialogs}"
        assert not self.errors, f"console errors: {self.errors}"


@pytest.fixture
def watched(browser: Any) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1360, "height": 900})
    page = context.new_page()
    found = Watched(page)
    page.on("console", lambda m: found.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: found.errors.append(str(error)))

    def dialog(opened: Any) -> None:
        found.dialogs.append(opened.message)
        opened.dismiss()

    page.on("dialog", dialog)
    yield found
    context.close()
