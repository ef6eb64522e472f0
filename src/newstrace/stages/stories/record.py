"""A story's record as every face lists it: label, members, dates, origins."""

from __future__ import annotations

from collections.abc import Mapping

from newstrace.records import Article, Story, Trace
from newstrace.stages.facts.findings import Findings
from newstrace.stages.stories.evidence import evidence_of, story_evidence


def story_record(traced: Trace, articles: Mapping[str, Article],
                 found: Mapping[str, Findings] | None = None) -> Story:
    """The story of a trace from its member `articles` (every member, by id); with two or
    more, the evidence that holds it together (when, where, who, numbers; about 10-20 ms an
    article on 2 shared cores, less with the members' `found` findings)."""
    members = [articles[article_id] for article_id in sorted(articles)]
    dates = sorted(a.published for a in members if a.published)
    return Story(
        id=traced.story, label=_label(members, traced),
        articles=[a.id for a in members],
        first_published=dates[0] if dates else None,
        last_published=dates[-1] if dates else None,
        origins=list(traced.origins),
        independent=traced.independent, undecided=traced.undecided,
        # A story of one article has nothing shared to show, and reading every singleton's
        # dates, counts and names would cost a large collection's listing minutes.
        evidence=(story_evidence(evidence_of(articles.values(), found)) if len(members) > 1
                  else {}),
    )


def _label(members: list[Article], traced: Trace) -> str:
    """The story's most representative headline: its origin's, else the earliest."""
    titles = {m.id: m.title for m in members if m.title}
    for origin in traced.origins:
        if origin.article in titles:
            return str(titles[origin.article])
    dated = sorted(members, key=lambda m: (m.published is None, m.published or "", m.id))
    return next((str(m.title) for m in dated if m.title), dated[0].id)
