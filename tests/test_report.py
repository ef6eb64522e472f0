"""The static report: side-by-side marks, the graph layout, the facts panel (against the facts
contract's shape), escaping of hostile article strings, and the `report` command."""

from __future__ import annotations

import re
import sqlite3
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import escape

from conftest import articles_by_label, run_cli
from newstrace import Collection
from newstrace.report import ReportSource, write_report
from newstrace.report.facts import edge_fact_marks, facts_panel
from newstrace.report.graph import NodeInfo, layout
from newstrace.report.links import Links, external_href, safe_name
from newstrace.report.marks import Mark, pieces, relation_marks
from newstrace.report.render import Renderer
from report_fixtures import (
    HOSTILE_LINES,
    HOSTILE_OUTLET,
    HOSTILE_TITLE,
    FactsCollection,
    example_facts,
)


def test_pieces_cut_at_every_boundary_and_keep_the_strongest_kind() -> None:
    text = "One two three. Four five six. Seven."
    marks = [Mark("unmatched", 0, 14), Mark("verbatim", 4, 29, link="p1", number=1),
             Mark("altered", 20, 24, link="f1", note="was 4")]
    cut = pieces(text, marks, "L")
    assert "".join(p.text for p in cut) == text
    assert [(p.text, p.kind) for p in cut] == [
        ("One ", "unmatched"), ("two three.", "verbatim"), (" Four ", "verbatim"),
        ("five", "verbatim"), (" six.", "verbatim"), (" Seven.", None)]
    numbered = [p for p in cut if p.number]
    assert len(numbered) == 1 and numbered[0].anchor == "L-p1"
    assert {p.link for p in cut if p.kind == "verbatim"} == {"p1"}
    altered = next(p for p in cut if p.altered)
    assert altered.text == "five" and altered.title == "was 4"
    assert altered.classes == "m-verbatim m-altered"


def test_marks_out_of_range_are_ignored() -> None:
    cut = pieces("short", [Mark("verbatim", 3, 99), Mark("added", 10, 20)], "R")
    assert "".join(p.text for p in cut) == "short"
    assert [p.kind for p in cut] == [None, "verbatim"]


def test_relation_marks_follow_the_column_sides() -> None:
    record = {"a": "x", "b": "y", "passages": [
        {"kind": "verbatim", "a": [0, 5], "b": [10, 15]},
        {"kind": "paraphrase", "a": [6, 9], "b": [0, 4]}],
        "unmatched": {"a": [[20, 30]], "b": []}}
    left, right = relation_marks(record, left_is_a=False)  # left column shows b
    assert [(m.kind, m.start, m.number) for m in left if m.link] == [
        ("paraphrase", 0, 1), ("verbatim", 10, 2)]
    assert [(m.kind, m.start) for m in right] == [("paraphrase", 6), ("verbatim", 0),
                                                  ("unmatched", 20)]


def test_links_never_point_at_script_urls() -> None:
    assert external_href("javascript:alert(1)") is None
    assert external_href(" JAVASCRIPT:alert(1)") is None
    assert external_href("data:text/html,<b>") is None
    assert external_href("https://example.org/a") == "https://example.org/a"
    assert safe_name("a1b2c3") == "a1b2c3"
    assert re.fullmatch(r"h[0-9a-f]{20}", safe_name("../../etc/passwd"))
    assert Links(static=False).article("a/b?c") == "/article/a%2Fb%3Fc"


