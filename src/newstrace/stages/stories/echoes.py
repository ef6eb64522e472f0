"""Which parts of each member of a story the other members share, read from the stored
alignments of their relations (no new alignment).

For a derived pair where each side has material the other lacks (a condensed rewrite that
also adds sentences), the side whose own material the rest of the story echoes is likelier
the earlier text: what it has beyond its partner came from the common source, which other
outlets also used, while a derivative's additions are its own. This fails when a third
member copied the derivative, so it is weak evidence.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from newstrace.records import Alignment
from newstrace.spans import Span


@dataclass(frozen=True, slots=True)
class OwnMaterial:
    """What one side of a pair has that the other lacks, and how much of it others share."""

    chars: int
    echoed: float  # share of `chars` that some other member of the story also has


class Echoes:
    def __init__(self, alignments: Iterable[Alignment]) -> None:
        self._unmatched: dict[tuple[str, str], list[Span]] = {}
        self._matched: dict[str, list[tuple[Span, str]]] = {}  # article -> (its span, partner)
        for alignment in alignments:
            a, b = alignment.a_id, alignment.b_id
            self._unmatched[(a, b)] = [_span(s) for s in alignment.unmatched_a]
            self._unmatched[(b, a)] = [_span(s) for s in alignment.unmatched_b]
            for passage in alignment.passages:
                self._matched.setdefault(a, []).append((_span(passage.a), b))
                self._matched.setdefault(b, []).append((_span(passage.b), a))
        self._coverage: dict[str, _Coverage] = {}

    def own(self, article: str, partner: str) -> OwnMaterial | None:
        """`article`'s material that `partner` lacks; None when the pair was not aligned."""
        spans = self._unmatched.get((article, partner))
        if spans is None:
            return None
        coverage = self._coverage.get(article)
        if coverage is None:
            coverage = self._coverage[article] = _Coverage(self._matched.get(article, ()))
        covered = coverage.others_cover(spans, partner)
        chars = echoed = 0
        for (start, end), inside in zip(spans, covered, strict=True):
            length = end - start
            chars += length
            if inside * 2 >= length:
                echoed += length
        return OwnMaterial(chars, echoed / chars if chars else 0.0)


class _Coverage:
    """How many matched spans of one article (with any partner) cover each stretch of its
    text, so that "covered by a partner other than P" is read off counts in one pass a
    question, not by merging every other partner's spans again for each pair of a story
    (which costs the square of the article's partners)."""

    def __init__(self, matched: Iterable[tuple[Span, str]]) -> None:
        self._by_partner: dict[str, list[Span]] = {}
        for span, partner in matched:
            self._by_partner.setdefault(partner, []).append(span)
        every = [span for spans in self._by_partner.values() for span in spans]
        self._bounds = np.unique(np.array([x for span in every for x in span], dtype=np.int64))
        self._total = self._counts(every)

    def _counts(self, spans: Sequence[Span]) -> npt.NDArray[np.int64]:
        """Spans covering each stretch between consecutive bounds (their ends are bounds)."""
        steps = np.zeros(len(self._bounds) + 1, dtype=np.int64)
        for start, end in spans:
            if start < end:
                steps[np.searchsorted(self._bounds, start)] += 1
                steps[np.searchsorted(self._bounds, end)] -= 1
        counts: npt.NDArray[np.int64] = np.cumsum(steps)[:-2] if len(self._bounds) else steps[:0]
        return counts

    def others_cover(self, spans: Sequence[Span], partner: str) -> list[int]:
        """For each span, its characters inside some matched span of a partner other than
        `partner` (the measure of the span's overlap with their union)."""
        if len(self._bounds) < 2:
            return [0] * len(spans)
        others = self._total - self._counts(self._by_partner.get(partner, ()))
        low, high = self._bounds[:-1][others > 0], self._bounds[1:][others > 0]
        return [int(np.clip(np.minimum(high, end) - np.maximum(low, start), 0, None).sum())
                for start, end in spans]


def _span(value: Sequence[int]) -> Span:
    return int(value[0]), int(value[1])
