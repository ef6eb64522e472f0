"""RSS and Atom feed files: each entry's full content, or its summary when that is all."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import feedparser

from newstrace.errors import InputError
from newstrace.records import RawDocument, Skip, SourceKind
from newstrace.stages.readers.config import ReaderConfig
from newstrace.stages.readers.markup import body_format
from newstrace.stages.readers.sources import InputSource, read_bytes


def _entry_body(entry: Any) -> str:
    contents = entry.get("content") or []
    best = max((item.get("value", "") for item in contents), key=len, default="")
    summary = entry.get("summary", "") or ""
    return best if len(best) >= len(summary) else summary


def _outlet_name(feed_title: str | None) -> str | None:
    """A feed's title without its tagline: "Echo – All the news" gives "Echo"."""
    if not feed_title:
        return None
    return re.split(r"\s+[–—|:-]\s+", feed_title.strip(), maxsplit=1)[0] or None


def read_feed(source: InputSource, config: ReaderConfig) -> Iterator[RawDocument | Skip]:
    data = read_bytes(source, config.max_file_bytes)
    parsed = feedparser.parse(data)
    if not parsed.entries:
        problem = parsed.get("bozo_exception")
        detail = f" ({problem})" if problem else ""
        raise InputError(source.path, "malformed-feed",
                         f"no feed entries found{detail}; is it an RSS or Atom file?")
    outlet = _outlet_name(parsed.feed.get("title"))
    for number, entry in enumerate(parsed.entries):
        locator = f"#{number}"
        body = _entry_body(entry)
        if not body.strip():
            yield Skip(source.path + locator, "empty", "feed entry has no content or summary")
            continue
        yield RawDocument(
            source_path=source.path,
            kind=SourceKind.FEED,
            body=body,
            body_format=body_format(body),
            source_id=entry.get("id") or entry.get("link"),
            record=locator,
            url=entry.get("link"),
            title=entry.get("title"),
            published=entry.get("published") or entry.get("updated"),
            outlet=outlet,
            author=entry.get("author"),
        )
