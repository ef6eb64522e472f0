"""Two events of one kind in one town are kept apart by their days and numbers (issue 19,
item 1), and credit lines are no event evidence (the numbered-name reader).

Fixtures written for this test: reports of two council spending decisions in one town, by
one council and one leader, six weeks apart, with their own sums and counts (the look-alikes
the generated pile plants); a reprint of the first published a week late; two reprints of
one wire story crediting two numbered outlets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import run_cli
from newstrace import Collection
from newstrace.stages.stories.cluster import ClusterConfig
from newstrace.stages.stories.signals import (
    ConflictPenalty,
    another_event,
    counts_apart,
    event_days_conflict,
    event_facts,
    named_versions,
    versions_conflict,
)
from test_story_events import collection_stories
from test_story_places import stories, together  # clustered as cluster_all clusters them

CENTRE = [
    ("centre-1", "2026-03-04", "Ashcombe District Council approved £2.4m for the Ashcombe "
     "leisure centre on Tuesday, officials said. Its 3,200 members in Ashcombe use the old "
     "pool, council leader Rita Vance said. Work is due to start in June."),
    ("centre-2", "2026-03-05", "On Tuesday Ashcombe District Council agreed to spend £2.4m on "
     "the leisure centre in Ashcombe. Rita Vance, the council leader, said 3,200 members in "
     "Ashcombe use the pool."),
]
LIBRARY = [
    ("library-1", "2026-04-15", "Ashcombe District Council approved £650,000 for the Ashcombe "
     "library on Monday, officials said. Its 900 members in Ashcombe use the old "
     "library, council leader Rita Vance said. Work is due to start in June."),
    ("library-2", "2026-04-16", "On Monday Ashcombe District Council agreed to spend £650,000 "
     "on the library in Ashcombe. Rita Vance, the council leader, said 900 members in "
     "Ashcombe use the library."),
]
# The first report reprinted a week on: "on Tuesday" now resolves to the next Tuesday.
LATE_REPRINT = ("centre-late", "2026-03-11", CENTRE[0][2])


def test_two_decisions_of_one_council_in_one_town_on_other_days_are_apart() -> None:
    """They share the town, the council and its leader; only the day and the sums differ.
    Without the conflict their names join them."""
    reports = CENTRE + LIBRARY
    groups = stories(reports)
    assert together(groups, "centre-1", "centre-2")
    assert together(groups, "library-1", "library-2")
    assert not together(groups, "centre-1", "library-1")
    shipped = ClusterConfig()
    ignored = replace(shipped, penalty=replace(shipped.penalty, days_and_counts=1.0))
    assert together(stories(reports, ignored), "centre-1", "library-1")


def test_days_apart_or_counts_apart_alone_part_nothing() -> None:
    """A conflict needs the event days apart and two counted things apart."""
    centre, library = event_facts(CENTRE[0][2], CENTRE[0][1]), event_facts(
        LIBRARY[0][2], LIBRARY[0][1])
    assert (centre.event_day, library.event_day) == ("2026-03-03", "2026-04-13")
    assert another_event(centre, library)
    same_sums = event_facts(LIBRARY[0][2].replace("£650,000", "£2.4m").replace("900", "3,200"),
                            LIBRARY[0][1])
    assert event_days_conflict(centre, same_sums) and not another_event(centre, same_sums)
    one_apart = event_facts(LIBRARY[0][2].replace("£650,000", "£2.4m"), LIBRARY[0][1])
    assert counts_apart(centre, one_apart) == 1  # a follow-up weeks on, one number moved
    assert not another_event(centre, one_apart) and another_event(centre, one_apart, apart=1)
    next_day_toll = event_facts(CENTRE[1][2].replace("3,200", "3,500"), CENTRE[1][1])
    assert not another_event(centre, next_day_toll)  # a count rose, the day is the same
    assert ConflictPenalty(days_and_counts=0.0).factor(centre, library) == 0.0


def test_a_reprint_a_week_late_names_the_same_weekday_and_stays_in_its_story() -> None:
    first, late = (event_facts(text, published) for _, published, text in
                   (CENTRE[0], LATE_REPRINT))
    assert (first.event_day, late.event_day) == ("2026-03-03", "2026-03-10")
    assert first.event_weekday == late.event_weekday == "tuesday"
    assert not event_days_conflict(first, late)
    assert event_days_conflict(first, late, weekday_slack=0)  # which week is the guess
    groups = stories([*CENTRE, LATE_REPRINT, *LIBRARY])
    assert together(groups, "centre-1", "centre-2", "centre-late")


WIRE = ("The Harbour Board approved the Flight 93 memorial garden on Tuesday, its chairman "
        "Owen Price said. The garden will open in May.")


def test_credit_lines_and_outlet_names_are_no_numbered_names() -> None:
    """Two reprints credit "Outlet 3" and "Outlet 7": where each copy ran, not two events."""
    third = named_versions(f"{WIRE}\n\nThis story was published by Outlet 3 with permission.")
    seventh = named_versions(f"{WIRE} First published in Outlet 7.")
    assert third == seventh == {"flight": frozenset({"93"})}
    assert named_versions(f"{WIRE} By a reporter of Outlet 12.", ["Outlet 12"]) == third
    assert named_versions(f"{WIRE} By a reporter of Outlet 12.") != third  # not a credit
    assert not versions_conflict(
        event_facts(f"{WIRE} Source: Outlet 3."), event_facts(f"{WIRE} Source: Outlet 7."))
    assert versions_conflict(event_facts(WIRE), event_facts(WIRE.replace("93", "77")))


def test_reprints_crediting_numbered_outlets_are_one_story(tmp_path: Path) -> None:
    """Each reprint's own outlet ("Outlet 4") and credit are no versions in the product."""
    from pages import jsonl

    records = [{"id": f"reprint-{n}", "outlet": f"Outlet {n}", "published": "2026-03-04",
                "text": f"{WIRE} Owen Price, chairman of Outlet {n}'s partner board, spoke.\n\n"
                        f"This story was published by Outlet {n} with permission."}
               for n in (3, 4, 7)]
    (tmp_path / "reprints.jsonl").write_text(jsonl(records), encoding="utf-8")
    with Collection(tmp_path / "c.db", paraphrase=False) as news:
        news.add([str(tmp_path / "reprints.jsonl")])
        (story,) = news.stories()
        first, *_, last = story["articles"]
        conflicts = news.why(first, last)["evidence"]["conflicts"]
    assert not [conflict for conflict in conflicts if conflict["kind"] == "version"]


