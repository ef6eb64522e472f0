"""The report and the web app in a real browser: Debian's chromium driven by Playwright (never
Playwright's own browser download). A reader clicks from the story list to a story, to a
relation's side-by-side view, sees the marks, checks a text; hostile article strings must not
run. Screenshots go to tests/artifacts/ for a person to look at.

The tests fail (not skip) when chromium is missing, unless NEWSTRACE_SKIP_BROWSER=1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLES, ROOT, Watched, articles_by_label
from newstrace import Collection
from newstrace.report import ReportSource, write_report
from newstrace.report.links import Links
from newstrace.web.server import running as live_server
from newstrace.web.settings import WebSettings
from report_fixtures import HOSTILE_LINES, HOSTILE_TITLE, FactsCollection, example_facts

pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "tests" / "artifacts"
def shoot(page: Any, name: str, *, full: bool = True) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=full)


@pytest.fixture(scope="module")
def example_report(example_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("browser-report")
    facts = example_facts(example_db)
    with FactsCollection(example_db, {facts["story"]: facts}, paraphrase=False) as collection:
        write_report(ReportSource(collection), folder)
    return folder


@pytest.fixture(scope="module")
def ids(example_db: Path) -> dict[str, str]:
    with Collection(example_db, paraphrase=False) as collection:
        found = articles_by_label(collection.store)
        label = collection.story(found["alpinepress-original"].id).label
    return {"label": label, **{key: article.id for key, article in found.items()}}


def see_marks(page: Any, kinds: tuple[str, ...] = ("verbatim", "paraphrase", "unmatched")
              ) -> None:
    """The side-by-side view's marks are there, and passages light up across columns."""
    for kind in kinds:
        assert page.locator(f".sbs .m-{kind}").count() > 0, kind
    first = page.locator(".col[data-side$=L] .text [data-link]").first
    link = first.get_attribute("data-link")
    counterpart = page.locator(f".col[data-side$=R] .text [data-link='{link}']").first
    first.hover()
    assert "hl" in (counterpart.get_attribute("class") or "")
    first.dispatch_event("click")  # on the passage's text (its number badge is a link)
    page.wait_for_timeout(100)
    assert "flash" in (counterpart.get_attribute("class") or "")
    first.locator("a.pn").click()  # the number badge jumps to the counterpart, script or not
    assert page.url.endswith(f"R-{link}")


def test_static_report_from_story_list_to_side_by_side(watched: Watched, example_report: Path,
                                                       ids: dict[str, str]) -> None:
    page = watched.page
    page.goto((example_report / "index.html").as_uri())
    page.fill("#filter", "alderhorn")
    assert page.locator("#story-table tbody tr:visible").count() == 1
    page.fill("#filter", "")
    page.get_by_role("link", name=ids["label"]).click()
    page.wait_for_selector("svg.graph")
    assert page.locator("svg.graph .node").count() == 8
    assert page.locator("#facts .conflict").count() == 1
    assert page.locator("#facts td.value", has_text="around 60").is_visible()
    shoot(page, "story-page.png")
    page.locator("svg.graph .n-derivative.r-rewrite .badge-link").click()
    page.wait_for_selector(".sbs")
    assert "edge-" in page.url
    see_marks(page)
    added = page.locator(".col[data-side=R] .m-added")
    shown = " ".join(added.nth(i).inner_text() for i in range(added.count()))
    assert "Experts have long warned" in shown and "repeated warnings were ignored" in shown
    altered = page.locator(".col .m-altered")
    assert {altered.nth(i).inner_text() for i in range(altered.count())} >= {
        "4 kilometres", "14 kilometres"}
    page.locator(".col[data-side=R] .text [data-link]").first.scroll_into_view_if_needed()
    page.mouse.move(0, 0)
    page.evaluate("window.scrollTo(0, 0)")
    shoot(page, "side-by-side.png")
    page.locator(".col-head .headline a").first.click()
    page.wait_for_selector("article.reader")
    page.locator("details.removed summary").click()
    assert page.locator("details.removed table").is_visible()
    watched.clean()


