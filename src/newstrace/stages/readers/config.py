"""Reader settings: size limits and the JSON field names."""

from __future__ import annotations

from dataclasses import dataclass, field

from newstrace.units import MB


def _names(*names: str) -> tuple[str, ...]:
    return names


@dataclass(frozen=True, slots=True)
class JsonFields:
    """Field names tried, in order, for each part of a JSON record. A user's --text-field etc.
    replaces the defaults with one name."""

    id: tuple[str, ...] = _names("id", "doc_id", "doc", "_id", "uuid", "guid")
    text: tuple[str, ...] = _names("text", "body", "content", "article", "html", "raw_content",
                                   "maintext", "article_body", "articleBody")
    title: tuple[str, ...] = _names("title", "headline")
    url: tuple[str, ...] = _names("url", "link", "canonical_url", "source_url")
    date: tuple[str, ...] = _names("published", "date", "published_at", "publish_date",
                                   "pubDate", "datePublished", "date_publish", "timestamp")
    outlet: tuple[str, ...] = _names("outlet", "source", "site", "site_name", "sitename",
                                     "publisher", "domain", "source_domain")
    author: tuple[str, ...] = _names("author", "authors", "byline")


@dataclass(frozen=True, slots=True)
class ReaderConfig:
    """Limits that keep one bad input from exhausting the machine."""

    max_file_bytes: int = 2_000 * MB
    max_document_bytes: int = 20 * MB
    json_fields: JsonFields = field(default_factory=JsonFields)
