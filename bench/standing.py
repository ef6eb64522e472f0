"""A link's standing in its story: does B follow A more than it follows the rest of the event?

When every report of one event shares its facts, names and quotations, a pair's derived
probability says "B is like A", not "B follows A's text more than what every report of this
event shares". The standing of a link compares its derived probability with those of the
same two articles' other links in the story: a copy has its source as its best partner by a
clear margin; two reports written from one fact sheet are about as close to every other
report of it as to each other.

Pure: derived probabilities (or any other pair signal) of the story's related pairs in, one
`Standing` per pair out. It lives in bench/ because no runner uses it yet: measured by
bench/story_stage.py (docs/benchmarks.md, "Sixth pass"), not adopted. A pair with no other link on
either side (a story of two articles) has a neutral standing: margins and contrasts 0 and
`background` 0, so that a model over them falls back on the pair's own probability.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass

CLIP = 0.005  # probabilities are read on the logit scale, clipped so that 0 and 1 stay finite


def logit(p: float) -> float:
    p = min(max(p, CLIP), 1.0 - CLIP)
    return math.log(p / (1.0 - p))


@dataclass(frozen=True, slots=True)
class Standing:
    """One pair's derived probability against its two articles' other links (logit scale)."""

    pair_logit: float  # the pair's own derived probability
    margin_max: float  # over the two sides: the pair's logit less the side's best other link
    margin_min: float
    contrast_max: float  # over the two sides: the pair's logit less the side's mean other link
    contrast_min: float
    background: float  # share of the two sides that have another link at all (0, 0.5, 1)

    def as_dict(self) -> dict[str, float]:
        return {"pair_logit": self.pair_logit, "margin_max": self.margin_max,
                "margin_min": self.margin_min, "contrast_max": self.contrast_max,
                "contrast_min": self.contrast_min, "background": self.background}


def standings(links: Mapping[tuple[str, str], float],
              scale: Callable[[float], float] = logit) -> dict[tuple[str, str], Standing]:
    """Each pair's standing among `links` (pair of article ids -> derived probability, the
    story's related pairs; unrelated pairs left out, as reconcile leaves them out), read on
    `scale` (the logit for a probability; pass `float` for a signal such as word_sequence)."""
    around: dict[str, dict[str, float]] = defaultdict(dict)
    for (a, b), p in links.items():
        around[a][b] = around[b][a] = scale(p)
    found = {}
    for (a, b), p in links.items():
        own = scale(p)
        margins, contrasts, sides = [], [], 0
        for side, partner in ((a, b), (b, a)):
            others = [v for other, v in around[side].items() if other != partner]
            sides += bool(others)  # a side with no other link reads as neutral (0)
            margins.append(own - max(others) if others else 0.0)
            contrasts.append(own - sum(others) / len(others) if others else 0.0)
        found[(a, b)] = Standing(own, max(margins), min(margins), max(contrasts),
                                 min(contrasts), sides / 2)
    return found
