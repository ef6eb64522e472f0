"""A static sentence model for the cheap side of the encoder cascade (issue 21).

WordLlama's l2_supercat token embeddings (PyPI `wordllama`, MIT; 256 dimensions): a sentence
is the mean of its tokens' vectors, no transformer, about 80 times less CPU a sentence than
MiniLM on this machine (docs/benchmarks.md, "Issue 21 item 5"). The weights and tokenizer
ship inside the wheel and are read from there: the package's own loader looks for the
tokenizer in a folder the wheel lacks and would fetch it from Hugging Face, so downloading is
disabled. The package is the `static` extra.

Its cosines are on a scale of their own; `cosine_map` in the static derivation model's file
(reuse/cascade.py) maps them onto MiniLM's, where the aligner's thresholds were set.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from newstrace.errors import MissingDependencyError
from newstrace.stages.reuse.embed import Vectors

STATIC_MODEL_NAME = "wordllama-l2-supercat-256"


class StaticEncoder:
    """WordLlama l2_supercat, 256 dimensions, average-pooled and L2-normalised."""

    name = STATIC_MODEL_NAME
    dimensions = 256

    def __init__(self) -> None:
        import wordllama

        self._model = wordllama.WordLlama.load(cache_dir=Path(wordllama.__file__).parent,
                                               disable_download=True)

    def encode(self, sentences: Sequence[str]) -> Vectors:
        if not sentences:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        out: Vectors = np.asarray(self._model.embed(list(sentences), norm=True),
                                  dtype=np.float32)
        return out.reshape(len(sentences), self.dimensions)


def load_static_encoder() -> StaticEncoder:
    """The static encoder; an error naming the `static` extra when its package is missing."""
    try:
        import wordllama  # noqa: F401
    except ImportError as error:
        raise _missing() from error
    return StaticEncoder()


def _missing() -> MissingDependencyError:
    return MissingDependencyError("wordllama", "the static sentence model (--encoder static "
                                  "or cascade)", "static")
