"""Where an event happened, read from the text: the dateline, and the places it is said to be in.

Names are often of places no gazetteer holds (a village, a fictional town), so the reading
is by form alone:

- a dateline: a line opening with a name in capitals before a date, an agency or a dash
  ("VALDORNA, March 14 (Reuters) -", "CORMOOR -");
- locative phrases: "in/near/outside <Name>", and "<Name> council/police/hospital/...".

An article's event place is its dateline's place or else the one name it puts the event in
most often, at least twice (`EVENT_MENTIONS`) and more often than any other: one mention of
"in Paris" is as often the comparison or the background as the event. Two articles' places
conflict (`places_conflict`) when both have one, they differ, and neither article names the
other's place anywhere (a report datelined in the town and one that names the town once in
its body agree; a report of the Cormoor scheme that compares it with Penbridge's does not
conflict with a report of Penbridge's).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from newstrace.stages.facts.dates import MONTHS, WEEKDAYS
from newstrace.stages.facts.entities import NOT_NAMES, ORG_WORDS, TITLES

# Set by hand, not fitted: one mention is too weak to read as the event's place; measured
# for false conflicts between reports of one story (`python -m bench.places_wild`).
EVENT_MENTIONS = 2

_WORD = r"[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’\-]+"
_NAME = rf"{_WORD}(?:[ \t]+{_WORD}){{0,2}}"
# Not "at": "at Walmart", "at Betty Ford" (the clinic) name a firm or a venue as often.
_LOCATIVE = re.compile(rf"\b(?:[Ii]n|[Nn]ear|[Oo]utside)[ \t]+({_NAME})")
_INSTITUTION = re.compile(
    rf"\b({_NAME})[ \t]+(?:council|police|hospital|residents|mayor|town hall|city hall)\b")
_DATELINE = re.compile(
    r"^[ \t]*([A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'’.\-]+(?:[ \t]+[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'’.\-]+){0,2})"
    r"(?:,[ \t]+[A-Z][a-z]+\.?)?[ \t]*(?:,[ \t]*[A-Z][a-z]+\.?[ \t]+\d|\(|[-—–])",
    re.MULTILINE)
_DATELINE_REACH = 400  # characters from the start where a dateline may stand (after a title)
_NOT_DATELINES = frozenset(["update", "updated", "breaking", "exclusive", "watch", "video",
                            "photos", "analysis", "opinion", "comment", "editorial", "live",
                            "new", "correction", "reuters", "ap", "afp", "upi", "bbc", "cnn"])
# Words a place's name shares with other places ("New", "North", "City"): two places
# sharing only these are not the same place, and one naming only these is no place.
_GENERIC = frozenset(["new", "north", "south", "east", "west", "northern", "southern",
                      "eastern", "western", "central", "upper", "lower", "great", "little",
                      "saint", "st", "san", "santa", "los", "las", "port", "fort", "mount",
                      "city", "county", "town", "village", "district", "province", "region",
                      "state", "hall", "park", "centre", "center", "street", "road", "the"])
_NOT_PLACES = ({w.casefold() for w in NOT_NAMES} | set(MONTHS) | set(WEEKDAYS) | set(TITLES)
               | ORG_WORDS | {"christmas", "easter", "english", "french", "german", "spanish",
                              "government", "parliament", "congress", "court", "news",
                              "today", "tonight", "first", "last", "least", "most", "all",
                              "once", "times", "time", "twitter", "facebook"})


@dataclass(frozen=True, slots=True)
class Places:
    """An article's event place(s), casefolded, and the capitalised words it names anywhere
    (what `places_conflict` reads to see whether it names the other's place)."""

    event: frozenset[str] = frozenset()
    named: frozenset[str] = field(default_factory=frozenset)


def read_places(text: str) -> Places:
    """The event place of `text` (dateline, else its most named locative place) and every
    capitalised word it names."""
    named = frozenset(part for word in re.findall(_WORD + "|[A-ZÀ-ÖØ-Þ]{2,}", text)
                      for part in word.casefold().split("-") if part)
    dateline = _dateline(text)
    if dateline:
        return Places(frozenset({dateline}), named)
    counts = Counter(place for place in _locatives(text))
    ranked = counts.most_common(2)
    if ranked and ranked[0][1] >= EVENT_MENTIONS and (len(ranked) == 1
                                                       or ranked[0][1] > ranked[1][1]):
        return Places(frozenset({ranked[0][0]}), named)
    return Places(frozenset(), named)


def _dateline(text: str) -> str | None:
    match = _DATELINE.search(text[:_DATELINE_REACH])
    if not match:
        return None
    name = " ".join(match.group(1).split()).strip(".-").casefold()
    return name if _is_place(name) and name not in _NOT_DATELINES else None


def _locatives(text: str) -> list[str]:
    found = []
    for pattern in (_LOCATIVE, _INSTITUTION):
        for match in pattern.finditer(text):
            name = " ".join(match.group(1).split()).casefold()
            name = _trimmed(name)  # "The Cormoor council", "In March"
            if _is_place(name) and not name.endswith(("'s", "’s")):  # "in Epstein's house"
                found.append(name)
    return found


def _trimmed(name: str) -> str:
    """Without leading words that are no part of a place ("The", a month)."""
    words = name.split()
    while words and words[0] in _NOT_PLACES:
        words.pop(0)
    return " ".join(words)


def _is_place(name: str) -> bool:
    words = name.split()
    return bool(words) and not any(w in _NOT_PLACES for w in words) and bool(_core(name))


def _core(place: str) -> frozenset[str]:
    """The words of a place that tell it from others ("Mill Lane" keeps both, "New York"
    keeps "york")."""
    return frozenset(w for w in re.split(r"[ \-]", place) if w and w not in _GENERIC)


def places_conflict(a: Places, b: Places) -> bool:
    """Both articles have an event place, the places share no telling word, and neither
    article names any telling word of the other's place."""
    if not a.event or not b.event:
        return False
    core_a = frozenset().union(*(_core(p) for p in a.event))
    core_b = frozenset().union(*(_core(p) for p in b.event))
    return not (core_a & core_b or core_a & b.named or core_b & a.named)


__all__ = ["EVENT_MENTIONS", "Places", "places_conflict", "read_places"]
