"""Average-linkage agglomerative clustering on a sparse similarity graph.

Pairs with no edge count as similarity 0, so the average similarity of two clusters is the
sum of their edges over the product of their sizes; only clusters joined by an edge are ever
compared. Merging stops when no two clusters average `threshold` or more. Cost grows with the
number of edges, not with the square of the number of articles.

Average linkage never merges at a higher similarity than the merge before (a merged cluster's
average to a third is a weighted mean of its parts' averages, each at most the last merge's),
so the clusters at any threshold are the first merges of `merges` down to it: one run gives
the clustering at every threshold (what fitting the threshold needs).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping, Sequence

Merge = tuple[float, str, str]  # the two clusters' average similarity; the first absorbs the second


def agglomerate(items: Iterable[str], edges: Mapping[tuple[str, str], float],
                threshold: float) -> list[list[str]]:
    """Clusters of `items` (each sorted; the list sorted by first member)."""
    members = list(items)
    return groups_after(members, merges(members, edges, threshold))


def merges(items: Iterable[str], edges: Mapping[tuple[str, str], float],
           threshold: float) -> list[Merge]:
    """The merges of average linkage down to `threshold`, in order (similarity falling); each
    cluster is named by one of its items."""
    members: dict[str, list[str]] = {item: [item] for item in items}
    sums: dict[str, dict[str, float]] = {cluster: {} for cluster in members}
    for (a, b), similarity in edges.items():
        if a in members and b in members and a != b and similarity > 0:
            sums[a][b] = sums[a].get(b, 0.0) + similarity
            sums[b][a] = sums[b].get(a, 0.0) + similarity
    heap: list[tuple[float, str, str]] = []
    for x, neighbours in sums.items():
        for y, total in neighbours.items():
            if x < y:
                heapq.heappush(heap, (-total / (len(members[x]) * len(members[y])), x, y))
    done: list[Merge] = []
    while heap:
        negative, x, y = heapq.heappop(heap)
        if -negative < threshold:
            break
        if x not in members or y not in members:
            continue
        current = sums[x].get(y, 0.0) / (len(members[x]) * len(members[y]))
        if abs(current + negative) > 1e-12:
            continue  # stale: one side has grown since this entry was pushed
        done.append((current, x, y))
        members[x].extend(members.pop(y))
        neighbours_y = sums.pop(y)
        neighbours_y.pop(x, None)
        sums[x].pop(y, None)
        for z, total in neighbours_y.items():
            sums[z].pop(y, None)
            sums[x][z] = sums[x].get(z, 0.0) + total
            sums[z][x] = sums[x][z]
        for z, total in sums[x].items():
            heapq.heappush(heap, (-total / (len(members[x]) * len(members[z])),
                                  min(x, z), max(x, z)))
    return done


def groups_after(items: Iterable[str], done: Sequence[Merge]) -> list[list[str]]:
    """The clusters of `items` after the merges `done` (each sorted; the list sorted by first
    member)."""
    members: dict[str, list[str]] = {item: [item] for item in items}
    for _, x, y in done:
        members[x].extend(members.pop(y))
    return sorted((sorted(group) for group in members.values()), key=lambda g: g[0])
