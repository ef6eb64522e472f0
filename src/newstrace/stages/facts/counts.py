"""Counts written other than as a number before a noun: enumerations ("South Korea, the US,
Japan and seven other countries": 10 countries) and fractions ("half of the households":
50 %). Each becomes a `Quantity` like any other, so it is compared with "11 members" or
"30% of households" by the same rules."""

from __future__ import annotations

import re

from newstrace.stages.facts.numbers import DIGITS, WORD_NUMBER, parse_digits, parse_words
from newstrace.stages.facts.quantities import Quantity, singular

# "and seven other countries", "as well as 12 more states"
_REST = re.compile(
    rf"\b(?:and|as well as|plus)\s+(?P<number>{DIGITS}|{WORD_NUMBER})\s+"
    r"(?:other|more|further|additional)\s+(?P<noun>[a-z]+s)\b", re.IGNORECASE)
# One named item of a list: "the US", "South Korea", "Japan"
_ITEM = re.compile(r"(?:(?:the|The)\s+)?[A-Z][\w.’'-]*(?:\s+(?:of\s+)?[A-Z][\w.’'-]*){0,3}")
_TRAILING_ITEM = re.compile(rf"(?:^|\s)(?P<item>{_ITEM.pattern})\s*$")
# "half of", "a third of", "two thirds of", "three quarters of": the share, in percent, and
# whether it is a rounding (thirds) or exact.
FRACTIONS = {"half": (50.0, None), "a half": (50.0, None), "one half": (50.0, None),
             "a third": (100 / 3, "~"), "one third": (100 / 3, "~"),
             "two thirds": (200 / 3, "~"), "two-thirds": (200 / 3, "~"),
             "a quarter": (25.0, None), "one quarter": (25.0, None),
             "three quarters": (75.0, None), "three-quarters": (75.0, None)}
_FRACTION = re.compile(
    r"\b(?P<fraction>" + "|".join(re.escape(f) for f in sorted(FRACTIONS, key=len, reverse=True))
    + r")\s+of\s+(?:the|its|their|all)\b", re.IGNORECASE)


def find_counts(text: str) -> list[Quantity]:
    """Enumerations ending in "and N other NOUNs" and fractions "half of the ..."."""
    return [*_enumerations(text), *_fractions(text)]


def _enumerations(text: str) -> list[Quantity]:
    found = []
    for match in _REST.finditer(text):
        raw = match.group("number")
        number = parse_digits(raw) if raw[0].isdigit() else parse_words(raw)
        if number is None:
            continue
        items, start = _items_before(text, match.start())
        if not items:
            continue
        found.append(Quantity(start, match.end(), text[start:match.end()], items + number,
                              None, singular(match.group("noun")), None, None))
    return found


def _items_before(text: str, end: int) -> tuple[int, int]:
    """How many named items, separated by commas, end at `end`, and where the first
    starts: the list is read back until a piece that is not a name, whose trailing name
    (if any) is the first item ("made up of South Korea")."""
    pieces = text[:end].rstrip().rstrip(",").split(",")
    count, start = 0, end
    position = len(text[:end].rstrip().rstrip(","))
    for piece in reversed(pieces):
        piece_start = position - len(piece)
        stripped = piece.strip()
        if stripped and _ITEM.fullmatch(stripped):
            count += 1
            start = piece_start + piece.index(stripped)
            position = piece_start - 1
            continue
        trailing = _TRAILING_ITEM.search(piece)
        if trailing:
            count += 1
            start = piece_start + trailing.start("item")
        break
    return count, start


def _fractions(text: str) -> list[Quantity]:
    found = []
    for match in _FRACTION.finditer(text):
        value, approx = FRACTIONS[match.group("fraction").lower()]
        found.append(Quantity(match.start(), match.end("fraction"), match.group("fraction"),
                              value, "%", None, approx, None))
    return found
