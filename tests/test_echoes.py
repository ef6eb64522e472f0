"""Echoes: each side's own material and how much of it the rest of the story shares, read
from counts of covering spans; checked against the plain definition (merge every other
partner's spans, measure the overlap) on random stories."""

from __future__ import annotations

import random

from newstrace.records import AlignedPassage, Alignment
from newstrace.spans import Span, merged, overlap
from newstrace.stages.stories.echoes import Echoes, OwnMaterial


def _defined(alignments: list[Alignment], article: str, partner: str) -> OwnMaterial | None:
    """`Echoes.own` as defined: the other partners' matched spans merged, each own span
    echoed when at least half of it lies inside them."""
    unmatched: dict[tuple[str, str], list[Span]] = {}
    matched: dict[str, list[tuple[Span, str]]] = {}
    for al in alignments:
        unmatched[(al.a_id, al.b_id)] = list(al.unmatched_a)
        unmatched[(al.b_id, al.a_id)] = list(al.unmatched_b)
        for p in al.passages:
            matched.setdefault(al.a_id, []).append((p.a, al.b_id))
            matched.setdefault(al.b_id, []).append((p.b, al.a_id))
    spans = unmatched.get((article, partner))
    if spans is None:
        return None
    others = merged(span for span, other in matched.get(article, ()) if other != partner)
    chars = echoed = 0
    for span in spans:
        length = span[1] - span[0]
        chars += length
        if overlap([span], others) * 2 >= length:
            echoed += length
    return OwnMaterial(chars, echoed / chars if chars else 0.0)


def _spans(rng: random.Random, count: int) -> list[Span]:
    found = []
    for _ in range(count):
        start = rng.randrange(0, 400)
        found.append((start, start + rng.randrange(0, 80)))  # empty spans too
    return found


def _story(rng: random.Random, size: int) -> list[Alignment]:
    ids = [f"m{k}" for k in range(size)]
    alignments = []
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            if rng.random() < 0.6:
                passages = [AlignedPassage("verbatim", x, y, 1.0) for x, y in
                            zip(_spans(rng, 4), _spans(rng, 4), strict=True)]
                alignments.append(Alignment(a, b, rng.sample(passages, rng.randrange(5)),
                                            _spans(rng, 3), _spans(rng, 3), {}, False))
    return alignments


def test_own_material_equals_its_definition_on_random_stories() -> None:
    rng = random.Random(21)
    for _ in range(60):
        alignments = _story(rng, rng.randrange(2, 9))
        echoes = Echoes(alignments)
        ids = {x for al in alignments for x in (al.a_id, al.b_id)} | {"absent"}
        for article in sorted(ids):
            for partner in sorted(ids - {article}):
                assert echoes.own(article, partner) == _defined(alignments, article, partner)


def test_what_a_third_member_shares_is_echoed() -> None:
    """base's 600-1000, which the rewrite lacks, the spin has: echoed. The rewrite's own
    500-900 nobody else has."""
    alignments = [
        Alignment("base", "rewrite", [AlignedPassage("verbatim", (0, 600), (0, 500), 1.0)],
                  [(600, 1000)], [(500, 900)], {}, False),
        Alignment("base", "spin", [AlignedPassage("paraphrase", (550, 1000), (0, 400), 0.9)],
                  [(0, 550)], [], {}, False)]
    echoes = Echoes(alignments)
    assert echoes.own("base", "rewrite") == OwnMaterial(400, 1.0)
    assert echoes.own("base", "spin") == OwnMaterial(550, 1.0)  # the rewrite has 0-600
    assert echoes.own("rewrite", "base") == OwnMaterial(400, 0.0)
    assert echoes.own("rewrite", "spin") is None
