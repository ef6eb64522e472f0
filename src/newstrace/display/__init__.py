"""Notebook renderings (`_repr_html_`) of `Collection`'s answers: compact versions of the
report's pieces, drawn by the report's own view models and partial templates (the family tree as
inline SVG, the timeline, the side-by-side with copied / reworded / added marks, the facts).

Each rendering is a small page in an `<iframe srcdoc>`, as folium does: the report's stylesheet
and script stay inside it (a notebook's own styles are not touched), the page keeps the report's
Content-Security-Policy (its own stylesheet and script, by hash, and nothing else), and the
frame is sandboxed (scripts, no same-origin access to the notebook). Article text reaches the
page only through autoescaped template expressions, and the page reaches the attribute only
escaped once more. A story listing is a plain escaped table, like a DataFrame's."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from jinja2 import ChoiceLoader, PackageLoader

from newstrace.records import Article, Story, Trace
from newstrace.report.facts import facts_panel
from newstrace.report.links import Links, safe_name
from newstrace.report.model import EdgePage, display_name, edge_page, origin_names, story_page
from newstrace.report.render import Renderer
from newstrace.report.timeline import format_time

if TYPE_CHECKING:
    from newstrace.results import (
        CheckResults,
        Comparison,
        FactsView,
        StoryList,
        StoryView,
        TraceView,
    )

MIN_HEIGHT, MAX_HEIGHT = 160, 900  # pixels: a frame scrolls inside beyond the largest
LINE_CHARS, LINE_PX = 62, 25  # a side-by-side column's characters per line, and line height


@dataclass(frozen=True, slots=True)
class NotebookLinks(Links):
    """Links inside a rendering: there are no other pages, so article links are anchors."""

    static: bool = True

    def index(self) -> str:
        return "#"

    def story(self, story_id: str) -> str:
        return f"#story-{safe_name(story_id)}"

    def article(self, article_id: str) -> str:
        return f"#article-{safe_name(article_id)}"


def renderer() -> Renderer:
    """The report's renderer with the notebook templates in front of the report's."""
    made = Renderer(NotebookLinks())
    made.env.loader = ChoiceLoader([PackageLoader("newstrace.display", "templates"),
                                    PackageLoader("newstrace.report", "templates")])
    return made


def framed(page: str, title: str, height: float) -> str:
    """A rendered page inside a sandboxed frame of about `height` pixels."""
    shown = int(min(max(height, MIN_HEIGHT), MAX_HEIGHT))
    return (f'<iframe class="newstrace" title="{html.escape(title)}" sandbox="allow-scripts" '
            f'srcdoc="{html.escape(page, quote=True)}" style="width: 100%; height: {shown}px; '
            'border: 1px solid #d9dee4; border-radius: 6px;"></iframe>')


def _no_edge(_source: str, _target: str) -> str | None:
    return None


def _trace_story(trace: Trace, articles: Mapping[str, Article]) -> Story:
    """The story a trace view's page heads with: named by its id (a trace is not labelled)."""
    dates = sorted(a.published for a in articles.values() if a.published)
    return Story(trace.story, trace.story, list(trace.members),
                 dates[0] if dates else None, dates[-1] if dates else None,
                 list(trace.origins), trace.independent, trace.undecided, {})


def story_html(story: StoryView) -> str:
    if not story.members:
        return stories_html([story])
    page = story_page(story, story.trace, story.members, None, NotebookLinks(),
                      _no_edge)
    body = renderer().page("nb_story.html", page=page)
    height = 200 + page.graph.height + 90 + page.timeline.height + 70 + 38 * len(page.members)
    return framed(body, f"story: {story.label}", height)


def trace_html(trace: TraceView) -> str:
    page = story_page(_trace_story(trace, trace.articles), trace, trace.articles, None,
                      NotebookLinks(), _no_edge)
    body = renderer().page("nb_trace.html", page=page)
    return framed(body, f"provenance of {trace.story}",
                  160 + page.graph.height + 90 + 52 * len(page.edges))


def facts_html(facts: FactsView) -> str:
    record = facts.as_dict()
    names = {a_id: display_name(article) for a_id, article in facts.articles.items()}
    panel = facts_panel(record, lambda a: names.get(a, a))
    body = renderer().page("nb_facts.html", page=_Page(panel), story=facts.story,
                           notes=facts.notes)
    rows = (sum(len(c.values) for c in panel.conflicts) * 34 + len(panel.conflicts) * 50
            + len(panel.altered) * 120 + len(panel.additions) * 60
            + sum(len(q.versions) * 30 + 40 for q in panel.altered_quotes))
    return framed(body, f"facts of {facts.story}", 180 + rows + 60 * 4)


@dataclass(slots=True)
class _Page:
    facts: Any  # what `_facts.html` reads as `page.facts`


@dataclass(slots=True)
class _Shown:
    view: EdgePage
    reason: str | None
    note: str | None
    collapsed: bool


def _sides(comparison: Comparison) -> tuple[Article, Article]:
    """The source on the left when the evidence names one."""
    a, b = comparison.a, comparison.b
    return (b, a) if comparison.relation.source == b.id else (a, b)


def _height(views: Sequence[_Shown]) -> float:
    total = 60.0
    for shown in views:
        if shown.collapsed:
            total += 110
            continue
        longest = max(sum(len(piece.text) for piece in column.pieces)
                      for column in (shown.view.left, shown.view.right))
        total += 300 + longest / LINE_CHARS * LINE_PX
    return total


def comparison_html(comparison: Comparison) -> str:
    left, right = _sides(comparison)
    record = comparison.as_dict()
    view = edge_page(left, right, record, comparison.facts, NotebookLinks())
    shown = [_Shown(view, comparison.relation.source_reason, _explained(comparison), False)]
    title = f"{record['relation']}: {display_name(left)} and {display_name(right)}"
    body = renderer().page("nb_compare.html", views=shown, title=title)
    return framed(body, title, _height(shown))


def _explained(comparison: Comparison) -> str | None:
    relation = comparison.relation
    if not relation.explained_by:
        return None
    return (f"On their own the two read as {relation.pairwise}; in the collection what they "
            f"share is explained by {relation.explained_by}.")


def check_html(results: CheckResults) -> str:
    shown = []
    for number, result in enumerate(results):
        view = edge_page(result.a, result.b, result.as_dict(), None, NotebookLinks(),
                         prefix=f"c{number}")
        coverage = result.relation.scores.get("coverage_b", 0.0)
        verbatim = result.relation.scores.get("verbatim_b", 0.0)
        note = (f"{coverage:.0%} of the checked text has a counterpart in this source; "
                f"{verbatim:.0%} is copied word for word.")
        shown.append(_Shown(view, result.relation.source_reason, note, number > 0))
    body = renderer().page("nb_compare.html", views=shown, title="likely sources")
    return framed(body, "likely sources", _height(shown))


def stories_html(stories: StoryList | Sequence[StoryView]) -> str:
    rows = []
    for story in stories:
        names = {a_id: display_name(article) for a_id, article in story.members.items()}
        origins = origin_names(story.origins, names)
        rows.append({"id": story.id, "label": story.label, "size": story.size,
                     "first": format_time(story.first_published),
                     "last": format_time(story.last_published),
                     "origins": ", ".join(origins)})
    return renderer().env.get_template("nb_stories.html").render(stories=rows)
