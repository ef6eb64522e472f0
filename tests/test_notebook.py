"""Notebooks: the example notebook runs headless in a real Jupyter kernel, its rendered HTML
opens in Chromium with the story's tree, timeline, side by side and facts drawn; a hostile
story renders in a notebook as text, never as markup or script."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest
from markupsafe import escape

from conftest import EXAMPLES, articles_by_label
from newstrace import Collection
from notebooks import run
from report_fixtures import HOSTILE_TITLE
from test_browser import ARTIFACTS, shoot

pytest.importorskip("nbclient")
NOTEBOOK = EXAMPLES / "newstrace.ipynb"
SRCDOC = re.compile(r'srcdoc="([^"]*)"')


def _outputs(notebook: Any) -> list[dict[str, Any]]:
    return [output for cell in notebook.cells if cell.cell_type == "code"
            for output in cell.get("outputs", [])]


@pytest.fixture(scope="module")
def ran(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path]:
    """The notebook executed in a kernel and rendered, by a child process."""
    return run(NOTEBOOK, tmp_path_factory.mktemp("notebook"))


@pytest.fixture(scope="module")
def executed(ran: tuple[Any, Path]) -> Any:
    return ran[0]


@pytest.fixture(scope="module")
def rendered(ran: tuple[Any, Path]) -> Path:
    return ran[1]


def test_the_example_notebook_runs_in_a_kernel(executed: Any) -> None:
    outputs = _outputs(executed)
    assert not [o for o in outputs if o.output_type == "error"]
    shown = [o["data"] for o in outputs if "data" in o]
    frames = [d["text/html"] for d in shown if 'class="newstrace"' in d.get("text/html", "")]
    assert len(frames) == 5  # the story, its trace, a side by side, the facts, a check
    assert any("<table" in d.get("text/html", "") and "s-" in d["text/html"] for d in shown)
    assert any("image/png" in d for d in shown)  # the plot
    assert any("('discrepancies'," in d.get("text/plain", "") for d in shown)  # the export


@pytest.mark.browser
def test_the_notebook_in_chromium(watched: Any, rendered: Path, executed: Any) -> None:
    exported = next(o["data"]["text/plain"] for o in _outputs(executed)
                    if "('edges'," in o.get("data", {}).get("text/plain", ""))
    edges = int(re.search(r"\('edges', (\d+)\)", exported).group(1))  # type: ignore[union-attr]
    page = watched.page
    page.goto(rendered.as_uri())
    frames = page.locator("iframe.newstrace")
    assert frames.count() == 5
    story, trace, compare, facts, check = (frames.nth(i).content_frame for i in range(5))
    story.locator("svg.graph").wait_for()
    assert story.locator("svg.graph .node").count() == 8
    assert story.locator("svg.timeline circle.dot").count() == 8
    for kind in ("verbatim", "paraphrase", "added"):
        assert compare.locator(f".sbs .m-{kind}").count() > 0, kind
    assert facts.locator(".facts .conflict").count() > 0
    assert trace.locator("table.edges tbody tr").count() == edges  # one story has them all
    assert check.locator(".source-card").count() == 3
    assert check.locator(".source-card .m-verbatim").count() > 0
    for index, name in enumerate(("story", "trace", "compare", "facts", "check")):
        frames.nth(index).scroll_into_view_if_needed()
        page.wait_for_timeout(200)  # let the frame paint before its picture is taken
        frames.nth(index).screenshot(path=str(ARTIFACTS / f"notebook-{name}.png"))
    watched.clean()


@pytest.fixture(scope="module")
def hostile_views(hostile_db: Path) -> dict[str, str]:
    with Collection(hostile_db, paraphrase=False) as news:
        stories = news.stories()
        story = next(s for s in stories if s.size > 1)
        first, second = story.articles[:2]
        return {"stories": stories._repr_html_(), "story": news.story(story.id)._repr_html_(),
                "trace": news.trace(story.id)._repr_html_(),
                "facts": news.facts(story.id)._repr_html_(),
                "compare": news.compare(first, second, with_facts=True)._repr_html_(),
                "check": news.check(second)._repr_html_()}


def test_hostile_text_is_escaped_in_every_rendering(hostile_views: dict[str, str]) -> None:
    for name, shown in hostile_views.items():
        assert "<script>alert" not in shown and "<img src=x" not in shown, name
        for inner in SRCDOC.findall(shown):
            page = html.unescape(inner)
            assert "<script>alert" not in page and "<img src=x" not in page, name
            assert len(re.findall(r"<script\b", page)) == 1, name  # report.js, nothing else
    assert str(escape(HOSTILE_TITLE)) in hostile_views["stories"]  # shown, as text


@pytest.mark.browser
def test_hostile_renderings_in_chromium(watched: Any, hostile_views: dict[str, str],
                                        tmp_path: Path) -> None:
    path = tmp_path / "hostile.html"
    path.write_text("<!doctype html><meta charset=utf-8><title>hostile</title>"
                    + "".join(hostile_views.values()), encoding="utf-8")
    page = watched.page
    page.goto(path.as_uri())
    frames = page.locator("iframe.newstrace")
    assert frames.count() == 5
    story = frames.nth(0).content_frame
    story.locator("svg.graph").wait_for()
    assert HOSTILE_TITLE[:30] in story.locator("h1").inner_text()
    page.wait_for_timeout(300)
    shoot(page, "notebook-hostile.png")
    watched.clean()  # no dialog opened, no script error


def test_stories_from_the_collection_render_without_their_articles(example_db: Path) -> None:
    with Collection(example_db, paraphrase=False) as news:
        listed = news.stories()
        found = articles_by_label(news.store)
    assert not listed[0].members and 'class="newstrace"' not in listed[0]._repr_html_()
    assert listed[0]["label"] == listed[0].label and listed.as_dicts()[0]["id"] == listed[0].id
    assert found["alpinepress-original"].id in listed[0].articles


def test_the_notebook_story_counts_every_part_the_report_counts() -> None:
    """Both story views count versions through one partial, so a part the report shows
    (a partial copy, issue 18) is never missing from the notebook's view."""
    from types import SimpleNamespace

    from newstrace.display import renderer

    parts = ("duplicate", "excerpt", "spin", "rewrite", "partial", "independent", "undecided")
    counts = dict.fromkeys(parts, 1)
    listed = renderer().env.get_template("_counts.html").render(
        page=SimpleNamespace(counts=counts))
    assert all(f"r-{name}" in listed for name in parts)
    for template in ("nb_story.html", "story.html"):
        source = renderer().env.loader.get_source(renderer().env, template)[0]
        assert '{% include "_counts.html" %}' in source, template
