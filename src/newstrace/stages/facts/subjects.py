"""Readable subjects for conflicts: what the values measure ("distance in km", "residents",
"amount in euros") and a short phrase of the text saying of what ("south of Sankt Brennö",
"of Pralunga").

The phrase is the shortest one any of the conflicting claims' sentences gives: the words right
after the value when they open with a preposition or a compass word ("residents of Pralunga",
"4 km south of Sankt Brennö"), up to punctuation or a word that starts a clause; else the few
words before the value ("repairs cost …"). No phrase, no context: the measure alone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from newstrace.records import DATE, Claim
from newstrace.stages.facts.numbers import OTHER, SCALES, TENS, UNITS
from newstrace.stages.facts.quantities import APPROX, IRREGULAR_PLURALS, RATES

DATE_MEASURES = {"day": "date", "month": "month", "year": "year", "week": "week",
                 "time": "time"}
# Unit codes (as `quantities` normalises them) -> what they measure, in words.
UNIT_MEASURES = {
    "mm": "length in millimetres", "mile": "distance in miles", "ft": "length in feet",
    "km/h": "speed in km/h", "mph": "speed in mph", "kg": "weight in kg",
    "tonne": "weight in tonnes", "second": "duration in seconds",
    "minute": "duration in minutes", "hour": "duration in hours", "day": "duration in days",
    "week": "duration in weeks", "month": "duration in months", "year": "duration in years",
    "degree": "degrees", "hectare": "area in hectares", "acre": "area in acres",
    "barrel": "barrels", "GW": "power in gigawatts", "MW": "power in megawatts",
    "%": "percentage", "pp": "percentage points", "point": "points", "age": "age",
    "EUR": "amount in euros", "USD": "amount in dollars", "GBP": "amount in pounds",
    "JPY": "amount in yen", "CHF": "amount in Swiss francs",
    "cubic metres": "volume in cubic metres", "square metres": "area in square metres",
    "square kilometres": "area in square kilometres", "square kilometers":
        "area in square kilometres", "square miles": "area in square miles",
}
RATE_WORDS = {"year": "a year", "day": "a day", "hour": "an hour", "week": "a week",
              "month": "a month", "head": "per head"}
# Words that open a phrase saying what a number is of or where.
OPENERS = frozenset([
    "of", "in", "at", "on", "near", "from", "aboard", "inside", "outside", "across", "along",
    "above", "below", "between", "around", "off", "beyond", "north", "south", "east", "west",
    "northeast", "northwest", "southeast", "southwest", "north-east", "north-west",
    "south-east", "south-west", "into", "onto", "per"])
# Words that end a phrase: they start a clause or a new constituent.
STOPS = frozenset([
    "and", "or", "but", "had", "has", "have", "was", "were", "is", "are", "be", "been",
    "will", "would", "could", "should", "can", "may", "might", "must", "said", "says",
    "who", "which", "that", "according", "after", "before", "when", "while", "as",
    "because", "since", "where", "with", "to", "than", "by", "for", "if", "until", "during",
    "did", "do", "does", "not"])
FUNCTION = frozenset(["the", "a", "an", "of", "in", "at", "on", "to", "and", "its", "their",
                      "his", "her", "this", "that", "some", "about", "around", "for", "by"])
_NUMBER_WORDS = frozenset([*UNITS, *TENS, *SCALES, *OTHER, "a", "an", "and",
                           *(w for phrase in APPROX for w in phrase.split())])
MAX_WORDS = 8  # a phrase longer than this is cut (and counts as cut when choosing)
BEFORE_WORDS = 5
_TOKEN = re.compile(r"[^\W\d_][\w’'.-]*[\w]|[^\W\d_]|\d[\d,.]*|[^\w\s]")


def measure(key: str, claims: Sequence[Claim]) -> str:
    """What a conflict's values measure, in words: a counted noun in the plural
    ("residents"), a unit spelt out ("distance in km"), a date's precision ("date")."""
    if key.startswith("date/"):
        return DATE_MEASURES.get(key.split("/", 1)[1], "date")
    what, _, rate = key.partition("/")
    if what == "m":
        kilometres = any(re.search(r"\bkm\b|kilomet", c.text, re.IGNORECASE) for c in claims)
        label = "distance in km" if kilometres else "length in metres"
    elif what in UNIT_MEASURES:
        label = UNIT_MEASURES[what]
    else:
        label = _counted(claims) or plural(what)
    return f"{label} {RATE_WORDS.get(rate, 'per ' + rate)}" if rate else label


