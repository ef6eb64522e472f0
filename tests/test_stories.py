"""Stories and provenance: clustering, direction evidence, the example story's family tree,
incremental placement, and the story commands."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLES, articles_by_label, run_cli
from newstrace import Collection
from newstrace.ids import text_hash
from newstrace.records import (
    AlignedPassage,
    Alignment,
    Article,
    Cue,
    Related,
    Relation,
    SourceKind,
    Story,
)
from newstrace.runners.config import ReuseConfig
from newstrace.stages.reuse.candidates import CandidateConfig
from newstrace.stages.reuse.embed import load_encoder
from newstrace.stages.stories.agglomerate import agglomerate
from newstrace.stages.stories.cluster import cluster_all
from newstrace.stages.stories.events import event_terms
from newstrace.stages.stories.provenance import edge, trace
from newstrace.stages.stories.record import story_record

ENCODER = load_encoder()


def test_average_linkage_stops_at_the_threshold() -> None:
    edges = {("a", "b"): 0.9, ("b", "c"): 0.8, ("a", "c"): 0.7, ("c", "d"): 0.2,
             ("d", "e"): 0.9}
    assert agglomerate("abcde", edges, 0.5) == [["a", "b", "c"], ["d", "e"]]
    # the two join only when the average over all six pairs (0.2 / 6) reaches the threshold
    assert agglomerate("abcde", edges, 0.04) == [["a", "b", "c"], ["d", "e"]]
    assert agglomerate("abcde", edges, 0.03) == [["a", "b", "c", "d", "e"]]
    assert agglomerate("abc", {}, 0.1) == [["a"], ["b"], ["c"]]


EVENTS = {
    "quake-1": "A magnitude 6.1 earthquake struck Ravenna Province on Monday, said Giulia "
               "Conti of the civil protection agency. Damage was reported in Lugo and Faenza.",
    "quake-2": "Giulia Conti said rescuers reached Lugo after Monday's 6.1 quake in Ravenna "
               "Province, where two churches collapsed in Faenza.",
    "quake-3": "Residents of Faenza slept outdoors after the Ravenna Province earthquake, "
               "Giulia Conti told reporters in Lugo.",
    "other-quake-1": "A magnitude 5.4 earthquake shook Kars Province on Thursday, said Emre "
                     "Yilmaz of the disaster agency. Buildings cracked in Sarikamis.",
    "other-quake-2": "Emre Yilmaz said Thursday's 5.4 tremor in Kars Province damaged homes in "
                     "Sarikamis and Arpacay.",
    "budget": "The Telford council approved a budget of 12 million pounds on Tuesday, said "
              "treasurer Alan Brooks at Telford Town Hall.",
}


def test_look_alike_events_are_separate_stories() -> None:
    groups = cluster_all({key: event_terms(text) for key, text in EVENTS.items()})
    assert sorted(groups) == [["budget"], ["other-quake-1", "other-quake-2"],
                              ["quake-1", "quake-2", "quake-3"]]


def article(article_id: str, *, published: str | None = None, outlet: str | None = None,
            url: str | None = None, cues: list[Cue] | None = None) -> Article:
    text = f"Text of {article_id}."
    return Article(id=article_id, source_path=f"{article_id}.html", kind=SourceKind.HTML,
                   text=text, text_hash=text_hash(text), published=published, outlet=outlet,
                   url=url, cues=cues or [])


def test_direction_follows_credit_over_time() -> None:
    agency = article("agency", published="2026-03-14T10:00", outlet="Alpine Press",
                     url="https://alpinepress.example/a")
    reprint = article("reprint", published="2026-03-14T09:00", outlet="Herald",
                      cues=[Cue("attribution", "Source: Alpine Press", outlet="Alpine Press")])
    found = edge(agency, reprint, "duplicate", {}, 1.0)
    assert (found.source, found.target, found.directed) == ("agency", "reprint", True)
    assert {item.kind for item in found.evidence} == {"credit", "time"}


def test_no_evidence_leaves_an_edge_undirected() -> None:
    found = edge(article("a"), article("b"), "spin", {}, 0.9)
    assert not found.directed and found.confidence == 0.0
    same_day = edge(article("a", published="2026-03-14"),
                    article("b", published="2026-03-14T11:00"), "spin", {}, 0.9)
    assert not same_day.directed and not same_day.evidence


def _row(a: str, b: str, relation: str, confidence: float = 0.9) -> Related:
    return (Relation(a, b, relation, None, confidence, {}),
            Alignment(a, b, [], [], [], {}, paraphrase=False))


def test_tree_prefers_the_surest_source_and_lists_independents() -> None:
    articles = {x.id: x for x in (
        article("base", published="2026-01-01T08:00"),
        article("spin", published="2026-01-01T09:00"),
        article("rewrite", published="2026-01-01T10:00"),
        article("solo", published="2026-01-01"))}
    relations = [_row("base", "spin", "spin", 0.95), _row("base", "rewrite", "rewrite", 0.8),
                 _row("rewrite", "spin", "rewrite", 0.6), _row("base", "solo", "independent")]
    traced = trace("s", articles, relations)
    assert traced.tree == {"spin": "base", "rewrite": "base"}
    assert [origin.article for origin in traced.origins] == ["base"]
    assert traced.independent == ["solo"] and not traced.undecided


def _aligned(a: str, b: str, relation: str, passages: list[tuple[tuple[int, int],
             tuple[int, int]]], unmatched_a: list[tuple[int, int]],
             unmatched_b: list[tuple[int, int]], confidence: float = 0.9) -> Related:
    return (Relation(a, b, relation, None, confidence, {}),
            Alignment(a, b, [AlignedPassage("verbatim", x, y, 1.0) for x, y in passages],
                      unmatched_a, unmatched_b, {}, paraphrase=False))


def test_what_the_rest_of_the_story_echoes_points_a_rewrite_at_its_source() -> None:
    """No times or credits. The base (0-1000) has 600-1000 that the rewrite dropped; the
    rewrite (0-900) added 500-900. The spin paraphrases all of the base, so the story echoes
    the base's own material and none of the rewrite's additions: base -> rewrite."""
    articles = {x.id: x for x in (article("base"), article("rewrite"), article("spin"),
                                  article("solo"))}
    relations = [
        _aligned("base", "rewrite", "rewrite", [((0, 600), (0, 500))], [(600, 1000)],
                 [(500, 900)]),
        _aligned("base", "spin", "spin", [((0, 1000), (0, 1100))], [], []),
        _aligned("rewrite", "spin", "rewrite", [((0, 500), (0, 550))], [(500, 900)],
                 [(550, 1100)], confidence=0.6),
        _aligned("base", "solo", "independent", [((700, 800), (10, 90))], [], [])]
    traced = trace("s", articles, relations)
    found = next(e for e in traced.edges if {e.source, e.target} == {"base", "rewrite"})
    assert (found.source, found.target, found.directed) == ("base", "rewrite", True)
    assert [item.kind for item in found.evidence] == ["echo"]
    spin = next(e for e in traced.edges if {e.source, e.target} == {"base", "spin"})
    assert not spin.directed and not spin.evidence  # a spin has no material of its own
    # The spin -> rewrite edge points the same way for the same reason; the tree takes the
    # surer relation of the two, the base's.
    assert traced.tree["rewrite"] == "base"
    # Without the third articles nothing echoes anything: undecided.
    alone = trace("s", {k: articles[k] for k in ("base", "rewrite")}, relations[:1])
    assert not alone.edges[0].directed


def test_a_story_record_is_labelled_by_its_origin_and_dated_by_its_members() -> None:
    base = article("base", published="2026-01-01T08:00")
    base.title = "Origin headline"
    spin = article("spin", published="2026-01-02T09:00")
    spin.title = "Spun headline"
    later = article("later", published="2026-01-03")
    held = {x.id: x for x in (spin, later, base)}
    traced = trace("s-1", held, [_row("base", "spin", "spin")])
    story = story_record(traced, held)
    assert isinstance(story, Story)
    assert story.label == "Origin headline"  # the origin's, not the earliest member's
    assert (story.articles, story.size) == (["base", "later", "spin"], 3)
    assert (story.first_published, story.last_published) == ("2026-01-01T08:00", "2026-01-03")
    assert [o.article for o in story.origins] == ["base"]
    assert story.independent == ["later"]
    shape = story.as_dict()
    assert list(shape) == ["id", "label", "articles", "size", "first_published",
                           "last_published", "origins", "independent", "undecided", "evidence"]
    assert shape["origins"] == [origin.as_dict() for origin in traced.origins]
    assert json.loads(json.dumps(shape)) == shape  # plain JSON, as the faces print it
    # No origin with a title: the earliest titled member's headline; one article: no evidence.
    alone = {"later": later}
    later.title = "Later headline"
    single = story_record(trace("s-2", alone, []), alone)
    assert (single.label, single.size, single.evidence) == ("Later headline", 1, {})


def test_credits_to_an_outlet_outside_the_story_make_an_external_origin() -> None:
    cue = Cue("attribution", "Source: Alpine Press", outlet="Alpine Press")
    articles = {x.id: x for x in (article("r1", outlet="Herald", cues=[cue]),
                                  article("r2", outlet="Courier", cues=[cue]))}
    traced = trace("s", articles, [_row("r1", "r2", "duplicate")])
    assert [(o.article, o.outlet, o.derivatives) for o in traced.origins] == [
        (None, "Alpine Press", ["r1", "r2"])]
    assert traced.undecided == [["r1", "r2"]]


@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("story") / "demo.db"
    result = run_cli("-q", "analyze", str(EXAMPLES / "articles"), "--db", str(db))
    assert result.exit_code == 0, result.output
    return db


def test_example_story_matches_its_labels(analysed: Path, labels: dict[str, Any]) -> None:
    with Collection(analysed) as news:
        by_label = articles_by_label(news.store)
        origin = by_label[labels["story"]["origin"]]
        traced = news.trace(origin.id)
        stories = news.stories()
    members = set(traced.members)
    relations = {(e.source, e.target): e.relation for e in traced.edges}
    assert [o.article for o in traced.origins] == [origin.id]
    assert traced.origins[0].outlet == labels["story"]["external_origin"]["outlet"]
    assert traced.origins[0].url == labels["story"]["external_origin"]["url"]
    for label in labels["articles"]:
        article_id = by_label[label["key"]].id
        if label["role"] == "derivative":
            assert traced.tree[article_id] == by_label[label["source"]].id, label["key"]
            assert relations[(traced.tree[article_id], article_id)] == label["relation"]
        elif label["role"] == "independent":
            assert article_id in traced.independent, label["key"]
        elif label["role"] == "unrelated":
            assert article_id not in members, label["key"]
    assert len(stories) == 3
    assert stories[0]["label"] == origin.title and stories[0]["articles"] == sorted(members)


def test_credited_agency_missing_becomes_an_external_origin(tmp_path: Path,
                                                           labels: dict[str, Any]) -> None:
    with examples_without(tmp_path, "alpinepress-original.html",
                          "alpinepress-original") as (news, by_label):
        traced = news.trace(by_label["northgate-reprint"].id)
    external = [o for o in traced.origins if o.article is None]
    assert [o.outlet for o in external] == ["Alpine Press Agency"]
    credited = {by_label[k].id for k in ("northgate-reprint", "riverside-reprint",
                                         "aggregator-excerpt")}
    assert credited <= set(external[0].derivatives)


@contextmanager
def examples_without(tmp_path: Path, file_name: str,
                     key: str) -> Iterator[tuple[Collection, dict[str, Article]]]:
    """The example collection without one file (and its label `key`), analysed."""
    folder = tmp_path / "articles"
    shutil.copytree(EXAMPLES / "articles", folder)
    (folder / file_name).unlink()
    with Collection(tmp_path / "c.db", paraphrase=False) as news:
        news.add([str(folder)])
        yield news, articles_by_label_without(news, key)


def articles_by_label_without(news: Collection, missing: str) -> dict[str, Article]:
    stored = list(news.store.articles())
    labels = json.loads((EXAMPLES / "labels.json").read_text(encoding="utf-8"))
    found = {}
    for label in labels["articles"]:
        if label["key"] == missing:
            continue
        matches = [a for a in stored if Path(a.source_path).name == Path(label["file"]).name
                   and (label["record"] is None or label["record"] in (a.source_id, a.url))]
        found[label["key"]] = matches[0]
    return found


@pytest.mark.skipif(ENCODER is None, reason="the paraphrase extra is not installed")
def test_adding_articles_joins_existing_stories(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    shutil.copytree(EXAMPLES / "articles", folder)
    later = tmp_path / "later"
    later.mkdir()
    for name in ("mountain-broadcaster.html", "trendwire-spin.html"):
        (folder / name).rename(later / name)
    with Collection(tmp_path / "c.db") as news:
        news.add([str(folder)])
        before = {s["id"]: set(s["articles"]) for s in news.stories()}
        added = news.add([str(later)])
        after = {s["id"]: set(s["articles"]) for s in news.stories()}
    assert added.stories.placed == 2
    landslide = max(before, key=lambda s: len(before[s]))
    assert landslide in after and len(after[landslide]) == len(before[landslide]) + 2
    assert {k: v for k, v in after.items() if k != landslide} == {
        k: v for k, v in before.items() if k != landslide}


def test_story_commands(analysed: Path, tmp_path: Path) -> None:
    rows = json.loads(run_cli("stories", "--db", str(analysed), "--json").stdout)
    for row in rows:
        assert {"id", "label", "articles", "first_published", "last_published",
                "origins"} <= set(row)
    traced = json.loads(run_cli("trace", rows[0]["id"], "--db", str(analysed),
                                "--json").stdout)
    assert {"story", "origins", "edges", "independent"} <= set(traced)
    for item in traced["edges"]:
        assert {"source", "target", "relation", "confidence", "directed", "evidence"} <= set(
            item)
    tree = run_cli("trace", "trendwire-spin.html", "--db", str(analysed)).stdout
    assert "origin" in tree and "independent reports" in tree and "spin" in tree
    missing = run_cli("stories", "--db", str(tmp_path / "none.db"))
    assert missing.exit_code != 0 and "none.db" in missing.output


def test_analyze_writes_its_summary_and_stories_json(tmp_path: Path) -> None:
    db, out = tmp_path / "c.db", tmp_path / "out"
    result = run_cli("-q", "analyze", str(EXAMPLES / "articles"), "--db", str(db), "--out",
                     str(out), "--json", "--no-paraphrase")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["articles"] == 10
    assert sum(story["size"] for story in summary["story_list"]) == 10
    first = summary["story_list"][0]
    assert first["derivatives"]["duplicate"] and first["origins"]
    written = json.loads((out / "stories.json").read_text(encoding="utf-8"))
    assert [s["id"] for s in written] == [s["id"] for s in summary["story_list"]]
    assert all("trace" in s for s in written)


def test_analyze_again_summarises_only_the_stories_the_run_touched(tmp_path: Path) -> None:
    from pages import jsonl

    first = [{"id": key, "text": text} for key, text in EVENTS.items() if key != "quake-3"]
    (tmp_path / "first.jsonl").write_text(jsonl(first), encoding="utf-8")
    (tmp_path / "later.jsonl").write_text(jsonl([{"id": "quake-3", "text": EVENTS["quake-3"]}]),
                                          encoding="utf-8")
    db = str(tmp_path / "c.db")

    def analyze(path: Path) -> dict[str, Any]:
        result = run_cli("-q", "analyze", str(path), "--db", db, "--json", "--no-paraphrase")
        assert result.exit_code == 0, result.output
        return dict(json.loads(result.stdout))

    everything = analyze(tmp_path / "first.jsonl")
    assert everything["story_list_covers"] == "all"
    later = analyze(tmp_path / "later.jsonl")
    # the earthquake story it joined; not the stories re-clustered with it and left as they were
    assert later["story_list_covers"] == "changed" and later["stories"]["changed"] == 1
    assert later["stories"]["reclustered"] > 3
    assert [story["size"] for story in later["story_list"]] == [3]
    assert later["stories"]["stories"] == len(everything["story_list"])
    again = analyze(tmp_path / "later.jsonl")  # nothing new: every story again
    assert again["story_list_covers"] == "all"
    assert len(again["story_list"]) == len(everything["story_list"])
    text = run_cli("analyze", str(tmp_path / "first.jsonl"), "--db", db, "--no-paraphrase")
    assert "stories" in text.stdout


def test_a_new_article_reclusters_only_the_stories_it_comes_near(tmp_path: Path) -> None:
    from pages import jsonl

    first = [{"id": key, "text": text} for key, text in EVENTS.items() if key != "quake-3"]
    (tmp_path / "first.jsonl").write_text(jsonl(first), encoding="utf-8")
    (tmp_path / "later.jsonl").write_text(jsonl([{"id": "quake-3", "text": EVENTS["quake-3"]}]),
                                          encoding="utf-8")
    with Collection(tmp_path / "c.db", paraphrase=False) as news:
        news.add([str(tmp_path / "first.jsonl")])
        added = news.add([str(tmp_path / "later.jsonl")])
        stories = {frozenset(news.article(a).source_id for a in s["articles"])
                   for s in news.stories()}
    # quake-3 shares "Province" with the other earthquake, nothing with the budget story,
    # which is left as it was
    assert added.stories.placed == 1 and added.stories.reclustered == 5
    assert frozenset({"quake-1", "quake-2", "quake-3"}) in stories
    assert frozenset({"budget"}) in stories


def test_a_wire_story_reprinted_more_widely_than_a_name_may_be_is_still_traced(
        tmp_path: Path) -> None:
    """Thirty outlets reprint one agency story, more than the key limit for names allows
    (set to 10 here; 200 by default): each reprint still joins the story with an edge."""
    wire = json.loads((EXAMPLES / "articles" / "aggregator.jsonl").read_text(
        encoding="utf-8").splitlines()[0])["body"]
    records = [{"id": f"outlet-{n}", "url": f"https://outlet{n}.example/wire/{n}",
                "outlet": f"Outlet {n}", "published": f"2026-03-14T{10 + n // 6}:{n % 6}5:00Z",
                "body": f"{wire}\n\nThis story was published by Outlet {n} with permission."}
               for n in range(30)]
    source = tmp_path / "reprints.jsonl"
    source.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    narrow = ReuseConfig(candidates=CandidateConfig(max_key_articles=10), workers=1)
    with Collection(tmp_path / "c.db", paraphrase=False, reuse=narrow) as news:
        news.add([str(source)])
        stories = news.stories()
        traced = news.trace(stories[0]["id"])
    assert len(stories) == 1 and len(stories[0]["articles"]) == 30
    assert len(traced.tree) == 29 and not traced.independent


def test_one_storys_articles_alone_still_make_one_story(tmp_path: Path) -> None:
    """Without the other stories of the example collection, the landslide's particulars are on
    nearly every article; read as rare as in a larger collection, they still join the two
    independent reports to their story (two stories before the rarity floor)."""
    with examples_without(tmp_path, "riverside-daily-council.txt",
                          "riverside-council") as (news, by_label):
        story_of = {a: s["id"] for s in news.stories() for a in s["articles"]}
    landslide = {key for key, article in by_label.items() if key != "buzzfeedly-gadget"}
    assert len({story_of[by_label[key].id] for key in landslide}) == 1
    assert story_of[by_label["buzzfeedly-gadget"].id] != story_of[by_label[
        "alpinepress-original"].id]