def test_graph_puts_origins_on_top_and_independents_apart() -> None:
    trace = {"origins": [{"article": "o", "outlet": "Agency"},
                         {"article": None, "outlet": "Wire", "derivatives": ["w"]}],
             "edges": [{"source": "o", "target": "d", "relation": "spin", "confidence": 0.8,
                        "relation_confidence": 0.9, "directed": True},
                       {"source": "d", "target": "e", "relation": "duplicate",
                        "confidence": 0.5, "relation_confidence": 1.0, "directed": True}],
             "tree": {"d": "o", "e": "d"}, "independent": ["i"], "undecided": []}
    info = {key: NodeInfo(key.upper(), "title", "") for key in "odewi"}
    view = layout(trace, info, lambda a: f"/a/{a}", lambda s, t: f"/e/{s}/{t}")
    nodes = {node.id: node for node in view.nodes}
    assert nodes["o"].y == nodes["external:1"].y < nodes["d"].y < nodes["e"].y
    assert nodes["w"].y == nodes["d"].y  # credited the external origin: under it
    assert nodes["i"].role == "independent" and nodes["i"].y > nodes["e"].y
    assert nodes["external:1"].role == "external" and nodes["external:1"].href is None
    assert nodes["d"].badge == "spin 90% · direction 80%"
    assert nodes["d"].badge_href == "/e/o/d"
    assert {edge.kind for edge in view.edges} == {"spin", "duplicate", "credit"}
    assert [band.title.startswith("Independent") for band in view.bands] == [True]
    fan = {"origins": [{"article": "o"}], "independent": [], "undecided": [],
           "tree": {f"c{i}": "o" for i in range(12)} | {"g": "c0"},
           "edges": [{"source": "o", "target": f"c{i}", "confidence": 0.9,
                      "relation_confidence": 1.0, "directed": True,
                      "relation": "duplicate" if i % 3 else "excerpt"} for i in range(12)]
           + [{"source": "c0", "target": "g", "relation": "spin", "confidence": 0.6,
               "relation_confidence": 0.8, "directed": True}]}
    fanned = {node.id: node for node in layout(fan, {}, str, lambda s, t: None).nodes}
    # a source with many derivatives: its leaves by relation in one box each; c0 has a child
    assert set(fanned) == {"o", "c0", "g", "group:o:duplicate", "group:o:excerpt"}
    assert fanned["group:o:duplicate"].outlet == "8 duplicates"
    assert fanned["group:o:excerpt"].outlet == "3 excerpts" and fanned["g"].y > fanned["c0"].y
    single = layout({"members": ["x"], "origins": [], "edges": [], "tree": {},
                     "independent": [], "undecided": []}, info, str, lambda s, t: None)
    assert [node.id for node in single.nodes] == ["x"] and single.height > 0


def test_facts_panel_reads_the_contract_shape(example_db: Path) -> None:
    facts = example_facts(example_db)
    panel = facts_panel(facts, lambda article: f"name-{article[:4]}")
    assert panel.available and not panel.empty
    assert [v.value for v in panel.conflicts[0].values] == ["38", "around 60"]
    assert panel.altered[0].before == "about 4 kilometres"
    assert len(panel.additions) == 2 and panel.additions[0].sources[0].name.startswith("name-")
    assert panel.altered_quotes[0].speaker == "Tomas Reinholt"
    assert not facts_panel(None, str).available


def test_edge_marks_show_altered_facts_and_additions(example_db: Path) -> None:
    facts = example_facts(example_db)
    altered = facts["altered_facts"][0]
    source, target = altered["source"], altered["target"]
    left, right = edge_fact_marks(facts, source, target, 10_000, 10_000)
    assert [(m.kind, [m.start, m.end]) for m in left] == [("altered", altered["source_span"])]
    assert sorted(m.kind for m in right) == ["added", "added", "altered"]
    assert {m.link for m in left + right if m.kind == "altered"} == {"f1"}
    # the other way round (the derivative on the left) the marks follow their articles
    left, right = edge_fact_marks(facts, target, source, 10_000, 10_000)
    assert [m.kind for m in left] == ["altered"] and [m.kind for m in right] == ["altered"]
    assert edge_fact_marks(None, source, target, 10, 10) == ([], [])


def test_report_shows_the_facts_stage_findings_on_the_example(example_db: Path,
                                                               tmp_path: Path) -> None:
    """Real facts (not the fixture): the planted altered number, the added sentences and the
    independent reports' conflict, on the story page and marked in the side by side."""
    with Collection(example_db, paraphrase=False) as collection:
        summary = write_report(ReportSource(collection), tmp_path)
        found = articles_by_label(collection.store)
        story = collection.story(found["alpinepress-original"].id)
    assert summary.facts
    links = Links(static=True)
    page = (tmp_path / links.story(story["id"])).read_text(encoding="utf-8")
    panel = page.split('id="facts"')[1]
    assert "about 14 kilometres" in panel and "about 4 kilometres" in panel
    assert "38 residents" in panel and "60 residents" in panel
    # the conflicts' readable subjects (the counted noun or unit in words, a phrase of the text)
    assert "residents of Pralunga" in panel and "distance in km (south of Sankt Brennö)" in panel
    assert "Experts have long warned" in panel and "Locals say the line" in panel
    original, rewrite = found["alpinepress-original"], found["buzzfeedly-rewrite"]
    edge = (tmp_path / links.edge(original.id, rewrite.id)).read_text(encoding="utf-8")
    assert re.search(r'data-fact="f\d+"[^>]*>about 14 kilometres', edge) or re.search(
        r'data-fact="f\d+"[^>]*>14 kilometres', edge)
    assert re.search(r'class="m-added"[^>]*>Experts have long warned', edge)


