"""Average-linkage agglomerative clustering on a sparse similarity graph.

Pairs with no edge count as similarity 0, so the average similarity of two clusters is the
sum of their edges over the product of their sizes; only clusters joined by an edge are ever
compared. Merging stops when no two clusters average `threshold` or more. Cost grows with the
number of edges, not with the square of the number of articles.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping


def agglomerate(items: Iterable[str], edges: Mapping[tuple[str, str], float],
                threshold: float) -> list[list[str]]:
    """Clusters of `items` (each sorted; the list sorted by first member)."""
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
    while heap:
        negative, x, y = heapq.heappop(heap)
        if -negative < threshold:
            break
        if x not in members or y not in members:
            continue
        current = sums[x].get(y, 0.0) / (len(members[x]) * len(members[y]))
        if abs(current + negative) > 1e-12:
            continue  # stale: one side has grown since this entry was pushed
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
    return sorted((sorted(group) for group in members.values()), key=lambda g: g[0])
