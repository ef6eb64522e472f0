"""Stopword lists (jusText's, which ship with trafilatura) and a per-text language guess.

Stopword density is the strongest single signal that a line is running prose rather than a
menu, a headline list or a footer; it needs the text's language, guessed here by which list
covers most of its words.
"""

from __future__ import annotations

import re
from collections import Counter

import justext

# Languages tried when guessing; the first is the default for texts with too few words.
LANGUAGES = (
    "English", "German", "French", "Spanish", "Italian", "Portuguese", "Dutch", "Swedish",
    "Danish", "Norwegian_Bokmal", "Finnish", "Polish", "Czech", "Romanian", "Hungarian",
    "Turkish", "Russian", "Ukrainian", "Indonesian",
)
_WORD = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


class Stopwords:
    """Holds the stoplists once; `guess` picks a text's language, `density` scores a line."""

    def __init__(self, languages: tuple[str, ...] = LANGUAGES) -> None:
        self._lists = {name: frozenset(justext.get_stoplist(name)) for name in languages}
        self._default = languages[0]
        self._names = list(self._lists)
        # word -> the languages whose stoplist has it: one look-up a distinct word when guessing
        self._languages_of: dict[str, list[int]] = {}
        for index, stoplist in enumerate(self._lists.values()):
            for word in stoplist:
                self._languages_of.setdefault(word, []).append(index)

    def guess(self, text: str) -> str:
        counts = Counter(words(text[:20_000]))
        if sum(counts.values()) < 8:
            return self._default
        hits = [0] * len(self._names)
        for token, count in counts.items():
            for index in self._languages_of.get(token, ()):
                hits[index] += count
        best = max(range(len(hits)), key=lambda index: (hits[index], -index))
        return self._names[best] if hits[best] else self._default

    def stoplist(self, iso_code: str | None) -> frozenset[str]:
        """The stoplist of a language given by ISO code; the default language's if unknown."""
        name = next((name for name, code in ISO_CODES.items() if code == iso_code), None)
        return self._lists.get(name or self._default) or self._lists[self._default]

    def density(self, tokens: list[str], language: str) -> float:
        if not tokens:
            return 0.0
        stoplist = self._lists.get(language) or self._lists[self._default]
        return sum(1 for token in tokens if token in stoplist) / len(tokens)


ISO_CODES = {
    "English": "en", "German": "de", "French": "fr", "Spanish": "es", "Italian": "it",
    "Portuguese": "pt", "Dutch": "nl", "Swedish": "sv", "Danish": "da", "Norwegian_Bokmal": "nb",
    "Finnish": "fi", "Polish": "pl", "Czech": "cs", "Romanian": "ro", "Hungarian": "hu",
    "Turkish": "tr", "Russian": "ru", "Ukrainian": "uk", "Indonesian": "id",
}
