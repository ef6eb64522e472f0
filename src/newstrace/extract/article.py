"""From a raw document to a stored `Article`: cleaning, identity and the line counts a site's
pages share. Pure functions over records, so the local runner (batches over the store) and
the Spark runner (partitions over Parquet) build every article the same way."""

from __future__ import annotations

import os
from collections.abc import Callable

from newstrace.clean.dates import parse_date
from newstrace.clean.furniture import normalised_line
from newstrace.clean.sentences import SentenceSplitter
from newstrace.extract.document import CleanDocument, DocumentCleaner
from newstrace.ids import article_id, input_name, line_hash, normalise_url, site_of, text_hash
from newstrace.records import Article, BodyFormat, RawDocument, SourceKind

# Lines longer than this are never furniture by repetition alone, so they are not counted.
REPEAT_MAX_WORDS = 25


def clean(cleaner: DocumentCleaner, raw: RawDocument,
          counter: Callable[[str], int]) -> CleanDocument:
    """The raw body's clean text; `counter` says on how many other pages of the site a
    (normalised) line stands."""
    if raw.body_format is BodyFormat.HTML:
        return cleaner.clean_html(raw.body, raw.url, counter)
    # A text file is a crawler's dump of a whole page; text in a JSON field or a feed
    # entry is already the article, so only furniture lines are taken out of it.
    return cleaner.clean_text(raw.body, counter, find_body=raw.kind is SourceKind.TEXT)


def build_article(raw: RawDocument, cleaned: CleanDocument, splitter: SentenceSplitter,
                  key: str, raw_hash: str) -> Article:
    """The article from a raw document and its clean text, with its id."""
    url = raw.url or cleaned.url
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
        published=parse_date(raw.published) or cleaned.published,
        language=cleaned.language,
        sentences=splitter.split(cleaned.text),
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
    (crawlers save one site a folder)."""
    return site_of(raw.url) or os.path.dirname(os.path.abspath(raw.source_path))


def counted_lines(raw: RawDocument) -> set[int]:
    """The hashes of the lines of a text body that line repetition counts (HTML is cleaned
    by its markup, not by repetition)."""
    if raw.body_format is not BodyFormat.TEXT:
        return set()
    return {line_hash(normalised_line(line)) for line in raw.body.splitlines()
            if 0 < len(line.split()) <= REPEAT_MAX_WORDS}


def repeat_counter(site_pages: Callable[[int], int], own: set[int]) -> Callable[[str], int]:
    """On how many *other* pages of the site a normalised line stands, from the site's page
    count per line hash (this page included when it carries the line)."""

    def pages(normalised: str) -> int:
        key = line_hash(normalised)
        return site_pages(key) - (1 if key in own else 0)

    return pages
