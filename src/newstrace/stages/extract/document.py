"""From a raw body (HTML or text) to clean article text with what was removed and the cues.

This is the "extract + normalise" stage for one document; it knows nothing of files or of
the store, so any runner can call it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from newstrace.records import Cue, RemovedLine, Segment
from newstrace.stages.clean.cues import canonical_cue
from newstrace.stages.clean.furniture import (
    FurnitureConfig,
    FurnitureRemover,
    RepeatCounter,
    no_repeats,
)
from newstrace.stages.clean.normalise import normalise_lines, repair
from newstrace.stages.clean.stopwords import ISO_CODES, Stopwords
from newstrace.stages.extract.html import HtmlConfig, HtmlExtractor


@dataclass(slots=True)
class CleanDocument:
    """Clean text plus everything learnt about the article while getting it."""

    text: str
    removed: list[RemovedLine] = field(default_factory=list)
    cues: list[Cue] = field(default_factory=list)
    raw: str | None = None
    raw_map: list[Segment] | None = None
    title: str | None = None
    url: str | None = None
    canonical_url: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: str | None = None
    published_source: str | None = None
    language: str | None = None


class DocumentCleaner:
    """Cleans HTML pages and text bodies. Build once; it holds the stoplists and extractors."""

    def __init__(self, html: HtmlConfig | None = None,
                 furniture: FurnitureConfig | None = None) -> None:
        self._stopwords = Stopwords()
        self._html = HtmlExtractor(html)
        self._furniture = FurnitureRemover(furniture, self._stopwords)

    def clean_html(self, html: str, url: str | None = None,
                   repeats: RepeatCounter = no_repeats) -> CleanDocument:
        """Extract the article with trafilatura, then take attribution lines and leftover
        furniture out of its text (never searching for a body: trafilatura has found it)."""
        page = self._html.extract(html, url)
        text = normalise_lines(repair(page.text))
        text, title_lines = _drop_leading_title(text, page.title)
        cleaned = self._furniture.clean(text, repeats, find_body=False)
        cleaned.removed[:0] = title_lines
        cues = list(cleaned.cues)
        canonical = canonical_cue(page.url, page.canonical_url)
        if canonical is not None:
            cues.append(canonical)
        return CleanDocument(
            text=cleaned.text,
            removed=cleaned.removed,
            cues=cues,
            title=page.title,
            url=page.url,
            canonical_url=page.canonical_url,
            outlet=page.outlet,
            author=page.author,
            published=page.published,
            published_source=page.published_source,
            language=page.language or ISO_CODES.get(cleaned.language),
        )

    def clean_text(self, text: str, repeats: RepeatCounter = no_repeats, *,
                   find_body: bool = True) -> CleanDocument:
        """Clean a text body. `find_body` searches for the article among page furniture (a
        crawler's text dump); without it only furniture lines and attribution lines go."""
        raw = repair(text).replace("\r\n", "\n").replace("\r", "\n")
        cleaned = self._furniture.clean(raw, repeats, find_body=find_body)
        return CleanDocument(
            text=cleaned.text,
            removed=cleaned.removed,
            cues=cleaned.cues,
            raw=raw,
            raw_map=cleaned.raw_map,
            title=cleaned.title,
            outlet=cleaned.outlet,
            author=cleaned.author,
            published=cleaned.published,
            published_source=cleaned.published_source,
            language=ISO_CODES.get(cleaned.language),
        )


def _drop_leading_title(text: str, title: str | None) -> tuple[str, list[RemovedLine]]:
    """Take the headline off the top of the body, where extractors often leave it."""
    first, _, rest = text.partition("\n")
    if title and _same_words(first, title):
        return rest, [RemovedLine(first, "title")]
    return text, []


def _same_words(a: str, b: str) -> bool:
    return " ".join(a.lower().split()) == " ".join(b.lower().split())
