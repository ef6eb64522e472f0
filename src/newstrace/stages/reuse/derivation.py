"""The derivation model: one multinomial logistic regression over the derivation signals,
each signal entering piecewise-linearly.

A signal's effect is rarely a straight line: sharing 5% of prose says little more than 0%, while
40% against 20% says much. So each signal enters as itself plus a hinge `max(0, x - bend)` at
each of its bends (quantiles of its training values), which lets the fit bend the signal's
effect where the data say, and keeps the model a logistic regression with one coefficient per
column. Its coefficients live beside this module in `derivation_model.json`, written by `make train`
(bench/train_derivation.py), which also records what they were fitted on: the data sets,
the command, the date and the cross-validated figures. Prediction is plain numpy, so the
fitting library (scikit-learn, in the `bench` extra) is not needed at run time.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

from newstrace.errors import NewstraceError

MODEL_FILE = "derivation_model.json"


def hinge_columns(values: np.ndarray, bends: tuple[tuple[float, ...], ...]) -> np.ndarray:
    """The model's columns for signal values (rows of one value per signal): each signal, then
    `max(0, value - bend)` for each of its bends (`bends` empty: the signals alone)."""
    values = np.atleast_2d(np.asarray(values, dtype=float))
    # Every hinge at once (one numpy call, not one a signal: relate asks for one pair's row
    # at a time), in the same order: signal by signal, each signal's bends in order.
    signals = [index for index, signal_bends in enumerate(bends) for _ in signal_bends]
    if not signals:
        return np.hstack([values])
    at = np.array([bend for signal_bends in bends for bend in signal_bends], dtype=float)
    return np.hstack([values, np.maximum(0.0, values[:, signals] - at)])


def column_names(features: tuple[str, ...], bends: tuple[tuple[float, ...], ...]) -> list[str]:
    """Names of the model's columns in `hinge_columns` order ("follow_max>0.42" for a hinge)."""
    return list(features) + [f"{name}>{bend:g}" for name, signal_bends in
                             zip(features, bends, strict=True) for bend in signal_bends]


@dataclass(frozen=True, slots=True)
class DerivationModel:
    """Columns (`hinge_columns`) standardised, one row of weights per label; softmax gives each
    label's probability. Without bends every signal enters as a straight line."""

    features: tuple[str, ...]
    labels: tuple[str, ...]
    means: tuple[float, ...]  # one per column
    scales: tuple[float, ...]
    weights: tuple[tuple[float, ...], ...]  # one row per label, one weight per column
    intercepts: tuple[float, ...]
    bends: tuple[tuple[float, ...], ...] = ()  # per signal; () or empty tuples: no hinges
    _arrays: dict[str, np.ndarray] = field(default_factory=dict, init=False, compare=False,
                                           repr=False)

    def __post_init__(self) -> None:
        arrays = {"means": np.asarray(self.means), "scales": np.asarray(self.scales),
                  "weights": np.asarray(self.weights), "intercepts": np.asarray(self.intercepts)}
        self._arrays.update(arrays)

    @property
    def signal_bends(self) -> tuple[tuple[float, ...], ...]:
        return self.bends or tuple(() for _ in self.features)

    def columns(self) -> list[str]:
        return column_names(self.features, self.signal_bends)

    def probabilities(self, scores: dict[str, float]) -> dict[str, float]:
        return self.probabilities_of([scores])[0]

    def probabilities_of(self, rows: list[dict[str, float]]) -> list[dict[str, float]]:
        """Each row's label probabilities, computed for all rows at once."""
        if not rows:
            return []
        values = np.array([[row.get(name, 0.0) for name in self.features] for row in rows],
                          dtype=float)
        arrays = self._arrays
        x = (hinge_columns(values, self.bends) - arrays["means"]) / arrays["scales"]
        logits = x @ arrays["weights"].T + arrays["intercepts"]
        logits -= logits.max(axis=1, keepdims=True)
        exps = np.exp(logits)
        shares = exps / exps.sum(axis=1, keepdims=True)
        return [{label: float(p) for label, p in zip(self.labels, row, strict=True)}
                for row in shares]

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "features": list(self.features), "labels": list(self.labels),
            "columns": self.columns(), "means": list(self.means), "scales": list(self.scales),
            "weights": [list(row) for row in self.weights],
            "intercepts": list(self.intercepts)}
        if self.bends:
            data["bends"] = [list(signal_bends) for signal_bends in self.bends]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DerivationModel:
        model = cls(tuple(data["features"]), tuple(data["labels"]),
                    tuple(float(v) for v in data["means"]),
                    tuple(float(v) for v in data["scales"]),
                    tuple(tuple(float(v) for v in row) for row in data["weights"]),
                    tuple(float(v) for v in data["intercepts"]),
                    tuple(tuple(float(v) for v in b) for b in data.get("bends", ())))
        width = len(model.columns()) if len(model.signal_bends) == len(model.features) else -1
        if (len(model.weights) != len(model.labels) or len(model.means) != width
                or len(model.scales) != width
                or any(len(row) != width for row in model.weights)):
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
