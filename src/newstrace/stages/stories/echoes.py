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

from newstrace.records import Alignment
from newstrace.spans import Span, merged, overlap


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

    def own(self, article: str, partner: str) -> OwnMaterial | None:
        """`article`'s material that `partner` lacks; None when the pair was not aligned."""
        spans = self._unmatched.get((article, partner))
        if spans is None:
            return None
        others = merged(span for span, other in self._matched.get(article, ())
                        if other != partner)
        chars = echoed = 0
        for span in spans:
            length = span[1] - span[0]
            chars += length
            if overlap([span], others) * 2 >= length:
                echoed += length
        return OwnMaterial(chars, echoed / chars if chars else 0.0)


def _span(value: Sequence[int]) -> Span:
    return int(value[0]), int(value[1])
