"""The ingest job: read inputs, extract and clean each article, store them in batches.

Batches are written in one transaction each, so a killed ingest loses at most the batch in
flight, and running the same command again finishes the job: inputs already stored with the
same raw content are recognised by their source key and hash, and passed over.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from newstrace.clean.furniture import FurnitureConfig
from newstrace.clean.sentences import SentenceSplitter
from newstrace.extract.article import (
    build_article,
    clean,
    counted_lines,
    repeat_counter,
    site_key,
    source_key,
)
from newstrace.extract.document import CleanDocument, DocumentCleaner
from newstrace.extract.html import HtmlConfig
from newstrace.ids import digest
from newstrace.progress import Progress, no_progress
from newstrace.readers.config import ReaderConfig
from newstrace.readers.dispatch import read_inputs
from newstrace.records import Article, BodyFormat, RawDocument, Skip
from newstrace.store.db import Store


@dataclass(frozen=True, slots=True)
class IngestConfig:
    reader: ReaderConfig = field(default_factory=ReaderConfig)
    html: HtmlConfig = field(default_factory=HtmlConfig)
    furniture: FurnitureConfig = field(default_factory=FurnitureConfig)
    batch_size: int = 200


@dataclass(slots=True)
class IngestSummary:
    """What an ingest did: counts by outcome, and every skip with its reason."""

    ingested: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    errors: int = 0
    skips: list[Skip] = field(default_factory=list)

    @property
    def skipped(self) -> Counter[str]:
        return Counter(skip.reason for skip in self.skips)

    def as_dict(self) -> dict[str, Any]:
        return {"ingested": self.ingested, "updated": self.updated,
                "unchanged": self.unchanged, "exact_duplicates": self.duplicates,
                "errors": self.errors,
                "skipped": dict(sorted(self.skipped.items()))}




class Ingestor:
    """Ingests inputs into a store. Build once per run; it holds the cleaners."""

    def __init__(self, store: Store, config: IngestConfig | None = None) -> None:
        self.store = store
        self.config = config or IngestConfig()
        self._cleaner = DocumentCleaner(self.config.html, self.config.furniture)
        self._splitter = SentenceSplitter()

    def ingest(self, paths: list[str], progress: Progress = no_progress,
               on_skip: Callable[[Skip], None] | None = None) -> IngestSummary:
        summary = IngestSummary()
        run_id = self.store.start_run(paths)
        batch: list[RawDocument] = []
        own_files = {self.store.path + suffix for suffix in ("", "-wal", "-shm", "-journal")}
        for item in read_inputs(paths, self.config.reader, exclude=own_files):
            if isinstance(item, Skip):
                self._skip(summary, item, on_skip)
                continue
            batch.append(item)
            if len(batch) >= self.config.batch_size:
                self._ingest_batch(batch, summary, progress, on_skip)
                batch = []
        if batch:
            self._ingest_batch(batch, summary, progress, on_skip)
        self.store.finish_run(run_id, summary.as_dict(), summary.skips)
        return summary

    def read(self, paths: list[str], on_skip: Callable[[Skip], None] | None = None
             ) -> list[Article]:
        """Clean inputs into articles without storing them (`check` and `compare` on files)."""
        raws: list[RawDocument] = []
        for item in read_inputs(paths, self.config.reader):
            if isinstance(item, Skip):
                if on_skip is not None:
                    on_skip(item)
            else:
                raws.append(item)
        repeats = _BatchRepeats(self.store, raws)
        articles = []
        for raw in raws:
            cleaned = self._clean(raw, repeats)
            if cleaned.text.strip():
                articles.append(self._build(raw, cleaned, source_key(raw), digest(raw.body)))
            elif on_skip is not None:
                on_skip(Skip(raw.where, "no-article-text",
                             "no article text found (only page furniture?)"))
        return articles

    def _skip(self, summary: IngestSummary, skip: Skip,
              on_skip: Callable[[Skip], None] | None) -> None:
        summary.skips.append(skip)
        if on_skip is not None:
            on_skip(skip)

    def _ingest_batch(self, batch: list[RawDocument], summary: IngestSummary,
                      progress: Progress, on_skip: Callable[[Skip], None] | None) -> None:
        fresh: list[tuple[RawDocument, str, str]] = []
        for raw in batch:
            key, raw_hash = source_key(raw), digest(raw.body)
            if self.store.mark_unchanged(key, raw_hash, raw.source_path):
                summary.unchanged += 1
            else:
                fresh.append((raw, key, raw_hash))
        repeats = _BatchRepeats(self.store, [raw for raw, _, _ in fresh])
        articles: dict[str, Article] = {}
        first_by_text: dict[str, str] = {}
        for raw, key, raw_hash in fresh:
            try:
                cleaned = self._clean(raw, repeats)
            except Exception as error:
                summary.errors += 1
                self._skip(summary, Skip(raw.where, "extraction-error",
                                         f"extraction failed: {type(error).__name__}: {error}"),
                           on_skip)
                continue
            if not cleaned.text.strip():
                self._skip(summary, Skip(raw.where, "no-article-text",
                                         "no article text found (only page furniture?)"), on_skip)
                continue
            article = self._build(raw, cleaned, key, raw_hash)
            earlier = first_by_text.get(article.text_hash) or self.store.first_with_text(
                article.text_hash)
            article.duplicate_of = earlier if earlier != article.id else None
            first_by_text.setdefault(article.text_hash, article.id)
            if article.id in articles or self.store.identity(article.id) is not None:
                summary.updated += 1
            else:
                summary.ingested += 1
            summary.duplicates += article.duplicate_of is not None
            articles[article.id] = article
        self.store.write_batch(list(articles.values()), repeats.increments())
        progress(len(batch))

    def _clean(self, raw: RawDocument, repeats: _BatchRepeats) -> CleanDocument:
        return clean(self._cleaner, raw, repeats.counter_for(raw))

    def _build(self, raw: RawDocument, cleaned: CleanDocument, key: str,
               raw_hash: str) -> Article:
        return build_article(raw, cleaned, self._splitter, key, raw_hash)


class _BatchRepeats:
    """Line repetition across the pages of a site: the store's counts plus this batch's."""

    def __init__(self, store: Store, batch: Iterable[RawDocument]) -> None:
        self._store = store
        self._batch: dict[str, Counter[int]] = {}
        self._own: dict[int, set[int]] = {}
        for raw in batch:
            if raw.body_format is not BodyFormat.TEXT:
                continue
            hashes = counted_lines(raw)
            self._own[id(raw)] = hashes
            self._batch.setdefault(site_key(raw), Counter()).update(hashes)
        self._stored = {site: store.site_line_pages(site, counts)
                        for site, counts in self._batch.items()}

    def counter_for(self, raw: RawDocument) -> Callable[[str], int]:
        site = site_key(raw)
        batch, stored = self._batch.get(site, Counter()), self._stored.get(site, {})
        return repeat_counter(lambda key: batch[key] + stored.get(key, 0),
                              self._own.get(id(raw), set()))

    def increments(self) -> dict[tuple[str, int], int]:
        return {(site, key): count for site, counts in self._batch.items()
                for key, count in counts.items()}
