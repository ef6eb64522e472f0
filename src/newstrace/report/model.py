"""Page models: plain records that the templates render, built from stories, traces,
articles, relations and facts. No HTML here, and no escaping: templates autoescape."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from newstrace.ids import site_of
from newstrace.records import Article, Origin, Story, Trace
from newstrace.report.facts import FactsDict, FactsPanel, edge_fact_marks, facts_panel
from newstrace.report.graph import GraphView, NodeInfo, layout
from newstrace.report.links import Links, external_href
from newstrace.report.marks import KIND_LABELS, Piece, coverage, pieces, relation_marks
from newstrace.report.timeline import Entry, TimelineView, format_time, timeline
from newstrace.stages.stories.evidence import evidence_of, story_evidence

DERIVED_ORDER = ("duplicate", "excerpt", "spin", "rewrite", "partial")
EdgeHref = Callable[[str, str], str | None]


def display_name(article: Article | None, fallback: str = "") -> str:
    """Who published it: the outlet, else the site, else the file name."""
    if article is None:
        return fallback
    return (article.outlet or site_of(article.url) or article.source_path.rsplit("/", 1)[-1]
            or article.id)


def _shorten(text: str, size: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


# -- index ---------------------------------------------------------------------------------------

@dataclass(slots=True)
class StoryRow:
    id: str
    label: str
    href: str
    size: int
    first: str
    last: str
    span: str
    origins: list[str]
    counts: dict[str, int]  # duplicate, excerpt, spin, rewrite, partial, independent,
    # undecided
    conflicts: int | None  # None: facts not available
    search: str  # lower-cased text the index filter matches


@dataclass(slots=True)
class IndexPage:
    stories: list[StoryRow]
    articles: int
    facts_available: bool


def relation_counts(trace: Trace) -> dict[str, int]:
    by_relation = {(e.source, e.target): e.relation for e in trace.edges}
    counts = Counter(by_relation.get((source, target), "related")
                     for target, source in trace.tree.items())
    found = {name: counts.get(name, 0) for name in DERIVED_ORDER}
    found["independent"] = len(trace.independent)
    found["undecided"] = sum(len(group) for group in trace.undecided)
    return found


def time_span(first: str | None, last: str | None) -> str:
    if not first:
        return "undated"
    if not last or last == first:
        return format_time(first)
    start, end = format_time(first), format_time(last)
    if start[:11] == end[:11] and len(end) > 11:
        return f"{start} – {end[12:]}"  # the same day: the end's time only
    return f"{start} – {end}"


def origin_names(origins: Iterable[Origin], names: Mapping[str, str]) -> list[str]:
    found = []
    for origin in origins:
        if origin.article:
            found.append(names.get(origin.article, origin.outlet or origin.article))
        else:
            found.append(f"{origin.outlet or 'unknown'} (external)")
    return found


def index_page(stories: Sequence[tuple[Story, Trace]], names: Mapping[str, str],
               conflicts: Mapping[str, int | None], links: Links) -> IndexPage:
    rows = []
    for story, traced in stories:
        origins = origin_names(story.origins, names)
        rows.append(StoryRow(
            story.id, story.label, links.story(story.id), story.size,
            format_time(story.first_published), format_time(story.last_published),
            time_span(story.first_published, story.last_published), origins,
            relation_counts(traced), conflicts.get(story.id),
            " ".join([story.label, *origins]).lower()))
    total = sum(story.size for story, _ in stories)
    return IndexPage(rows, total, any(v is not None for v in conflicts.values()))


# -- story ---------------------------------------------------------------------------------------

@dataclass(slots=True)
class MemberRow:
    id: str
    name: str
    title: str
    when: str
    role: str
    href: str
    source: str | None  # the name of the source it most likely came from
    edge_href: str | None
    note: str | None = None  # why an independent report that reads like a copy is not one
    shares: list[str] = field(default_factory=list)  # the story's particulars it gives


@dataclass(slots=True)
class EdgeRow:
    source: str
    target: str
    source_name: str
    target_name: str
    relation: str
    relation_confidence: float
    confidence: float
    directed: bool
    in_tree: bool
    evidence: list[str]
    href: str | None


@dataclass(slots=True)
class StoryPage:
    id: str
    label: str
    span: str
    size: int
    origins: list[str]
    counts: dict[str, int]
    graph: GraphView
    timeline: TimelineView
    members: list[MemberRow]
    edges: list[EdgeRow]
    facts: FactsPanel
    external: list[dict[str, Any]] = field(default_factory=list)
    # What holds the story together: when, where, who (lists of {"value", "articles"}) and
    # numbers (`stages.stories.evidence.story_evidence`).
    evidence: dict[str, Any] = field(default_factory=dict)


def roles(trace: Trace) -> dict[str, str]:
    """Each member's part in the story: origin, its relation to its source, independent..."""
    by_pair = {(e.source, e.target): e.relation for e in trace.edges}
    found = {member: "related" for member in trace.members}
    for target, source in trace.tree.items():
        found[target] = by_pair.get((source, target), "related")
    for group in trace.undecided:
        for member in group:
            if member not in trace.tree:
                found[member] = "undecided"
    for member in trace.independent:
        found[member] = "independent"
    for origin in trace.origins:
        if origin.article:
            found[origin.article] = "origin"
        else:
            for derivative in origin.derivatives:
                if found.get(derivative) == "related":
                    found[derivative] = "credits external"
    return found


