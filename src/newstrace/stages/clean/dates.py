"""Dates written in text: date lines in dumps, dates in metadata fields, all to ISO 8601."""

from __future__ import annotations

import re
from datetime import datetime

from dateutil import parser as date_parser

_MONTHS = (r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
           r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?")
_YEAR = r"(?:19|20)\d{2}"
_HAS_DATE = re.compile(
    rf"\b(?:{_YEAR}-\d{{1,2}}-\d{{1,2}}|\d{{1,2}}[./]\d{{1,2}}[./]{_YEAR}|"
    rf"\d{{1,2}}(?:st|nd|rd|th)?\.?\s+(?:{_MONTHS})\.?,?\s+{_YEAR}|"
    rf"(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+{_YEAR})\b",
    re.I,
)
_TIME = re.compile(r"(?<!\d)\d{1,2}:\d{2}(?!\d)")
_PREFIX = re.compile(r"^(?:published|updated|last updated|posted|date|first published|"
                     r"modified)\s*(?:on|at)?\s*[:\-–]?\s*", re.I)
_LEFTOVER_WORDS = re.compile(r"[A-Za-z]{2,}")
_DATE_WORDS = re.compile(rf"^(?:{_MONTHS}|mon|tue|wed|thu|fri|sat|sun|monday|tuesday|wednesday|"
                         r"thursday|friday|saturday|sunday|am|pm|gmt|utc|cet|cest|bst|edt|est|"
                         r"pst|pdt|at|on|st|nd|rd|th|updated|published|posted|last|date|"
                         r"modified|first|h|uhr)$", re.I)



def only_date_words(text: str) -> bool:
    """Whether every word of `text` is a number or a word of a date ("November 19", "Tue 5
    March"): such a text names no one."""
    tokens = re.findall(r"\w+", text)
    return bool(tokens) and all(t.isdigit() or _DATE_WORDS.match(t) for t in tokens)

# Common zone abbreviations (dateutil knows only UTC/GMT by itself); ambiguous ones are left out.
_ZONES = {name: hours * 3600 for name, hours in (
    ("EST", -5), ("EDT", -4), ("CST", -6), ("CDT", -5), ("MST", -7), ("MDT", -6), ("PST", -8),
    ("PDT", -7), ("CET", 1), ("CEST", 2), ("BST", 1), ("EET", 2), ("EEST", 3), ("JST", 9),
    ("AEST", 10), ("AEDT", 11))}


def parse_date(value: str | None) -> str | None:
    """A date or datetime string in any common form, as ISO 8601 (date only when no time)."""
    if not value or not value.strip():
        return None
    value = value.strip()
    has_time = bool(_TIME.search(value))
    try:
        return _iso(datetime.fromisoformat(value.replace("Z", "+00:00")), has_time=has_time)
    except ValueError:
        pass
    dayfirst = not re.match(r"^\d{4}", value)
    try:
        return _iso(date_parser.parse(value, dayfirst=dayfirst, tzinfos=_ZONES), has_time=has_time)
    except (ValueError, OverflowError):
        pass
    match = _HAS_DATE.search(value)
    if not match:
        return None
    try:
        parsed = date_parser.parse(match.group(), dayfirst=dayfirst, tzinfos=_ZONES)
        return _iso(parsed, has_time=False)
    except (ValueError, OverflowError):
        return None


def parse_date_line(line: str, max_chars: int = 80) -> str | None:
    """The date a line states when the line is nothing but a date (with a label or a time)
    and at most `max_chars` long.

    "12 March 2026", "Published: Tue 14 March 2026, 09:12 GMT" are date lines; a sentence that
    mentions a date is not.
    """
    if len(line) > max_chars or not _HAS_DATE.search(line):
        return None
    body = _PREFIX.sub("", line.strip())
    leftovers = [w for w in _LEFTOVER_WORDS.findall(_HAS_DATE.sub(" ", body))
                 if not _DATE_WORDS.match(w)]
    if leftovers:
        return None
    return parse_date(body)


def _iso(moment: datetime, *, has_time: bool) -> str:
    if not has_time:
        return moment.date().isoformat()
    return moment.isoformat(timespec="minutes" if moment.second == 0 else "seconds")


_DATE_IN_TEXT = re.compile(
    rf"(?<![\d])(?:{_YEAR}-\d{{1,2}}-\d{{1,2}}|\d{{1,2}}[./]\d{{1,2}}[./]{_YEAR}|"
    rf"\d{{1,2}}(?:st|nd|rd|th)?\.?\s+(?:{_MONTHS})\.?,?\s+{_YEAR}|"
    rf"\b(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+{_YEAR})(?!\d)",
    re.I,
)


def find_date(text: str) -> str | None:
    """The first full date (day, month and year) written anywhere in a short text, as ISO
    8601: the date beside a byline ("By Jane Roe | June 2, 2025 | 3 min read")."""
    match = _DATE_IN_TEXT.search(text)
    if not match:
        return None
    return parse_date(match.group())
