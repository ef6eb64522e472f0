"""Which sentence model relates a pair: MiniLM, the static model, or a cascade of the two.

`minilm` (the default) aligns every pair on MiniLM's vectors. `static` aligns them on the
static model's (reuse/static_embed.py), its cosines mapped onto MiniLM's scale, and relates
them with a derivation model fitted on such alignments. `cascade` does the same, then sends a
pair to MiniLM, aligned and related again as `minilm` would, only when the static model's
derived probability lies in the undecided band: everywhere else the static verdict stands,
and MiniLM encodes only the articles of undecided pairs. The static model's file
(`derivation_model_static.json`, written by `make train-static`) holds its cosine map, its
derivation model and the band it was fitted with.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from functools import cache
from typing import Literal

from newstrace.errors import NewstraceError
from newstrace.records import Relation
from newstrace.stages.reuse.align import AlignConfig
from newstrace.stages.reuse.derivation import DerivationModel, model_text, shipped_model
from newstrace.stages.reuse.embed import Knots
from newstrace.stages.reuse.relate import RelateConfig

Encoder = Literal["minilm", "static", "cascade"]
ENCODERS: tuple[Encoder, ...] = ("minilm", "static", "cascade")
STATIC_MODEL_FILE = "derivation_model_static.json"


@dataclass(frozen=True, slots=True)
class CascadeConfig:
    """When the static model's verdict is undecided, and the pair goes to MiniLM: its
    derived probability lies in [low, high], or it is `unrelated` with the names and numbers
    of the same event (anchor overlap at least `gate_anchors`) and a text similarity of at
    least `gate_similarity`, short of the related gate's 0.6 (the static model's mapped
    similarities run lower than MiniLM's on independent reports of one event).

    Fitted by `make train-static` (bench/train_static.py, bench/cascade_band.py): the
    cheapest setting whose reconciled verdicts keep derived F1 and label accuracy within
    0.005 of MiniLM's, chosen by nested leave-group-out CV over the 345 corpus groups +
    spread-dev + wild-dev (figures in docs/benchmarks.md, "Issue 21 item 5")."""

    # `make train-static` 2026-12-07 13:21 UTC (the code of be09b13): 10 folds chose [0.3, 0.4]
    # x8, [0.3, 0.5] x2, gate 0.5 x9, 0.45 x1; nested CV derived recall 0.897, precision
    # 0.879, label accuracy 0.893 (MiniLM 0.919 / 0.865 / 0.897), 7% of pairs sent.
    # Refitted 2026-12-07 17:31 UTC on 549 groups (529 corpus groups with the third writing
    # round): all groups chose [0.3, 0.4] and gate 0.5 again (folds: [0.3, 0.4] x8, [0.25,
    # 0.3] x2); nested CV 0.871 / 0.860 / 0.892 (MiniLM 0.887 / 0.850 / 0.894), 5.6% sent.
    low: float = 0.3
    high: float = 0.4
    gate_similarity: float = 0.5
    gate_anchors: float = 0.2  # RelateConfig.related_anchors: the gate's own, not fitted here

    def undecided(self, relation: Relation) -> bool:
        """Whether the static verdict `relation` is left to MiniLM. A duplicate is one by
        definition (verbatim coverage), whatever the sentence model."""
        scores = relation.scores
        if relation.relation == "duplicate":
            return False
        if relation.relation == "unrelated" and (
                scores.get("anchor_overlap", 0.0) >= self.gate_anchors
                and scores.get("text_similarity", 0.0) >= self.gate_similarity):
            return True
        probability = scores.get("derived_probability")
        return probability is not None and self.low <= probability <= self.high


@cache
def static_cosine_map() -> Knots:
    """Knots (static cosine, MiniLM cosine) of the fitted map between their scales."""
    try:
        knots = json.loads(model_text(STATIC_MODEL_FILE))["cosine_map"]
        return tuple((float(x), float(y)) for x, y in knots)
    except (KeyError, ValueError, TypeError) as error:
        raise NewstraceError(f"{STATIC_MODEL_FILE} has no valid cosine map ({error}); refit "
                             "it with `make train-static`") from error


def vector_scale(encoder: str) -> Knots:
    """The map onto MiniLM's scale (where every threshold was set) of the cosines of the
    vectors pairs are first related on under the `encoder` setting: the static model's map
    under `static` and `cascade`, empty under `minilm`."""
    return () if encoder == "minilm" else static_cosine_map()


def static_model() -> DerivationModel:
    return shipped_model("paraphrase", STATIC_MODEL_FILE)


def static_align(config: AlignConfig) -> AlignConfig:
    """`config` for aligning on the static model's vectors."""
    return replace(config, cosine_map=static_cosine_map())


def static_relate(config: RelateConfig) -> RelateConfig:
    """`config` relating with the derivation model fitted on static alignments."""
    return replace(config, paraphrase_model=static_model())
