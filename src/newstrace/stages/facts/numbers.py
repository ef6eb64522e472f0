"""Numbers written in digits or in words, as values: "3,000", "2.5", "two million", "ten",
"twenty-five", "a dozen". Shared by the quantity and date extractors."""

from __future__ import annotations

import re

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
          "trillion": 1_000_000_000_000}
# Abbreviated scales glued to a number or following it: "$3.2bn", "790m euros", "45k".
SHORT_SCALES = {"k": 1_000, "m": 1_000_000, "mn": 1_000_000, "bn": 1_000_000_000,
                "b": 1_000_000_000, "tn": 1_000_000_000_000, "trn": 1_000_000_000_000}
OTHER = {"dozen": 12, "half": 0.5, "a dozen": 12}

_SIMPLE = "|".join(sorted([*UNITS, *TENS], key=len, reverse=True))
WORD_NUMBER = (rf"(?:(?:{_SIMPLE})(?:[- ](?:{_SIMPLE}))?"
               rf"(?:\s+(?:hundred|thousand|million|billion|trillion)"
               rf"(?:\s+(?:and\s+)?(?:{_SIMPLE})(?:[- ](?:{_SIMPLE}))?)?)*"
               rf"|a\s+dozen|a\s+(?:hundred|thousand|million|billion))")
DIGITS = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"


def parse_digits(text: str) -> float:
    return float(text.replace(",", ""))


def parse_words(text: str) -> float | None:
    """The value of a number in words, or None when `text` is not one."""
    tokens = re.split(r"[\s-]+", text.lower().strip())
    tokens = [t for t in tokens if t and t != "and"]
    if not tokens:
        return None
    if tokens[0] == "a":
        tokens[0] = "one"
    total, current = 0.0, 0.0
    seen = False
    for token in tokens:
        if token in UNITS:
            current += UNITS[token]
        elif token in TENS:
            current += TENS[token]
        elif token == "hundred":
            current = (current or 1) * 100
        elif token in SCALES:
            total += (current or 1) * SCALES[token]
            current = 0
        elif token == "dozen":
            current = (current or 1) * 12
        else:
            return None
        seen = True
    return total + current if seen else None


def as_number(value: float) -> int | float:
    """An int when the value is whole, so "10" and "ten" print alike."""
    return int(value) if float(value).is_integer() else round(value, 6)
