"""Stopword lists (jusText's, which ship with trafilatura) and a per-text language guess.

Stopword density is the strongest single signal that a line is running prose rather than a
menu, a headline list or a footer; it needs the text's language, guessed here by which list
covers most of its words.
"""

from __future__ import annotations

import re

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

    def guess(self, text: str) -> str:
        tokens = words(text)[:3000]
        if len(tokens) < 8:
            return self._default
        best, best_hits = self._default, -1
        for name, stoplist in self._lists.items():
            hits = sum(1 for token in tokens if token in stoplist)
            if hits > best_hits:
                best, best_hits = name, hits
        return best

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
