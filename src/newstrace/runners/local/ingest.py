"""The local runner's ingest: read inputs, make articles (`stages.articles`), store them in
batches.

Batches are written in one transaction each, so a killed ingest loses at most the batch in
flight, and running the same command again finishes the job: inputs already stored with the
same raw content are recognised by their source key and hash, and passed over.
"""

from __future__ import annotations

import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from newstrace.ids import digest
from newstrace.progress import Progress, no_progress
from newstrace.records import Article, RawDocument, Skip
from newstrace.runners.local.store.db import Store
from newstrace.stages.articles import (
    NO_TEXT,
    ArticleBuilder,
    IngestConfig,
    LineRepeats,
    SiteLines,
    site_line_counts,
    source_key,
)
from newstrace.stages.readers.dispatch import read_inputs
from newstrace.stages.readers.sources import STDIN, spool


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




@dataclass(frozen=True, slots=True)
class _RunLines:
    """A run's site lines (`site_line_counts` of its pages) and the store's counts of them
    from before the run (the counts the run's batches add must not be counted twice)."""

    run: SiteLines
    before: dict[str, dict[int, int]]

    def stored(self, site: str, _hashes: Iterable[int]) -> dict[int, int]:
        return self.before.get(site, {})


class Ingestor:
    """Ingests inputs into a store. Build once per run; it holds the cleaners."""

    def __init__(self, store: Store, config: IngestConfig | None = None) -> None:
        self.store = store
        self.config = config or IngestConfig()
        self.builder = ArticleBuilder(self.config)

    def ingest(self, paths: list[str], progress: Progress = no_progress,
               on_skip: Callable[[Skip], None] | None = None) -> IngestSummary:
        summary = IngestSummary()
        run_id = self.store.start_run(paths)
        batch: list[RawDocument] = []
        own_files = {self.store.path + suffix for suffix in ("", "-wal", "-shm", "-journal")}
        with self._inputs(paths, own_files) as inputs:
            lines = self._run_lines(inputs())
            for item in inputs():
                if isinstance(item, Skip):
                    self._skip(summary, item, on_skip)
                    continue
                batch.append(item)
                if len(batch) >= self.config.batch_size:
                    self._ingest_batch(batch, summary, progress, on_skip, lines)
                    batch = []
        if batch:
            self._ingest_batch(batch, summary, progress, on_skip, lines)
        self.store.finish_run(run_id, summary.as_dict(), summary.skips)
        return summary

    @contextmanager
    def _inputs(self, paths: list[str], own_files: set[str]
                ) -> Iterator[Callable[[], Iterable[RawDocument | Skip]]]:
        """The inputs, readable twice (the first pass counts site lines). Standard input can
        be read once: where it is among them, it is first copied to a temporary file on
        disk, never held in memory, and read from there both times."""
        if STDIN not in paths:
            yield lambda: read_inputs(paths, self.config.reader, exclude=own_files)
            return
        with tempfile.NamedTemporaryFile(prefix="newstrace-stdin-") as copy:
            spool(sys.stdin.buffer, copy)
            yield lambda: read_inputs(paths, self.config.reader, exclude=own_files,
                                      stdin=copy.name)

    def _run_lines(self, inputs: Iterable[RawDocument | Skip]) -> _RunLines:
        """A first pass over the inputs: the site lines of every page this run will store
        (not those stored already with the same content, whose lines the store counts), and
        the store's counts of those lines from before the run. Every page is then cleaned
        against the whole run's pages, whichever batch it falls in: as the memory and Spark
        runners clean it, so all three runners give one page the same text."""
        fresh = (item for item in inputs
                 if not isinstance(item, Skip) and not self.store.mark_unchanged(
                     source_key(item), digest(item.body), item.source_path))
        run = site_line_counts(fresh)
        before = {site: self.store.site_line_pages(site, counts) for site, counts in run.items()}
        return _RunLines(run, before)

    def read(self, paths: list[str], on_skip: Callable[[Skip], None] | None = None
             ) -> list[Article]:
        """Clean inputs into articles without storing them (`check` and `compare` on files);
        line repetition counts the store's pages of the same site."""
        return self.builder.read(paths, self.store.site_line_pages, on_skip)

    def _skip(self, summary: IngestSummary, skip: Skip,
              on_skip: Callable[[Skip], None] | None) -> None:
        summary.skips.append(skip)
        if on_skip is not None:
            on_skip(skip)

    def _ingest_batch(self, batch: list[RawDocument], summary: IngestSummary,
                      progress: Progress, on_skip: Callable[[Skip], None] | None,
                      lines: _RunLines) -> None:
        fresh: list[tuple[RawDocument, str, str]] = []
        for raw in batch:
            key, raw_hash = source_key(raw), digest(raw.body)
            if self.store.mark_unchanged(key, raw_hash, raw.source_path):
                summary.unchanged += 1
            else:
                fresh.append((raw, key, raw_hash))
        repeats = LineRepeats([raw for raw, _, _ in fresh], lines.stored, lines.run)
        articles: dict[str, Article] = {}
        first_by_text: dict[str, str] = {}
        for raw, key, raw_hash in fresh:
            try:
                cleaned = self.builder.clean(raw, repeats)
            except Exception as error:
                summary.errors += 1
                self._skip(summary, Skip(raw.where, "extraction-error",
                                         f"extraction failed: {type(error).__name__}: {error}"),
                           on_skip)
                continue
            if not cleaned.text.strip():
                self._skip(summary, Skip(raw.where, *NO_TEXT), on_skip)
                continue
            article = self.builder.build(raw, cleaned, key, raw_hash)
            # The store's first comes before the batch's: an earlier batch read it first
            # (the batch's first with this text may itself be a copy of a stored one).
            earlier = self.store.first_with_text(article.text_hash) or first_by_text.get(
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