def test_csp_blocks_injected_script(watched: Watched, example_report: Path) -> None:
    page = watched.page
    page.goto((example_report / "index.html").as_uri())
    ran = page.evaluate("""() => { const s = document.createElement('script');
        s.textContent = 'window.__ran = 1'; document.body.appendChild(s);
        return window.__ran === 1; }""")
    assert ran is False
    assert any("Content Security Policy" in error for error in watched.errors)


@pytest.fixture(scope="module")
def app_url(example_db: Path) -> Iterator[str]:
    with live_server(WebSettings(db=str(example_db))) as url:
        yield url


def test_web_app_story_side_by_side_and_check(watched: Watched, app_url: str,
                                              ids: dict[str, str]) -> None:
    page = watched.page
    response = page.goto(app_url + "/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'sha256-" in policy and "unsafe-inline" not in policy
    page.get_by_role("link", name=ids["label"]).click()
    page.wait_for_selector("svg.graph")
    page.locator("#versions tr", has_text="TrendWire").locator("a.sbs-link").click()
    page.wait_for_selector(".sbs")
    see_marks(page, ("paraphrase",))
    page.fill("header form.search input", "Pralunga")
    page.click("header form.search button")
    page.wait_for_selector("mark")
    assert page.locator(".results li").count() == 2
    page.goto(app_url + "/check")
    spin = page.request.get(f"{app_url}/api/articles/{ids['trendwire-spin']}").json()
    page.fill("#text", spin["text"])
    page.click("#check-submit")
    page.wait_for_selector(".source-card")
    assert "TrendWire" in page.locator(".source-card").first.inner_text()  # itself, stored
    assert "Alpine Press Agency" in page.locator("#main-results, main").inner_text()
    see_marks(page, ("verbatim",))
    shoot(page, "check-a-text.png")
    watched.clean()


def test_hostile_report_runs_nothing(watched: Watched, hostile_db: Path,
                                     tmp_path: Path) -> None:
    with Collection(hostile_db, paraphrase=False) as collection:
        write_report(ReportSource(collection), tmp_path)
    page = watched.page
    visited, bodies = 0, 0
    for path in sorted(tmp_path.glob("*.html")):
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        page.mouse.move(400, 400)
        assert page.locator("main img, main iframe, main textarea, main b, main i").count() == 0
        if path.name.startswith("edge-") and HOSTILE_LINES[1] in page.locator(
                ".sbs").inner_text():
            bodies += 1  # the hostile body side by side, as text
        visited += 1
    assert visited > 5 and bodies > 0
    page.goto((tmp_path / "index.html").as_uri())
    assert HOSTILE_TITLE in page.locator("table.stories").inner_text()
    page.locator("table.stories td.label a").first.click()
    page.wait_for_selector("svg.graph")
    shoot(page, "hostile-story.png")
    watched.clean()


def test_hostile_app_runs_nothing(watched: Watched, hostile_db: Path) -> None:
    with live_server(WebSettings(db=str(hostile_db), paraphrase=False)) as url:
        page = watched.page
        page.goto(url + "/")
        page.locator("table.stories td.label a").first.click()
        page.wait_for_selector("svg.graph")
        for index in range(page.locator("svg.graph .node a:not(.badge-link)").count()):
            page.locator("svg.graph .node a:not(.badge-link)").nth(index).click()
            page.wait_for_selector("article.reader")
            page.locator("details.cues summary").click()
            page.locator("details.removed summary").click()
            page.go_back()
        page.goto(url + "/search?q=" + "%3Cscript%3Ealert(1)%3C%2Fscript%3E")
        page.goto(url + "/check")
        page.fill("#text", "\n".join(HOSTILE_LINES))
        page.click("#check-submit")
        page.wait_for_selector(".source-card")
        assert HOSTILE_LINES[2] in page.locator(".source-card").first.inner_text()
    watched.clean()


def test_example_links_stay_on_disk(example_report: Path) -> None:
    """Static pages link only to each other (and to articles' own http(s) addresses)."""
    story = next(example_report.glob("story-*.html")).read_text(encoding="utf-8")
    assert Links(static=True).index() in story and "http://127.0.0.1" not in story
    assert EXAMPLES.exists()
