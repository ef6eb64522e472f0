"""Candidate signals that need more than the pair itself, for bench/feature_trials.py only.

`relate` judges a pair alone; these two read the pair's surroundings, to see first whether
they would separate "follows its source's wording" from "follows the same fact sheet" before
any runner is made to compute them:

- *contrast with the story's background*: how much closer the two texts are to each other
  than each is to the other articles of its group (a copy is closer to its source than to the
  rest of the story; two reports written from one fact sheet are about as close to every
  other report of it). In a runner this would be a story-level pass, as reconcile is.
- *rare words outside facts*: the words both texts use that are neither names, numbers,
  quoted words nor function words, each weighted by its inverse document frequency in the
  data set (the collection): the vocabulary a writer chooses, which a fact sheet does not
  dictate. `chosen_words_max/min` is the same without the weights (what a pair alone could
  compute).
"""

from __future__ import annotations

import math
import random
import re
from collections import Counter
from collections.abc import Callable, Sequence

from bench.derivation_data import Example, Loaded, articles_of
from newstrace.stages.reuse.sketch import NAME, NUMBER, QUOTATION
from newstrace.stages.reuse.wording import FUNCTION_WORDS

# The pair scores whose background contrast is tried: how much of each text follows the
# other (sentences matched), how closely (close paraphrases), and in the same word sequence.
CONTRASTED = ("follow_max", "close_follow", "prose_sequence", "matched_sequence_max")
_WORD = re.compile(r"[^\W\d_]{3,}")


def with_contrast(found: Sequence[Example], suffix: str = "",
                  neighbour: Callable[[Example], bool] = lambda _: True,
                  most: int | None = None, seed: int = 0) -> None:
    """Adds `<score>_contrast<suffix>_min/max` to each pair: for each side, the pair's score
    less the mean of that side's score against the group's other members; the smaller and the
    larger of the two sides (0 when the group has no other member). Only the pairs
    `neighbour` admits count as background (a runner sees only the pairs it related), and at
    most `most` other members, drawn at random, when given (a story rarely holds every
    version the corpus writes)."""
    table: dict[tuple[str, str, frozenset[str]], dict[str, float]] = {}
    members: dict[tuple[str, str], set[str]] = {}
    for e in found:
        p = e.pair
        members.setdefault((p.dataset, p.group), set()).update((p.a, p.b))
        if neighbour(e):
            table[(p.dataset, p.group, frozenset((p.a, p.b)))] = e.scores
    rng = random.Random(seed)
    for e in found:
        p = e.pair
        others = sorted(members[(p.dataset, p.group)] - {p.a, p.b})
        if most is not None and len(others) > most:
            others = rng.sample(others, most)
        for name in CONTRASTED:
            sides = []
            for role in (p.a, p.b):
                around = [table[(p.dataset, p.group, frozenset((role, o)))].get(name, 0.0)
                          for o in others
                          if (p.dataset, p.group, frozenset((role, o))) in table]
                background = sum(around) / len(around) if around else e.scores.get(name, 0.0)
                sides.append(e.scores.get(name, 0.0) - background)
            e.scores[f"{name}_contrast{suffix}_min"] = round(min(sides), 4)
            e.scores[f"{name}_contrast{suffix}_max"] = round(max(sides), 4)


def chosen_words(text: str) -> set[str]:
    """The words of `text` outside quotation marks, names and numbers, function words left
    out: what the writer chose to say the facts with."""
    masked = list(text)
    for pattern in (QUOTATION, NAME, NUMBER):
        for match in pattern.finditer(text):
            masked[match.start() : match.end()] = " " * (match.end() - match.start())
    return {w for w in _WORD.findall("".join(masked).lower()) if w not in FUNCTION_WORDS}


def with_rare_words(found: Sequence[Example], loaded: Sequence[Loaded]) -> None:
    """Adds `rare_words_max/min`: of each side's chosen words, weighted by inverse document
    frequency over its data set, the share the other side also uses."""
    words: dict[tuple[str, str, str], set[str]] = {}
    idf: dict[str, dict[str, float]] = {}
    for data in loaded:
        by_key = {key: chosen_words(article.text) for key, article in articles_of(data).items()}
        df = Counter(w for found_words in by_key.values() for w in found_words)
        idf[data.dataset] = {w: math.log(len(by_key) / n) for w, n in df.items()}
        words.update(((data.dataset, g, r), ws) for (g, r), ws in by_key.items())
    for e in found:
        p = e.pair
        a, b = words.get((p.dataset, p.group, p.a)), words.get((p.dataset, p.group, p.b))
        if a is None or b is None:
            for name in ("rare_words", "chosen_words"):
                e.scores[f"{name}_max"] = e.scores[f"{name}_min"] = 0.0
            continue
        weight = idf[p.dataset]
        shared = sum(weight[w] for w in a & b)
        shares = [shared / total if (total := sum(weight[w] for w in side)) else 0.0
                  for side in (a, b)]
        e.scores["rare_words_max"] = round(max(shares), 4)
        e.scores["rare_words_min"] = round(min(shares), 4)
        plain = [len(a & b) / len(side) if side else 0.0 for side in (a, b)]
        e.scores["chosen_words_max"] = round(max(plain), 4)
        e.scores["chosen_words_min"] = round(min(plain), 4)
