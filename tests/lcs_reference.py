"""The textbook longest common subsequence, to check the fast ones against."""

from __future__ import annotations


def textbook_lcs(a: list[int], b: list[int]) -> int:
    """Length of the longest common subsequence of `a` and `b` (the dynamic programme)."""
    row = [0] * (len(b) + 1)
    for x in a:
        previous_diagonal = 0
        for j, y in enumerate(b, 1):
            kept = row[j]
            row[j] = previous_diagonal + 1 if x == y else max(row[j], row[j - 1])
            previous_diagonal = kept
    return row[-1]