def _counted(claims: Sequence[Claim]) -> str | None:
    """The counted noun as the claims word it, with its modifiers ("crack houses", "John
    Wayne films"): the most frequent wording, of equally frequent ones the shortest."""
    wordings: dict[str, int] = {}
    for claim in claims:
        text = claim.text
        for rate in RATES:
            if text.lower().endswith(" " + rate):
                text = text[:-len(rate) - 1]
        words: list[str] = []
        for word in reversed(text.split()):
            if not re.fullmatch(r"[^\W\d_][\w’'-]*", word) or word.lower() in _NUMBER_WORDS:
                break
            words.insert(0, word)
        if words:
            wording = " ".join(words)
            wordings[wording] = wordings.get(wording, 0) + 1
    if not wordings:
        return None
    return min(wordings, key=lambda w: (-wordings[w], len(w.split()), w))


def plural(noun: str) -> str:
    """The plural of a singular counted noun ("resident" -> "residents")."""
    irregular = {singular: many for many, singular in IRREGULAR_PLURALS.items()
                 if singular != many}
    if noun in irregular:
        return irregular[noun]
    if noun in IRREGULAR_PLURALS.values():
        return noun  # "police", "staff"
    if re.search(r"[^aeiou]y$", noun):
        return noun[:-1] + "ies"
    if noun.endswith(("s", "x", "ch", "sh", "z")):
        return noun + "es"
    return noun + "s"


def context(claims: Sequence[Claim], texts: Mapping[str, str]) -> str | None:
    """The shortest phrase the claims' sentences give for what the value is of: after the
    value where one follows, else before it (ending in "…"); complete ones before cut ones."""
    after = [p for p in (_after(c, texts[c.article]) for c in claims) if p is not None]
    if after:
        return _shortest(after)
    before = [p for p in (_before(c, texts[c.article]) for c in claims) if p is not None]
    return f"{_shortest(before)} …" if before else None


def subject(key: str, claims: Sequence[Claim], texts: Mapping[str, str]) -> dict[str, Any]:
    """A conflict's subject ("residents of Pralunga", "distance in km (south of Sankt
    Brennö)"), with its parts: `measure` and `context` (None when no phrase was found)."""
    what = measure(key, claims)
    phrase = context(claims, texts)
    if phrase is None:
        text = what
    elif claims[0].kind != DATE and " in " not in what and \
            phrase.split()[0].lower() in OPENERS:
        text = f"{what} {phrase}"  # "residents of Pralunga", "percentage of profit"
    else:
        text = f"{what} ({phrase})"
    return {"subject": text, "measure": what, "context": phrase}


def _words(claim: Claim, text: str, before: bool) -> list[str]:
    start, end = claim.sentence
    if before:
        return _TOKEN.findall(text[start:claim.span[0]])
    return _TOKEN.findall(text[claim.span[1]:end])


def _after(claim: Claim, text: str) -> tuple[str, bool] | None:
    """The phrase after a value, and whether it was cut at MAX_WORDS."""
    tokens = _words(claim, text, before=False)
    if not tokens or tokens[0].lower() not in OPENERS:
        return None
    phrase: list[str] = []
    cut = False
    for token in tokens:
        if not (token[0].isalpha()) or (phrase and token.lower() in STOPS):
            break
        if len(phrase) == MAX_WORDS:
            cut = True
            break
        phrase.append(token)
    return _trimmed(phrase, cut)


def _before(claim: Claim, text: str) -> tuple[str, bool] | None:
    """The few words leading to a value ("repairs cost"), back to punctuation."""
    tokens = _words(claim, text, before=True)
    phrase: list[str] = []
    for token in reversed(tokens):
        if not token[0].isalpha() or len(phrase) == BEFORE_WORDS:
            break
        phrase.insert(0, token)
    while phrase and phrase[0].lower() in FUNCTION | STOPS:
        phrase.pop(0)
    return _trimmed(phrase, False)


def _trimmed(phrase: list[str], cut: bool) -> tuple[str, bool] | None:
    while phrase and phrase[-1].lower() in FUNCTION:
        phrase.pop()
    if not any(word.lower() not in FUNCTION | STOPS | OPENERS for word in phrase):
        return None
    return " ".join(phrase), cut


def _shortest(phrases: Sequence[tuple[str, bool]]) -> str:
    """The shortest complete phrase of two words or more (a cut or a one-word one only when
    there is no such); of equally short ones the most frequent."""
    counts: dict[tuple[str, bool], int] = {}
    for phrase in phrases:
        counts[phrase] = counts.get(phrase, 0) + 1
    return min(counts, key=lambda p: (p[1], len(p[0].split()) < 2, len(p[0].split()),
                                      -counts[p], p[0]))[0]
