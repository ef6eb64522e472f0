"""Stage 4, relate: name the relation an alignment shows, and which side is the source.

Verbatim cases are rules on coverage: `duplicate` when both texts are (nearly) all one
passage, `excerpt` when one is largely a verbatim part of the other. A `spin` is a
sentence-by-sentence paraphrase: both sides covered, the order kept. What remains, texts
sharing some sentences' content, is either a `rewrite` (derived, but condensed, reordered or
extended) or an `independent` report of the same event; a logistic model over the
derivation signals decides, with weights fitted on development data (`python -m bench.run
--fit`; see docs/benchmarks.md). Too little shared content is `unrelated`. Each pair is
judged alone here; reconcile (stage 4b) revisits the verdicts in the light of the pairs
around them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from newstrace.records import DERIVED, Alignment, Article, Relation
from newstrace.stages.clean.cues import outlet_key

RELATIONS = ("duplicate", "excerpt", "spin", "rewrite", "independent", "unrelated")


@dataclass(frozen=True, slots=True)
class DerivationModel:
    """Logistic weights over alignment scores; `probability` > 0.5 says derived."""

    weights: dict[str, float]
    bias: float

    def probability(self, scores: dict[str, float]) -> float:
        z = self.bias + sum(w * scores.get(name, 0.0) for name, w in self.weights.items())
        return 1.0 / (1.0 + math.exp(-z))


# Fitted on the same-group pairs of spread-dev (`python -m bench.spread --fit`, 2026-11-23,
# after order and split matches became symmetric): one model for alignments with paraphrase
# evidence, one for verbatim-only alignments. Refit without each group in turn and scored on
# it, reconciled (bench/spread.py): derived precision 0.974, recall 0.925 with paraphrase
# evidence; 0.947 and 0.900 without.
PARAPHRASE_MODEL = DerivationModel(
    {"word_sequence": 8.77, "order": 3.66, "coverage_max": 3.13}, -10.27)
LEXICAL_MODEL = DerivationModel({"word_sequence": 11.38, "trigram_containment": 2.03}, -7.03)


@dataclass(frozen=True, slots=True)
class RelateConfig:
    duplicate_coverage: float = 0.90  # verbatim coverage of both sides
    excerpt_coverage: float = 0.80  # verbatim coverage of the part
    derived_verbatim: float = 0.50  # verbatim coverage of one side that shows derivation...
    derived_order: float = 0.80  # ...when the shared passages keep their order (texts built
    # from the same stock sentences share many passages, in any order)
    spin_coverage: float = 0.70  # paraphrase coverage of both sides
    spin_order: float = 0.85
    related_coverage: float = 0.15  # sentence coverage of one side: clearly the same story
    related_verbatim: float = 0.05  # verbatim coverage of one side (a shared boilerplate
    # sentence or two is less)
    related_similarity: float = 0.6  # mean-vector cosine, with...
    related_anchors: float = 0.2  # ...this share of names and numbers in common (0.3 alone,
    # without vectors): the same event, not merely the same kind of event
    paraphrase_model: DerivationModel = field(default_factory=lambda: PARAPHRASE_MODEL)
    lexical_model: DerivationModel = field(default_factory=lambda: LEXICAL_MODEL)


def relate(alignment: Alignment, a: Article, b: Article,
           config: RelateConfig | None = None) -> Relation:
    config = config or RelateConfig()
    scores = dict(alignment.scores)
    scores["verbatim_max"] = max(scores["verbatim_a"], scores["verbatim_b"])
    scores["coverage_max"] = max(scores["coverage_a"], scores["coverage_b"])
    label, confidence = _label(alignment, scores, config)
    scores["derived_probability"] = round(_model(alignment, config).probability(scores), 4)
    source, reason = likely_source(label, a, b, scores)
    return Relation(a.id, b.id, label, source, round(confidence, 3), scores, reason)


def _model(alignment: Alignment, config: RelateConfig) -> DerivationModel:
    return config.paraphrase_model if alignment.paraphrase else config.lexical_model


def _label(alignment: Alignment, scores: dict[str, float],
           config: RelateConfig) -> tuple[str, float]:
    verbatim_a, verbatim_b = scores["verbatim_a"], scores["verbatim_b"]
    if min(verbatim_a, verbatim_b) >= config.duplicate_coverage:
        return "duplicate", min(verbatim_a, verbatim_b)
    if scores["verbatim_max"] >= config.excerpt_coverage:
        return "excerpt", scores["verbatim_max"]
    if (alignment.paraphrase and min(scores["coverage_a"], scores["coverage_b"])
            >= config.spin_coverage and scores["order"] >= config.spin_order):
        return "spin", paraphrase_confidence("spin", scores)
    anchors = config.related_anchors if alignment.paraphrase else 1.5 * config.related_anchors
    related = (scores["coverage_max"] >= config.related_coverage
               or scores["verbatim_max"] >= config.related_verbatim
               or (scores["anchor_overlap"] >= anchors
                   and (not alignment.paraphrase
                        or scores["text_similarity"] >= config.related_similarity)))
    if not related:
        return "unrelated", 1.0 - scores["coverage_max"]
    if (scores["verbatim_max"] >= config.derived_verbatim
            and scores["order"] >= config.derived_order):
        return "rewrite", scores["verbatim_max"]
    probability = _model(alignment, config).probability(scores)
    if probability > 0.5:
        return "rewrite", probability
    return "independent", 1.0 - probability


def paraphrase_confidence(label: str, scores: dict[str, float]) -> float:
    """The confidence of a `spin` (how fully and in order each side is covered) or of a
    `rewrite` the model decided (its derived probability)."""
    if label == "spin":
        return min(scores["coverage_a"], scores["coverage_b"], scores["order"])
    return scores.get("derived_probability", 0.5)


def likely_source(label: str, a: Article, b: Article,
                  scores: dict[str, float]) -> tuple[str | None, str | None]:
    """Which side came first, and the evidence: a credit, dates, or containment (none for a
    pair that is not derived)."""
    if label not in DERIVED:
        return None, None
    if credits(a, b):
        return b.id, "credit"
    if credits(b, a):
        return a.id, "credit"
    if a.published and b.published and a.published != b.published:
        # ISO 8601 strings sort by time; a date without a time is only comparable by day.
        timed = len(a.published) > 10 and len(b.published) > 10
        if timed or a.published[:10] != b.published[:10]:
            return (a.id, "date") if a.published < b.published else (b.id, "date")
    if label == "excerpt":
        # The part is the excerpt; the whole it was taken from is the source.
        return (b.id, "containment") if scores["verbatim_a"] > scores["verbatim_b"] else (
            a.id, "containment")
    return None, None


def credits(copy: Article, source: Article) -> bool:
    """Whether `copy` carries a cue naming `source`'s outlet or site.

    A cue naming the copy's own outlet (an agency's dateline on its own story) credits
    nobody; the source's canonical link is not its identity (a syndicated copy's points at
    the original)."""
    names = {outlet_key(source.outlet), outlet_key(source.url)}
    own = {outlet_key(copy.outlet), outlet_key(copy.url)}
    names.discard(None)
    names -= own
    return any(outlet_key(cue.outlet) in names or outlet_key(cue.url) in names
               for cue in copy.cues)


def relation_record(relation: Relation, alignment: Alignment) -> dict[str, Any]:
    """The JSON form of a relation with its alignment (`compare --json`, the web API)."""
    return {
        "a": relation.a, "b": relation.b, "relation": relation.relation,
        "source": relation.source, "source_reason": relation.source_reason,
        "confidence": relation.confidence, "scores": relation.scores,
        "pairwise": relation.pairwise, "explained_by": relation.explained_by,
        "passages": [passage.as_dict() for passage in alignment.passages],
        "unmatched": {"a": [list(s) for s in alignment.unmatched_a],
                      "b": [list(s) for s in alignment.unmatched_b]},
        "paraphrase_detection": alignment.paraphrase,
    }
