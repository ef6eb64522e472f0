"""Counts written other than as a number before a noun: enumerations ("South Korea, the US,
Japan and seven other countries": 10 countries), bare lists of names ("South Korea, the US
and Japan": 3) and fractions ("half of the households": 50 %). Each becomes a `Quantity`
like any other, so it is compared with "11 members" or "30% of households" by the same
rules."""

from __future__ import annotations

import re

from newstrace.stages.facts.dates import MONTHS, WEEKDAYS
from newstrace.stages.facts.entities import NOT_NAMES
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


# A bare list: named items separated by commas, the last after "and" ("South Korea, the US
# and Japan"). At least this many items: "the US and Japan" is as often a pair named in
# passing as a count. The list counts the members of what it lists: it goes in the slot of
# the plural noun right before it ("the clubs Ashby, Dunmore and Kelso"), else in the slot
# of a body's members (`quantities.MEMBER_NOUNS`: "four countries", "11 members").
MIN_LISTED = 3
LISTED_NOUN = "member"
_LAST_ITEM = re.compile(rf",?\s+and\s+(?P<item>{_ITEM.pattern})(?![\w’'-])")
# Words before a list that make it examples, not a count: "countries such as A, B and C",
# "including A, B and C", "among them A, B and C".
_EXAMPLES_BEFORE = re.compile(
    r"\b(?:such as|including|includes|included|like|among(?:\s+(?:them|others))?|notably|"
    r"especially|particularly|in particular|for example|for instance|e\.g\.|mainly|mostly|"
    r"chiefly|principally|primarily|led by)\s*[,:]?\s*$", re.IGNORECASE)
# ... or after it: "A, B and C, among others", "A, B and C among them".
_EXAMPLES_AFTER = re.compile(r"\s*,?\s*(?:among (?:others|them|many)|and (?:others|more)|"
                             r"etc\b|to name (?:a|but) few)", re.IGNORECASE)
_NOUN_BEFORE = re.compile(r"\b(?P<noun>[a-z]{3,}s)\s*,?\s*$")
# Capitalised words that open a list piece without naming anything ("However, France, ...").
_NOT_ITEMS = frozenset(w.lower() for w in NOT_NAMES) | set(MONTHS) | set(WEEKDAYS) | {
    "however", "meanwhile", "yesterday", "today", "also", "instead", "still", "now",
    "earlier", "later", "so", "yet", "thus", "then", "first", "finally", "last", "next"}


def find_counts(text: str) -> list[Quantity]:
    """Enumerations ending in "and N other NOUNs", bare lists of three or more names, and
    fractions "half of the ..."."""
    enumerations = _enumerations(text)
    bare = [q for q in _bare_lists(text)
            if not any(e.start < q.end and q.start < e.end for e in enumerations)]
    return [*enumerations, *bare, *_fractions(text)]


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


def _bare_lists(text: str) -> list[Quantity]:
    """Lists of `MIN_LISTED` or more names ending in "and NAME", not given as examples."""
    found = []
    for match in _LAST_ITEM.finditer(text):
        if _names_nothing(match.group("item")):
            continue
        items, start = _items_before(text, match.start())
        if items + 1 < MIN_LISTED or _EXAMPLES_BEFORE.search(text[max(0, start - 30):start]) \
                or _EXAMPLES_AFTER.match(text, match.end()):
            continue
        noun = _NOUN_BEFORE.search(text[max(0, start - 30):start])
        found.append(Quantity(start, match.end(), text[start:match.end()], items + 1, None,
                              singular(noun.group("noun")) if noun else LISTED_NOUN,
                              None, None))
    return found


def _names_nothing(item: str) -> bool:
    """An item whose first word (after "the") is a capitalised ordinary word, a month or a
    weekday: no name."""
    words = item.split()
    if not words:  # what is left of a piece after its last word ("However ,"): no name
        return True
    first = words[1] if words[0].lower() == "the" and len(words) > 1 else words[0]
    return first.lower() in _NOT_ITEMS


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
        if stripped and _ITEM.fullmatch(stripped) and not _names_nothing(stripped):
            count += 1
            start = piece_start + piece.index(stripped)
            position = piece_start - 1
            continue
        tail = _named_tail(piece)
        if tail is not None:
            count += 1
            start = piece_start + tail
        break
    return count, start


def _named_tail(piece: str) -> int | None:
    """Where the name ending a list's first piece starts ("made up of South Korea",
    "In Paris"), its opening ordinary words left out; None when it ends in no name."""
    trailing = _TRAILING_ITEM.search(piece)
    if trailing is None:
        return None
    position = trailing.start("item")
    while _names_nothing(piece[position:]):
        gap = piece.find(" ", position)
        if gap < 0:
            return None
        position = gap + 1
    return position


def _fractions(text: str) -> list[Quantity]:
    found = []
    for match in _FRACTION.finditer(text):
        value, approx = FRACTIONS[match.group("fraction").lower()]
        found.append(Quantity(match.start(), match.end("fraction"), match.group("fraction"),
                              value, "%", None, approx, None))
    return found
