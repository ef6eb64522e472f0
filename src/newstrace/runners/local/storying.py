"""Stories over a stored collection, kept up to date incrementally.

New (or changed) articles are clustered together with the stories they come near: the stories
of the articles sharing the most event terms with them, and of the articles they are derived
from or copied by. Only that part is clustered again, so stories can grow, merge or split
without the rest of the collection being touched. Document frequencies are the collection's
current ones; stories nothing new comes near keep their membership as it was (their terms'
frequencies may drift a little as the collection grows).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from newstrace.errors import NotFoundError
from newstrace.progress import Progress, no_progress
from newstrace.records import Article, Related, Story, Trace
from newstrace.runners.local.relating import RELATE_STAMP
from newstrace.runners.local.store.db import Store
from newstrace.runners.local.store.reuse import ReuseTables
from newstrace.runners.local.store.stories import StoryTables
from newstrace.stages.facts.findings import Findings, story_findings
from newstrace.stages.stories.cluster import (
    ClusterConfig,
    carry_ids,
    cluster,
    copy_pairs,
    relation_overrides,
)
from newstrace.stages.stories.events import event_terms
from newstrace.stages.stories.provenance import PROVENANCE, ProvenanceConfig, trace
from newstrace.stages.stories.record import story_record
from newstrace.stages.stories.signals import article_facts
from newstrace.stages.stories.why import PairInputs, explain_pair
from newstrace.stamps import code_stamp

LEADS = 30  # articles, per new article, whose stories are clustered again with it
_BATCH = 500
STORIES_STAMP = "stories_stamp"
# What stored terms and stories are computed by: event terms and the clustering (its signals,
# the facts it reads, its config). A store placed by other code is read again, whole.
_STORY_CODE = ("newstrace.stages.stories.events", "newstrace.stages.stories.cluster")


def stories_stamp(config: ClusterConfig, verdicts: str | None) -> str:
    """The stamp of stories placed by this code under `config` over the relation verdicts
    stamped `verdicts` (the store's `RELATE_STAMP`; None: never related): clustering reads
    the verdicts (copies join, overrides part), so stories placed over verdicts that have
    since been related again by another model are placed again too."""
    return code_stamp(_STORY_CODE, config, verdicts)


@dataclass(slots=True)
class DrawnStory:
    """A story's record and trace with what they were drawn from: the members, the relations
    among them and (for a story of two or more) each member's findings, which its facts
    read too."""

    record: Story
    trace: Trace
    articles: dict[str, Article]
    relations: list[Related]
    findings: dict[str, Findings]


@dataclass(slots=True)
class StorySummary:
    placed: int = 0
    reclustered: int = 0
    stories: int = 0
    changed: list[str] = field(default_factory=list)  # stories whose members this update changed
    code_changed: bool = False  # kept by other code: every article read and clustered again

    def as_dict(self) -> dict[str, int]:
        return {"placed": self.placed, "reclustered": self.reclustered, "stories": self.stories,
                "changed": len(self.changed), "recomputed_for_new_code": int(self.code_changed)}


class StoryBuilder:
    def __init__(self, store: Store, config: ClusterConfig | None = None,
                 provenance: ProvenanceConfig = PROVENANCE) -> None:
        self.store = store
        self.config = config or ClusterConfig()
        self.provenance = provenance
        self.tables = StoryTables(store)
        self.relations = ReuseTables(store)

    def update(self, *, recompute: bool = False,
               progress: Progress = no_progress) -> StorySummary:
        fresh = self.tables.unplaced()
        summary = StorySummary(placed=len(fresh))
        # Terms and stories kept by other code (a newer newstrace, a fix to the date finder,
        # another config) are not mixed with this code's: every article is read and
        # clustered again, as on a first run.
        stamp = stories_stamp(self.config, self.store.setting(RELATE_STAMP))
        if self.store.setting(STORIES_STAMP) != stamp and self.tables.has_members():
            fresh = self.tables.all_articles()
            recompute = summary.code_changed = True
        for start in range(0, len(fresh), _BATCH):
            articles = self.store.articles_by_id(fresh[start : start + _BATCH])
            self.tables.write_terms({a.id: event_terms(a.text) for a in articles.values()})
        total = self.tables.total()
        limit = self.config.max_term_articles
        if recompute or 2 * len(fresh) >= total:
            # Placing half the collection or more (a first run): the stories near the new
            # articles are nearly all of them, and looking each article's leads up costs more
            # than clustering everything (at 100,000 articles, hours against minutes).
            scope = {a for members in self.tables.stories().values() for a in members}
            scope |= set(fresh)
        else:
            scope = self._scope(fresh, total, limit)
        if scope:
            ordered = sorted(scope)
            terms = self.tables.terms_of(ordered)
            df = self.tables.df({term for items in terms.values() for term in items})
            relations = self.relations.verdicts(ordered)
            loaded = self.store.articles_by_id(ordered)
            facts = ({a.id: article_facts(a, self.config.penalty)
                      for a in loaded.values()}
                     if self.config.penalty.active else None)
            groups = cluster(terms, df, total, relation_overrides(relations, self.config),
                             self.config, copy_pairs(relations, self.config), facts)
            previous = self.tables.story_of(ordered)
            hashes = {a.id: a.text_hash for a in loaded.values()}
            self.tables.assign(carry_ids(groups, previous), hashes)
            summary.reclustered = len(ordered)
            summary.changed = _changed(set(fresh), previous, self.tables.story_of(ordered))
        self.store.set_setting(STORIES_STAMP, stamp)
        progress(len(fresh))
        summary.stories = len(self.tables.stories())
        return summary

    def _scope(self, fresh: list[str], total: int, limit: int) -> set[str]:
        """The new articles, and every member of the stories they come near."""
        if not fresh:
            return set()
        near: set[str] = set(fresh)
        terms = self.tables.terms_of(fresh)
        for article_id in fresh:
            near.update(self.tables.leads(terms[article_id], total, limit, LEADS))
        for a, b in self.relations.derived_pairs(fresh):
            near.update((a, b))
        stories = set(self.tables.story_of(sorted(near)).values())
        return near | set(self.tables.members(sorted(stories)))

    # -- reading stories -------------------------------------------------------------------------

    def stories(self) -> list[Story]:
        """Every story: id, label, articles, first and last publication, origins."""
        return [record for record, _ in self.traced_stories()]

    def traced_stories(self) -> list[tuple[Story, Trace]]:
        """Every story (as `stories` gives it) with its trace, largest first."""
        found = [self._record(story_id, members)
                 for story_id, members in self.tables.stories().items()]
        found.sort(key=lambda item: (-item[0].size, item[0].first_published or "",
                                     item[0].id))
        return found

    def drawn(self, story_ids: Sequence[str] | None = None) -> Iterator[DrawnStory]:
        """Every story (or these) with its trace and inputs, one at a time (a large
        collection's members are never all in memory), each member's text searched once for
        the record's evidence and for the facts that `analyze` compares next."""
        stories = (self.tables.stories() if story_ids is None
                   else {story_id: self._members(story_id) for story_id in story_ids})
        for story_id, members in stories.items():
            traced, articles, relations = self.traced_with_inputs(story_id, members)
            found = story_findings(articles)
            yield DrawnStory(story_record(traced, articles, found), traced, articles,
                             relations, found)

    def story(self, story_id: str) -> tuple[Story, Trace]:
        """One story (as `stories` gives it) with its trace."""
        return self._record(story_id, self._members(story_id))

    def _members(self, story_id: str) -> list[str]:
        """A story's members, or an error naming the command that lists the stories."""
        members = self.tables.members([story_id])
        if not members:
            raise NotFoundError(f"no story {story_id!r}; list them with `newstrace stories`")
        return members

    def _record(self, story_id: str, members: list[str]) -> tuple[Story, Trace]:
        traced, articles, _ = self.traced_with_inputs(story_id, members)
        return story_record(traced, articles), traced

    def why(self, first: str, second: str) -> dict[str, Any]:
        """Which evidence joined two articles in one story or kept them apart (each named
        by any reference `Store.article` takes)."""
        a, b = self.store.article(first), self.store.article(second)
        ids = sorted({a.id, b.id})
        terms = self.tables.terms_of(ids)
        df = self.tables.df({term for items in terms.values() for term in items})
        verdict = next(iter(self.relations.verdicts(ids)), None)
        story_of = self.tables.story_of(ids)
        return explain_pair(PairInputs(a, b, terms, df, self.tables.total(), verdict,
                                       (story_of.get(a.id), story_of.get(b.id))), self.config)

    def story_id(self, reference: str) -> str:
        """A story id from a story id or any reference to one of its articles."""
        if reference.startswith("s-") and self.tables.members([reference]):
            return reference
        article = self.store.article(reference)
        story = self.tables.story_of([article.id]).get(article.id)
        if story is None:
            raise NotFoundError(f"{reference!r} is in no story yet; run `newstrace analyze` "
                                "or `newstrace stories --update`")
        return story

    def trace(self, story_id: str) -> Trace:
        return self.traced_with_inputs(story_id)[0]

    def traced_with_inputs(self, story_id: str, members: list[str] | None = None
                           ) -> tuple[Trace, dict[str, Article], list[Related]]:
        """A story's trace with the members and stored relations it was drawn from (facts
        read the same ones: no second trip to the store). `members`: the story's, when the
        caller has already read them."""
        if members is None:
            members = self.tables.members([story_id])
        articles: dict[str, Article] = self.store.articles_by_id(members)
        relations = self.relations.related(members)
        return trace(story_id, articles, relations, self.provenance), articles, relations


def _changed(fresh: set[str], before: dict[str, str], after: dict[str, str]) -> list[str]:
    """Stories whose members changed: those new articles joined, and those articles joined
    or left (re-clustering a story near the new articles often leaves it as it was)."""
    moved = [a for a in after if a in fresh or before.get(a) != after[a]]
    gained = {after[a] for a in moved}
    lost = {before[a] for a in moved if a in before} & set(after.values())
    return sorted(gained | lost)
