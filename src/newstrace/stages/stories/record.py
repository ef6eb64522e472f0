"""A story's record as every face lists it: label, members, dates, origins."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from newstrace.records import Article, Trace
from newstrace.stages.stories.evidence import evidence_of, story_evidence


def story_record(story_id: str, members: Sequence[Mapping[str, Any]], traced: Trace,
                 articles: Mapping[str, Article] | None = None) -> dict[str, Any]:
    """The story's record from its members (id, title, published each) and its trace; with
    the member `articles` (two or more), the evidence that holds it together (when, where,
    who, numbers; about 10-20 ms an article on 2 shared cores)."""
    dates = sorted(m["published"] for m in members if m["published"])
    return {
        "id": story_id, "label": _label(members, traced),
        "articles": [m["id"] for m in members], "size": len(members),
        "first_published": dates[0] if dates else None,
        "last_published": dates[-1] if dates else None,
        "origins": [o.as_dict() for o in traced.origins],
        "independent": traced.independent, "undecided": traced.undecided,
        # A story of one article has nothing shared to show, and reading every singleton's
        # dates, counts and names would cost a large collection's listing minutes.
        "evidence": (story_evidence(evidence_of(articles.values()))
                     if articles and len(articles) > 1 else {}),
    }


def members_of(articles: Mapping[str, Article]) -> list[dict[str, Any]]:
    """Member records (id, title, published) of articles, in id order."""
    return [{"id": a.id, "title": a.title, "published": a.published}
            for _, a in sorted(articles.items())]


def _label(members: Sequence[Mapping[str, Any]], traced: Trace) -> str:
    """The story's most representative headline: its origin's, else the earliest."""
    titles = {m["id"]: m["title"] for m in members if m["title"]}
    for origin in traced.origins:
        if origin.article in titles:
            return str(titles[origin.article])
    dated = sorted(members, key=lambda m: (m["published"] is None, m["published"] or "",
                                           m["id"]))
    return next((str(m["title"]) for m in dated if m["title"]), dated[0]["id"])
