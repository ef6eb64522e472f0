"""Which sentence vectors facts read, and on which scale: the model the store's verdicts were
aligned on (static under `static` and `cascade`), its cosines mapped onto MiniLM's, where
the facts' bars were fitted."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from conftest import EXAMPLES
from newstrace.collection import Collection
from newstrace.errors import MissingDependencyError
from newstrace.records import Article, SourceKind
from newstrace.runners.config import ReuseConfig
from newstrace.stages.clean.sentences import SentenceSplitter
from newstrace.stages.facts.additions import find_additions
from newstrace.stages.reuse import static_embed
from newstrace.stages.reuse.embed import CosineScale, on_minilm_scale

try:
    static_embed.load_static_encoder()
    HAVE_STATIC = True
except MissingDependencyError:
    HAVE_STATIC = False


def _article(article_id: str, text: str) -> Article:
    return Article(article_id, f"{article_id}.txt", SourceKind.TEXT, text, article_id,
                   sentences=SentenceSplitter().split(text))


def test_cosines_are_mapped_onto_minilm_scale_by_the_knots() -> None:
    knots = ((0.0, 0.0), (0.5, 0.8), (1.0, 1.0))
    cosines = np.array([0.25, 0.5, 0.75], dtype=np.float32)
    assert on_minilm_scale(cosines, ()) is cosines  # MiniLM's own: as they are
    assert np.allclose(on_minilm_scale(cosines, knots), [0.4, 0.8, 0.9])


def test_the_aligner_s_scale_maps_as_interpolating_between_the_knots() -> None:
    """CosineScale (knots read once) gives what interpolating between the knots as given
    does, to the bit, inside and outside their range."""
    knots = tuple((x, min(1.0, 0.2 + x * 0.9)) for x in np.linspace(-0.2, 1.0, 50).tolist())
    cosines = np.random.default_rng(1).uniform(-1.5, 1.5, (13, 7)).astype(np.float32)
    own, shipped = zip(*knots, strict=True)
    expected = np.interp(cosines, own, shipped).astype(np.float32)
    assert np.array_equal(CosineScale(knots)(cosines), expected)
    assert CosineScale(())(cosines) is cosines


def test_an_unmatched_sentence_is_supported_by_a_mapped_cosine_over_the_bar() -> None:
    """The target's sentence shares no words with the source's; their vectors' cosine is
    0.5, under the bar (0.70) on MiniLM's scale, over it once mapped from a model whose 0.5
    is MiniLM's 0.8."""
    source = _article("s", "Officials confirmed the bridge will reopen next spring.")
    target = _article("t", "Engineers expect traffic back across the span by April.")
    vectors = {"s": np.array([[1.0, 0.0]], dtype=np.float32),
               "t": np.array([[0.5, np.sqrt(0.75)]], dtype=np.float32)}
    spans = [(s.start, s.end) for s in target.sentences]
    unmapped = find_additions(target, ["s"], spans, [source], vectors)
    mapped = find_additions(target, ["s"], spans, [source], vectors,
                            scale=((0.0, 0.0), (0.5, 0.8), (1.0, 1.0)))
    assert [a.text for a in unmapped] == [target.text]
    assert mapped == []


@pytest.mark.skipif(not HAVE_STATIC, reason="the static extra is not installed "
                    "(pip install 'newstrace[static]')")
def test_a_static_store_gives_facts_the_static_vectors_whatever_it_is_opened_with(
        tmp_path: Path) -> None:
    db = tmp_path / "static.db"
    with Collection(db, reuse=ReuseConfig(encoder="static", workers=1)) as collection:
        collection.analyze([str(EXAMPLES / "articles")])
        story = max(collection.stories(), key=lambda s: s.size)
        members = collection.story(story.id).members
        vectors = collection.story_claims(story.id)[1]
        assert vectors and set(vectors) <= set(members)
        assert {v.shape[1] for v in vectors.values()} == {static_embed.StaticEncoder.dimensions}
        as_analyzed = collection.facts(story.id).as_dict()
    with Collection(db) as reopened:  # MiniLM by default: the store says static
        assert reopened.facts(story.id).as_dict() == as_analyzed
        assert reopened.story_claims(story.id)[1].keys() == vectors.keys()
