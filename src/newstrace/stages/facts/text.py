"""Content words of sentences, for lining up sentences and claims without a model."""

from __future__ import annotations

import re

from newstrace.stages.facts.quantities import NOT_NOUNS

STOP = NOT_NOUNS | frozenset([
    "also", "its", "it's", "new", "one", "two", "three", "first", "last", "year", "years",
    "mr", "mrs", "ms", "like", "well", "would", "could", "been", "being", "very", "much",
    "many", "some", "any", "all", "other", "such", "only", "own", "same", "into", "out",
    "there", "their",
])


_CONTENT_WORD = re.compile(r"[^\W\d_][\w’'-]*")
_NORMALISED_WORD = re.compile(r"[^\W_]+(?:[’'][^\W_]+)?")


def content_words(text: str) -> set[str]:
    """Lower-case words of three letters or more that are not function words, with a crude
    plural stem ("residents" and "resident" meet)."""
    words = set()
    for word in _CONTENT_WORD.findall(text.lower()):
        word = word.strip("’'")
        if len(word) < 3 or word in STOP:
            continue
        if word.endswith("s") and len(word) > 4 and not word.endswith("ss"):
            word = word[:-1]
        words.add(word)
    return words


def overlap(a: set[str], b: set[str]) -> float:
    """Shared words over the words of the smaller set."""
    smaller = min(len(a), len(b))
    return len(a & b) / smaller if smaller else 0.0


def containment(part: set[str], whole: set[str]) -> float:
    return len(part & whole) / len(part) if part else 0.0


def normalised_words(text: str) -> list[str]:
    found: list[str] = _NORMALISED_WORD.findall(text.lower().replace("’", "'"))
    return found
