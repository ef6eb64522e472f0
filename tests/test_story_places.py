"""Where an event happened keeps look-alike events apart (issue 19, item 1), and a big
story's own names stay evidence however common they are (item 2).

Fixtures written for this test: short reports of two housing schemes of one name in two
towns, and of one council vote whose reports name the town in a dateline or in the body.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from conftest import run_cli
from newstrace import Collection
from newstrace.stages.stories.cluster import ClusterConfig, cluster_all
from newstrace.stages.stories.events import event_terms, similarity_edges
from newstrace.stages.stories.evidence import ArticleEvidence, pair_evidence, story_evidence
from newstrace.stages.stories.places import places_conflict, read_places
from newstrace.stages.stories.signals import ConflictPenalty, event_facts, penalty_facts

Report = tuple[str, str, str]  # id, publication date, text

SCHEMES = [
    ("cormoor-1", "2026-05-04", "Harlow Homes won approval on Monday for the Mill Lane housing "
     "scheme in Cormoor, 240 homes on the old Brindle Works site. Dana Whitlock of Harlow Homes "
     "said building would start in the autumn. Residents in Cormoor had objected to the height "
     "of the blocks. Homes England will fund the Mill Lane road works."),
    ("cormoor-2", "2026-05-05", "The Mill Lane housing scheme in Cormoor was approved on Monday. "
     "Harlow Homes plans 240 homes at the Brindle Works, said Dana Whitlock. Homes England "
     "backs the Mill Lane road works; objectors in Cormoor fear the traffic."),
    ("penbridge-1", "2026-05-06", "Harlow Homes won approval on Wednesday for the Mill Lane "
     "housing scheme in Penbridge, 180 homes beside the Askew Mill. Dana Whitlock of Harlow "
     "Homes said work would start next spring. Residents in Penbridge had asked for a new "
     "school. Homes England will fund the Mill Lane road works."),
    ("penbridge-2", "2026-05-07", "The Mill Lane housing scheme in Penbridge was approved on "
     "Wednesday. Harlow Homes plans 180 homes at the Askew Mill, said Dana Whitlock. Homes "
     "England backs the Mill Lane road works; parents in Penbridge want a school."),
]

VOTE = [
    ("dateline", "2026-06-02", "CALDERBY, June 2 - The Calderby council voted on Tuesday to close "
     "the Wrenfield library branch, saving £420,000 a year. Councillor Amara Osei said the "
     "Wrenfield branch had lost half its visitors since 2019."),
    ("body", "2026-06-03", "A library branch in Wrenfield will close after a council vote on "
     "Tuesday in Calderby. Amara Osei said the branch saves £420,000 a year. Readers in "
     "Wrenfield will be served by a mobile library."),
]


def stories(reports: list[Report], config: ClusterConfig | None = None) -> list[list[str]]:
    config = config or ClusterConfig()
    return cluster_all({doc: event_terms(text) for doc, _, text in reports}, config=config,
                       facts={doc: penalty_facts(text, published, config.penalty)
                              for doc, published, text in reports})


def together(groups: list[list[str]], *ids: str) -> bool:
    return any(set(ids) <= set(group) for group in groups)


def test_a_dateline_and_a_place_named_twice_are_read_as_the_event_place() -> None:
    assert read_places(VOTE[0][2]).event == {"calderby"}
    assert read_places("Homes in Cormoor and near Cormoor flooded; one in Penbridge.").event \
        == {"cormoor"}
    assert read_places("Homes in Cormoor flooded; one in Penbridge.").event == set()  # tied
    assert read_places("UPDATE - Prices rose in March and in March again.").event == set()


def test_places_conflict_only_when_neither_names_the_others_place() -> None:
    cormoor = read_places("The scheme in Cormoor was approved; objectors in Cormoor wait.")
    penbridge = read_places("The scheme in Penbridge was approved; parents in Penbridge wait.")
    compared = read_places("The scheme in Penbridge, like one in Cormoor, was approved in "
                           "Penbridge.")
    assert places_conflict(cormoor, penbridge)
    assert not places_conflict(cormoor, compared)  # it names Cormoor
    assert not places_conflict(cormoor, read_places("No place is named here."))


def test_two_housing_schemes_of_one_name_in_two_towns_are_apart() -> None:
    shipped = ClusterConfig().penalty
    without = ClusterConfig(penalty=replace(shipped, places=1.0, days_and_counts=1.0))
    merged = stories(SCHEMES, without)
    assert together(merged, "cormoor-1", "penbridge-1")  # their names alone join them
    # (their days and counts differ too: the place conflict alone parts them)
    places_alone = stories(SCHEMES, ClusterConfig(penalty=replace(shipped, days_and_counts=1.0)))
    assert not together(places_alone, "cormoor-1", "penbridge-1")
    groups = stories(SCHEMES)
    assert together(groups, "cormoor-1", "cormoor-2")
    assert together(groups, "penbridge-1", "penbridge-2")
    assert not together(groups, "cormoor-1", "penbridge-1")


def test_one_event_named_in_a_dateline_and_in_a_body_is_one_story() -> None:
    assert together(stories(VOTE), "dateline", "body")


def test_the_place_conflict_is_evidence_in_why_and_in_the_story(tmp_path: Path) -> None:
    from pages import jsonl

    source = tmp_path / "schemes.jsonl"
    source.write_text(jsonl([{"id": doc, "published": published, "text": text}
                             for doc, published, text in SCHEMES]), encoding="utf-8")
    with Collection(tmp_path / "c.db", paraphrase=False) as news:
        news.add([str(source)])
        record = news.why("cormoor-1", "penbridge-1")
        held = news.story("cormoor-1").evidence
    assert not record["same_story"]
    assert {"kind": "place", "a": ["cormoor"], "b": ["penbridge"]} in \
        record["evidence"]["conflicts"]
    assert any("neither names the other's place" in reason for reason in record["reasons"])
    assert record["conflict_factor"] == 0.0
    assert held["event_places"] == [{"value": "cormoor", "articles": 2}]
    out = tmp_path / "report"
    assert run_cli("report", "--all", "--out", str(out), "--db",
                   str(tmp_path / "c.db")).exit_code == 0
    pages = [page.read_text(encoding="utf-8") for page in out.glob("story-*.html")]
    sections = [page[page.index('id="evidence"'):page.index('id="graph"')] for page in pages
                if 'id="evidence"' in page]
    assert any("<dt>Event place</dt><dd>Cormoor" in held for held in sections)
    assert any("<dt>Event place</dt><dd>Penbridge" in held for held in sections)


def test_pair_and_story_evidence_read_the_places_of_each_article() -> None:
    first, second = (ArticleEvidence(event_facts(text, published))
                     for _, published, text in SCHEMES[::2])
    kinds = [c["kind"] for c in pair_evidence(first, second)["conflicts"]]
    assert "place" in kinds
    places = story_evidence({"a": first, "b": second})["event_places"]
    assert places == [{"value": "cormoor", "articles": 1}, {"value": "penbridge", "articles": 1}]


def test_a_name_too_common_to_make_a_candidate_still_counts_in_the_score() -> None:
    """"Cormoor" is on all three articles, over a cap of 2: it makes no candidate, but a
    pair that shares a rarer name is scored on Cormoor too (as rare terms alone it would
    not be)."""
    vectors = {"a": {1: 0.6, 2: 0.8}, "b": {1: 0.6, 2: 0.8}, "c": {2: 1.0}}
    edges = similarity_edges(vectors, max_term_articles=2)
    assert set(edges) == {("a", "b")}  # c shares only the common term: no candidate
    assert abs(edges[("a", "b")] - 1.0) < 1e-6  # 0.36 from the rare term, 0.64 the common
    rare_only = ClusterConfig(score_common_terms=False)
    assert rare_only.penalty == ConflictPenalty(versions=0.0, places=0.0, days_and_counts=0.0)


def test_adding_the_schemes_gives_the_stories_of_a_first_run(tmp_path: Path) -> None:
    """The incremental path (batches under half the collection) applies the place veto as a
    first run does, copies parted included."""
    from pages import jsonl
    from test_story_events import collection_stories

    records = [{"id": doc, "published": published, "text": text}
               for doc, published, text in sorted(SCHEMES + VOTE, key=lambda r: r[0][::-1])]
    (tmp_path / "all.jsonl").write_text(jsonl(records), encoding="utf-8")
    with Collection(tmp_path / "first.db", paraphrase=False) as news:
        news.add([str(tmp_path / "all.jsonl")])
        first_run = collection_stories(news)
    with Collection(tmp_path / "added.db", paraphrase=False) as news:
        for number, (start, end) in enumerate(((0, 4), (4, 5), (5, 6))):
            batch = tmp_path / f"batch-{number}.jsonl"
            batch.write_text(jsonl(records[start:end]), encoding="utf-8")
            news.add([str(batch)])
        assert collection_stories(news) == first_run
    assert {frozenset({"cormoor-1", "cormoor-2"}), frozenset({"dateline", "body"})} <= first_run
