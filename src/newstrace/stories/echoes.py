"""Which parts of each member of a story the other members share, read from the stored
alignments of their relations (no new alignment).

For a derived pair where each side has material the other lacks (a condensed rewrite that
also adds sentences), the side whose own material the rest of the story echoes is likelier
the earlier text: what it has beyond its partner came from the common source, which other
outlets also used, while a derivative's additions are its own. This fails when a third
member copied the derivative, so it is weak evidence.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class OwnMaterial:
    """What one side of a pair has that the other lacks, and how much of it others share."""

    chars: int
    echoed: float  # share of `chars` that some other member of the story also has


class Echoes:
    def __init__(self, relations: Iterable[Mapping[str, Any]]) -> None:
        self._unmatched: dict[tuple[str, str], list[Span]] = {}
        self._matched: dict[str, list[tuple[Span, str]]] = {}  # article -> (its span, partner)
        for row in relations:
            a, b = row["a"], row["b"]
            unmatched = row.get("unmatched") or {}
            self._unmatched[(a, b)] = [_span(s) for s in unmatched.get("a", ())]
            self._unmatched[(b, a)] = [_span(s) for s in unmatched.get("b", ())]
            for passage in row.get("passages") or ():
                self._matched.setdefault(a, []).append((_span(passage["a"]), b))
                self._matched.setdefault(b, []).append((_span(passage["b"]), a))

    def own(self, article: str, partner: str) -> OwnMaterial | None:
        """`article`'s material that `partner` lacks; None when the pair was not aligned."""
        spans = self._unmatched.get((article, partner))
        if spans is None:
            return None
        others = [span for span, other in self._matched.get(article, ()) if other != partner]
        merged = _merge(others)
        starts = [start for start, _ in merged]
        chars = echoed = 0
        for span in spans:
            length = span[1] - span[0]
            chars += length
            if _covered(span, merged, starts) * 2 >= length:
                echoed += length
        return OwnMaterial(chars, echoed / chars if chars else 0.0)


def _span(value: Sequence[int]) -> Span:
    return int(value[0]), int(value[1])


def _merge(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _covered(span: Span, merged: list[Span], starts: list[int]) -> int:
    """How many characters of `span` the merged, sorted spans cover."""
    total = 0
    index = max(bisect_right(starts, span[0]) - 1, 0)
    while index < len(merged) and merged[index][0] < span[1]:
        start, end = merged[index]
        total += max(0, min(end, span[1]) - max(start, span[0]))
        index += 1
    return total
