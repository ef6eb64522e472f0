"""Connected components of a graph held as a distributed edge list (ids never collected to
the driver): each node takes the smallest label among itself and its neighbours, repeated
until no label changes (as many rounds as the longest shortest path, a few for stories).

The adjacency and the labels are partitioned alike, so joining them moves nothing: a round
shuffles only the labels offered to neighbours, and one action a round counts the changes."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark import RDD

State = tuple[str, bool]  # (label, whether it changed in the last round)


def components(edges: RDD[tuple[str, str]]) -> RDD[tuple[str, str]]:
    """(node, component) for every node on an edge; the component is its smallest node."""
    parts = max(1, edges.getNumPartitions())
    both = (edges.flatMap(lambda e: [(e[0], e[1]), (e[1], e[0])]).distinct(parts)
            .partitionBy(parts).cache())
    state: RDD[tuple[str, State]] = both.mapPartitions(_own_labels,
                                                       preservesPartitioning=True).cache()
    while True:
        labels = state.mapValues(lambda s: s[0])
        # Each node offers its label to its neighbours; each keeps the smallest offered.
        offered = both.join(labels).map(lambda x: x[1]).reduceByKey(min, parts)
        updated = state.leftOuterJoin(offered).mapValues(_smaller).cache()
        changed = updated.filter(lambda x: x[1][1]).count()
        state.unpersist()
        state = updated
        if not changed:
            both.unpersist()
            return state.mapValues(lambda s: s[0])


def _own_labels(part: Iterable[tuple[str, str]]) -> Iterator[tuple[str, State]]:
    """Each node of the partition labelled by itself (a node's edges share its partition)."""
    for node in dict.fromkeys(node for node, _ in part):
        yield node, (node, True)


def _smaller(pair: tuple[State, str | None]) -> State:
    (own, _), offered = pair
    return (offered, True) if offered is not None and offered < own else (own, False)
