"""A story's sentences as content words, read once, and indexed so that the support an
added sentence finds among hundreds of versions is looked up by its words rather than
measured against every sentence of every version (additions.py)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from itertools import pairwise

from newstrace.records import Article
from newstrace.stages.facts.text import content_words


class StoryWords:
    """Each article's sentence words and windows (a sentence, or two adjacent ones), read
    once a story, and an index from a word to the distinct windows holding it, each window
    with the articles that hold it (copies repeat the same windows hundreds of times)."""

    def __init__(self) -> None:
        self._sentences: dict[str, list[set[str]]] = {}
        self._window_ids: dict[frozenset[str], int] = {}
        self._holders: list[set[str]] = []
        self._postings: dict[str, list[int]] = {}
        self._anchor_holders: dict[Hashable, set[str]] = {}
        self._anchored: set[str] = set()

    def sentences(self, article: Article) -> list[set[str]]:
        """The content words of each of the article's sentences."""
        found = self._sentences.get(article.id)
        if found is None:
            found = self._sentences[article.id] = [content_words(t)
                                                   for t in article.sentence_texts()]
            self._index(article.id, found or [content_words(article.text)])
        return found

    def allowed(self, articles: Sequence[Article]) -> set[str]:
        """The ids of these articles, each indexed."""
        for article in articles:
            self.sentences(article)
        return {article.id for article in articles}

    def best_containment(self, words: set[str], allowed: set[str]) -> float:
        """The largest share of `words` in one window of an `allowed` article (0 when none
        holds any): `max(containment(words, window))` over those articles' windows."""
        if not words:
            return 0.0
        counts: Counter[int] = Counter()
        for word in words:
            counts.update(self._postings.get(word, ()))
        for window, count in counts.most_common():
            if not self._holders[window].isdisjoint(allowed):
                return count / len(words)
        return 0.0

    def has_anchors(self, article_id: str) -> bool:
        """Whether the article's anchors (additions.py: its numbers and dates) are known."""
        return article_id in self._anchored

    def add_anchors(self, article_id: str, anchors: Iterable[Hashable]) -> None:
        self._anchored.add(article_id)
        for anchor in anchors:
            self._anchor_holders.setdefault(anchor, set()).add(article_id)

    def held(self, anchors: Iterable[Hashable], allowed: set[str]) -> set[Hashable]:
        """Those of `anchors` that an `allowed` article gives too (each added first)."""
        return {anchor for anchor in anchors
                if not self._anchor_holders.get(anchor, set()).isdisjoint(allowed)}

    def _index(self, article_id: str, sentences: list[set[str]]) -> None:
        for window in [*sentences, *(a | b for a, b in pairwise(sentences))]:
            key = frozenset(window)
            number = self._window_ids.get(key)
            if number is None:
                number = self._window_ids[key] = len(self._holders)
                self._holders.append(set())
                for word in key:
                    self._postings.setdefault(word, []).append(number)
            self._holders[number].add(article_id)
