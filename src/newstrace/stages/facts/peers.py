"""Which versions of a story the facts stage compares with which, so that a story's cost is
flat per version however many versions it has.

Conflicts and altered quotations link claims of two versions at a time. Over all pairs, a
story of 400 versions costs about 2,500 times one of 8 (profile in docs/benchmarks.md,
"Facts: a bound per version"). A version is compared instead with its `PEER_WINDOW`
neighbours on each side in publication order (the versions a reader meets around it, which
copy or answer one another), and always with the versions a derivation edge of the trace
joins it to (its sources and its copies). A story of at most `PEER_WINDOW + 1` versions
compares everyone with everyone, as before: its findings are those of all pairs, byte for
byte. Additions, altered facts and single-source claims are not bounded (they are looked
up by key in the whole story: story_words.py, compare.SameValue).

What a larger story may lose: a conflict or a reworded quotation told only by versions more
than `PEER_WINDOW` apart with no version between them giving either value next to one giving
the other; and, where it is found, the articles listed under each value are those linked
through neighbours, not every version giving it (identical versions are grouped through the
versions they were compared with). On the pile's stories of 144-388 versions the findings
with the bound are compared with those of all pairs in docs/benchmarks.md.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from newstrace.records import Article, Edge

# Neighbours on each side in publication order a version is compared with (besides the
# versions its derivation edges join it to). A design constant, not fitted: every story of
# spread-dev and wild-dev (at most 6 versions) is below it, so their findings cannot move
# (checked: the same digest of every story's facts before and after); on the pile's
# stories of 144, 238 and 388 versions it was checked against all pairs at 8, 16 and 32
# (`python -m bench.facts_bound`, docs/benchmarks.md, "Facts: a bound per version"): the
# same counts of every finding at 16 and 32, one conflict fewer at 8; on the whole pile at
# 10,000 (41 stories above 17 versions), 3,803 conflicts at 16 against 3,814 over all pairs,
# 41 against 27 in its 2,584-version story. 16 keeps the pairs a version is compared in at
# about those of a story of 33.
PEER_WINDOW = 16


@dataclass(frozen=True, slots=True)
class Peers:
    """The versions each version of a story is compared with. `near` is None when the story
    is small enough for every pair to be compared."""

    near: Mapping[str, frozenset[str]] | None = None

    def compared(self, a: str, b: str) -> bool:
        """Whether versions `a` and `b` are compared."""
        return self.near is None or b in self.near.get(a, frozenset())


EVERYONE = Peers()


def story_peers(members: Sequence[str], articles: Mapping[str, Article], edges: Sequence[Edge],
                window: int = PEER_WINDOW) -> Peers:
    """Each member's neighbours: `window` on each side in publication order (then id), and
    the members a directed edge joins it to."""
    if len(members) <= window + 1:
        return EVERYONE
    order = sorted(members, key=lambda m: (articles[m].published or "", m))
    near: dict[str, set[str]] = {}
    for position, member in enumerate(order):
        near[member] = set(order[max(0, position - window):position + window + 1])
        near[member].discard(member)
    for edge in edges:
        if edge.directed and edge.source in near and edge.target in near:
            near[edge.source].add(edge.target)
            near[edge.target].add(edge.source)
    return Peers({member: frozenset(found) for member, found in near.items()})
