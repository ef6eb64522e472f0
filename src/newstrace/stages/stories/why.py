"""Why two articles are in one story, or in two: the decision clustering made, explained.

Clustering joins stories by average linkage over the pairs' edges (`cluster.py`): the names'
cosine of the pairs sharing a rare name (the candidates), times the conflict factor of their
dates, counts, places and numbered names, raised or cut by reuse verdicts, and copies always
together. This module recomputes a pair's part of that
from the same inputs and says, in words and numbers, which evidence joined or kept the two
apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from newstrace.records import Article, Related
from newstrace.stages.stories.cluster import (
    ClusterConfig,
    copy_pairs,
    relation_overrides,
    story_vectors,
    unvetoed,
)
from newstrace.stages.stories.events import Terms, cosine
from newstrace.stages.stories.evidence import article_evidence, pair_evidence


@dataclass(frozen=True, slots=True)
class PairInputs:
    """What clustering read about a pair: both articles, their event terms with the
    collection's document frequencies, their reuse verdict, and the stories they are in."""

    a: Article
    b: Article
    terms: Mapping[str, Terms]
    df: Mapping[int, int]
    total: int
    verdict: Related | None
    stories: tuple[str | None, str | None]


def explain_pair(inputs: PairInputs, config: ClusterConfig | None = None) -> dict[str, Any]:
    """The pair's edge as clustering weighs it, the evidence behind it, and the reasons."""
    config = config or ClusterConfig()
    a, b = inputs.a, inputs.b
    vectors = story_vectors(inputs.terms, inputs.df, inputs.total, config)
    shared = set(inputs.terms.get(a.id, {})) & set(inputs.terms.get(b.id, {}))
    candidate = any(1 < inputs.df.get(term, 0) <= config.max_term_articles for term in shared)
    similarity = cosine(vectors.get(a.id, {}), vectors.get(b.id, {})) if candidate else 0.0
    first, second = article_evidence(a), article_evidence(b)
    factor = config.penalty.factor(first.facts, second.facts)
    edge = similarity * factor
    verdicts = [inputs.verdict] if inputs.verdict else []
    called_copy = bool(copy_pairs(verdicts, config))
    copied = called_copy and bool(unvetoed([(a.id, b.id)], {a.id: first.facts,
                                                            b.id: second.facts},
                                           config.penalty))
    override = relation_overrides(verdicts, config).get((min(a.id, b.id), max(a.id, b.id)))
    if override is not None:
        edge = max(edge, override) if override else 0.0
    same = inputs.stories[0] is not None and inputs.stories[0] == inputs.stories[1]
    evidence = pair_evidence(first, second)
    record = {
        "a": a.id, "b": b.id, "stories": list(inputs.stories), "same_story": same,
        "similarity": round(similarity, 4), "conflict_factor": factor,
        "edge": round(edge, 4), "threshold": config.threshold,
        "relation": inputs.verdict[0].relation if inputs.verdict else None,
        "evidence": evidence,
    }
    reasons = _reasons(record, copied, override)
    if called_copy and not copied:
        reasons.insert(-1, f"reuse detection calls them a {record['relation']}, but their "
                       "places part even copies: one template, two events")
    record["reasons"] = reasons
    return record


def _reasons(record: Mapping[str, Any], copied: bool, override: float | None) -> list[str]:
    reasons = []
    shared = record["evidence"]["shared"]
    told = "; ".join(f"{kind}: {', '.join(values[:8])}" for kind, values in shared.items()
                     if values)
    reasons.append(f"they share {told}" if told else "they share no name, date or count")
    for conflict in record["evidence"]["conflicts"]:
        if conflict["kind"] == "dates":
            reasons.append(f"their dates conflict: {', '.join(conflict['a'])} against "
                           f"{', '.join(conflict['b'])}")
        elif conflict["kind"] == "event day":
            reasons.append(f"their events fall on {conflict['a']} against {conflict['b']}, "
                           "and neither names the other's day")
        elif conflict["kind"] == "place":
            reasons.append(f"their events are in {', '.join(conflict['a'])} against "
                           f"{', '.join(conflict['b'])}, and neither names the other's place")
        elif conflict["kind"] == "version":
            reasons.append(f"they name {conflict['what']} {', '.join(conflict['a'])} against "
                           f"{conflict['what']} {', '.join(conflict['b'])}: two of a series")
        else:
            reasons.append(f"their counts of {conflict['what']} differ: "
                           f"{_values(conflict['a'])} against {_values(conflict['b'])}")
    if record["conflict_factor"] != 1.0:
        reasons.append(f"so their similarity is multiplied by {record['conflict_factor']:.2f}")
    similarity, edge, threshold = record["similarity"], record["edge"], record["threshold"]
    reasons.append(f"the rarity-weighted cosine of their names, numbers and quotations is "
                   f"{similarity:.2f}; stories join at an average of {threshold:.2f}")
    if copied:
        reasons.append(f"reuse detection calls them a {record['relation']}: copies are "
                       "always one story")
    elif override == 0.0:
        reasons.append("reuse detection found them unrelated, with little text in common: "
                       "their link is cut")
    elif override:
        reasons.append(f"reuse detection found two independent reports sharing most names "
                       f"and wording: their link is at least {override:.2f}")
    if None in record["stories"]:
        reasons.append("one of them is in no story yet (run `newstrace stories --update`)")
    elif record["same_story"] and not copied:
        reasons.append("one story: " + ("their link reaches the threshold" if edge >= threshold
                                        else "each is linked closely enough to the story's "
                                        "other members, though not to each other"))
    elif not record["same_story"]:
        reasons.append("two stories: " + ("their link is under the threshold"
                                          if edge < threshold else
                                          "their link reaches the threshold, but the average "
                                          "over both stories' members does not"))
    return reasons


def _values(values: list[float | int]) -> str:
    return " / ".join(str(v) for v in values)
