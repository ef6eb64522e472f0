"""Dates and times, absolute and relative, resolved against the article's publication date.

"14 March 2026", "March 14", "on 8 December", "in August", "March 2023", "last March",
"in 2004", "on Tuesday", "yesterday", "last week", "7:42 a.m.", "0642 GMT", "nine o'clock".
Each gets a precision (year, month, week, day, time) and a value at that precision: ISO
"2024-03" for "last March" in an article of 2024-11-20. Without a publication date, what
needs one stays unresolved ("XXXX-03" for "last March", the weekday's name for "on Tuesday").

Rule-based: of the libraries measured for this, dateparser did not resolve "last March" or
weekday names, and recognizers-text (which did) is a pre-release with an old `emoji` pin.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from newstrace.stages.facts.numbers import UNITS as NUMBER_WORDS

MONTHS = {name: number for number, names in enumerate((
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
    ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
    ("october", "oct"), ("november", "nov"), ("december", "dec")), start=1) for name in names}
WEEKDAYS = {name: number for number, name in enumerate(
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))}

# A month name in a date's shape: an abbreviation may take a dot ("Jan. 8"); a full name
# takes none ("in January. 8 members" is a sentence end, not 8 January), unless the year
# follows the day ("Fri., May. 3, 2013": the dotted pattern below).
_FULL_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October"
               r"|November|December)")
_MONTH = rf"(?:{_FULL_MONTH}|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_YEAR = r"(?:1[5-9]\d\d|20\d\d)"
# A day is a whole number: not the first digits of "8,053" or "8.5".
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?![,.]\d)"
# The parts of one date stand on one line: a month never joins a number on the next.
_GAP = r"[^\S\r\n]+"
_HOUR_WORD = "|".join(NUMBER_WORDS)

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("time", re.compile(
        r"\b(?P<hour>[01]?\d|2[0-3])(?::(?P<minute>[0-5]\d)(?:\s*(?P<ampm>a\.m\.|p\.m\.|am\b|pm\b))?"
        r"|\.(?P<minute2>[0-5]\d)\s*(?P<ampm2>a\.m\.|p\.m\.|am\b|pm\b))"
        r"(?:\s*\(?(?:GMT|UTC|CET|CEST|BST|EST|EDT|PST|PDT)\)?)?", re.IGNORECASE)),
    ("time", re.compile(r"\b(?P<hour>[01]?\d)\s*(?P<ampm>a\.m\.|p\.m\.|am\b|pm\b)",
                        re.IGNORECASE)),
    ("time", re.compile(r"\b(?P<hhmm>[0-2]\d[0-5]\d)\s*(?:GMT|UTC|CET|BST|EST|PST)\b")),
    ("time", re.compile(rf"\b(?P<hourword>{_HOUR_WORD}|\d{{1,2}})\s+o[’']clock\b",
                        re.IGNORECASE)),
    ("date", re.compile(
        rf"\b(?P<day>{_DAY}){_GAP}(?:of{_GAP})?(?P<month>{_MONTH})"
        rf"(?:,?{_GAP}(?P<year>{_YEAR}))?\b")),
    ("date", re.compile(
        rf"\b(?P<month>{_MONTH}){_GAP}(?P<day>{_DAY})\b(?!:)(?:,?{_GAP}(?P<year>{_YEAR}))?")),
    ("date", re.compile(  # a full name with a dot, then a day and its year
        rf"\b(?P<month>{_FULL_MONTH})\.{_GAP}(?P<day>{_DAY})\b,?{_GAP}(?P<year>{_YEAR})\b")),
    ("month", re.compile(
        rf"\b(?:(?P<rel>last|next|this|early|late|mid-?|earlier this|later this)\s+)?"
        rf"(?P<month>{_MONTH})(?:{_GAP}(?P<year>{_YEAR}))?\b")),
    ("weekday", re.compile(
        rf"\b(?:(?P<rel>last|next|this|on|from|by|until|since)\s+)?(?P<weekday>{_WEEKDAY})"
        r"(?:\s+(?:morning|afternoon|evening|night))?\b")),
    ("relative", re.compile(
        r"\b(?P<word>yesterday|today|tomorrow|tonight|"
        r"(?:last|next|this|earlier this|later this)\s+(?:week|month|year|weekend))\b",
        re.IGNORECASE)),
    ("year", re.compile(rf"(?<![\d,.$£€-])\b(?P<year>{_YEAR})\b(?![\d,.]\d|-\d|\s*(?:%|per))")),
]


# Words before a weekday that put it ahead of the publication day ("will meet on Sunday").
_FUTURE = re.compile(r"\b(?:will|would|shall|is to|are to|plans? to|expected to|due to|"
                     r"going to|scheduled|next)\b", re.IGNORECASE)


_POSSESSIVE = re.compile(r"['’]s\b")


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int
    end: int
    text: str
    value: str  # ISO at the precision: "2024", "2024-03", "2024-03-14", "2024-W11", "07:42"
    precision: str  # year, month, week, day, time
    resolved: bool  # False where it needed the publication date and there was none
    weekday: str | None = None  # "sunday" when named by its weekday
    # How the value was reached: "stated" (every part written out: "October 2023"),
    # "relative" (resolved against the publication date: "last October", "yesterday",
    # "on Sunday", "this year"), "year guessed" (a month or day without a year: "April",
    # "8 June", whose year is only the nearest one, so any year agrees with it).
    basis: str = "stated"

    @property
    def key(self) -> str:
        return f"date/{self.precision}"


def publication_date(published: str | None) -> date | None:
    if not published:
        return None
    try:
        return datetime.fromisoformat(published[:10]).date()
    except ValueError:
        return None


def find_dates(text: str, published: str | None = None) -> list[DateMention]:
    """Every date and time mention in `text`, earlier patterns winning overlaps."""
    reference = publication_date(published)
    taken: list[tuple[int, int]] = []
    found = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(s < end and start < e for s, e in taken):
                continue
            mention = _resolve(kind, match, text, reference)
            if mention is not None:
                taken.append((start, end))
                found.append(mention)
    return sorted(found, key=lambda m: m.start)


def _resolve(kind: str, match: re.Match[str], text: str,
             reference: date | None) -> DateMention | None:
    groups = match.groupdict()
    start, end = match.span()
    shown = text[start:end]
    if kind == "time":
        value = _time(groups)
        return None if value is None else DateMention(start, end, shown, value, "time", True)
    if kind == "year":
        return DateMention(start, end, shown, groups["year"], "year", True)
    if kind == "relative":
        return _relative(start, end, shown, groups["word"].lower(), reference)
    if kind == "weekday":
        if _POSSESSIVE.match(text, end):  # "Sunday's earthquake": an event that happened
            return _weekday(start, end, shown, {**groups, "rel": None}, reference)
        ahead = bool(_FUTURE.search(text[max(0, start - 80):start].rsplit(".", 1)[-1]))
        return _weekday(start, end, shown, groups, reference, ahead)
    month = MONTHS[groups["month"].lower().rstrip(".")]
    if kind == "month":
        if groups["month"] == "May" and not groups.get("rel") and not groups.get("year") \
                and not _month_context(text, start):
            return None  # "may" the verb, capitalised at a sentence start
        rel = (groups.get("rel") or "").lower().replace("-", "")
        if rel in ("this", "earlier this", "later this", "early", "late", "mid"):
            rel = ""
        basis = "stated" if groups.get("year") else "relative" if rel else "year guessed"
        year = int(groups["year"]) if groups.get("year") else _year_for(month, rel, reference)
        if year is None:
            return DateMention(start, end, shown, f"XXXX-{month:02d}", "month", False,
                               basis=basis)
        return DateMention(start, end, shown, f"{year}-{month:02d}", "month", True,
                           basis=basis)
    day = int(re.sub(r"\D", "", groups["day"]))
    basis = "stated" if groups.get("year") else "year guessed"
    year = int(groups["year"]) if groups.get("year") else _year_for(month, "", reference)
    # A day the month lacks ("November 31", "February 30") is no date: a typo or two
    # numbers that met across a sentence end; without a year, 29 February may be one.
    if day > calendar.monthrange(year if year is not None else 2000, month)[1]:
        return None
    if year is None:
        return DateMention(start, end, shown, f"XXXX-{month:02d}-{day:02d}", "day", False,
                           basis=basis)
    return DateMention(start, end, shown, f"{year}-{month:02d}-{day:02d}", "day", True,
                       basis=basis)


def _month_context(text: str, start: int) -> bool:
    return bool(re.search(r"\b(?:in|since|until|by|from|of|during)\s+$",
                          text[max(0, start - 8):start]))


def _time(groups: dict[str, str | None]) -> str | None:
    if groups.get("hhmm"):
        hhmm = str(groups["hhmm"])
        hour, minute = int(hhmm[:2]), int(hhmm[2:])
        return f"{hour:02d}:{minute:02d}" if hour < 24 else None
    if groups.get("hourword"):
        word = str(groups["hourword"]).lower()
        hour = int(word) if word.isdigit() else NUMBER_WORDS.get(word, 99)
        return f"{hour:02d}:00" if 0 < hour <= 12 else None
    hour = int(str(groups["hour"]))
    minute_text = groups.get("minute") or groups.get("minute2")
    minute = int(minute_text or 0)
    ampm = (groups.get("ampm") or groups.get("ampm2") or "").lower().replace(".", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    if ampm == "am" and hour == 12:
        hour = 0
    if not ampm and not minute_text:
        return None
    return f"{hour:02d}:{minute:02d}"


def _year_for(month: int, rel: str, reference: date | None) -> int | None:
    """The year of a month named without one: "last March" is the latest March before the
    publication month; "next March" the first after; a bare "March" the nearest."""
    if reference is None:
        return None
    if rel == "last":
        return reference.year if month < reference.month else reference.year - 1
    if rel == "next":
        return reference.year if month > reference.month else reference.year + 1
    candidates = (reference.year - 1, reference.year, reference.year + 1)
    return min(candidates, key=lambda year: abs((year - reference.year) * 12 + month
                                               - reference.month))


def _weekday(start: int, end: int, shown: str, groups: dict[str, str | None],
             reference: date | None, ahead: bool = False) -> DateMention:
    name = str(groups["weekday"]).lower()
    weekday = WEEKDAYS[name]
    rel = (groups.get("rel") or "").lower()
    if reference is None:
        return DateMention(start, end, shown, name, "day", False, name, "relative")
    back = (reference.weekday() - weekday) % 7
    if rel == "next":
        day = reference + timedelta(days=(weekday - reference.weekday()) % 7 or 7)
    elif rel == "last":
        day = reference - timedelta(days=back or 7)
    elif (rel in ("by", "until", "from") or ahead) and back:
        day = reference + timedelta(days=7 - back)  # a deadline or a plan ahead
    else:  # news tells what happened: the latest such day, the publication day included
        day = reference - timedelta(days=back)
    return DateMention(start, end, shown, day.isoformat(), "day", True, name, "relative")


def _relative(start: int, end: int, shown: str, word: str,
              reference: date | None) -> DateMention:
    word = re.sub(r"\s+", " ", word)
    unit = word.rsplit(" ", 1)[-1]
    precision = {"week": "week", "weekend": "week", "month": "month", "year": "year"}.get(
        unit, "day")
    if reference is None:
        return DateMention(start, end, shown, word, precision, False,
                           basis="relative")
    shift = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}
    if word in shift:
        day = reference + timedelta(days=shift[word])
        return DateMention(start, end, shown, day.isoformat(), "day", True, basis="relative")
    step = -1 if word.startswith("last") else 1 if word.startswith("next") else 0
    if precision == "year":
        return DateMention(start, end, shown, str(reference.year + step), "year", True,
                           basis="relative")
    if precision == "month":
        month_index = reference.year * 12 + reference.month - 1 + step
        return DateMention(start, end, shown, f"{month_index // 12}-{month_index % 12 + 1:02d}",
                           "month", True, basis="relative")
    day = reference + timedelta(weeks=step)
    iso = day.isocalendar()
    return DateMention(start, end, shown, f"{iso.year}-W{iso.week:02d}", "week", True,
                       basis="relative")


_PARTS = re.compile(r"(\d{4}|XXXX)(?:-(\d\d))?(?:-(\d\d))?")


def _parts(mention: DateMention) -> tuple[int | None, int | None, int | None] | None:
    """(year, month, day) of a year, month or day mention, None where unknown (a guessed
    year); None for weeks, times and unresolved weekdays."""
    match = _PARTS.fullmatch(mention.value)
    if mention.precision not in ("year", "month", "day") or match is None:
        return None
    year = None if match.group(1) == "XXXX" or mention.basis == "year guessed" \
        else int(match.group(1))
    month, day = (int(part) if part else None for part in match.groups()[1:])
    return year, month, day


def dates_agree(a: DateMention, b: DateMention) -> bool:
    """Whether two dates can both be true: equal at the coarser one's precision ("June
    2025" and "8 June 2025"), a guessed year agreeing with any ("April" and "April 2025"),
    two days named by one weekday agreeing (which week is the resolver's guess). A week
    agrees with every day of it and with any month or year; times are not compared here."""
    if a.weekday and a.weekday == b.weekday:
        return True
    if "week" in (a.precision, b.precision):
        week, other = (a, b) if a.precision == "week" else (b, a)
        if other.precision == "week":
            return a.value == b.value
        if other.precision != "day" or not other.resolved or other.basis == "year guessed":
            return True
        iso = date.fromisoformat(other.value).isocalendar()
        return week.value == f"{iso.year}-W{iso.week:02d}"
    one, two = _parts(a), _parts(b)
    if one is None or two is None:
        return a.value == b.value
    return all(x is None or y is None or x == y for x, y in zip(one, two, strict=True))
