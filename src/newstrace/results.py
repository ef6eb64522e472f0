"""What `Collection` answers with: typed views over the stages' records, each with the fields of
its JSON form (`as_dict()` is that JSON, what the CLI's `--json` prints) and an HTML rendering
for notebooks (`_repr_html_`, drawn by `newstrace.display`).

- `StoryView`: a story (`Collection.stories()`, `.story()`), with its trace.
- `TraceView`: a story's provenance (`Collection.trace()`); a `Trace` with its articles.
- `FactsView`: a story's facts (`Collection.facts()`); a `StoryFacts` with its articles.
- `Comparison`: two articles' relation with its alignment (`Collection.compare()`).
- `CheckResult`: one likely source of a checked text (`Collection.check()`).

The views hold the articles they render (one story's at most); `stories()` lists stories
without them, and `collection.story(id)` gives one with them."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from newstrace.records import Alignment, Article, Relation, Story, Trace
from newstrace.stages.facts.claims import StoryFacts
from newstrace.stages.reuse.relate import relation_record
from newstrace.stages.stories.evidence import evidence_of, story_evidence


@dataclass(slots=True)
class StoryView(Story):
    """A story (a `Story`: the articles that report one real-world event, its origins and
    what holds it together) with its trace and, when asked for one story, its articles."""

    trace: Trace = field(repr=False)
    members: dict[str, Article] = field(default_factory=dict, repr=False)  # for rendering

    @classmethod
    def of(cls, story: Story, trace: Trace,
           members: dict[str, Article] | None = None) -> StoryView:
        return cls(**_copy(story), trace=trace, members=members or {})

    def as_dict(self) -> dict[str, Any]:
        return Story.as_dict(self)

    def __getitem__(self, name: str) -> Any:
        """A field by its JSON name (`story["id"]`), as the JSON form reads."""
        return self.as_dict()[name]

    def _repr_html_(self) -> str:
        from newstrace.display import story_html

        return story_html(self)


class StoryList(list[StoryView]):
    """The stories of a collection, largest first; renders as a table in a notebook."""

    def as_dicts(self) -> list[dict[str, Any]]:
        return [story.as_dict() for story in self]

    def _repr_html_(self) -> str:
        from newstrace.display import stories_html

        return stories_html(self)


def _copy(record: Any) -> dict[str, Any]:
    return {f.name: getattr(record, f.name) for f in fields(record)}


@dataclass(slots=True)
class TraceView(Trace):
    """A story's provenance (a `Trace`: origins, edges with evidence, the family tree,
    independent reports, undecided copies) with its articles, for rendering."""

    articles: dict[str, Article] = field(default_factory=dict, repr=False)
    # What holds the story together (as `StoryView.evidence`), drawn from its articles.
    evidence: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, trace: Trace, articles: dict[str, Article]) -> TraceView:
        found = story_evidence(evidence_of(articles.values())) if len(articles) > 1 else {}
        return cls(**_copy(trace), articles=articles, evidence=found)

    def as_dict(self) -> dict[str, Any]:
        return {**Trace.as_dict(self), "evidence": self.evidence}

    def _repr_html_(self) -> str:
        from newstrace.display import trace_html

        return trace_html(self)


@dataclass(slots=True)
class FactsView(StoryFacts):
    """A story's facts (a `StoryFacts`: claims, conflicts, altered facts, unsourced additions,
    altered quotations, single-source claims) with its articles, for rendering."""

    articles: dict[str, Article] = field(default_factory=dict, repr=False)

    @classmethod
    def of(cls, facts: StoryFacts, articles: dict[str, Article]) -> FactsView:
        return cls(**_copy(facts), articles=articles)

    def _repr_html_(self) -> str:
        from newstrace.display import facts_html

        return facts_html(self)


@dataclass(slots=True)
class Comparison:
    """Two articles compared: the relation (duplicate, excerpt, spin, rewrite, related,
    unrelated) and which came first, with the aligned passages as evidence."""

    relation: Relation
    alignment: Alignment
    a: Article = field(repr=False)
    b: Article = field(repr=False)
    facts: dict[str, Any] | None = field(default=None, repr=False)  # their story's, if asked

    def as_dict(self) -> dict[str, Any]:
        """The JSON form `newstrace compare --json` prints."""
        return relation_record(self.relation, self.alignment)

    def _repr_html_(self) -> str:
        from newstrace.display import comparison_html

        return comparison_html(self)


@dataclass(slots=True)
class CheckResult(Comparison):
    """A likely source (`a`) in the collection of a checked text (`b`)."""

    def as_dict(self) -> dict[str, Any]:
        """The JSON form of one result of `newstrace check --json`."""
        source = self.a
        return {**Comparison.as_dict(self), "id": source.id, "title": source.title,
                "outlet": source.outlet, "url": source.url,
                "query_coverage": self.relation.scores["coverage_b"],
                "query_verbatim": self.relation.scores["verbatim_b"]}


class CheckResults(list[CheckResult]):
    """The likely sources of a checked text, likeliest first."""

    def as_dicts(self) -> list[dict[str, Any]]:
        return [result.as_dict() for result in self]

    def _repr_html_(self) -> str:
        from newstrace.display import check_html

        return check_html(self)
