"""The static report: every page of the chosen stories written to one folder, each page
self-contained (its stylesheet and script inlined, no network), opening from disk."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newstrace.records import Story, Trace
from newstrace.report.links import Links
from newstrace.report.model import article_page, display_name, edge_page, index_page, story_page
from newstrace.report.render import Renderer
from newstrace.report.source import ReportSource

MAX_EDGE_PAGES = 300  # per story: beyond this, only the family tree's edges get a page


@dataclass(slots=True)
class ReportSummary:
    folder: str
    stories: int = 0
    pages: int = 0
    bytes: int = 0
    seconds: float = 0.0
    facts: bool = False
    files: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"folder": self.folder, "stories": self.stories, "pages": self.pages,
                "bytes": self.bytes, "seconds": round(self.seconds, 3), "facts": self.facts}


class ReportWriter:
    def __init__(self, source: ReportSource, folder: str | Path) -> None:
        self.source = source
        self.folder = Path(folder)
        self.links = Links(static=True)
        self.renderer = Renderer(self.links)
        self.summary = ReportSummary(str(self.folder))

    def write(self, story_refs: Sequence[str] | None = None,
              traced: list[tuple[Story, Trace]] | None = None) -> ReportSummary:
        """The index and the pages of every story (or of those named); `traced`: the
        stories with their traces when the caller has them already."""
        started = time.perf_counter()
        self.folder.mkdir(parents=True, exist_ok=True)
        if traced is None:
            traced = self.source.traced_stories()
        if story_refs:
            wanted = {self.source.story(ref)[0].id for ref in story_refs}
            traced = [item for item in traced if item[0].id in wanted]
        member_ids = [a for story, _ in traced for a in story.articles]
        names = {a_id: display_name(a) for a_id, a in self.source.articles(member_ids).items()}
        conflicts = self.source.conflict_counts(story for story, _ in traced)
        index = index_page(traced, names, conflicts, self.links)
        self._save(self.links.index(), self.renderer.page("index.html", page=index))
        for story, trace in traced:
            self._story(story, trace, self.source.facts(story.id))
        self.summary.facts = True
        self.summary.stories = len(traced)
        self.summary.seconds = time.perf_counter() - started
        return self.summary

    def _story(self, story: Story, trace: Trace, facts: dict[str, Any] | None) -> None:
        articles = self.source.articles(story.articles)
        shown = {(e.source, e.target) for e in trace.edges
                 if trace.tree.get(e.target) == e.source or not e.directed}
        if len(trace.edges) <= MAX_EDGE_PAGES:
            shown |= {(e.source, e.target) for e in trace.edges}

        def edge_href(source: str, target: str) -> str | None:
            return self.links.edge(source, target) if (source, target) in shown else None

        among = self.source.relations_among(story.articles)
        page = story_page(story, trace, articles, facts, self.links, edge_href, among)
        self._save(self.links.story(story.id), self.renderer.page("story.html", page=page))
        relations = {(r["a"], r["b"]): r for r in among}
        for item in trace.edges:
            if (item.source, item.target) not in shown:
                continue
            record = (relations.get((item.source, item.target))
                      or relations.get((item.target, item.source)))
            if record is None:
                continue
            view = edge_page(articles[item.source], articles[item.target], record, facts,
                             self.links, edge=item.as_dict(), story=(story.id, story.label))
            self._save(self.links.edge(item.source, item.target),
                       self.renderer.page("edge.html", view=view))
        for article_id, article in articles.items():
            self._save(self.links.article(article_id), self.renderer.page(
                "article.html", page=article_page(article, story.id, self.links)))

    def _save(self, name: str, html: str) -> None:
        data = html.encode("utf-8")
        (self.folder / name).write_bytes(data)
        self.summary.pages += 1
        self.summary.bytes += len(data)


def write_report(source: ReportSource, folder: str | Path,
                 stories: Sequence[str] | None = None,
                 traced: list[tuple[Story, Trace]] | None = None) -> ReportSummary:
    """Write the report of `stories` (ids or article references; all when None) to `folder`."""
    return ReportWriter(source, folder).write(stories, traced)
