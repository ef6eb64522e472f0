"""Character spans of a text, (start, end): merged into a sorted union, and measured against
one another."""

from __future__ import annotations

from collections.abc import Iterable

Span = tuple[int, int]


def merged(spans: Iterable[Span]) -> list[Span]:
    """The union of `spans`, sorted and without overlaps."""
    union: list[list[int]] = []
    for start, end in sorted(spans):
        if union and start <= union[-1][1]:
            union[-1][1] = max(union[-1][1], end)
        else:
            union.append([start, end])
    return [(start, end) for start, end in union]


def overlap(first: list[Span], second: list[Span]) -> int:
    """How many characters of `first` lie inside `second` (both merged: sorted, disjoint)."""
    total, j = 0, 0
    for start, end in first:
        while j < len(second) and second[j][1] <= start:
            j += 1
        k = j
        while k < len(second) and second[k][0] < end:
            total += max(0, min(end, second[k][1]) - max(start, second[k][0]))
            k += 1
    return total
