"""Where each page lives: file names in a static report, paths in the web app.

Page templates never build addresses themselves; they ask a `Links`, so the same templates
serve both. Ids come from the store (hex digests), but a file name or path segment is made
safe anyway: anything outside [A-Za-z0-9_-] is replaced by a digest of the id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from newstrace.ids import digest

_SAFE = re.compile(r"[A-Za-z0-9_-]{1,80}")


def safe_name(identifier: str) -> str:
    """`identifier` itself when it is a plain token, else a digest of it."""
    return identifier if _SAFE.fullmatch(identifier) else "h" + digest(identifier, size=10)


def external_href(url: str | None) -> str | None:
    """An article's URL as a link target only when it is http(s): a `javascript:` or `data:`
    URL from an article is shown as text, never linked."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


@dataclass(frozen=True, slots=True)
class Links:
    """`static`: file names side by side in one folder; else the web app's paths."""

    static: bool

    def index(self) -> str:
        return "index.html" if self.static else "/"

    def story(self, story_id: str) -> str:
        name = safe_name(story_id)
        return f"story-{name}.html" if self.static else f"/story/{quote(story_id, safe='')}"

    def article(self, article_id: str) -> str:
        name = safe_name(article_id)
        return f"article-{name}.html" if self.static else f"/article/{quote(article_id, safe='')}"

    def edge(self, source: str, target: str) -> str:
        if self.static:
            return f"edge-{safe_name(source)}-{safe_name(target)}.html"
        return f"/edge/{quote(source, safe='')}/{quote(target, safe='')}"

    def search(self) -> str | None:
        return None if self.static else "/search"

    def check(self) -> str | None:
        return None if self.static else "/check"

    def docs(self) -> str | None:
        return None if self.static else "/docs"
