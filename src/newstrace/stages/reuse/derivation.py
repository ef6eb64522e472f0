"""The derivation model: one multinomial logistic regression over the derivation signals.

Its coefficients live beside this module in `derivation_model.json`, written by `make train`
(bench/train_derivation.py), which also records what they were fitted on: the data sets,
the command, the date and the cross-validated figures. Prediction is plain numpy, so the
fitting library (scikit-learn, in the `bench` extra) is not needed at run time.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from newstrace.errors import NewstraceError

MODEL_FILE = "derivation_model.json"


@dataclass(frozen=True, slots=True)
class DerivationModel:
    """Standardised features, one row of weights per label; softmax gives each label's
    probability."""

    features: tuple[str, ...]
    labels: tuple[str, ...]
    means: tuple[float, ...]
    scales: tuple[float, ...]
    weights: tuple[tuple[float, ...], ...]  # one row per label
    intercepts: tuple[float, ...]

    def probabilities(self, scores: dict[str, float]) -> dict[str, float]:
        x = [(scores.get(name, 0.0) - mean) / scale
             for name, mean, scale in zip(self.features, self.means, self.scales, strict=True)]
        logits = [bias + sum(w * v for w, v in zip(row, x, strict=True))
                  for row, bias in zip(self.weights, self.intercepts, strict=True)]
        top = max(logits)
        exps = [math.exp(z - top) for z in logits]
        total = sum(exps)
        return {label: e / total for label, e in zip(self.labels, exps, strict=True)}

    def as_dict(self) -> dict[str, Any]:
        return {"features": list(self.features), "labels": list(self.labels),
                "means": list(self.means), "scales": list(self.scales),
                "weights": [list(row) for row in self.weights],
                "intercepts": list(self.intercepts)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DerivationModel:
        model = cls(tuple(data["features"]), tuple(data["labels"]),
                    tuple(float(v) for v in data["means"]),
                    tuple(float(v) for v in data["scales"]),
                    tuple(tuple(float(v) for v in row) for row in data["weights"]),
                    tuple(float(v) for v in data["intercepts"]))
        if (len(model.weights) != len(model.labels) or len(model.means) != len(model.features)
                or any(len(row) != len(model.features) for row in model.weights)):
            raise NewstraceError(f"{MODEL_FILE}: the model's shapes do not agree; "
                                 "refit it with `make train`")
        return model


@cache
def model_text(file: str = MODEL_FILE) -> str:
    """The text of a model file shipped beside this module."""
    try:
        return resources.files("newstrace.stages.reuse").joinpath(file).read_text(
            encoding="utf-8")
    except FileNotFoundError as error:
        raise NewstraceError(f"{file} is missing from the installed package; reinstall "
                             "newstrace or refit it with `make train`") from error


def model_digest(file: str = MODEL_FILE) -> str:
    """A digest of a shipped model file: it changes whenever the models are refitted."""
    return hashlib.sha256(model_text(file).encode("utf-8")).hexdigest()[:16]


@cache
def shipped_model(kind: str, file: str = MODEL_FILE) -> DerivationModel:
    """The fitted model for `kind`: "paraphrase" (sentence vectors available) or "lexical"
    (verbatim evidence only), from `file` (the MiniLM models by default). Read once; the
    models are immutable."""
    try:
        return DerivationModel.from_dict(json.loads(model_text(file))["models"][kind])
    except (KeyError, ValueError) as error:
        raise NewstraceError(f"{file} has no valid {kind!r} model ({error}); "
                             "refit it with `make train`") from error
