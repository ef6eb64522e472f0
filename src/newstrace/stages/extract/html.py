"""Article text and metadata from an HTML page: trafilatura for the body, the page head for
the links that matter to provenance (its own URL, its canonical URL) and the publisher."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import lxml.html
import trafilatura
from lxml import etree

from newstrace.stages.clean.dates import parse_date

# trafilatura logs every page it finds too short at WARNING; our skip counts already say so.
logging.getLogger("trafilatura").setLevel(logging.ERROR)
logging.getLogger("htmldate").setLevel(logging.ERROR)


@dataclass(frozen=True, slots=True)
class HtmlConfig:
    """How the body is extracted. Precision first: a reprint's extra menu text would look like
    content the copy added.

    `favor_precision` CHOSEN BY CV: `python -m bench.html_mode` (2026-12-07), trafilatura's two
    modes under 5-fold grouped CV over the 91 aeb-dev pages (groups: hosts) and wild-dev's 19
    HTML pages (groups: story piles); every fold's training pages preferred True. Held-out
    body F1 0.977 on aeb-dev (folds 0.962-0.989; in-sample the same: no fold chose
    otherwise), trafilatura alone 0.973 in the same run. The other two are not choices of
    quality (tables are article text; comments are not)."""

    favor_precision: bool = True
    include_tables: bool = True
    include_comments: bool = False


@dataclass(slots=True)
class ExtractedPage:
    text: str
    title: str | None = None
    url: str | None = None
    canonical_url: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: str | None = None
    published_source: str | None = None
    language: str | None = None


@dataclass(slots=True)
class _HeadLinks:
    canonical: str | None = None
    og_url: str | None = None
    site_name: str | None = None
    title: str | None = None
    author: str | None = None
    published: str | None = None
    language: str | None = None


def _read_head(tree: lxml.html.HtmlElement) -> _HeadLinks:
    head = _HeadLinks()
    for link in tree.iterfind(".//link[@rel][@href]"):
        if "canonical" in link.get("rel", "").lower().split() and head.canonical is None:
            head.canonical = link.get("href", "").strip() or None
    for meta in tree.iterfind(".//meta[@content]"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        value = meta.get("content", "").strip()
        if not value:
            continue
        if key == "og:url" and head.og_url is None:
            head.og_url = value
        elif key in ("og:site_name", "application-name") and head.site_name is None:
            head.site_name = value
        elif key in ("og:title", "twitter:title") and head.title is None:
            head.title = value
        elif key in ("author", "article:author", "dc.creator") and head.author is None:
            head.author = value
        elif key in ("article:published_time", "datepublished", "dc.date", "date",
                     "pubdate", "publishdate") and head.published is None:
            head.published = value
    language = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    head.language = language.split("-")[0].lower() if language else None
    return head


class HtmlExtractor:
    """Extracts one page at a time; holds the configuration only."""

    def __init__(self, config: HtmlConfig | None = None) -> None:
        self.config = config or HtmlConfig()

    def extract(self, html: str, url: str | None = None) -> ExtractedPage:
        """The page's article. `url` is where it was fetched from, when the caller knows it.

        Returns an ExtractedPage whose text is empty when trafilatura finds no article.
        """
        # trafilatura's own parser settings: lxml's defaults lose whole paragraphs of some pages
        # (aeb-dev: one page's recall 0.97 against 0.49).
        try:
            tree = trafilatura.load_html(html)
        except (etree.ParserError, ValueError):
            tree = None
        if tree is None:
            return ExtractedPage(text="")
        head = _read_head(tree)
        document = trafilatura.bare_extraction(
            tree,
            url=url,
            favor_precision=self.config.favor_precision,
            include_tables=self.config.include_tables,
            include_comments=self.config.include_comments,
            with_metadata=True,
        )
        if document is None or isinstance(document, dict):
            return ExtractedPage(text="", url=url or head.og_url, canonical_url=head.canonical)
        published, source = parse_date(head.published), "meta tag"
        if published is None:
            # trafilatura's date is htmldate's: JSON-LD, <time>, other metadata, the text.
            published, source = parse_date(document.date), "htmldate"
        return ExtractedPage(
            text=document.text or "",
            title=head.title or document.title,
            url=url or head.og_url,
            canonical_url=head.canonical,
            outlet=head.site_name or document.sitename,
            author=head.author or document.author,
            published=published,
            published_source=source if published else None,
            language=head.language or document.language,
        )
