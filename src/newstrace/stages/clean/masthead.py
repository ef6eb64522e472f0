"""The site's own name in a text dump: the name its masthead and its copyright line share.

A dump begins with the masthead (the site's name, often as the logo's text) and ends with the
site's copyright line; furniture borrowed from other services (a widget's "© 2019 Acme Inc")
may carry other names. A name counts as the site's when the masthead and a copyright line
agree on it, or when it is the only copyright owner; a word of the page furniture alone never
does. Where nothing agrees, the outlet is unknown (the caller falls back to the domain).
"""

from __future__ import annotations

import re

from newstrace.stages.clean.cues import outlet_key

_COPYRIGHT = re.compile(
    r"(?:©|\(c\)|\bcopyright\b)(?:\s*(?:©|\(c\)|@))?\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*"
    r"(?P<owner>[^\W\d][^.|,(;]{1,60}?)\s*(?:[.|,(;]|\ball rights\b|\bunless\b|\d{4}|$)",
    re.I | re.UNICODE,
)
_NAME_WORD = re.compile(r"^(?:[A-Z0-9][\w'’.&-]*|of|the|and|de|la|du|&)$")
# Hand-set conventions (FurnitureConfig's masthead_lines, masthead_max_words and
# copyright_max_words default to them; their sensitivity: docs/cleaner-constants.md): the
# masthead stands in the page's first lines and is a short name; a copyright line is short.
MASTHEAD_LINES = 3
MASTHEAD_MAX_WORDS = 6
COPYRIGHT_MAX_WORDS = 25


def copyright_owners(lines: list[str], max_words: int = COPYRIGHT_MAX_WORDS) -> list[str]:
    """The owners named by the page's copyright lines (at most `max_words` long), in page
    order."""
    owners = []
    for line in lines:
        if len(line.split()) > max_words:
            continue
        match = _COPYRIGHT.search(line)
        if match:
            owner = re.sub(r"\s+(?:inc|ltd|llc|gmbh|plc|co)$", "", match.group("owner").strip(),
                           flags=re.I).strip()
            if outlet_key(owner):
                owners.append(owner)
    return owners


def masthead_names(lines: list[str], top_lines: int = MASTHEAD_LINES,
                   max_words: int = MASTHEAD_MAX_WORDS) -> list[str]:
    """Lines at the top of the page that read as a name (a few capitalised words)."""
    names = []
    for line in lines[:top_lines]:
        words = line.split()
        if 0 < len(words) <= max_words and all(_NAME_WORD.match(w) for w in words):
            names.append(line.strip())
    return names


def site_name(lines: list[str], *, masthead_lines: int = MASTHEAD_LINES,
              masthead_max_words: int = MASTHEAD_MAX_WORDS,
              copyright_max_words: int = COPYRIGHT_MAX_WORDS) -> str | None:
    """The site's own name, or None when the page does not say it unambiguously."""
    owners = copyright_owners(lines, copyright_max_words)
    if not owners:
        return None
    standalone = {outlet_key(line)
                  for line in masthead_names(lines, masthead_lines, masthead_max_words)}
    standalone |= {outlet_key(line) for line in lines
                   if 0 < len(line.split()) <= masthead_max_words}
    for owner in reversed(owners):
        if outlet_key(owner) in standalone:
            return owner
    distinct = {outlet_key(owner) for owner in owners}
    return owners[-1] if len(distinct) == 1 else None
