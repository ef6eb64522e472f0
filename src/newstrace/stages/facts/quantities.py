"""Quantities: numbers with their unit or counted noun and their approximation.

"more than 3,000 workers", "two million barrels a day", "about 450 delegates", "$3.2 billion",
"46%", "ten days", "€3.2m", "a 19-strong panel", "51-15". Rule-based: the libraries measured
for this (quantulum3) find numbers but not the nouns they count, and the noun is what lines
claims up across articles.

Values are normalised so rewordings compare equal: scales are multiplied out ("3.2 million"
and "3.2m": 3200000), currencies and units get one code ("euros", "€": EUR; "kilometres",
"km": metres, times 1000), number words become numbers ("ten": 10).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from newstrace.stages.facts.numbers import (
    DIGITS,
    SCALES,
    SHORT_SCALES,
    WORD_NUMBER,
    as_number,
    parse_digits,
    parse_words,
)

# Approximation words and what they make of the value: about (~), at least (>=), at most (<=).
APPROX = {
    "about": "~", "around": "~", "some": "~", "roughly": "~", "approximately": "~",
    "nearly": "~", "almost": "~", "close to": "~", "an estimated": "~", "estimated": "~",
    "circa": "~", "approx.": "~", "an average of": "~", "on average": "~",
    "no less than": ">=", "no fewer than": ">=", "more than": ">=", "over": ">=",
    "at least": ">=", "upwards of": ">=", "just over": ">=",
    "as many as": "<=", "as much as": "<=", "up to": "<=", "less than": "<=",
    "fewer than": "<=", "under": "<=", "just under": "<=", "no more than": "<=",
}
_APPROX = "|".join(re.escape(a) for a in sorted(APPROX, key=len, reverse=True))
CURRENCY_SYMBOLS = {"$": "USD", "us$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"}
CURRENCY_WORDS = {"euro": "EUR", "euros": "EUR", "dollar": "USD", "dollars": "USD",
                  "pound": "GBP", "pounds": "GBP", "sterling": "GBP", "yen": "JPY",
                  "francs": "CHF", "franc": "CHF", "usd": "USD", "eur": "EUR", "gbp": "GBP"}
# Unit words -> (unit code, factor to that unit).
UNITS: dict[str, tuple[str, float]] = {
    "km": ("m", 1000), "kilometre": ("m", 1000), "kilometres": ("m", 1000),
    "kilometer": ("m", 1000), "kilometers": ("m", 1000), "metre": ("m", 1), "metres": ("m", 1),
    "meter": ("m", 1), "meters": ("m", 1), "cm": ("m", 0.01), "centimetres": ("m", 0.01),
    "centimetre": ("m", 0.01), "centimeters": ("m", 0.01), "mm": ("mm", 1),
    "millimetres": ("mm", 1), "millimetre": ("mm", 1), "millimeters": ("mm", 1),
    "mile": ("mile", 1), "miles": ("mile", 1), "ft": ("ft", 1), "feet": ("ft", 1),
    "foot": ("ft", 1), "km/h": ("km/h", 1), "mph": ("mph", 1), "kph": ("km/h", 1),
    "kg": ("kg", 1), "kilograms": ("kg", 1), "kilos": ("kg", 1), "tonnes": ("tonne", 1),
    "tonne": ("tonne", 1), "tons": ("tonne", 1), "ton": ("tonne", 1),
    "second": ("second", 1), "seconds": ("second", 1), "minute": ("minute", 1),
    "minutes": ("minute", 1), "mins": ("minute", 1), "hour": ("hour", 1),
    "hours": ("hour", 1), "hrs": ("hour", 1), "day": ("day", 1), "days": ("day", 1),
    "week": ("week", 1), "weeks": ("week", 1), "fortnight": ("week", 2),
    "month": ("month", 1), "months": ("month", 1), "year": ("year", 1), "years": ("year", 1),
    "degrees": ("degree", 1), "degree": ("degree", 1), "hectares": ("hectare", 1),
    "acres": ("acre", 1), "barrels": ("barrel", 1), "gigawatts": ("GW", 1),
    "megawatts": ("MW", 1), "percent": ("%", 1), "per cent": ("%", 1), "%": ("%", 1),
    "percentage points": ("pp", 1), "points": ("point", 1), "point": ("point", 1),
}
_COMPOUND_UNITS = ("cubic metres", "cubic meters", "square metres", "square meters",
                   "square kilometres", "square kilometers", "square miles",
                   "percentage points", "per cent")
RATES = {"a year": "year", "per year": "year", "each year": "year", "a day": "day",
         "per day": "day", "each day": "day", "an hour": "hour", "per hour": "hour",
         "a week": "week", "per week": "week", "a month": "month", "per month": "month",
         "annually": "year", "a head": "head", "per head": "head"}
_RATE = "|".join(re.escape(r) for r in sorted(RATES, key=len, reverse=True))
IRREGULAR_PLURALS = {"women": "woman", "men": "man", "people": "people", "children": "child",
                     "police": "police", "staff": "staff", "personnel": "personnel",
                     "feet": "ft", "teeth": "tooth", "mice": "mouse", "data": "data",
                     "cattle": "cattle", "sheep": "sheep", "fish": "fish", "crew": "crew"}
# Words after a number that are not what it counts.
NOT_NOUNS = frozenset([
    "a", "an", "the", "of", "and", "or", "but", "to", "in", "on", "at", "by", "for", "from",
    "with", "as", "than", "that", "this", "these", "those", "which", "who", "whom", "whose",
    "what", "when", "where", "while", "is", "are", "was", "were", "be", "been", "being",
    "has", "have", "had", "do", "does", "did", "will", "would", "shall", "should", "can",
    "could", "may", "might", "must", "said", "says", "say", "told", "tells", "after",
    "before", "during", "over", "under", "into", "onto", "about", "around", "up", "down",
    "out", "off", "per", "each", "every", "its", "their", "his", "her", "our", "your", "my",
    "it", "they", "he", "she", "we", "you", "i", "there", "here", "not", "no", "so", "such",
    "also", "more", "most", "less", "least", "than", "then", "just", "only", "even",
    "still", "already", "against", "between", "across", "among", "along", "behind",
    "beyond", "within", "without", "times", "time", "percent",
])


@dataclass(frozen=True, slots=True)
class Quantity:
    """A quantity found in a text: its span, value, unit or counted noun, approximation."""

    start: int
    end: int
    text: str
    value: float
    unit: str | None  # a unit or currency code ("m", "EUR", "%"), else None
    noun: str | None  # the counted noun, singular ("passenger"), where there is no unit
    approx: str | None  # "~", ">=", "<=" or None (exact)
    rate: str | None  # "year" for "1.4 million passengers a year"
    range_to: float | None = None  # "51-15", "10-12 people": the second number

    @property
    def key(self) -> str:
        """What the number measures, to line it up with others: unit or noun, and rate."""
        what = self.unit or self.noun or "number"
        return f"{what}/{self.rate}" if self.rate else what

    @property
    def shown_value(self) -> int | float | str:
        if self.range_to is not None:
            return f"{as_number(self.value)}-{as_number(self.range_to)}"
        return as_number(self.value)


_NUMBER = rf"(?P<number>{DIGITS}|\b{WORD_NUMBER})"
_PATTERN = re.compile(
    rf"""(?:\b(?P<approx>{_APPROX})\s+)?
    (?P<currency>US\$|[$€£¥])?\s?
    {_NUMBER}
    (?:(?P<range>[-–]|\sto\s)(?P<number2>{DIGITS})(?![:.]\d))?
    (?P<short>bn|mn|trn|tn|m|k|b)?(?![\w])
    (?:\s(?P<scale>hundred|thousand|million|billion|trillion)s?\b)?
    (?:\s?(?P<percent>%|per\s?cent\b|percent\b))?
    """, re.IGNORECASE | re.VERBOSE)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’./]*")


def find_quantities(text: str, skip: Iterable[tuple[int, int]] = ()) -> list[Quantity]:
    """The quantities in `text`, leaving out numbers inside the `skip` spans (dates, times)."""
    taken = sorted(skip)
    found = []
    for match in _PATTERN.finditer(text):
        number_start = match.start("number")
        if any(start <= number_start < end for start, end in taken):
            continue
        quantity = _quantity(text, match)
        if quantity is not None:
            found.append(quantity)
    return found


def _quantity(text: str, match: re.Match[str]) -> Quantity | None:
    raw = match.group("number")
    digits = raw[0].isdigit() or raw[0] == "."
    if digits:
        if _is_part_of_token(text, match.start("number"), match.end("number")):
            return None
        value = parse_digits(raw)
    else:
        parsed = parse_words(raw)
        if parsed is None or (raw.lower() == "one" and not match.group("approx")):
            return None  # "one of them", "no one": too often not a count
        value = parsed
    end = match.end()
    short = (match.group("short") or "").lower()
    currency = CURRENCY_SYMBOLS.get((match.group("currency") or "").lower())
    if short:
        if short == "m" and not currency and not _currency_follows(text, end):
            # "300m" with no currency: metres
            return _with_noun(text, match, value, "m", None, match.end("short"))
        value *= SHORT_SCALES[short]
    scale = match.group("scale")
    if scale:
        value *= SCALES[scale.lower()]
    range_to = None
    if match.group("number2"):
        if match.group("range").strip() == "to" and not digits:
            return None
        range_to = parse_digits(match.group("number2"))
    if match.group("percent"):
        return Quantity(_start(match), end, text[_start(match):end], value, "%", None,
                        _approx(match), None, range_to)
    if currency:
        rate, end = _rate(text, end)
        return Quantity(_start(match), end, text[_start(match):end], value, currency, None,
                        _approx(match), rate, range_to)
    if digits and _looks_like_year(raw, text, end) and not scale and not short:
        return None  # a year: the date extractor's
    return _with_noun(text, match, value, None, range_to, end)


def _start(match: re.Match[str]) -> int:
    for group in ("approx", "currency", "number"):
        if match.group(group):
            return match.start(group)
    return match.start()


def _approx(match: re.Match[str]) -> str | None:
    """The approximation a word before the number gives; "a dozen" is one itself."""
    word = match.group("approx")
    if word:
        return APPROX[word.lower()]
    return "~" if re.fullmatch(r"a\s+dozen", match.group("number"), re.IGNORECASE) else None


def _is_part_of_token(text: str, start: int, end: int) -> bool:
    """Digits inside a code, an ordinal or a time ("A320", "2nd", "7:42", "0642 GMT")."""
    before = text[start - 1] if start else " "
    after = text[end : end + 2]
    if before.isalpha() or before in ":/#":
        return True
    if re.match(r"(?:st|nd|rd|th)\b|:\d|\.\d|/\d", after, re.IGNORECASE):
        return True
    return bool(re.match(r"\s*(?:GMT|UTC|BST|CET|CEST|EST|PST|a\.m\.|p\.m\.|am\b|pm\b|h\b)",
                         text[end : end + 6], re.IGNORECASE))


def _currency_follows(text: str, end: int) -> bool:
    word = _WORD.match(text, end + 1 if text[end : end + 1] == " " else end)
    return bool(word and word.group().lower().rstrip(".,") in CURRENCY_WORDS)


def _looks_like_year(raw: str, text: str, end: int) -> bool:
    if not re.fullmatch(r"1[5-9]\d\d|20\d\d", raw):
        return False
    following = _words_after(text, end, 1)
    return not (following and following[0][0].lower() in UNITS)


def _words_after(text: str, end: int, limit: int) -> list[tuple[str, int, int]]:
    """Up to `limit` words right after `end`, each with its span, stopping at punctuation."""
    found: list[tuple[str, int, int]] = []
    position = end
    while len(found) < limit:
        gap = re.match(r"[ \u00a0]+|-(?=[A-Za-z])", text[position:])
        if not gap and found:
            break
        if gap:
            position += gap.end()
        word = _WORD.match(text, position)
        if not word:
            break
        value = word.group().rstrip(".,;:’'")
        if value.lower() in ("km/h",):
            found.append((value, word.start(), word.start() + len(value)))
            break
        found.append((value, word.start(), word.start() + len(value)))
        position = word.start() + len(value)
        if len(value) < len(word.group()):
            break
    return found


def _with_noun(text: str, match: re.Match[str], value: float, unit: str | None,
               range_to: float | None, end: int) -> Quantity | None:
    """A number with what follows it: a unit, a currency word, a counted noun, or nothing."""
    start = _start(match)
    approx = _approx(match)
    words = _words_after(text, end, 4)
    if unit is not None:  # "300m"
        rate, stop = _rate(text, end)
        return Quantity(start, stop, text[start:stop], value, unit, None, approx, rate, range_to)
    lowered = [w[0].lower() for w in words]
    age = re.match(r"[- ]years?[- ]old\b", text[end:])
    if age:  # "a 34-year-old teacher"
        return _counted(text, start, end + age.end(), value, "age", approx, range_to)
    if lowered[:1] == ["strong"] and len(words) > 1:  # "a 19-strong panel"
        return _counted(text, start, words[1][2], value, singular(lowered[1]), approx,
                        range_to)
    two = " ".join(lowered[:2])
    if two in _COMPOUND_UNITS:
        code = two.replace("meters", "metres").replace("per cent", "%")
        rate, stop = _rate(text, words[1][2])
        return Quantity(start, stop, text[start:stop], value, code, None, approx, rate, range_to)
    if lowered and lowered[0] in CURRENCY_WORDS:
        rate, stop = _rate(text, words[0][2])
        return Quantity(start, stop, text[start:stop], value, CURRENCY_WORDS[lowered[0]], None,
                        approx, rate, range_to)
    if lowered and lowered[0] in UNITS:
        code, factor = UNITS[lowered[0]]
        if lowered[0] in ("year", "years") and len(lowered) > 1 and lowered[1] in ("old",):
            code = "age"
        rate, stop = _rate(text, words[0][2])
        return Quantity(start, stop, text[start:stop], value * factor, code, None, approx,
                        rate, range_to if range_to is None else range_to * factor)
    noun_index = _noun_index(lowered, value)
    if noun_index is None:
        if not match.group("approx") and not (raw_is_digits(match) or range_to):
            return None  # a bare number word ("three of them"): too vague to line up
        stop = match.end()
        return Quantity(start, stop, text[start:stop].rstrip(), value, None, None, approx,
                        None, range_to)
    return _counted(text, start, words[noun_index][2], value, singular(lowered[noun_index]),
                    approx, range_to)


def raw_is_digits(match: re.Match[str]) -> bool:
    return match.group("number")[0].isdigit()


def _counted(text: str, start: int, noun_end: int, value: float, noun: str,
             approx: str | None, range_to: float | None) -> Quantity:
    rate, stop = _rate(text, noun_end)
    return Quantity(start, stop, text[start:stop], value, None, noun, approx, rate, range_to)


def _noun_index(words: list[str], value: float) -> int | None:
    """Which of the (up to four) words after a number is the noun it counts.

    Without a tagger: a plural within the first three words ("five ethnic minority women",
    "34 John Wayne films"), or, for one, the first content word; a function word first means
    the number counts nothing named ("three of them")."""
    if not words or words[0] in NOT_NOUNS:
        return None
    for index, word in enumerate(words[:3]):
        if word in NOT_NOUNS:
            break
        if _is_plural(word):
            return index
    if value == 1 or not _is_plural(words[0]):
        if words[0].endswith(("ed", "ing", "ly")):
            return None
        return 0
    return None


def _is_plural(word: str) -> bool:
    return word in IRREGULAR_PLURALS or (
        len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")))


def singular(word: str) -> str:
    word = word.lower()
    if word in IRREGULAR_PLURALS:
        return IRREGULAR_PLURALS[word]
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _rate(text: str, end: int) -> tuple[str | None, int]:
    """A rate right after a quantity ("a year", "per day"), and where the quantity ends."""
    match = re.match(rf"\s(?P<rate>{_RATE})\b", text[end:], re.IGNORECASE)
    if match:
        return RATES[match.group("rate").lower()], end + match.end()
    return None, end


def compatible(a: Quantity, b: Quantity, tolerance: float = 0.15) -> bool:
    """Whether two quantities of one key can both be true: equal, within `tolerance` of an
    "about", or on the allowed side of "more than" / "up to" ("more than 200 people" and
    "212 people"). Ranges hold every value between their ends."""
    a_low, a_high = _bounds(a, tolerance)
    b_low, b_high = _bounds(b, tolerance)
    return a_low <= b_high and b_low <= a_high


def _bounds(q: Quantity, tolerance: float) -> tuple[float, float]:
    low, high = q.value, q.range_to if q.range_to is not None else q.value
    low, high = min(low, high), max(low, high)
    if q.approx == "~":
        return low * (1 - tolerance), high * (1 + tolerance)
    if q.approx == ">=":
        return low, float("inf")
    if q.approx == "<=":
        return 0.0, high
    return low - 1e-9, high + 1e-9


# Counted nouns that, in news, count the members of a body: "11 members" and "South Korea,
# the US, Japan and seven other countries" (10) are compared. A rule list, checked on the
# project's conflict fixtures (corpus/conflicts), not fitted: spread-dev has no such pair.
MEMBER_NOUNS = frozenset(("member", "country", "nation", "state", "signatory",
                          "member state", "government", "participant"))


def count_class(key: str) -> str:
    """The slot a quantity's key is compared in: counts of members one slot, whatever the
    noun; every other key its own."""
    what, _, rate = key.partition("/")
    if what in MEMBER_NOUNS:
        return f"member/{rate}" if rate else "member"
    return key
