"""Connected components of a graph held as a distributed edge list (ids never collected to
the driver): each node takes the smallest label among itself and its neighbours, repeated
until no label changes (as many rounds as the longest shortest path, a few for stories)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark import RDD


def components(edges: RDD[tuple[str, str]]) -> RDD[tuple[str, str]]:
    """(node, component) for every node on an edge; the component is its smallest node."""
    both = edges.flatMap(lambda e: [(e[0], e[1]), (e[1], e[0])]).distinct().cache()
    labels = both.map(lambda e: (e[0], min(e))).reduceByKey(min).cache()
    while True:
        offered = both.join(labels).map(lambda x: (x[1][0], x[1][1]))
        updated = labels.union(offered).reduceByKey(min).cache()
        changed = updated.join(labels).filter(lambda x: x[1][0] != x[1][1]).count()
        labels.unpersist()
        labels = updated
        if not changed:
            both.unpersist()
            return labels
