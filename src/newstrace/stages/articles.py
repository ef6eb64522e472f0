"""Articles from raw inputs: extract and clean each input, split its sentences, and name it.

The stage a runner calls between reading inputs and storing (or relating) them. It keeps no
state of its own: line repetition across a site's pages (how page furniture is recognised in
text dumps) is counted over the batch at hand plus whatever counts the runner already holds,
passed in as `stored` (the local runner's come from its store; the memory runner has none).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from newstrace.ids import (
    article_id,
    digest,
    input_name,
    line_hash,
    normalise_url,
    site_of,
    text_hash,
)
from newstrace.records import Article, BodyFormat, RawDocument, Skip, SourceKind
from newstrace.stages.clean.cues import outlet_key
from newstrace.stages.clean.dates import parse_date
from newstrace.stages.clean.furniture import FurnitureConfig, normalised_line
from newstrace.stages.clean.masthead import site_name
from newstrace.stages.clean.sentences import SentenceSplitter
from newstrace.stages.extract.document import CleanDocument, DocumentCleaner
from newstrace.stages.extract.html import HtmlConfig
from newstrace.stages.readers.config import ReaderConfig
from newstrace.stages.readers.dispatch import read_inputs

# Lines longer than this are never furniture by repetition alone, so they are not counted.
_REPEAT_MAX_WORDS = 25

# The line counts a runner already holds: (site, line hashes) -> pages per hash.
StoredLines = Callable[[str, Iterable[int]], dict[int, int]]


def no_stored_lines(_site: str, _hashes: Iterable[int]) -> dict[int, int]:
    """No counts beyond the batch (the memory runner, or reading a file on its own)."""
    return {}


@dataclass(frozen=True, slots=True)
class IngestConfig:
    reader: ReaderConfig = field(default_factory=ReaderConfig)
    html: HtmlConfig = field(default_factory=HtmlConfig)
    furniture: FurnitureConfig = field(default_factory=FurnitureConfig)
    batch_size: int = 200  # inputs per batch (the local runner: per transaction)


NO_TEXT = ("no-article-text", "no article text found (only page furniture?)")


class ArticleBuilder:
    """Cleans raw inputs into `Article`s. Build once per run; it holds the cleaners."""

    def __init__(self, config: IngestConfig | None = None) -> None:
        self.config = config or IngestConfig()
        self._cleaner = DocumentCleaner(self.config.html, self.config.furniture)
        self._splitter = SentenceSplitter()

    def clean(self, raw: RawDocument, repeats: LineRepeats) -> CleanDocument:
        return self.clean_counted(raw, repeats.counter_for(raw))

    def clean_counted(self, raw: RawDocument, counter: Callable[[str], int]) -> CleanDocument:
        """The raw body's clean text; `counter` says on how many other pages of the site a
        (normalised) line stands (a runner that counts lines its own way, as Spark does over
        the whole input, calls this directly)."""
        if raw.body_format is BodyFormat.HTML:
            return self._cleaner.clean_html(raw.body, raw.url, counter)
        # A text file is a crawler's dump of a whole page; text in a JSON field or a feed
        # entry is already the article, so only furniture lines are taken out of it.
        return self._cleaner.clean_text(raw.body, counter, find_body=raw.kind is SourceKind.TEXT)

    def build(self, raw: RawDocument, cleaned: CleanDocument, key: str,
              raw_hash: str) -> Article:
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
            text_hash=text_hash(cleaned.text),
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
        article.id = identify(article)
        return article

    def articles(self, raws: Sequence[RawDocument], stored: StoredLines = no_stored_lines,
                 on_skip: Callable[[Skip], None] | None = None) -> list[Article]:
        """The articles of these inputs, in order; inputs with no article text are skipped."""
        repeats = LineRepeats(raws, stored)
        found = []
        for raw in raws:
            cleaned = self.clean(raw, repeats)
            if cleaned.text.strip():
                found.append(self.build(raw, cleaned, source_key(raw), digest(raw.body)))
            elif on_skip is not None:
                on_skip(Skip(raw.where, *NO_TEXT))
        return found

    def read(self, paths: Sequence[str], stored: StoredLines = no_stored_lines,
             on_skip: Callable[[Skip], None] | None = None) -> list[Article]:
        """Read and clean inputs into articles, keeping nothing (`check` and `compare` on
        files, and the memory runner)."""
        raws: list[RawDocument] = []
        for item in read_inputs(list(paths), self.config.reader):
            if isinstance(item, Skip):
                if on_skip is not None:
                    on_skip(item)
            else:
                raws.append(item)
        return self.articles(raws, stored, on_skip)


def identify(article: Article) -> str:
    """The article's id: from its own URL (the container's, or the page's og:url), else from
    its content and its input's name (never the folder it lies in: see `ids.input_name`).

    A canonical link alone is not taken as identity: syndicated copies point theirs at the
    original, and would take the original's id (and replace it) if it were."""
    if article.url:
        return article_id(normalise_url(article.url))
    return article_id(f"{article.source_key}\n{article.text_hash}")


