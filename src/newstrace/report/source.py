"""What the pages read from a collection, in one place: stories with their traces, articles,
stored relations (the alignments the reuse stage kept), and facts when there are any."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from newstrace.collection import Collection
from newstrace.records import Article, Story, Trace
from newstrace.report.facts import FactsDict, conflict_count


class ReportSource:
    """`known_facts`: facts already computed (`analyze` has them), by story id."""

    def __init__(self, collection: Collection,
                 known_facts: Mapping[str, FactsDict] | None = None) -> None:
        self.collection = collection
        self._facts: dict[str, FactsDict] = dict(known_facts or {})

    def traced_stories(self) -> list[tuple[Story, Trace]]:
        return self.collection.traced_stories()

    def story(self, reference: str) -> tuple[Story, Trace]:
        return self.collection.traced_story(reference)

    def story_id(self, reference: str) -> str:
        """A story id from a story id or any reference to one of its articles."""
        return self.collection.story_id(reference)

    def story_of(self, article_id: str) -> str | None:
        return self.collection.story_of(article_id)

    def article(self, reference: str) -> Article:
        return self.collection.article(reference)

    def articles(self, article_ids: Iterable[str]) -> dict[str, Article]:
        return self.collection.articles(article_ids)

    def relations_among(self, article_ids: list[str]) -> list[dict[str, Any]]:
        return self.collection.relations(article_ids=article_ids)

    def relation(self, a: str, b: str) -> dict[str, Any] | None:
        """The stored relation (with its alignment) between two articles, either order."""
        return self.collection.relation(a, b)

    def conflict_counts(self, stories: Iterable[Story]) -> dict[str, int]:
        """Conflicts per story for an index: from the facts summaries `analyze` kept where they
        are still current, else from the facts; a story of one article has none to compare
        (most stories of a large collection are single reports)."""
        stories = list(stories)
        kept = self.collection.facts_summaries([s.id for s in stories if s.size > 1])
        return {story.id: 0 if story.size < 2 else kept[story.id]["conflicts"]
                if story.id in kept else conflict_count(self.facts(story.id))
                for story in stories}

    def facts(self, story_id: str) -> FactsDict:
        if story_id not in self._facts:
            self._facts[story_id] = self.collection.facts(story_id).as_dict()
        return self._facts[story_id]
