"""The side-by-side view's marks: which parts of each text are copied, reworded, left out,
added, or carry an altered fact, cut into flat pieces a template can render.

Marks may overlap (an altered number inside a copied passage; a verbatim passage covering part
of an otherwise unmatched sentence), so each text is cut at every mark boundary and each piece
takes the strongest base kind covering it, plus the `altered` overlay. Pieces of one mark share
its `link`, which both columns carry, so a reader can jump between counterparts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

# Strongest first: a piece inside a copied passage is shown as copied, whatever else covers it.
BASE_KINDS = ("verbatim", "added", "paraphrase", "unmatched")
KIND_LABELS = {
    "verbatim": "copied word for word",
    "paraphrase": "reworded",
    "unmatched": "no counterpart",
    "added": "unsourced addition",
    "altered": "altered fact",
}


@dataclass(frozen=True, slots=True)
class Mark:
    kind: str  # one of BASE_KINDS, or "altered"
    start: int
    end: int
    link: str | None = None  # shared with the counterpart mark in the other column
    number: int | None = None  # the passage number shown to the reader
    note: str | None = None  # a tooltip: what the other side says


@dataclass(slots=True)
class Piece:
    text: str
    kind: str | None  # base kind, None for plain text
    link: str | None = None
    number: int | None = None  # set on the first piece of a numbered mark (a badge)
    anchor: str | None = None  # element id, on the first piece of a linked mark
    altered: str | None = None  # the altered fact's link, when the piece carries one
    notes: list[str] = field(default_factory=list)

    @property
    def classes(self) -> str:
        names = [f"m-{self.kind}"] if self.kind else []
        if self.altered:
            names.append("m-altered")
        return " ".join(names)

    @property
    def title(self) -> str | None:
        return " · ".join(self.notes) or None


def pieces(text: str, marks: Sequence[Mark], side: str) -> list[Piece]:
    """`text` cut at every mark boundary; `side` ("L" or "R") prefixes element ids."""
    size = len(text)
    clipped = [m for m in marks if 0 <= m.start < m.end and m.start < size]
    cuts = sorted({0, size} | {m.start for m in clipped} | {min(m.end, size) for m in clipped})
    found: list[Piece] = []
    anchored: set[str] = set()
    for start, end in pairwise(cuts):
        covering = [m for m in clipped if m.start <= start and min(m.end, size) >= end]
        base = _strongest(covering)
        altered = next((m for m in covering if m.kind == "altered"), None)
        piece = Piece(text[start:end], base.kind if base else None,
                      base.link if base else None)
        notes = [m.note for m in (base, altered) if m is not None and m.note]
        piece.notes = notes
        if altered is not None:
            piece.altered = altered.link
        for mark in (base, altered):
            if mark is not None and mark.link and mark.link not in anchored:
                anchored.add(mark.link)
                if mark is base:
                    piece.anchor = f"{side}-{mark.link}"
                    piece.number = mark.number
                else:
                    piece.anchor = piece.anchor or f"{side}-{mark.link}"
        found.append(piece)
    return found


def _strongest(covering: list[Mark]) -> Mark | None:
    for kind in BASE_KINDS:
        for mark in covering:
            if mark.kind == kind:
                return mark
    return None


def relation_marks(record: Mapping[str, Any], left_is_a: bool) -> tuple[list[Mark], list[Mark]]:
    """Marks from a relation record (stored, or `relation_record`'s shape): passages with
    `a`/`b` spans and `unmatched` spans per side. `left_is_a`: whether the left column is the
    record's `a` side."""
    left_key, right_key = ("a", "b") if left_is_a else ("b", "a")
    left: list[Mark] = []
    right: list[Mark] = []
    ordered = sorted(record.get("passages", []), key=lambda p: (p[left_key][0], p[right_key][0]))
    for number, passage in enumerate(ordered, start=1):
        link = f"p{number}"
        kind = "verbatim" if passage["kind"] == "verbatim" else "paraphrase"
        (left_start, left_end), (right_start, right_end) = passage[left_key], passage[right_key]
        left.append(Mark(kind, left_start, left_end, link=link, number=number))
        right.append(Mark(kind, right_start, right_end, link=link, number=number))
    unmatched = record.get("unmatched", {})
    left += [Mark("unmatched", *span) for span in unmatched.get(left_key, [])]
    right += [Mark("unmatched", *span) for span in unmatched.get(right_key, [])]
    return left, right


def coverage(text: str, cut: Sequence[Piece], kind: str) -> float:
    """Share of `text`'s characters shown as `kind` (after precedence), for the summary bar."""
    return sum(len(p.text) for p in cut if p.kind == kind) / len(text) if text else 0.0
