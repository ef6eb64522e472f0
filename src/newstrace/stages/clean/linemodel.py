"""The text-dump cleaner's line model: is this line part of the article body?

One logistic regression over each line's own shape (length, sentence end, stopword density,
capitals, digits, separators, the furniture phrase it matches) and its neighbours' (prose
above and below, position in the page). Its coefficients, with the two settings of the body
finder that use its probabilities, live beside this module in `line_model.json`, written by
`make train` (bench/fit_cleaner.py), which records what they were fitted on: the data, the
command, the date and the cross-validated figures. Prediction is plain Python, so the fitting
library (scikit-learn, in the `bench` extra) is not needed at run time.
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from newstrace.errors import NewstraceError

MODEL_FILE = "line_model.json"

# Word-count bins, by their upper edges (one-hot: 0-2, 3-5, ..., 40-79 words; 80 words or more
# is the reference bin), and the count beyond which a line's length says nothing more
# (feature design, hand-set; the model records the bins, the cap and the window it was fitted
# with; their sensitivity: docs/cleaner-constants.md).
BIN_EDGES = (2, 5, 9, 14, 24, 39, 79)
LENGTH_CAP = 80
# Furniture phrase families a line may match (furniture.py's phrase lists give the reason).
REASONS = ("comments", "teaser", "cookie or consent prompt", "footer",
           "sign-up or subscription prompt", "share bar", "related-content list",
           "advertisement", "navigation", "media caption")
WINDOW = 3  # neighbours read on each side
_SEPARATORS = re.compile(r"[|•»·›]|\s/\s|\s[-–—]\s.*\s[-–—]\s")
_QUOTE_START = re.compile(r"^[\"'“‘«„]")
# A line's log-odds are clipped to +-LOGIT_CLIP before the body finder sums them, so that one
# line the model is sure of cannot outweigh a paragraph (design, recorded in the model like
# the window; its sensitivity: docs/cleaner-constants.md).
LOGIT_CLIP = 12.0


@dataclass(frozen=True, slots=True)
class LineShape:
    """What the model reads of one line on its own (furniture.py fills it)."""

    text: str
    n_words: int
    terminal: bool        # ends like a sentence
    density: float        # stopword density (0 for scripts without spaces: no stoplist)
    reason: str | None    # the furniture phrase family it matches, if any
    furniture: bool       # taken out by a rule whatever the model says (cue, byline, date...)
    unspaced: bool = False  # a script written without spaces (length counted in characters)
    # Furniture a theme drops inside the body (a teaser of another story, a sign-up prompt
    # between paragraphs): the lines around it are read as neighbours past it, as they stand
    # once it is taken out.
    passed_over: bool = False


def _bins(edges: Sequence[int]) -> list[tuple[int, int]]:
    return [(low, high) for low, high in zip((0, *(e + 1 for e in edges)), edges, strict=False)]


def _own(shape: LineShape, length_cap: int, bins: Sequence[tuple[int, int]]
         ) -> dict[str, float]:
    text, n = shape.text, shape.n_words
    tokens = text.split()
    features = {f"words_{low}_{high}": float(low <= n <= high) for low, high in bins}
    features.update({
        "log_words": math.log1p(min(n, length_cap)),
        "terminal": float(shape.terminal),
        "terminal_long": float(shape.terminal and n >= 6),
        "density": shape.density,
        "capitals": sum(t[:1].isupper() for t in tokens) / len(tokens) if tokens else 0.0,
        "digits": sum(c.isdigit() for c in text) / len(text) if text else 0.0,
        "commas": min(1.0, text.count(",") / max(n, 1) * 5),
        "colon_end": float(text.endswith(":")),
        "separators": float(_SEPARATORS.search(text) is not None),
        "quote_start": float(_QUOTE_START.match(text) is not None),
        "unspaced": float(shape.unspaced),
        "rule_furniture": float(shape.furniture),
    })
    # Prose is long, ends like a sentence and is dense in stopwords together: the products let
    # a linear model see that conjunction.
    length = features["log_words"]
    features.update({"terminal_x_length": features["terminal"] * length,
                     "density_x_length": shape.density * length,
                     "terminal_x_density": features["terminal"] * shape.density})
    features.update({f"reason_{r}": float(shape.reason == r) for r in REASONS})
    return features


def line_features(shapes: Sequence[LineShape], *, window: int = WINDOW,
                  length_cap: int = LENGTH_CAP, bin_edges: Sequence[int] = BIN_EDGES
                  ) -> list[dict[str, float]]:
    """Each line's features: its own and its `window` neighbours' on each side (a dump's lines
    in order; lines `passed_over` are nobody's neighbour); lengths capped at `length_cap`,
    binned at `bin_edges`."""
    bins = _bins(bin_edges)
    own = [_own(shape, length_cap, bins) for shape in shapes]
    total = sum(shape.n_words for shape in shapes) or 1
    above = 0
    rows = []
    last = len(shapes) - 1
    # Each line's neighbours: the lines not passed over, in order.
    standing = [i for i, shape in enumerate(shapes) if not shape.passed_over]
    for i, (shape, mine) in enumerate(zip(shapes, own, strict=True)):
        cut = bisect_left(standing, i)
        before = [own[j] for j in standing[max(0, cut - window):cut]]
        after = [own[j] for j in standing[cut:cut + window + 1] if j != i][:window]
        around = before + after
        prev = before[-1] if before else None
        following = after[0] if after else None
        row = dict(mine)
        row.update({
            "position": i / last if last else 0.0,
            "words_above": above / total,
            "prev_prose": prev["terminal_long"] if prev else 0.0,
            "next_prose": following["terminal_long"] if following else 0.0,
            "prev_log_words": prev["log_words"] if prev else 0.0,
            "next_log_words": following["log_words"] if following else 0.0,
            "prev_furniture": _furniture_like(prev),
            "next_furniture": _furniture_like(following),
            "window_prose": (sum(w["terminal_long"] for w in around) / len(around)
                             if around else 0.0),
            "window_log_words": (sum(w["log_words"] for w in around) / len(around)
                                 if around else 0.0),
        })
        rows.append(row)
        above += shape.n_words
    return rows


def _furniture_like(features: dict[str, float] | None) -> float:
    if features is None:
        return 1.0  # the page's edge
    return float(features["rule_furniture"] > 0 or any(
        features[f"reason_{r}"] > 0 for r in REASONS))


@dataclass(frozen=True, slots=True)
class LineModel:
    """Standardised features, one weight each; the logistic gives P(line in the body).
    `barrier_fraction`, `furniture_score`, `word_power` and `bias` are the body finder's
    settings, fitted with the weights (see furniture.py); `window`, `length_cap` and
    `bin_edges`, the feature design it was fitted with (`line_features`); `logit_clip`, the
    bound on a line's log-odds."""

    features: tuple[str, ...]
    means: tuple[float, ...]
    scales: tuple[float, ...]
    weights: tuple[float, ...]
    intercept: float
    barrier_fraction: float
    furniture_score: float
    word_power: float
    bias: float
    window: int = WINDOW
    length_cap: int = LENGTH_CAP
    logit_clip: float = LOGIT_CLIP
    bin_edges: tuple[int, ...] = BIN_EDGES

    def features_of(self, shapes: Sequence[LineShape]) -> list[dict[str, float]]:
        """The features of these lines as this model was fitted to read them."""
        return line_features(shapes, window=self.window, length_cap=self.length_cap,
                             bin_edges=self.bin_edges)

    def logits(self, rows: Sequence[dict[str, float]]) -> list[float]:
        """Log-odds that each line belongs to the body (clipped to +-`logit_clip`)."""
        params = list(zip(self.features, self.means, self.scales, self.weights, strict=True))
        out = []
        for row in rows:
            z = self.intercept + sum(w * (row.get(name, 0.0) - mean) / scale
                                     for name, mean, scale, w in params)
            out.append(max(-self.logit_clip, min(self.logit_clip, z)))
        return out

    def as_dict(self) -> dict[str, Any]:
        return {"features": list(self.features), "means": list(self.means),
                "scales": list(self.scales), "weights": list(self.weights),
                "intercept": self.intercept,
                "body_finder": {"barrier_fraction": self.barrier_fraction,
                                "furniture_score": self.furniture_score,
                                "word_power": self.word_power, "bias": self.bias},
                "design": {"window": self.window, "length_cap": self.length_cap,
                           "logit_clip": self.logit_clip, "bin_edges": list(self.bin_edges)}}

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str = MODEL_FILE) -> LineModel:
        """The model in `data`; a clear error naming `source` when it is not one."""
        try:
            finder = data["body_finder"]
            design = data.get("design", {})  # written before the design was recorded: 3, 80
            model = cls(tuple(str(name) for name in data["features"]),
                        tuple(float(v) for v in data["means"]),
                        tuple(float(v) for v in data["scales"]),
                        tuple(float(v) for v in data["weights"]),
                        float(data["intercept"]),
                        float(finder["barrier_fraction"]),
                        float(finder["furniture_score"]),
                        float(finder["word_power"]),
                        float(finder["bias"]),
                        int(design.get("window", WINDOW)),
                        int(design.get("length_cap", LENGTH_CAP)),
                        float(design.get("logit_clip", LOGIT_CLIP)),
                        tuple(int(edge) for edge in design.get("bin_edges", BIN_EDGES)))
        except (KeyError, TypeError, ValueError) as error:
            raise NewstraceError(f"{source}: not a line model ({type(error).__name__}: "
                                 f"{error}); refit it with `make train`") from error
        if not len(model.features) == len(model.means) == len(model.scales) == len(
                model.weights) or any(scale <= 0 for scale in model.scales):
            raise NewstraceError(f"{source}: the line model's shapes do not agree; refit it "
                                 "with `make train`")
        return model


def load_line_model(path: Path) -> LineModel:
    """A line model from a JSON file (the shipped one, or one `make train` wrote elsewhere)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise NewstraceError(f"{path}: cannot read the line model ({error}); refit it with "
                             "`make train`") from error
    return _parsed(text, str(path))


def _parsed(text: str, source: str) -> LineModel:
    """The model in a line model file's text; a clear error naming `source` when it is not
    one."""
    try:
        data = json.loads(text)
    except ValueError as error:
        raise NewstraceError(f"{source}: not JSON ({error}); refit it with `make train`"
                             ) from error
    if not isinstance(data, dict) or "model" not in data:
        raise NewstraceError(f"{source}: not a line model (no 'model' entry); refit it with "
                             "`make train`")
    return LineModel.from_dict(data["model"], source)


@cache
def shipped_line_model() -> LineModel:
    """The fitted model shipped with newstrace. Read once; the model is immutable."""
    resource = resources.files("newstrace.stages.clean").joinpath(MODEL_FILE)
    try:
        text = resource.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise NewstraceError(f"{MODEL_FILE} is missing from the installed package; reinstall "
                             "newstrace or refit it with `make train`") from error
    return _parsed(text, MODEL_FILE)
