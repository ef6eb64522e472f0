"""Stopword lists (jusText's, which ship with trafilatura) and a per-text language guess.

Stopword density is the strongest single signal that a line is running prose rather than a
menu, a headline list or a footer; it needs the text's language, told by py3langid (a
language-identification model inside its PyPI package, the one trafilatura uses). Counting
which stoplist covers most of the words, as this module did, fails where a list carries
another language's words: jusText's Finnish list holds "the", "your", "video" and "street",
and four English pages of aeb-dev came out Finnish.
"""

from __future__ import annotations

import re

import justext
import py3langid

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
        # py3langid's codes (ISO 639-1; Norwegian as "no") -> the stoplists' names
        self._by_code = {code: name for name, code in ISO_CODES.items() if name in self._lists}
        if "Norwegian_Bokmal" in self._lists:
            self._by_code["no"] = "Norwegian_Bokmal"

    def guess(self, text: str) -> str:
        """The language of `text` (its first 20,000 characters: a page's language does not
        change further down, and the cost stays bounded), named as its stoplist is; the
        default for fewer than 8 words or a language with no stoplist here."""
        sample = text[:20_000]
        if len(words(sample)) < 8:
            return self._default
        code, _ = py3langid.classify(sample)
        return self._by_code.get(code, self._default)

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
