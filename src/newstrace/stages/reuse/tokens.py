"""Word tokens with their character offsets, and stable 64-bit token hashes.

Tokenising once serves every later step: shingles for MinHash, seeds for alignment (which
needs offsets to report passages), and anchors.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Spans:
    """Where each word token of a text starts and ends: [start, end) character offsets."""

    starts: npt.NDArray[np.int64]
    ends: npt.NDArray[np.int64]


def token_spans(text: str) -> Spans:
    """Offsets of the tokens `Tokenizer.hashes` hashes, in the same order (alignment needs
    them to report passages; sketching does not, so they are computed apart)."""
    spans = [match.span() for match in _WORD.finditer(text)]
    array = np.asarray(spans, dtype=np.int64).reshape(-1, 2)
    return Spans(array[:, 0].copy(), array[:, 1].copy())


class Tokenizer:
    """Hashes a text's lower-cased word tokens; keeps a cache of token hashes, since news
    vocabularies repeat.

    Hashes are blake2b, so they are the same in every process and on every machine (Python's
    own `hash` is salted per process, which would make stored sketches useless).
    """

    def __init__(self, cache_limit: int = 2_000_000) -> None:
        self._cache: dict[str, int] = {}
        self._cache_limit = cache_limit

    def _hash(self, word: str) -> int:
        value = int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(),
                               "little")
        if len(self._cache) < self._cache_limit:
            self._cache[word] = value
        return value

    def words(self, text: str) -> list[str]:
        lowered = text.lower()
        if len(lowered) == len(text):  # every character lower-cased to one: same tokens
            return _WORD.findall(lowered)
        # Per-token lower() keeps one token per match where lower-casing the whole text
        # changes its length (Turkish dotted I), so hashes and spans stay in step.
        return [word.lower() for word in _WORD.findall(text)]

    def hashes(self, text: str) -> npt.NDArray[np.uint64]:
        words = self.words(text)
        cache = self._cache
        try:  # news vocabularies repeat: usually every word is known already
            return np.fromiter(map(cache.__getitem__, words), dtype=np.uint64, count=len(words))
        except KeyError:
            pass
        for word in set(words).difference(cache):
            self._hash(word)
        if len(cache) >= self._cache_limit:  # a full cache: hash what it could not keep
            return np.array([cache.get(word) or self._hash(word) for word in words],
                            dtype=np.uint64)
        return np.fromiter(map(cache.__getitem__, words), dtype=np.uint64, count=len(words))


_MIX = np.uint64(0x9E3779B97F4A7C15)


def shingle_hashes(hashes: npt.NDArray[np.uint64], size: int) -> npt.NDArray[np.uint64]:
    """Hashes of every run of `size` consecutive tokens (all tokens when fewer), computed
    with vector arithmetic (wrapping uint64): sum of token hashes, each rotated by position."""
    count = len(hashes)
    if count == 0:
        return np.zeros(0, dtype=np.uint64)
    if count < size:
        size = count
    width = count - size + 1
    combined = np.zeros(width, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for offset in range(size):
            part = hashes[offset : offset + width]
            shift = np.uint64(7 * offset)
            rotated = (part << shift) | (part >> (np.uint64(64) - shift)) if offset else part
            combined = combined * _MIX + rotated
    return combined