def _pages(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.html")}


@pytest.fixture(scope="module")
def report(example_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("report")
    facts = example_facts(example_db)
    with FactsCollection(example_db, {facts["story"]: facts}, paraphrase=False) as collection:
        summary = write_report(ReportSource(collection), folder)
    assert summary.facts and summary.stories >= 3
    return folder


def test_report_pages_are_self_contained_under_a_strict_policy(report: Path) -> None:
    pages = _pages(report)
    assert "index.html" in pages and len(pages) > 20
    renderer = Renderer(Links(static=True))
    for name, text in pages.items():
        assert f'content="{escape(renderer.csp)}"' in text, name
        assert "unsafe-inline" not in text and "unsafe-eval" not in text
        # nothing loaded from anywhere: no src attribute, no stylesheet link, no @import
        assert not re.search(r"<(script|img|iframe|link)\b[^>]*\b(src|href)=", text), name
        assert "@import" not in text and "url(http" not in text
        for target in re.findall(r'href="([^"#:]+\.html)', text):
            assert (report / target).exists(), f"{name} links to missing {target}"


def test_story_page_shows_tree_timeline_facts_and_relations(report: Path,
                                                            example_db: Path) -> None:
    with Collection(example_db, paraphrase=False) as collection:
        found = articles_by_label(collection.store)
        story = collection.story(found["alpinepress-original"].id)
        trace = story.trace
    page = (report / Links(static=True).story(story["id"])).read_text(encoding="utf-8")
    assert page.count('class="node ') == 8
    assert 'class="node n-origin' in page and "Alpine Press Agency" in page
    assert "Independent reports of the same event" in page
    assert page.count('class="dot ') == 8
    assert "residents of Pralunga evacuated" in page and "around 60" in page
    assert "Experts have long warned" in page and "Tomas Reinholt" in page
    for relation in ("duplicate", "excerpt", "spin", "rewrite"):
        assert f'class="edge e-{relation}' in page
    relations = page.split('<section id="relations">')[1]
    primary = [e for e in trace.edges if trace.tree.get(e.target) == e.source or not e.directed]
    others = len(trace.edges) - len(primary)
    assert len(primary) >= 5 and others > 0
    assert relations.count("<tr>") == len(trace.edges) + 2  # two tables, a header each
    assert f"{others} more relations among the versions" in relations
    index = (report / "index.html").read_text(encoding="utf-8")
    assert story["label"] in index and '<strong class="warn">1</strong>' in index


def test_side_by_side_marks_the_planted_rewrite(report: Path, example_db: Path) -> None:
    with Collection(example_db, paraphrase=False) as collection:
        found = articles_by_label(collection.store)
    original, rewrite = found["alpinepress-original"], found["buzzfeedly-rewrite"]
    page = (report / Links(static=True).edge(original.id, rewrite.id)).read_text("utf-8")
    for kind in ("verbatim", "paraphrase", "unmatched", "added", "altered"):
        assert f'm-{kind}' in page, kind
    assert re.search(r'class="m-added"[^>]*>Experts have long warned', page)
    assert re.search(r'id="R-f1" data-fact="f1"[^>]*>14 kilometres', page) or re.search(
        r'data-fact="f1"[^>]*>14 kilometres', page)
    assert re.search(r'data-fact="f1"[^>]*>4 kilometres', page)
    # every numbered passage on one side links to its counterpart on the other
    for number in re.findall(r'href="#R-(p\d+)"', page):
        assert f'id="R-{number}"' in page


def test_hostile_strings_are_escaped_everywhere(hostile_db: Path, tmp_path: Path) -> None:
    with Collection(hostile_db, paraphrase=False) as collection:
        summary = write_report(ReportSource(collection), tmp_path)
    pages = _pages(tmp_path)
    assert summary.pages == len(pages) and any(n.startswith("edge-") for n in pages)
    joined = "\n".join(pages.values())
    for hostile in (HOSTILE_TITLE, HOSTILE_OUTLET, *HOSTILE_LINES):
        assert str(escape(hostile)) in joined, hostile  # shown, as text ({{ 7 * 7 }} too)
    for name, text in pages.items():
        found = Elements.of(text)
        assert not found.handlers, (name, found.handlers)  # no on*= attribute at all
        assert found.tags["script"] == 1, name  # the report's own, last in the page
        assert not {"img", "iframe", "object", "embed", "textarea", "b", "i"} & set(
            found.tags), (name, found.tags)  # no element an article string could make
        assert not [h for h in found.links if not h.startswith(("http://", "https://", "#"))
                    and ":" in h.split("/")[0]], (name, found.links)


class Elements(HTMLParser):
    """The elements, attributes and links a browser would see in a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: Counter[str] = Counter()
        self.handlers: list[tuple[str, str]] = []
        self.links: list[str] = []

    @classmethod
    def of(cls, text: str) -> Elements:
        parser = cls()
        parser.feed(text)
        parser.close()
        return parser

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append((tag, name))
            if name in ("href", "src", "action", "xlink:href") and value is not None:
                self.links.append(value.strip())


def test_report_command_writes_named_stories(example_db: Path, tmp_path: Path) -> None:
    with Collection(example_db, paraphrase=False) as collection:
        story = collection.stories()[0]
    result = run_cli("report", story["articles"][0], "--db", str(example_db),
                     "--out", str(tmp_path / "one"))
    assert result.exit_code == 0, result.output
    names = {p.name for p in (tmp_path / "one").glob("story-*.html")}
    assert names == {Links(static=True).story(story["id"])}
    result = run_cli("report", "--all", "--db", str(tmp_path / "missing.db"),
                     "--out", str(tmp_path / "x"))
    assert result.exit_code != 0 and "no such collection" in result.output
    result = run_cli("report", "s-x", "--all", "--db", str(example_db), "--out", str(tmp_path))
    assert result.exit_code == 2 and "not both" in result.output


def test_analyze_out_writes_the_report(tmp_path: Path) -> None:
    from conftest import EXAMPLES

    out = tmp_path / "out"
    result = run_cli("-q", "analyze", str(EXAMPLES / "articles"), "--db",
                     str(tmp_path / "c.db"), "--out", str(out), "--no-paraphrase")
    assert result.exit_code == 0, result.output
    assert (out / "stories.json").exists() and (out / "index.html").exists()
    assert len(list(out.glob("story-*.html"))) >= 3


def test_story_page_explains_an_independent_report_that_reads_like_a_copy(
        example_db: Path, tmp_path: Path) -> None:
    """A pair reconcile relabelled independent says so on the story page: what the pair alone
    said, and which article explains the likeness."""
    db = tmp_path / "reconciled.db"
    with sqlite3.connect(example_db) as source, sqlite3.connect(db) as copy:
        source.backup(copy)
    with Collection(db, paraphrase=False) as collection:
        found = articles_by_label(collection.store)
        story = collection.story(found["alpinepress-original"].id)
        trace = story.trace
        independent = sorted(trace.independent)[0]
        other = next(m for m in sorted(trace.members) if m != independent
                     and m not in trace.independent and m != found["alpinepress-original"].id)
        pair = sorted((independent, other))
        collection.store.connection.execute(
            "UPDATE relations SET relation = 'independent', pairwise = 'rewrite', "
            "explained_by = ? WHERE a = ? AND b = ?", (found["alpinepress-original"].id, *pair))
        collection.store.connection.commit()
        names = {a.id: a.outlet for a in collection.store.articles()}
        folder = tmp_path / "out"
        write_report(ReportSource(collection), folder, [story["id"]])
    page = (folder / Links(static=True).story(story["id"])).read_text(encoding="utf-8")
    assert f"reads like a rewrite of {escape(names[other])}" in page
    assert f"explained by {escape(names[found['alpinepress-original'].id])}" in page
