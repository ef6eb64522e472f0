"""Pages as a crawler meets them: each failure shape seen on a real pile, in pages the tests
write (glued bylines, teasers inside bodies, credits at the end, furniture words near the
masthead, dates beside bylines and in datelines, headlines in HTML metadata)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.pages import (
    LAST_WITHOUT_STOP,
    PARAGRAPHS,
    SECTIONS,
    crawled_dump,
    html_page,
    story,
    write,
)

from newstrace.runners.local.ingest import Ingestor
from newstrace.runners.local.store.db import Store
from newstrace.stages.clean.cues import outlet_key
from newstrace.stages.extract.document import CleanDocument, DocumentCleaner

GLUED = "Press RoomBy Press RoomJune 2, 2025No Comments3 Mins Read"


@pytest.fixture(scope="module")
def cleaner() -> DocumentCleaner:
    return DocumentCleaner()


def _clean(cleaner: DocumentCleaner, dump: str) -> CleanDocument:
    return cleaner.clean_text(dump)


@pytest.mark.parametrize("byline", [GLUED, "By Jane Roe | June 2, 2025",
                                    "By Jane Roe", "June 2, 2025"])
def test_title_is_the_headline_above_the_byline(cleaner: DocumentCleaner, byline: str) -> None:
    page = _clean(cleaner, crawled_dump(PARAGRAPHS, byline=byline))
    assert page.title == "Carrow tunnel flooded"
    assert page.text.splitlines()[0] == PARAGRAPHS[0]


def test_glued_byline_gives_author_and_date(cleaner: DocumentCleaner) -> None:
    page = _clean(cleaner, crawled_dump(PARAGRAPHS, byline=GLUED))
    assert page.author == "Press Room"
    assert (page.published, page.published_source) == ("2025-06-02", "byline")
    assert GLUED in [line.line for line in page.removed if line.reason == "byline"]


@pytest.mark.parametrize("teaser", [["READ MORE: Ferry fares to rise in May"],
                                    ["See also:", "Council budget passes after long night"],
                                    ["Recommended:", "Ferry fares to rise in May"]])
def test_teaser_inside_the_body_goes_and_the_body_goes_on(cleaner: DocumentCleaner,
                                                           teaser: list[str]) -> None:
    credit = ["Follow Alpine Press on X and Telegram", "Read the full article here"]
    page = _clean(cleaner, crawled_dump(PARAGRAPHS, teaser=teaser, credit=credit))
    assert page.text.splitlines() == PARAGRAPHS
    assert [line.line for line in page.removed if line.reason == "teaser of another story"
            ] == teaser
    assert "alpinepress" in {outlet_key(cue.outlet) for cue in page.cues}


@pytest.mark.parametrize(("inside", "reason"), [
    ("Sign up for our morning newsletter", "sign-up prompt inside the body"),
    ("Ferry fares to rise in May", "teaser of another story"),  # also in the related box
])
def test_prompt_or_lone_headline_inside_the_body_goes(cleaner: DocumentCleaner, inside: str,
                                                      reason: str) -> None:
    page = _clean(cleaner, crawled_dump(PARAGRAPHS, teaser=[inside], credit=["(Alpine Press)"]))
    assert page.text.splitlines() == PARAGRAPHS
    assert page.removed[[line.line for line in page.removed].index(inside)].reason == reason
    assert [outlet_key(cue.outlet) for cue in page.cues] == ["alpinepress"]


@pytest.mark.parametrize("credit", ["This article originally appeared on Alpine Press.",
                                    "Continue reading at Alpine Press", "(Alpine Press)",
                                    "© Alpine Press"])
def test_closing_credit_is_a_cue_naming_the_outlet(cleaner: DocumentCleaner,
                                                   credit: str) -> None:
    page = _clean(cleaner, crawled_dump(PARAGRAPHS, credit=[credit]))
    assert page.text.splitlines() == PARAGRAPHS
    assert [outlet_key(cue.outlet) for cue in page.cues] == ["alpinepress"]


def test_the_sites_own_copyright_line_credits_no_one(cleaner: DocumentCleaner) -> None:
    page = _clean(cleaner, crawled_dump(PARAGRAPHS, credit=["© Harbour Ledger"]))
    assert page.cues == []
    assert page.outlet == "Harbour Ledger"


def test_furniture_word_by_the_masthead_is_not_the_outlet(cleaner: DocumentCleaner) -> None:
    dump = crawled_dump(PARAGRAPHS, masthead_noise=("Prices", "Markets", "Home"))
    assert _clean(cleaner, dump).outlet == "Harbour Ledger"
    widget = dump.replace("Contact us", "© 2019 Widget Systems Inc")
    assert _clean(cleaner, widget).outlet == "Harbour Ledger"


def test_outlet_is_unknown_when_the_page_does_not_say(cleaner: DocumentCleaner) -> None:
    dump = crawled_dump(PARAGRAPHS, masthead_noise=("Prices",), copyright_line=False)
    assert _clean(cleaner, dump).outlet is None


def test_date_from_a_dateline_with_its_year(cleaner: DocumentCleaner) -> None:
    lead = "VALDORNA, March 14, 2026 (Alpine Press) - " + PARAGRAPHS[0]
    page = _clean(cleaner, crawled_dump([lead, *PARAGRAPHS[1:]], byline="By Jane Roe"))
    assert (page.published, page.published_source) == ("2026-03-14", "dateline")
    assert outlet_key(page.cues[0].outlet) == "alpinepress"


def test_dates_in_a_related_list_are_not_the_articles(cleaner: DocumentCleaner) -> None:
    page = _clean(cleaner, crawled_dump(PARAGRAPHS, byline="By Jane Roe"))
    assert page.published is None


def test_html_headline_without_the_site_suffix(cleaner: DocumentCleaner) -> None:
    page = html_page(PARAGRAPHS).replace('<meta property="og:title" content="Carrow tunnel '
                                         'flooded">', "")
    assert cleaner.clean_html(page).title == "Carrow tunnel flooded"
    assert cleaner.clean_html(page).published_source == "meta tag"


def test_a_pile_of_one_story_from_many_sites_in_one_folder(tmp_path: Path) -> None:
    """The headline the reprints share is no furniture, though the pages lie in one folder."""
    for i, site in enumerate(("Harbour Ledger", "Valley Courier", "Northgate Times")):
        write(tmp_path / "pile" / f"page{i}.txt",
              crawled_dump(story(1), site=site, byline=GLUED, credit=["(Alpine Press)"]))
    with Store(tmp_path / "pile.db") as store:
        articles = Ingestor(store).read([str(tmp_path / "pile")])
    assert [a.title for a in articles] == ["Carrow tunnel flooded"] * 3
    assert sorted(a.outlet or "" for a in articles) == ["Harbour Ledger", "Northgate Times",
                                                        "Valley Courier"]
    assert {a.published_source for a in articles} == {"byline"}


def test_a_store_from_before_date_sources_opens_and_migrates(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    write(tmp_path / "in" / "page.txt", crawled_dump(PARAGRAPHS, byline=GLUED))
    with Store(db) as store:  # as a store of schema 9 was: no published_source column
        store.connection.execute("ALTER TABLE articles DROP COLUMN published_source")
        store.connection.execute("PRAGMA user_version = 9")
    with Store(db) as store:
        Ingestor(store).ingest([str(tmp_path / "in")])
        (article,) = store.articles()
    assert (article.published, article.published_source) == ("2025-06-02", "byline")


# A short first paragraph between the byline and a teaser: the model reads it with the
# paragraph after the teaser as its neighbour, as it stands once the teaser is out.
@pytest.mark.parametrize("teaser", [["ALSO READ:", "Ferry fares to rise in May"],
                                    ["Read more: Council budget passes after long night"]])
def test_a_teaser_after_a_short_first_paragraph_keeps_it(cleaner: DocumentCleaner,
                                                         teaser: list[str]) -> None:
    lead = "Port Ellery's busiest road link reopened on Friday after a burst water main flooded it."
    paragraphs = [lead, *PARAGRAPHS[1:]]
    page = _clean(cleaner, crawled_dump(paragraphs, byline=GLUED, teaser=teaser, teaser_at=1,
                                        masthead_noise=SECTIONS))
    assert page.text.splitlines() == paragraphs


# The last paragraph lost its full stop, and a teaser stands before it: it is still the
# body's end, and the credits below it are still read.
def test_a_last_paragraph_without_its_full_stop_is_kept_with_the_credit(
        cleaner: DocumentCleaner) -> None:
    last = LAST_WITHOUT_STOP
    paragraphs = [*PARAGRAPHS[:3], last]
    page = _clean(cleaner, crawled_dump(paragraphs, teaser=["Recommended:",
                                                            "Ferry fares to rise in May"],
                                        credit=["Follow Alpine Press on X and Telegram",
                                                "Read the full article here"]))
    assert page.text.splitlines() == paragraphs
    assert "alpinepress" in {outlet_key(cue.outlet) for cue in page.cues}


@pytest.mark.parametrize("label", ["Source:", "Via:", "SOURCE:"])
def test_a_credit_split_over_two_lines_is_one_credit(cleaner: DocumentCleaner,
                                                     label: str) -> None:
    """"Source:" on its own line and the outlet on the next: a credit, not a list the last
    paragraph announces (the region lines after it stay out of the body)."""
    page = _clean(cleaner, crawled_dump(PARAGRAPHS, credit=[label, "Alpine Press", "Europe",
                                                            "Norway", "Talk to us.Tell us."]))
    assert page.text.splitlines() == PARAGRAPHS
    assert [outlet_key(cue.outlet) for cue in page.cues] == ["alpinepress"]


def test_a_label_over_a_list_of_references_is_no_credit(cleaner: DocumentCleaner) -> None:
    """"Sources:" above titles and dates cited (a fact-check's reference list) credits no
    outlet with the origin of the story."""
    references = ["Advertisement", "Sources:",
                  'Harbour Statistics Office, "Tunnel traffic counts," May 2, 2025',
                  "Email interview with Mara Quist, May 3, 2025"]
    page = _clean(cleaner, crawled_dump(PARAGRAPHS, credit=references))
    assert page.text.splitlines() == PARAGRAPHS
    assert page.cues == []


@pytest.mark.parametrize("tail", [["3h ago"], ["Supplied by"], ["Word count: 512"],
                                  ["Supplied by", "3h ago"]])
def test_short_lines_after_the_last_sentence_are_not_body(cleaner: DocumentCleaner,
                                                         tail: list[str]) -> None:
    page = _clean(cleaner, crawled_dump(PARAGRAPHS, credit=tail))
    assert page.text.splitlines() == PARAGRAPHS


def test_a_list_the_last_paragraph_announces_stays(cleaner: DocumentCleaner) -> None:
    body = [*PARAGRAPHS, "Roads closed until Wednesday:", "Quay Street", "Mill Lane"]
    assert _clean(cleaner, crawled_dump(body)).text.splitlines() == body


def test_credits_are_read_below_the_body_up_to_the_related_box(
        cleaner: DocumentCleaner) -> None:
    """A credit a few furniture lines below the body counts; one inside the "Related" box
    below it belongs to another story."""
    below = ["Tags:", "Tunnels", "Port Ellery", "Roads", "Follow Alpine Press on X"]
    page = _clean(cleaner, crawled_dump(PARAGRAPHS, credit=below))
    assert [outlet_key(cue.outlet) for cue in page.cues] == ["alpinepress"]
    related = crawled_dump(PARAGRAPHS).replace("Related Articles",
                                                "Related Articles\n(Valley Courier)")
    assert _clean(cleaner, related).cues == []