def readable(detail: str, names: Mapping[str, str]) -> str:
    """Evidence text with article ids replaced by who published them."""
    return re.sub(r"\ba[0-9a-f]{16}\b", lambda m: names.get(m.group(0), m.group(0)), detail)


def reconciled_notes(relations: Iterable[Mapping[str, Any]], role: Mapping[str, str],
                     names: Mapping[str, str]) -> dict[str, str]:
    """For each independent report that its pair alone would call a copy, what reconcile
    found: the likeness is the event it shares with the other article's own source."""
    notes: dict[str, str] = {}
    for record in relations:
        explained_by = record.get("explained_by")
        if not explained_by:
            continue
        for member, other in ((record["a"], record["b"]), (record["b"], record["a"])):
            if role.get(member) == "independent" and member not in notes:
                notes[member] = (f"reads like a {record['pairwise']} of {names.get(other, other)}"
                                 f"; what they share is explained by "
                                 f"{names.get(explained_by, explained_by)}")
    return notes


def story_page(story: Story, trace: Trace, articles: Mapping[str, Article],
               facts: FactsDict | None, links: Links, edge_href: EdgeHref,
               relations: Iterable[Mapping[str, Any]] = ()) -> StoryPage:
    """The story page; `relations` among its members, when given, explain independent
    reports that read like copies."""
    names = {a_id: display_name(a) for a_id, a in articles.items()}
    role = roles(trace)
    notes = reconciled_notes(relations, role, names)
    info = {a_id: NodeInfo(names[a_id], _shorten(a.title or "(no title)", 34),
                           format_time(a.published), a.published or "")
            for a_id, a in articles.items()}
    trace_dict = trace.as_dict()
    graph = layout(trace_dict, info, links.article, edge_href)
    entries = [Entry(a_id, names[a_id], a.title or "(no title)", a.published, role[a_id])
               for a_id, a in articles.items()]
    held = story.evidence or (story_evidence(evidence_of(articles.values()))
                                     if len(articles) > 1 else {})
    members = []
    for a_id in sorted(articles, key=lambda i: (articles[i].published or "~", names[i])):
        article = articles[a_id]
        source = trace.tree.get(a_id)
        members.append(MemberRow(a_id, names[a_id], article.title or "(no title)",
                                 format_time(article.published), role[a_id],
                                 links.article(a_id), names.get(source) if source else None,
                                 edge_href(source, a_id) if source else None,
                                 notes.get(a_id), held.get("members", {}).get(a_id, [])))
    edges = [EdgeRow(e.source, e.target, names.get(e.source, e.source),
                     names.get(e.target, e.target), e.relation, e.strength, e.confidence,
                     e.directed, trace.tree.get(e.target) == e.source,
                     [readable(item.detail, names) for item in e.evidence],
                     edge_href(e.source, e.target))
             for e in trace.edges]
    edges.sort(key=lambda row: (not row.in_tree, DERIVED_ORDER.index(row.relation)
                                if row.relation in DERIVED_ORDER else 9, row.target_name))
    external = [o.as_dict() for o in trace.origins if not o.article]
    for origin in external:
        origin["derivative_names"] = [names.get(d, d) for d in origin["derivatives"]]
        origin["href"] = external_href(origin.get("url"))
    panel = facts_panel(facts, lambda a: names.get(a, a))
    for altered in panel.altered:
        altered.href = edge_href(altered.source.id, altered.target.id)
    return StoryPage(story.id, story.label,
                     time_span(story.first_published, story.last_published),
                     story.size, origin_names(story.origins, names), relation_counts(trace),
                     graph, timeline(entries, links.article), members, edges, panel, external,
                     held)


# -- side by side --------------------------------------------------------------------------------

@dataclass(slots=True)
class Column:
    id: str
    name: str
    title: str
    when: str
    href: str
    url: str | None
    pieces: list[Piece]
    shares: dict[str, float]  # kind -> share of the text


