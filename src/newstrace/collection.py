"""`newstrace.Collection`: the library's front door, one store and everything computed on it.

The CLI, the report, the web app and a notebook all go through this class: none of them
touches the store, SQL or a runner's internals.

    with Collection.open("news.db") as news:
        news.analyze(["crawl/"])             # ingest, relate, place in stories, facts
        for story in news.stories():
            print(story.label, story.size, story.origins)
        news.story(story.id)                 # renders in a notebook: tree, timeline
        news.frame("relations")              # a pandas DataFrame (extra `frames`)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from newstrace.errors import InputError, StaleResultsError
from newstrace.export import Written, write_stamps, write_tables
from newstrace.progress import Progress, no_progress
from newstrace.records import Article, Skip, Story, Trace
from newstrace.results import (
    CheckResult,
    CheckResults,
    Comparison,
    FactsView,
    StoryList,
    StoryView,
    TraceView,
)
from newstrace.runners.config import ReuseConfig
from newstrace.runners.local.freshness import (
    STAMPS_TABLE,
    Stale,
    kept_stamps,
    stale_message,
    stale_results,
)
from newstrace.runners.local.ingest import Ingestor, IngestSummary
from newstrace.runners.local.relating import RELATE_ENCODER, Relater, RelateSummary
from newstrace.runners.local.store.db import Store
from newstrace.runners.local.store.reuse import ReuseTables
from newstrace.runners.local.store.stories import StoryTables
from newstrace.runners.local.storying import StoryBuilder, StorySummary
from newstrace.stages.articles import IngestConfig
from newstrace.stages.facts.config import FactsConfig
from newstrace.stages.facts.entities import EntityFinder
from newstrace.stages.facts.runner import StoryClaims, compare_story, story_claims
from newstrace.stages.reuse.cascade import Encoder, vector_scale
from newstrace.stages.reuse.embed import MODEL_NAME, Knots, SentenceEncoder, load_encoder
from newstrace.stages.reuse.static_embed import STATIC_MODEL_NAME, load_static_encoder
from newstrace.stages.stories.cluster import ClusterConfig
from newstrace.stages.stories.provenance import ProvenanceConfig
from newstrace.stamps import code_stamp
from newstrace.tables import TABLES, collection_rows, collection_tables, to_frame

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

__all__ = ["AddSummary", "Analysis", "Collection", "IngestConfig", "IngestSummary",
           "RelateSummary", "ReuseConfig", "StageProgress", "StorySummary", "snippet"]

# A stage's progress: given the stage's label and total (None: unknown), a context that
# yields the callable to report items done.
StageProgress = Callable[[str, int | None], AbstractContextManager[Progress]]
TracedStory = tuple[Story, Trace]
# What a kept facts summary is computed by: a summary kept by other code is not read.
_FACTS_CODE = ("newstrace.stages.facts.runner", "newstrace.stages.stories.provenance")


@contextmanager
def no_stage_progress(_label: str, _total: int | None) -> Iterator[Progress]:
    yield no_progress


@dataclass(slots=True)
class AddSummary:
    ingest: IngestSummary
    relate: RelateSummary
    stories: StorySummary = field(default_factory=StorySummary)


@dataclass(slots=True)
class Analysis:
    """What `analyze` did and found. `stories` holds the stories this run changed (or every
    story: see `covers_all`) with their traces; `facts` those stories' facts by story id,
    whole when `analyze(whole=True)`, else only their summary and what a summary prints."""

    added: AddSummary
    articles: int
    covers_all: bool
    stories: list[TracedStory]
    facts: dict[str, dict[str, Any]]


class Collection:
    """A collection of articles on disk (SQLite). `paraphrase=False` skips the embedding
    model: verbatim reuse only, and faster."""

    def __init__(self, path: str | Path, *, paraphrase: bool = True, readonly: bool = False,
                 ingest: IngestConfig | None = None, reuse: ReuseConfig | None = None,
                 clustering: ClusterConfig | None = None,
                 provenance: ProvenanceConfig | None = None,
                 encoder: SentenceEncoder | None = None) -> None:
        self.store = Store(path, readonly=readonly)
        self.path = str(path)
        self.paraphrase = paraphrase
        self._ingest_config = ingest or IngestConfig()
        self._reuse_config = reuse or ReuseConfig()
        self._cluster_config = clustering or ClusterConfig()
        self._provenance_config = provenance or ProvenanceConfig()
        # An encoder already loaded (a server shares one across requests) is used as it is.
        self._encoder: SentenceEncoder | None = encoder if paraphrase else None
        self._encoder_loaded = encoder is not None or not paraphrase
        self._minilm: SentenceEncoder | None = None  # the cascade's second encoder

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
        """The sentence encoder pairs are aligned on, loaded on first use: MiniLM (None
        without the paraphrase extra), or for the `static` and `cascade` settings the static
        model (an error naming the `static` extra when it is missing)."""
        if not self._encoder_loaded:
            self._encoder = None
            if self.paraphrase:
                self._encoder = (load_encoder() if self._reuse_config.encoder == "minilm"
                                 else load_static_encoder())
            self._encoder_loaded = True
        return self._encoder

    def _full_encoder(self) -> SentenceEncoder | None:
        """MiniLM for the cascade's undecided pairs (an error when it is missing), else None."""
        if self._reuse_config.encoder != "cascade" or self.encoder is None:
            return None
        if self._minilm is None:
            self._minilm = load_encoder(required=True)
        return self._minilm

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

    def add(self, paths: Sequence[str], *, stages: StageProgress = no_stage_progress,
            on_skip: Callable[[Skip], None] | None = None,
            on_ingested: Callable[[IngestSummary], None] | None = None) -> AddSummary:
        """Ingest, relate the new articles to their candidates, and place them in stories."""
        with stages("ingesting", None) as advance:
            ingested = self.ingest(paths, advance, on_skip)
        if on_ingested is not None:
            on_ingested(ingested)
        with stages("relating", self.store.count()) as advance:
            related = self.relate(progress=advance)
        with stages("grouping stories", None) as advance:
            placed = self.update_stories(progress=advance)
        return AddSummary(ingested, related, placed)

    def analyze(self, paths: Sequence[str], *, whole: bool = False,
                stages: StageProgress = no_stage_progress,
                on_skip: Callable[[Skip], None] | None = None,
                on_ingested: Callable[[IngestSummary], None] | None = None) -> Analysis:
        """The whole job, as `newstrace analyze` runs it: `add`, then trace the stories and
        compare the facts of their versions, keeping each story's facts summary.

        `whole`: every story with its whole facts (to write a report); else the stories
        this run changed, with what a summary prints (every claim of 100,000 articles is
        gigabytes), so adding to a large collection costs what the new articles cost. When
        the run changed nothing (the same folder again), every story is given."""
        added = self.add(paths, stages=stages, on_skip=on_skip, on_ingested=on_ingested)
        placed = added.stories
        covers_all = whole or len(placed.changed) in (0, placed.stories)
        with stages("tracing and comparing facts", None):
            traced, facts = self.traced_with_facts(None if covers_all else placed.changed,
                                                   whole=whole)
        self.keep_facts_summaries({s: found["summary"] for s, found in facts.items()})
        return Analysis(added, self.store.count(), covers_all, traced, facts)

    def traced_with_facts(self, story_ids: Sequence[str] | None = None, *, whole: bool = True,
                          ) -> tuple[list[TracedStory], dict[str, dict[str, Any]]]:
        """Every story (or these) with its trace, and the facts of each story of two or more
        (whole, or what a summary prints), in one pass: each member's text is searched once
        for the story's evidence and its claims. Every story: largest first, as `stories`."""
        traced: list[TracedStory] = []
        facts: dict[str, dict[str, Any]] = {}
        for drawn in self._stories().drawn(story_ids):
            traced.append((drawn.record, drawn.trace))
            # Facts compare versions: a story of one article has none to compare (its claims
            # are there on demand, `facts`).
            if drawn.record.size > 1:
                claims = story_claims(drawn.trace, drawn.articles, drawn.relations,
                                      findings=drawn.findings)
                facts[drawn.record.id] = _kept(self._compared(claims).as_dict(), whole)
        if story_ids is None:
            traced.sort(key=lambda item: (-item[0].size, item[0].first_published or "",
                                          item[0].id))
        return traced, facts

    # -- reading stories -------------------------------------------------------------------------

    def stale(self) -> list[Stale]:
        """The stored results (relations, stories) that another version of newstrace, other
        model files or other settings computed: this collection's reads show them as they
        were kept, so a face says so (`stale_message`) or refuses (`require_current`).
        Empty when everything stored is this code's."""
        return stale_results(self.store, self._reuse_config, self._cluster_config)

    def stale_message(self) -> str | None:
        """What `stale` finds, in words naming this store and the commands that bring it up
        to date; None when nothing is out of date."""
        found = self.stale()
        return stale_message(self.path, found) if found else None

    def require_current(self) -> None:
        """Raise `StaleResultsError` (naming the store and the fix) when `stale` finds
        anything."""
        message = self.stale_message()
        if message is not None:
            raise StaleResultsError(message)

    def stories(self) -> StoryList:
        """Every story, largest first (without its articles: `story(id)` has them)."""
        return StoryList(StoryView.of(record, traced)
                         for record, traced in self._stories().traced_stories())

    def traced_stories(self) -> list[TracedStory]:
        """Every story with its trace (one pass, where `stories` then `trace` would trace
        every story twice)."""
        return self._stories().traced_stories()

    def traced_story(self, reference: str) -> TracedStory:
        """One story (as `stories` lists it) with its trace, named by its id or by one of
        its articles."""
        builder = self._stories()
        return builder.story(builder.story_id(reference))

    def story(self, reference: str) -> StoryView:
        """One story with its trace and articles, named by its id or by one of its
        articles."""
        builder = self._stories()
        record, traced = builder.story(builder.story_id(reference))
        return StoryView.of(record, traced, self.store.articles_by_id(traced.members))

    def story_id(self, reference: str) -> str:
        """A story id from a story id or any reference to one of its articles."""
        return self._stories().story_id(reference)

    def story_of(self, article_id: str) -> str | None:
        """The story an article is in, if it has been placed."""
        return StoryTables(self.store).story_of([article_id]).get(article_id)

    def why(self, first: str, second: str) -> dict[str, Any]:
        """Why two stored articles are in one story or in two: the edge clustering weighed
        for them, what they share (when, where, who, numbers), where they conflict, and the
        reasons in words."""
        return self._stories().why(first, second)

    def trace(self, reference: str) -> TraceView:
        """The provenance of a story, named by its id or by one of its articles."""
        builder = self._stories()
        traced, articles, _ = builder.traced_with_inputs(builder.story_id(reference))
        return TraceView.of(traced, articles)

    def facts(self, reference: str, finder: EntityFinder | None = None,
              config: FactsConfig | None = None) -> FactsView:
        """What the versions of a story (named by its id or one of its articles) claim, and
        where they disagree. Computed on demand from the stored texts, alignments and
        sentence vectors; nothing is re-aligned and no model is loaded. `config`: the facts
        stage's thresholds (its fitted defaults when None)."""
        claims, vectors = self.story_claims(reference, finder)
        return FactsView.of(compare_story(claims, vectors, config, self.vector_scale()),
                            dict(claims.articles))

    def _compared(self, claims: StoryClaims) -> FactsView:
        """A story's claims compared, with the members' stored sentence vectors."""
        vectors = self._vectors(claims.members, claims.articles)
        return FactsView.of(compare_story(claims, vectors, scale=self.vector_scale()),
                            dict(claims.articles))

    def _vector_encoder(self) -> str:
        """The sentence model the stored verdicts were aligned on (this collection's setting
        for a store related before it was kept): its vectors are the ones every paired
        article has, so facts read those (the cascade's MiniLM vectors cover only some)."""
        return self.store.setting(RELATE_ENCODER) or self._reuse_config.encoder

    def vector_scale(self) -> Knots:
        """The map of the cosines of the vectors facts read (`story_claims`) onto MiniLM's,
        where the facts' bars were set: empty for MiniLM's own."""
        return vector_scale(self._vector_encoder())

    def _vectors(self, members: Sequence[str], articles: Mapping[str, Article]) -> dict[str, Any]:
        model = MODEL_NAME if self._vector_encoder() == "minilm" else STATIC_MODEL_NAME
        return ReuseTables(self.store).vectors(
            list(members), model, {a.id: a.text_hash for a in articles.values()})

    def story_claims(self, reference: str, finder: EntityFinder | None = None,
                     ) -> tuple[StoryClaims, dict[str, Any]]:
        """A story's claims and stored sentence vectors, ready to be compared under any
        `FactsConfig` (`newstrace.stages.facts.runner.compare_story`)."""
        builder = self._stories()
        traced, articles, relations = builder.traced_with_inputs(builder.story_id(reference))
        return (story_claims(traced, articles, relations, finder),
                self._vectors(traced.members, articles))

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
        return tables.facts_basis(story_ids, [(r.a, r.b, r.relation) for r, _ in verdicts],
                                  code_stamp(_FACTS_CODE))

    # -- reading articles and relations ----------------------------------------------------------

    def count(self) -> int:
        return self.store.count()

    def listing(self) -> Iterator[dict[str, Any]]:
        """Every article's metadata (no text), as `newstrace articles` lists it."""
        return self.store.listing()

    def article(self, reference: str) -> Article:
        """A stored article by id (or prefix), URL or file name."""
        return self.store.article(reference)

    def articles(self, article_ids: Iterable[str]) -> dict[str, Article]:
        """Stored articles by id; ids not stored are left out."""
        return self.store.articles_by_id(article_ids)

    def read(self, paths: Sequence[str],
             on_skip: Callable[[Skip], None] | None = None) -> list[Article]:
        """The articles in files (or '-' for stdin), read as the collection reads them but
        not added to it."""
        return Ingestor(self.store, self._ingest_config).read(list(paths), on_skip)

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
        pyarrow), CSV (nested values as JSON text) or JSON lines ("jsonl"). A Parquet
        export also holds the stamps of the code that made its relations and stories
        (`stamps.parquet`), which `import_spark_run` keeps."""
        written = write_tables(collection_rows(self, names), folder, file_format)
        if file_format == "parquet":
            written.append(write_stamps(folder, STAMPS_TABLE, kept_stamps(self.store)))
        return written

    def frame(self, name: str) -> pd.DataFrame:
        """One of the collection's tables as a pandas DataFrame. Needs pandas."""
        return to_frame(self.table(name))

    def compare(self, first: str | Article, second: str | Article, *,
                with_facts: bool = False) -> Comparison:
        """Two articles (stored, files, or `Article`s) compared, with the aligned passages.
        `with_facts`: when both are stored in one story, also its facts, so that a rendering
        marks added sentences and altered facts (costs the story's facts)."""
        a, b = self.resolve(first), self.resolve(second)
        relation, alignment = self._relater().compare(a, b)
        facts = None
        if with_facts:
            stories = StoryTables(self.store).story_of([a.id, b.id])
            if stories.get(a.id) is not None and stories.get(a.id) == stories.get(b.id):
                facts = self.facts(stories[a.id]).as_dict()
        return Comparison(relation, alignment, a, b, facts)

    def check(self, query: str | Article, limit: int = 10) -> CheckResults:
        """The likely sources in the collection of an article (or of a file's first one)."""
        checked = self.resolve(query)
        found = self._relater().check(checked, limit)
        sources = self.store.articles_by_id(relation.a for relation, _ in found)
        return CheckResults(CheckResult(relation, alignment, sources[relation.a], checked)
                            for relation, alignment in found if relation.a in sources)

    def resolve(self, item: str | Article,
                on_skip: Callable[[Skip], None] | None = None) -> Article:
        """An article: itself, the first read from a file ('-': stdin), or a stored one."""
        if isinstance(item, Article):
            return item
        if item == "-" or Path(item).is_file():
            found = self.read([item], on_skip)
            if not found:
                raise InputError(item, "no-article-text", "no article text found in it")
            return found[0]
        return self.store.article(item)

    def relations(self, *, include_unrelated: bool = False, article_id: str | None = None,
                  article_ids: Sequence[str] | None = None) -> list[dict[str, Any]]:
        """Stored relations with their alignments: all, one article's, or those among some."""
        return ReuseTables(self.store).relations(include_unrelated=include_unrelated,
                                                 article_id=article_id,
                                                 article_ids=article_ids)

    def relation(self, a: str, b: str) -> dict[str, Any] | None:
        """The stored relation (with its alignment) between two articles, either order."""
        return ReuseTables(self.store).relation(a, b)

    def search(self, text: str, limit: int = 50) -> list[dict[str, Any]]:
        """Articles whose title, outlet or text contain `text` (any case), earliest first,
        each with its story and a snippet (before, match, after) around the match."""
        needle = " ".join(text.split()).lower()
        if not needle:
            return []
        rows = self.store.search(needle, limit)
        return [{"id": row["id"], "title": row["title"], "outlet": row["outlet"],
                 "url": row["url"], "published": row["published"],
                 "story": self.story_of(row["id"]), "snippet": snippet(row["text"], needle)}
                for row in rows]

    def import_spark_run(self, folder: str) -> dict[str, int]:
        """Load a Spark run's Parquet tables (`spark_analyze`'s `out`) into the collection,
        replacing what it held for those articles; the rows loaded per table."""
        from newstrace.runners.spark.load import load_tables

        return load_tables(folder, self.store)

    def data_version(self) -> int:
        """A number that changes whenever another connection changes the collection."""
        return self.store.data_version()

    def _relater(self) -> Relater:
        return Relater(self.store, self.encoder, self._reuse_config, self._full_encoder())

    def _stories(self) -> StoryBuilder:
        return StoryBuilder(self.store, self._cluster_config, self._provenance_config)


