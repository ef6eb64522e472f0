"""Teasers of other stories inside an article body: "READ MORE: <headline>", "See also:" with
the headline on the next line, "Recommended:". A site's theme drops them between paragraphs;
they are taken out one by one and the article goes on after them."""

from __future__ import annotations

import re

# A label that introduces another story, then a colon (or a dash or bar) and, on the same line
# or the next, that story's headline.
_LABEL = re.compile(
    r"^(?:(?:also|must|don'?t)\s+(?:read|see|miss)|read\s+(?:more|also|next|this)|see\s+also|"
    r"recommended(?:\s+(?:for\s+you|reading|stories))?|related(?:\s+(?:stories|articles|news|"
    r"coverage|content|reading|links?))?|more\s+on\s+this(?:\s+(?:story|topic))?|"
    r"more\s+(?:from|stories|news|coverage)(?:\s+\w+){0,3}|you\s+(?:may|might)\s+also\s+like|"
    r"top\s+stories|editor'?s\s+picks?|trending(?:\s+now)?|popular\s+now|further\s+reading|"
    r"in\s+other\s+news|watch|listen)\s*(?:[:|>»–—-]|$)\s*(?P<headline>.*)$",
    re.I,
)
# A teaser's headline is a headline's length (hand-set; FurnitureConfig's
# teaser_headline_max_words defaults to it; its sensitivity: docs/cleaner-constants.md).
HEADLINE_MAX_WORDS = 20


def teaser_headline(line: str, *, max_words: int = HEADLINE_MAX_WORDS) -> str | None:
    """The headline a teaser label introduces on the same line ("" when the label stands
    alone, its headline on the next line); None when the line is not a teaser label."""
    match = _LABEL.match(line.strip().lstrip("*_>•-–— ").strip())
    if match is None:
        return None
    headline = match.group("headline").strip()
    if len(headline.split()) > max_words:
        return None
    return headline