@dataclass(slots=True)
class AlteredRow:
    link: str
    kind: str
    before: str
    after: str


@dataclass(slots=True)
class EdgePage:
    relation: str
    relation_confidence: float
    confidence: float | None
    directed: bool
    evidence: list[str]
    left: Column
    right: Column
    story_id: str | None
    story_href: str | None
    story_label: str | None
    paraphrase_detection: bool
    facts_available: bool
    altered: list[AlteredRow]
    additions: int
    derived_share: float | None = None  # the partial reading: share of the right side from
    # the left (None: not derived)
    prefix: str = ""  # element ids' prefix, when a page shows several views
    kinds: dict[str, str] = field(default_factory=lambda: dict(KIND_LABELS))


def edge_page(left: Article, right: Article, record: Mapping[str, Any],
              facts: FactsDict | None, links: Links, *, edge: Mapping[str, Any] | None = None,
              story: tuple[str, str] | None = None, prefix: str = "") -> EdgePage:
    """The side-by-side view: `left` is the source (or side A of an undecided pair),
    `record` the relation with its alignment (stored, or from `compare`/`check`)."""
    names = {left.id: display_name(left), right.id: display_name(right)}
    left_marks, right_marks = relation_marks(record, left_is_a=record.get("a") == left.id)
    fact_left, fact_right = edge_fact_marks(facts, left.id, right.id, len(left.text),
                                            len(right.text))
    columns = []
    for article, marks, side in ((left, left_marks + fact_left, "L"),
                                 (right, right_marks + fact_right, "R")):
        cut = pieces(article.text, marks, prefix + side)
        shares = {kind: coverage(article.text, cut, kind) for kind in KIND_LABELS
                  if kind != "altered"}
        columns.append(Column(article.id, names[article.id], article.title or "(no title)",
                              format_time(article.published), links.article(article.id),
                              external_href(article.url), cut, shares))
    altered = _altered_rows(facts, left.id, right.id)
    evidence = [readable(item["detail"], names) for item in (edge or {}).get("evidence", [])]
    confidence = float(edge["confidence"]) if edge else None
    return EdgePage(
        str(record.get("relation", "")), float(record.get("confidence", 0.0)), confidence,
        bool(edge["directed"]) if edge else record.get("source") is not None, evidence,
        columns[0], columns[1], story[0] if story else None,
        links.story(story[0]) if story else None, story[1] if story else None,
        bool(record.get("paraphrase", record.get("paraphrase_detection", True))),
        facts is not None, altered,
        sum(1 for m in fact_right if m.kind == "added"), _share_from(record, left.id), prefix)


def _share_from(record: Mapping[str, Any], source: str) -> float | None:
    """The share of the derivative (the side that is not `source`) matched in `source`, for
    a derived relation."""
    scores = record.get("scores") or {}
    if record.get("relation") not in DERIVED_ORDER or "coverage_a" not in scores:
        return None
    return float(scores["coverage_b"] if record.get("a") == source else scores["coverage_a"])


def _altered_rows(facts: FactsDict | None, left: str, right: str) -> list[AlteredRow]:
    if facts is None:
        return []
    rows = []
    for number, item in enumerate(facts.get("altered_facts", []), start=1):
        if {item.get("source"), item.get("target")} == {left, right}:
            rows.append(AlteredRow(f"f{number}", str(item.get("kind", "")),
                                   str(item.get("from", "")), str(item.get("to", ""))))
    return rows


# -- article -------------------------------------------------------------------------------------

@dataclass(slots=True)
class ArticlePage:
    id: str
    name: str
    title: str
    when: str
    author: str | None
    url: str | None
    url_href: str | None
    canonical: str | None
    canonical_href: str | None
    source_path: str
    paragraphs: list[str]
    cues: list[dict[str, Any]]
    removed: list[dict[str, str]]
    story_id: str | None
    story_href: str | None
    words: int
    duplicate_of: str | None
    duplicate_href: str | None


def article_page(article: Article, story_id: str | None, links: Links) -> ArticlePage:
    return ArticlePage(
        article.id, display_name(article), article.title or "(no title)",
        format_time(article.published), article.author, article.url,
        external_href(article.url), article.canonical_url, external_href(article.canonical_url),
        article.source_path, [p for p in article.text.split("\n") if p.strip()],
        [{**cue.as_dict(), "href": external_href(cue.url)} for cue in article.cues],
        [line.as_dict() for line in article.removed], story_id,
        links.story(story_id) if story_id else None, article.words, article.duplicate_of,
        links.article(article.duplicate_of) if article.duplicate_of else None)