def spark_analyze(inputs: Sequence[str], out: str, *, master: str | None = None,
                  partitions: int | None = None, paraphrase: bool = True,
                  facts: bool = True, driver_memory: str | None = None,
                  encoder: Encoder = "minilm") -> dict[str, Any]:
    """The whole job on Apache Spark (the `spark` extra): read `inputs`, write the tables
    under `out` as Parquet (docs/spark.md); returns rows per table and seconds per stage.
    `encoder`: the sentence model setting, as `analyze --encoder`."""
    from newstrace.runners.spark.job import SparkJobConfig, run

    summary = run(inputs, out, master=master, partitions=partitions,
                  config=SparkJobConfig(reuse=ReuseConfig(encoder=encoder),
                                        paraphrase=paraphrase, facts=facts),
                  driver_memory=driver_memory)
    return summary.as_dict()


def _kept(facts: dict[str, Any], whole: bool) -> dict[str, Any]:
    """A story's facts as `analyze` keeps them: whole for a report, else what it prints."""
    if whole:
        return facts
    return {key: facts[key] for key in ("story", "summary", "altered_facts", "conflicts")}


def snippet(text: str, needle: str, width: int = 90) -> tuple[str, str, str]:
    """(before, match, after) around the first match of `needle` in `text`."""
    at = text.lower().find(needle)
    if at < 0:
        return (text[: width * 2], "", "")
    start, end = max(at - width, 0), min(at + len(needle) + width, len(text))
    before = ("…" if start else "") + text[start:at]
    after = text[at + len(needle) : end] + ("…" if end < len(text) else "")
    return (before, text[at : at + len(needle)], after)
