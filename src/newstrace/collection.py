"""`newstrace.Collection`: the library's front door, one store and everything computed on it.

    with Collection.open("news.db") as news:
        news.add(["crawl/"])                 # ingest, relate, place in stories
        for story in news.stories():
            print(story.label, story.size, story.origins)
        news.story(story.id)                 # renders in a notebook: tree, timeline
        news.frame("relations")              # a pandas DataFrame (extra `frames`)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from newstrace.errors import InputError
from newstrace.export import Written, write_tables
from newstrace.facts.entities import EntityFinder
from newstrace.facts.runner import story_facts
from newstrace.ingest import IngestConfig, Ingestor, IngestSummary
from newstrace.progress import Progress, no_progress
from newstrace.records import Article, Skip
from newstrace.relating import Relater, RelateSummary, ReuseConfig
from newstrace.results import (
    CheckResult,
    CheckResults,
    Comparison,
    FactsView,
    StoryList,
    StoryView,
    TraceView,
)
from newstrace.reuse.embed import MODEL_NAME, SentenceEncoder, load_encoder
from newstrace.store.db import Store
from newstrace.store.reuse import ReuseTables
from newstrace.store.stories import StoryTables
from newstrace.stories.cluster import ClusterConfig
from newstrace.stories.provenance import Trace
from newstrace.storying import StoryBuilder, StorySummary
from newstrace.tables import TABLES, collection_rows, collection_tables, to_frame

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa


@dataclass(slots=True)
class AddSummary:
    ingest: IngestSummary
    relate: RelateSummary
    stories: StorySummary = field(default_factory=StorySummary)


class Collection:
    """A collection of articles on disk (SQLite). `paraphrase=False` skips the embedding
    model: verbatim reuse only, and faster."""

    def __init__(self, path: str | Path, *, paraphrase: bool = True,
                 ingest: IngestConfig | None = None, reuse: ReuseConfig | None = None,
                 clustering: ClusterConfig | None = None,
                 encoder: SentenceEncoder | None = None) -> None:
        self.store = Store(path)
        self.paraphrase = paraphrase
        self._ingest_config = ingest or IngestConfig()
        self._reuse_config = reuse or ReuseConfig()
        self._cluster_config = clustering or ClusterConfig()
        # An encoder already loaded (a server shares one across requests) is used as it is.
        self._encoder: SentenceEncoder | None = encoder if paraphrase else None
        self._encoder_loaded = encoder is not None or not paraphrase

    @classmethod
    def open(cls, path: str | Path, **options: Any) -> Collection:
        return cls(path, **options)

    def __enter__(self) -> Collection:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self.store.close()

    @property
    def encoder(self) -> SentenceEncoder | None:
        """The sentence encoder, loaded on first use; None without the paraphrase extra."""
        if not self._encoder_loaded:
            self._encoder = load_encoder() if self.paraphrase else None
            self._encoder_loaded = True
        return self._encoder

    # -- building -------------------------------------------------------------------------------

    def ingest(self, paths: Sequence[str], progress: Progress = no_progress,
               on_skip: Callable[[Skip], None] | None = None) -> IngestSummary:
        return Ingestor(self.store, self._ingest_config).ingest(list(paths), progress, on_skip)

    def relate(self, *, recompute: bool = False,
               progress: Progress = no_progress) -> RelateSummary:
        return self._relater().relate_collection(recompute=recompute, progress=progress)

    def update_stories(self, *, recompute: bool = False,
                       progress: Progress = no_progress) -> StorySummary:
        return self._stories().update(recompute=recompute, progress=progress)

    def add(self, paths: Sequence[str]) -> AddSummary:
        """Ingest, relate the new articles to their candidates, and place them in stories."""
        ingested = self.ingest(paths)
        related = self.relate()
        return AddSummary(ingested, related, self.update_stories())

    # -- reading --------------------------------------------------------------------------------

    def stories(self) -> StoryList:
        """Every story, largest first (without its articles: `story(id)` has them)."""
        return StoryList(StoryView.of(record, traced)
                         for record, traced in self._stories().traced_stories())

    def traced_stories(self) -> list[tuple[dict[str, Any], Trace]]:
        """Every story's JSON form with its trace (what the report and web app draw)."""
        return self._stories().traced_stories()

    def story(self, reference: str) -> StoryView:
        """One story with its trace and articles, named by its id or by one of its
        articles."""
        builder = self._stories()
        record, traced = builder.story(builder.story_id(reference))
        return StoryView.of(record, traced, self.store.articles_by_id(traced.members))

    def trace(self, reference: str) -> TraceView:
        """The provenance of a story, named by its id or by one of its articles."""
        builder = self._stories()
        traced, articles, _ = builder.traced_with_inputs(builder.story_id(reference))
        return TraceView.of(traced, articles)

    def facts(self, reference: str, finder: EntityFinder | None = None) -> FactsView:
        """What the versions of a story (named by its id or one of its articles) claim, and
        where they disagree. Computed on demand from the stored texts, alignments and
        sentence vectors; nothing is re-aligned and no model is loaded."""
        builder = self._stories()
        traced, articles, relations = builder.traced_with_inputs(builder.story_id(reference))
        vectors = ReuseTables(self.store).vectors(
            traced.members, MODEL_NAME, {a.id: a.text_hash for a in articles.values()})
        found = story_facts(traced, articles, relations, finder=finder, vectors=vectors)
        return FactsView.of(found, articles)

    def facts_summaries(self, story_ids: Sequence[str]) -> dict[str, dict[str, int]]:
        """The kept facts summaries (counts per kind) of these stories that are still current:
        their members, texts and relation verdicts unchanged since they were kept."""
        return StoryTables(self.store).facts_summaries(self._facts_basis(story_ids))

    def keep_facts_summaries(self, summaries: Mapping[str, dict[str, int]]) -> None:
        """Keep stories' facts summaries (`StoryFacts.as_dict()["summary"]`), so that an index
        of stories reads counts instead of extracting every article's claims again."""
        basis = self._facts_basis(list(summaries))
        StoryTables(self.store).write_facts_summaries(
            {story_id: (basis[story_id], dict(summary)) for story_id, summary in summaries.items()})

    def _facts_basis(self, story_ids: Sequence[str]) -> dict[str, str]:
        tables = StoryTables(self.store)
        verdicts = ReuseTables(self.store).verdicts(tables.members(story_ids))
        return tables.facts_basis(story_ids, [(v["a"], v["b"], v["relation"]) for v in verdicts])

    def article(self, reference: str) -> Article:
        return self.store.article(reference)

    def relations(self, *, include_unrelated: bool = False,
                  article: str | None = None) -> list[dict[str, Any]]:
        """The stored relations with their passages: all, or those of one article."""
        article_id = self.store.article(article).id if article else None
        return ReuseTables(self.store).relations(include_unrelated=include_unrelated,
                                                 article_id=article_id)

    def table(self, name: str) -> pa.Table:
        """One of the collection's tables (`newstrace.tables.TABLES`) as an Arrow table:
        polars (`polars.from_arrow`) and DuckDB read it without a copy. Needs pyarrow."""
        return collection_tables(self, [name])[name]

    def tables(self, names: Sequence[str] = TABLES) -> dict[str, pa.Table]:
        """Several tables at once (stories are traced once for all of them)."""
        return collection_tables(self, names)

    def export(self, folder: str | Path, file_format: str = "parquet",
               names: Sequence[str] = TABLES) -> list[Written]:
        """Write the tables to `folder`, one file each (`newstrace export`): Parquet (needs
        pyarrow), CSV (nested values as JSON text) or JSON lines ("jsonl")."""
        return write_tables(collection_rows(self, names), folder, file_format)

    def frame(self, name: str) -> pd.DataFrame:
        """One of the collection's tables as a pandas DataFrame. Needs pandas."""
        return to_frame(self.table(name))

    def compare(self, first: str | Article, second: str | Article, *,
                with_facts: bool = False) -> Comparison:
        """Two articles (stored, files, or `Article`s) compared, with the aligned passages.
        `with_facts`: when both are stored in one story, also its facts, so that a rendering
        marks added sentences and altered facts (costs the story's facts)."""
        a, b = self._resolve(first), self._resolve(second)
        relation, alignment = self._relater().compare(a, b)
        facts = None
        if with_facts:
            stories = StoryTables(self.store).story_of([a.id, b.id])
            if stories.get(a.id) is not None and stories.get(a.id) == stories.get(b.id):
                facts = self.facts(stories[a.id]).as_dict()
        return Comparison(relation, alignment, a, b, facts)

    def check(self, query: str | Article, limit: int = 10) -> CheckResults:
        """The likely sources in the collection of an article (or of a file's first one)."""
        checked = self._resolve(query)
        found = self._relater().check(checked, limit)
        sources = self.store.articles_by_id(relation.a for relation, _ in found)
        return CheckResults(CheckResult(relation, alignment, sources[relation.a], checked)
                            for relation, alignment in found if relation.a in sources)

    def _resolve(self, item: str | Article) -> Article:
        if isinstance(item, Article):
            return item
        if item == "-" or Path(item).is_file():
            found = Ingestor(self.store, self._ingest_config).read([item])
            if not found:
                raise InputError(item, "no-article-text", "no article text found in it")
            return found[0]
        return self.store.article(item)

    def _relater(self) -> Relater:
        return Relater(self.store, self.encoder, self._reuse_config)

    def _stories(self) -> StoryBuilder:
        return StoryBuilder(self.store, self._cluster_config)
