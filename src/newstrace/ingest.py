"""The ingest job: read inputs, extract and clean each article, store them in batches.

Batches are written in one transaction each, so a killed ingest loses at most the batch in
flight, and running the same command again finishes the job: inputs already stored with the
same raw content are recognised by their source key and hash, and passed over.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from newstrace.clean.cues import outlet_key
from newstrace.clean.dates import parse_date
from newstrace.clean.furniture import FurnitureConfig, normalised_line
from newstrace.clean.masthead import site_name
from newstrace.clean.sentences import SentenceSplitter
from newstrace.extract.document import CleanDocument, DocumentCleaner
from newstrace.extract.html import HtmlConfig
from newstrace.ids import (
    article_id,
    digest,
    input_name,
    line_hash,
    normalise_url,
    site_of,
    text_hash,
)
from newstrace.progress import Progress, no_progress
from newstrace.readers.config import ReaderConfig
from newstrace.readers.dispatch import read_inputs
from newstrace.records import Article, BodyFormat, RawDocument, Skip, SourceKind
from newstrace.store.db import Store

# Lines longer than this are never furniture by repetition alone, so they are not counted.
_REPEAT_MAX_WORDS = 25


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
                articles.append(self._build(raw, cleaned, _source_key(raw), digest(raw.body)))
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
            key, raw_hash = _source_key(raw), digest(raw.body)
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
        counter = repeats.counter_for(raw)
        if raw.body_format is BodyFormat.HTML:
            return self._cleaner.clean_html(raw.body, raw.url, counter)
        # A text file is a crawler's dump of a whole page; text in a JSON field or a feed
        # entry is already the article, so only furniture lines are taken out of it.
        return self._cleaner.clean_text(raw.body, counter, find_body=raw.kind is SourceKind.TEXT)

    def _build(self, raw: RawDocument, cleaned: CleanDocument, key: str,
               raw_hash: str) -> Article:
        clean_hash = text_hash(cleaned.text)
        url = raw.url or cleaned.url
        published = parse_date(raw.published)
        published_source: str | None = f"{raw.kind.value} record"
        if published is None:
            published, published_source = cleaned.published, cleaned.published_source
        article = Article(
            id="",
            source_path=raw.source_path,
            kind=raw.kind,
            text=cleaned.text,
            text_hash=clean_hash,
            source_id=raw.source_id,
            url=url,
            canonical_url=cleaned.canonical_url,
            outlet=raw.outlet or cleaned.outlet or site_of(url),
            author=raw.author or cleaned.author,
            title=raw.title or cleaned.title,
            published=published,
            published_source=published_source,
            language=cleaned.language,
            sentences=self._splitter.split(cleaned.text),
            removed=cleaned.removed,
            cues=cleaned.cues,
            # The raw input is kept where lines were cut from a page dump; a JSON or feed body
            # is its own raw text, and keeping it twice would double the store.
            raw=cleaned.raw if raw.kind is SourceKind.TEXT else None,
            raw_map=cleaned.raw_map if raw.kind is SourceKind.TEXT else None,
            source_key=key,
            raw_hash=raw_hash,
        )
        article.id = _identify(article)
        return article



def _identify(article: Article) -> str:
    """The article's id: from its own URL (the container's, or the page's og:url), else from
    its content and its input's name (never the folder it lies in: see `ids.input_name`).

    A canonical link alone is not taken as identity: syndicated copies point theirs at the
    original, and would take the original's id (and replace it) if it were."""
    if article.url:
        return article_id(normalise_url(article.url))
    return article_id(f"{article.source_key}\n{article.text_hash}")



def _source_key(raw: RawDocument) -> str:
    """Where an input came from, stable across runs and folders: the record's URL when the
    container gives one, else the file's name and the record inside it."""
    if raw.url and raw.kind in (SourceKind.WARC, SourceKind.JSONL, SourceKind.FEED):
        return normalise_url(raw.url)
    return input_name(raw.source_path, raw.record)


def _site_key(raw: RawDocument) -> str:
    """Which pages count as one site for line repetition: the URL's host, else the folder
    (crawlers save one site a folder) with the site's own name where the page states it (a
    story pile saved in one folder holds many sites, and the headline its reprints share is
    no furniture)."""
    host = site_of(raw.url)
    if host:
        return host
    folder = os.path.dirname(os.path.abspath(raw.source_path))
    if raw.body_format is BodyFormat.TEXT:
        name = outlet_key(site_name([line.strip() for line in raw.body.splitlines()
                                     if line.strip()]))
        if name:
            return f"{folder}#{name}"
    return folder


class _BatchRepeats:
    """Line repetition across the pages of a site: the store's counts plus this batch's."""

    def __init__(self, store: Store, batch: Iterable[RawDocument]) -> None:
        self._store = store
        self._batch: dict[str, Counter[int]] = {}
        self._own: dict[int, set[int]] = {}
        for raw in batch:
            if raw.body_format is not BodyFormat.TEXT:
                continue
            hashes = {line_hash(normalised_line(line)) for line in raw.body.splitlines()
                      if 0 < len(line.split()) <= _REPEAT_MAX_WORDS}
            self._own[id(raw)] = hashes
            self._batch.setdefault(_site_key(raw), Counter()).update(hashes)
        self._stored = {site: store.site_line_pages(site, counts)
                        for site, counts in self._batch.items()}

    def counter_for(self, raw: RawDocument) -> Callable[[str], int]:
        site = _site_key(raw)
        batch, stored = self._batch.get(site, Counter()), self._stored.get(site, {})
        own = self._own.get(id(raw), set())

        def pages(normalised: str) -> int:
            key = line_hash(normalised)
            return batch[key] + stored.get(key, 0) - (1 if key in own else 0)

        return pages

    def increments(self) -> dict[tuple[str, int], int]:
        return {(site, key): count for site, counts in self._batch.items()
                for key, count in counts.items()}
