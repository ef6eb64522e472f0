"""Stories keep look-alike events apart on event-specific evidence (issue 19).

Fixtures written for this test: each article is a short report; the collection is judged as
`cluster_all` judges any collection held in memory, dates resolved against each article's
publication date.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import run_cli
from newstrace import Collection
from newstrace.stages.stories.cluster import ClusterConfig, cluster_all
from newstrace.stages.stories.events import event_terms
from newstrace.stages.stories.signals import (
    ConflictPenalty,
    event_days_conflict,
    event_facts,
    named_versions,
    pair_signals,
    versions_conflict,
)

Report = tuple[str, str, str]  # id, publication date, text


def stories(reports: list[Report]) -> list[list[str]]:
    return cluster_all({doc: event_terms(text) for doc, _, text in reports},
                       facts={doc: event_facts(text, published)
                              for doc, published, text in reports})


def together(groups: list[list[str]], *ids: str) -> bool:
    return any(set(ids) <= set(group) for group in groups)


QUAKES = [
    ("peru-1", "2026-03-02", "A magnitude 6.8 earthquake struck near Arequipa in southern Peru "
     "on Sunday, killing at least 12 people. Peru's civil defence institute INDECI said homes "
     "collapsed in Chivay and Cabanaconde. President Dina Boluarte flew to Arequipa."),
    ("peru-2", "2026-03-02", "The earthquake that shook Arequipa on Sunday killed 12 people, "
     "INDECI said. In Chivay, rescuers searched collapsed adobe homes. Boluarte promised aid "
     "to Cabanaconde and the Colca valley."),
    ("turkey-1", "2026-03-06", "A magnitude 6.1 earthquake hit Izmir province in western "
     "Turkey on Thursday, killing at least 4 people. AFAD said buildings were damaged in "
     "Bornova and Karsiyaka. Interior Minister Ali Yerlikaya visited Izmir."),
    ("turkey-2", "2026-03-06", "The earthquake that shook Izmir on Thursday killed 4 people, "
     "AFAD said. In Bornova, rescuers searched damaged buildings. Yerlikaya promised aid to "
     "Karsiyaka and the Aegean coast."),
]


def test_two_earthquakes_in_one_week_in_different_countries_are_apart() -> None:
    groups = stories(QUAKES)
    assert together(groups, "peru-1", "peru-2")
    assert together(groups, "turkey-1", "turkey-2")
    assert not together(groups, "peru-1", "turkey-1")


RISING = [
    ("early", "2026-03-02", "A magnitude 6.8 earthquake struck near Arequipa in southern "
     "Peru on Sunday, killing 12 people, INDECI said. Homes collapsed in Chivay and "
     "Cabanaconde. President Dina Boluarte flew to Arequipa."),
    ("later", "2026-03-03", "Sunday's magnitude 6.8 earthquake near Arequipa has killed "
     "31 people, INDECI said. Rescuers in Chivay and Cabanaconde found "
     "more bodies. Dina Boluarte declared a state of emergency."),
]


def test_one_earthquake_with_a_rising_death_toll_is_one_story() -> None:
    rising = RISING
    signals = pair_signals(0.5, event_facts(rising[0][2], rising[0][1]),
                           event_facts(rising[1][2], rising[1][1]))
    assert signals["counts_differ"] > 0  # the toll conflicts...
    assert signals["same_day"] == 1.0  # ...but both name the same Sunday
    assert together(stories(rising), "early", "later")


def test_one_companys_two_launches_a_year_apart_are_apart() -> None:
    """They share every name (names' cosine 1.0) and their dates are not used by default;
    the product's number (iPhone 17, iPhone 18) names which launch each reports."""
    groups = stories(LAUNCHES)
    assert together(groups, "launch-2025", "launch-2025b")
    assert together(groups, "launch-2026", "launch-2026b")
    assert not together(groups, "launch-2025", "launch-2026")


LAUNCHES = [
    ("launch-2025", "2025-09-10", "Apple unveiled the iPhone 17 on Tuesday at the Steve "
     "Jobs Theater in Cupertino. Tim Cook said the phone would ship on September 19. "
     "Apple shares rose 2 percent."),
    ("launch-2025b", "2025-09-10", "Tim Cook presented the iPhone 17 at the Steve Jobs "
     "Theater in Cupertino on Tuesday. Apple said orders open on September 12."),
    ("launch-2026", "2026-09-09", "Apple unveiled the iPhone 18 on Tuesday at the Steve "
     "Jobs Theater in Cupertino. Tim Cook said the phone would ship on September 18. "
     "Apple shares fell 1 percent."),
    ("launch-2026b", "2026-09-09", "Tim Cook presented the iPhone 18 at the Steve Jobs "
     "Theater in Cupertino on Tuesday. Apple said orders open on September 11."),
]


def test_a_date_conflict_penalty_when_a_runner_sets_one_keeps_the_launches_apart() -> None:
    """The mechanism works where it is asked for (a collection of one company's yearly
    launches): dates a year apart veto the link, the launches of one day stay together."""
    veto = ClusterConfig(penalty=ConflictPenalty(dates=0.0, slack_days=30))
    groups = cluster_all({doc: event_terms(text) for doc, _, text in LAUNCHES}, config=veto,
                         facts={doc: event_facts(text, published)
                                for doc, published, text in LAUNCHES})
    assert sorted(groups) == [["launch-2025", "launch-2025b"], ["launch-2026", "launch-2026b"]]


FOLLOW_UP = ("trial", "2027-03-02", "The trial of the man accused over the Arequipa "
             "earthquake collapse opened on Monday. The quake of 1 March 2026 killed 31 "
             "people in Chivay and Cabanaconde, INDECI said.")


def test_a_name_numbered_apart_conflicts_and_a_sentence_start_or_a_date_is_no_version() -> None:
    assert named_versions("Apple unveiled the iPhone 17 on Tuesday.") == {
        "iphone": frozenset({"17"})}
    assert named_versions("The Flight 93 memorial and Apollo XI.") == {
        "flight": frozenset({"93"}), "apollo": frozenset({"XI"})}
    assert named_versions("About 100 died. Shares fell 2% on September 19 at Gate 5:30.") == {}
    assert named_versions("Queen Elizabeth II opened it.") == {"elizabeth": frozenset({"II"})}


def test_a_score_or_the_pronoun_i_is_no_version() -> None:
    """A set score beside a player's name and the pronoun of a title-case headline are not a
    name's number: read as one, two reports of one match would be parted."""
    assert named_versions("Fritz beat Ruud 7-6, 6-4 after Fritz 7\u20135 in the first.") == {}
    assert named_versions("Opinion: When I Left Home, So I Wrote") == {}
    assert named_versions("Ranked in the Top 5-10 of Series 3.") == {"series": frozenset({"3"})}
    first, second = (event_facts(text) for _, _, text in LAUNCHES[:3:2])
    same = event_facts(LAUNCHES[1][2])
    assert versions_conflict(first, second)
    assert not versions_conflict(first, same)
    assert not versions_conflict(first, event_facts("Apple shares rose in Cupertino."))


def test_event_days_a_year_apart_conflict_unless_one_names_the_others_day() -> None:
    """Each article's event day is the first day it names, resolved against its publication
    date; a follow-up that names the day of the event it follows does not conflict."""
    launch_2025, _, launch_2026, _ = (event_facts(text, published)
                                      for _, published, text in LAUNCHES)
    assert (launch_2025.event_day, launch_2026.event_day) == ("2025-09-09", "2026-09-08")
    assert event_days_conflict(launch_2025, launch_2026, slack=30)
    assert not event_days_conflict(launch_2025, launch_2026, slack=365)  # 364 days apart
    quake = event_facts(RISING[0][2], RISING[0][1])
    trial = event_facts(FOLLOW_UP[2], FOLLOW_UP[1])
    assert (quake.event_day, trial.event_day) == ("2026-03-01", "2027-03-01")
    assert not event_days_conflict(quake, trial, slack=30)  # the trial names 1 March 2026
    same, next_day = (event_facts(text, published) for _, published, text in NEXT_DAY)
    assert next_day.event_day == "2026-05-04"  # "yesterday" in a report of 5 May
    assert not event_days_conflict(same, next_day, slack=1)
    assert ConflictPenalty(event_days=0.0, event_slack_days=30).factor(
        launch_2025, launch_2026) == 0.0
    assert not ConflictPenalty().active and ClusterConfig().penalty.reads_dates


NEXT_DAY = [
    ("same-day", "2026-05-04", "Police in Leeds arrested Marcus Hale on 4 May after a raid "
     "on a warehouse in Holbeck. West Yorkshire Police said 40 kilograms were seized."),
    ("next-day", "2026-05-05", "Marcus Hale was arrested yesterday in Holbeck, West "
     "Yorkshire Police said. Officers in Leeds seized 40 kilograms at a warehouse."),
]


def test_an_event_reported_the_next_day_as_yesterday_is_one_story() -> None:
    reports = NEXT_DAY
    a, b = (event_facts(text, published) for _, published, text in reports)
    assert "2026-05-04" in a.days and "2026-05-04" in b.days
    assert together(stories(reports), "same-day", "next-day")


ALL_REPORTS = [*QUAKES, *RISING, *LAUNCHES, *NEXT_DAY]


def collection_stories(news: Collection) -> set[frozenset[str]]:
    return {frozenset(str(news.article(a).source_id) for a in story["articles"])
            for story in news.stories()}


@pytest.mark.parametrize("batches", [(6, 2, 2, 2), (8, 3, 1), (10, 1, 1)])
def test_adding_articles_gives_the_stories_of_a_first_run(tmp_path: Path,
                                                          batches: tuple[int, ...]) -> None:
    """The incremental path (each batch under half the collection, so only the stories near
    it are clustered again) ends with the stories a first run over all the articles finds."""
    from pages import jsonl

    records = [{"id": doc, "published": published, "text": text}  # stories interleaved
               for doc, published, text in sorted(ALL_REPORTS, key=lambda r: r[0][::-1])]
    assert sum(batches) == len(records)
    (tmp_path / "all.jsonl").write_text(jsonl(records), encoding="utf-8")
    with Collection(tmp_path / "first.db", paraphrase=False) as news:
        news.add([str(tmp_path / "all.jsonl")])
        first_run = collection_stories(news)
    with Collection(tmp_path / "added.db", paraphrase=False) as news:
        start = 0
        for number, size in enumerate(batches):
            assert 2 * size < start + size or not number  # under half: incremental
            batch = tmp_path / f"batch-{number}.jsonl"
            batch.write_text(jsonl(records[start : start + size]), encoding="utf-8")
            added = news.add([str(batch)])
            assert added.stories.placed == size
            start += size
        assert collection_stories(news) == first_run
    assert len(first_run) >= 4  # the reports are not all one story


# -- stories explain themselves (issue 19, item 4) --------------------------------------------


@pytest.fixture(scope="module")
def reports_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from pages import jsonl

    folder = tmp_path_factory.mktemp("reports")
    records = [{"id": doc, "published": published, "text": text}
               for doc, published, text in ALL_REPORTS]
    (folder / "reports.jsonl").write_text(jsonl(records), encoding="utf-8")
    with Collection(folder / "c.db", paraphrase=False) as news:
        news.add([str(folder / "reports.jsonl")])
    return folder / "c.db"


def _json(*args: str) -> Any:
    result = run_cli(*args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_a_story_carries_its_when_where_who_and_numbers(reports_db: Path) -> None:
    with Collection(reports_db, paraphrase=False) as news:
        quake = news.story("peru-1").evidence
        traced = news.trace("peru-1").as_dict()["evidence"]
    assert traced == quake
    values = {kind: [item["value"] for item in quake[kind]] for kind in ("when", "where", "who")}
    # "Sunday" resolved against each article's publication date (2 and 3 March)
    assert [day[:10] for day in values["when"]] == ["2026-03-01"]
    assert {"Arequipa", "Chivay"} <= set(values["where"])
    assert "INDECI" in values["who"]
    toll = next(n for n in quake["numbers"] if n["what"] == "people")
    assert toll["values"] == [12, 31] and not toll["agree"]  # the toll rose: shown, not hidden
    listed = _json("stories", "--db", str(reports_db), "--json")
    assert all(story["evidence"]["members"] for story in listed)


def test_why_two_articles_are_in_one_story(reports_db: Path) -> None:
    record = _json("why", "early", "later", "--db", str(reports_db), "--json")
    assert record["same_story"] and record["stories"][0] == record["stories"][1]
    assert {"Arequipa", "Chivay"} <= set(record["evidence"]["shared"]["where"])
    assert record["evidence"]["conflicts"] == [
        {"kind": "count", "what": "people", "a": [12], "b": [31]}]
    assert record["similarity"] >= record["threshold"]


def test_why_look_alike_events_are_apart(reports_db: Path) -> None:
    record = _json("why", "peru-1", "turkey-1", "--db", str(reports_db), "--json")
    assert not record["same_story"]
    assert record["similarity"] < record["threshold"]
    kinds = {conflict["kind"] for conflict in record["evidence"]["conflicts"]}
    assert "dates" in kinds  # Sunday 1 March against Thursday 5 March
    assert any("under the threshold" in reason for reason in record["reasons"])
    shown = run_cli("why", "peru-1", "turkey-1", "--db", str(reports_db))
    assert shown.exit_code == 0 and "two stories" in shown.stdout
    missing = run_cli("why", "peru-1", "no-such-article", "--db", str(reports_db))
    assert missing.exit_code == 1 and "no-such-article" in missing.output


def test_the_story_page_lists_its_evidence_escaped(tmp_path: Path) -> None:
    from pages import jsonl

    text = ("Shares in Smith&Wesson <Holdings> fell on Monday after Ana O'Neill of "
            "Harrow&Vale said in Leeds that 40 jobs would go.")
    records = [{"id": f"r{n}", "published": "2026-04-07", "text": text + extra}
               for n, extra in enumerate(("", " Unions in Leeds objected."))]
    (tmp_path / "r.jsonl").write_text(jsonl(records), encoding="utf-8")
    db = str(tmp_path / "c.db")
    with Collection(db, paraphrase=False) as news:
        news.add([str(tmp_path / "r.jsonl")])
    assert run_cli("report", "--all", "--out", str(tmp_path / "out"), "--db", db).exit_code == 0
    page = next((tmp_path / "out").glob("story-*.html")).read_text(encoding="utf-8")
    held = page[page.index('id="evidence"'):page.index('id="graph"')]
    assert "Leeds" in held and "2026-04-06 (on Monday)" in held
    assert "Harrow&amp;Vale" in held and "Harrow&Vale" not in held
    assert "<Holdings>" not in page
    assert "Shares with the others" in page


@pytest.mark.parametrize("penalty", [ConflictPenalty(dates=0.0, slack_days=30),
                                     ConflictPenalty(event_days=0.0, event_slack_days=30)])
def test_the_local_and_memory_runners_apply_a_conflict_penalty_alike(
        tmp_path: Path, penalty: ConflictPenalty) -> None:
    """(Spark reads the same facts, `article_facts`: tests/test_spark.py.)"""
    from newstrace.runners.memory import group_stories, read_articles, relate_in_memory
    from pages import jsonl

    veto = ClusterConfig(penalty=penalty)
    source = tmp_path / "launches.jsonl"
    source.write_text(jsonl([{"id": doc, "published": published, "text": text}
                             for doc, published, text in LAUNCHES]), encoding="utf-8")
    with Collection(tmp_path / "c.db", paraphrase=False, clustering=veto) as news:
        news.add([str(source)])
        local = collection_stories(news)
    articles = read_articles([str(source)])
    grouped = group_stories(articles, relate_in_memory(list(articles.values()), None), veto)
    in_memory = {frozenset(str(articles[a].source_id) for a in members)
                 for members in grouped.values()}
    assert local == in_memory == {frozenset({"launch-2025", "launch-2025b"}),
                                  frozenset({"launch-2026", "launch-2026b"})}