def test_why_says_the_events_fall_on_other_days(tmp_path: Path) -> None:
    from pages import jsonl

    records = [{"id": doc, "published": published, "text": text}
               for doc, published, text in CENTRE + LIBRARY]
    (tmp_path / "r.jsonl").write_text(jsonl(records), encoding="utf-8")
    db = tmp_path / "c.db"
    with Collection(db, paraphrase=False) as news:
        news.add([str(tmp_path / "r.jsonl")])
        ids = {str(news.article(a).source_id): a for s in news.stories() for a in s["articles"]}
        why = news.why(ids["centre-1"], ids["library-1"])
    assert not why["same_story"] and why["conflict_factor"] == 0.0
    kinds = {conflict["kind"] for conflict in why["evidence"]["conflicts"]}
    assert {"event day", "count"} <= kinds
    assert any("2026-03-03 against 2026-04-13" in reason for reason in why["reasons"])
    result = run_cli("why", ids["centre-1"], ids["library-1"], "--db", str(db))
    assert result.exit_code == 0
    assert "neither names the other's day" in " ".join(result.output.split())  # wrapped


@pytest.mark.parametrize("batches", [
    # the library's second report, then the late reprint, each into an analysed collection
    ((*CENTRE, LIBRARY[0]), (LIBRARY[1],), (LATE_REPRINT,)),
    # two steps: the centre's story with its reprint, then the library's two reports, which
    # only the days-and-counts conflict keeps out of it
    ((*CENTRE, LATE_REPRINT), tuple(LIBRARY)),
])
def test_adding_the_decisions_gives_the_stories_of_a_first_run(
        tmp_path: Path, batches: tuple[tuple[tuple[str, str, str], ...], ...]) -> None:
    from pages import jsonl

    def written(name: str, reports: Sequence[tuple[str, str, str]]) -> str:
        records = [{"id": doc, "published": published, "text": text}
                   for doc, published, text in reports]
        (tmp_path / name).write_text(jsonl(records), encoding="utf-8")
        return str(tmp_path / name)

    everything = [report for batch in batches for report in batch]
    with Collection(tmp_path / "first.db", paraphrase=False) as news:
        news.add([written("all.jsonl", everything)])
        first = collection_stories(news)
    with Collection(tmp_path / "added.db", paraphrase=False) as news:
        for number, batch in enumerate(batches):
            added = news.add([written(f"b{number}.jsonl", batch)])
            # after the first, each batch is under half the collection: the incremental path
            assert not number or 2 * added.stories.placed < news.store.count()
        assert not added.stories.code_changed
        assert collection_stories(news) == first
    assert frozenset({"centre-1", "centre-2", "centre-late"}) in first
    assert frozenset({"library-1", "library-2"}) in first


CREDITED = [
    ("library", "2026-03-04", "Harlow council approved the Elm Street library on Monday. Mayor "
     "Ruth Kemp said it would open in May. This article first appeared in The Brackbridge "
     "Post."),
    ("robbery", "2026-03-05", "Denby police arrested two men on Friday after a robbery at the "
     "Oakfield Garage, Inspector Sam Doyle said. This article first appeared in The "
     "Brackbridge Post."),
]


def test_two_stories_reprinted_from_one_outlet_do_not_share_its_name() -> None:
    """A credit sentence inside a paragraph (the cleaner takes whole credit lines out) gives
    no event terms: the outlet both credit is where they ran, not what happened."""
    from newstrace.stages.stories.events import event_term_strings

    terms = event_term_strings(CREDITED[0][2])
    assert "@ruth kemp" in terms and not any("brackbridge" in term for term in terms)
    assert not together(stories(CREDITED), "library", "robbery")
    uncredited = [(doc, day, text.replace("This article", "The Brackbridge Post said this"))
                  for doc, day, text in CREDITED]  # news about the outlet: evidence again
    assert any("brackbridge" in term for term in event_term_strings(uncredited[0][2]))
