"""Byline lines of a text dump: "By Jane Roe | March 1, 2025", and the glued form some themes
print when their byline widgets lose their spacing ("Press RoomBy Press RoomMarch 1, 2025No
Comments3 Mins Read"). A byline is never a headline; it names the author and often the date."""

from __future__ import annotations

import re
from dataclasses import dataclass

from newstrace.stages.clean.dates import find_date

# Widgets a theme puts beside the author's name: comment counters, reading times, "Updated".
_WIDGETS = re.compile(r"\b(?:no|\d+)\s+comments?\b|\b\d+\s+min(?:ute)?s?\s+read\b|"
                      r"\bupdated\b|\bpublished\b|\bposted\b", re.I)
_BY = re.compile(r"(?:^|(?<=\s))(?:by|von|par|por|di|door)\s+(?P<name>(?-i:[A-ZÀ-Þ])[\w.'’-]*"
                 r"(?:\s+[^\W\d_][\w.'’-]*){0,3})", re.I | re.UNICODE)
_NAME_STOP = re.compile(r"\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|no|on|at|"
                        r"updated|published|posted|\d)", re.I)
# Hand-set conventions (their sensitivity: docs/cleaner-constants.md); FurnitureConfig's
# byline_max_words and byline_sentence_words default to them.
BYLINE_MAX_WORDS = 16  # a byline is one short line
BYLINE_SENTENCE_WORDS = 8  # longer, and ending like a sentence: a sentence that names a "by"


@dataclass(frozen=True, slots=True)
class Byline:
    """What a byline line says."""

    author: str | None
    published: str | None


def unglue(text: str) -> str:
    """Spaces back where a theme glued words together: "RoomBy", "RoomMarch", "2025No"."""
    text = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", text)
    text = re.sub(r"(?<=[a-z])(?=\d)", " ", text)
    return re.sub(r"(?<=\d)(?=[A-Z])", " ", text)


def read_byline(line: str, *, max_words: int = BYLINE_MAX_WORDS,
                sentence_words: int = BYLINE_SENTENCE_WORDS) -> Byline | None:
    """The author and date of a byline line, or None when the line is not a byline.

    A byline is short and either starts with "By <Name>" or carries "By <Name>" with a date or
    a theme's widgets (comment counter, reading time) beside it.
    """
    text = unglue(line.strip())
    words = text.split()
    if not words or len(words) > max_words:
        return None
    by = _BY.search(text)
    date = find_date(text)
    if by is None or not (by.start() == 0 or date or _WIDGETS.search(text)):
        return None
    if _ends_like_sentence(text) and len(words) > sentence_words:
        return None
    name = _NAME_STOP.split(by.group("name"))[0].strip(" .,|-–—")
    return Byline(author=name or None, published=date)


def _ends_like_sentence(text: str) -> bool:
    return text.rstrip().endswith((".", "!", "?"))