def source_key(raw: RawDocument) -> str:
    """Where an input came from, stable across runs and folders: the record's URL when the
    container gives one, else the file's name and the record inside it."""
    if raw.url and raw.kind in (SourceKind.WARC, SourceKind.JSONL, SourceKind.FEED):
        return normalise_url(raw.url)
    return input_name(raw.source_path, raw.record)


def site_key(raw: RawDocument) -> str:
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


def counted_lines(raw: RawDocument) -> set[int]:
    """The hashes of the lines of a text body that line repetition counts (HTML is cleaned
    by its markup, not by repetition)."""
    if raw.body_format is not BodyFormat.TEXT:
        return set()
    return {line_hash(normalised_line(line)) for line in raw.body.splitlines()
            if 0 < len(line.split()) <= _REPEAT_MAX_WORDS}


def repeat_counter(site_pages: Callable[[int], int], own: set[int]) -> Callable[[str], int]:
    """On how many *other* pages of the site a normalised line stands, from the site's page
    count per line hash (this page included when it carries the line)."""

    def pages(normalised: str) -> int:
        key = line_hash(normalised)
        return site_pages(key) - (1 if key in own else 0)

    return pages


SiteLines = dict[str, Counter[int]]  # site -> how many pages carry each counted line


def site_line_counts(raws: Iterable[RawDocument]) -> SiteLines:
    """How many of these pages of each site carry each counted line."""
    found: SiteLines = {}
    for raw in raws:
        hashes = counted_lines(raw)
        if hashes:
            found.setdefault(site_key(raw), Counter()).update(hashes)
    return found


class LineRepeats:
    """Line repetition across the pages of a site: the runner's stored counts plus this
    batch's, or plus the whole run's (`run`, counted by a first pass over every input the
    run reads). With `run`, a page cleaned in an early batch sees the pages of later
    batches, as the memory and Spark runners (which count over the whole input) see them;
    `stored` must then be the counts from before the run, not ones this run has grown."""

    def __init__(self, batch: Iterable[RawDocument],
                 stored: StoredLines = no_stored_lines, run: SiteLines | None = None) -> None:
        self._batch: SiteLines = {}
        self._own: dict[int, set[int]] = {}
        for raw in batch:
            if raw.body_format is not BodyFormat.TEXT:
                continue
            hashes = counted_lines(raw)
            self._own[id(raw)] = hashes
            self._batch.setdefault(site_key(raw), Counter()).update(hashes)
        self._seen = self._batch if run is None else run
        self._stored = {site: stored(site, counts) for site, counts in self._batch.items()}

    def counter_for(self, raw: RawDocument) -> Callable[[str], int]:
        site = site_key(raw)
        seen, stored = self._seen.get(site, Counter()), self._stored.get(site, {})
        return repeat_counter(lambda key: seen[key] + stored.get(key, 0),
                              self._own.get(id(raw), set()))

    def increments(self) -> dict[tuple[str, int], int]:
        return {(site, key): count for site, counts in self._batch.items()
                for key, count in counts.items()}
