"""Derived or independent, on shapes written for these tests (issue 18, item 5).

Each shape is a small fixture: a kept-quotation rewrite with additions (derived), two
independent reports quoting one statement (independent), an excerpt with a changed number
(derived), and a spin of a duplicate (derived from the family's earliest member). The shipped
model decides; nothing here is tuned to these texts.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from newstrace.errors import NewstraceError
from newstrace.ids import text_hash
from newstrace.records import Article, SourceKind
from newstrace.runners.memory import relate_in_memory
from newstrace.stages.clean.sentences import SentenceSplitter
from newstrace.stages.reuse.align import Aligner
from newstrace.stages.reuse.derivation import (
    DerivationModel,
    column_names,
    hinge_columns,
    shipped_model,
)
from newstrace.stages.reuse.embed import encode_articles, load_encoder
from newstrace.stages.reuse.features import (
    Quotations,
    Side,
    quote_sentences,
    shared_quotations,
)
from newstrace.stages.reuse.reconcile import ReconcileConfig
from newstrace.stages.reuse.relate import DERIVED, RelateConfig, Relation, relate
from newstrace.stages.reuse.tokens import Tokenizer, token_spans
from newstrace.stages.stories.provenance import trace

ENCODER = load_encoder()
needs_encoder = pytest.mark.skipif(ENCODER is None, reason="the paraphrase extra is not "
                                   "installed (pip install 'newstrace[paraphrase]')")
SPLITTER = SentenceSplitter()

STATEMENT = ("We will not let a single family spend another winter without heat, and we "
             "will find the money to keep that promise")

SOURCE = (
    "Tollbridge council votes to replace heating in 400 flats\n\n"
    "Tollbridge council voted on Monday to replace the failing heating systems in 400 "
    "council flats on the Marren estate before the end of next year. "
    "The work will cost 6.2 million pounds, most of it borrowed against the housing "
    "account. "
    "Tenants have reported broken boilers every winter since 2019, and last January more "
    "than 90 households went without heating for at least a week. "
    f'"{STATEMENT}," said council leader Priya Ostrander. '
    "The contract will go to tender in March, and the first blocks are due to be finished "
    "by October. "
    "Opposition councillors backed the plan but asked why it had taken five years. "
    '"The tenants warned us again and again, and we waited far too long," said '
    "councillor Ewan Brisk. "
    "Residents will be moved to temporary flats while the pipes in their block are "
    "replaced. "
    "The council said rents would not rise to pay for the work.")

REWRITE = (
    "Marren estate to get new heating after years of breakdowns\n\n"
    "Councillors in Tollbridge have approved a plan to put new heating into 400 flats on "
    "the Marren estate by the end of next year. "
    "Boilers on the estate have broken down each winter since 2019; last January over 90 "
    "homes had no heat for a week or longer. "
    "The scheme is priced at 6.2 million pounds, mostly borrowed from the housing account. "
    f'"{STATEMENT}," said council leader Priya Ostrander. '
    "Tenders will be invited in March, with the first blocks finished by October. "
    "Opposition members supported the scheme but questioned the five-year delay. "
    "Heating failures are among the most common complaints in social housing across the "
    "country. "
    "Campaigners are likely to watch closely whether the October date holds.")

INDEPENDENT_ONE = (
    "Heating pledge for Marren tenants\n\n"
    "Families on the Marren estate who spent last winter in coats indoors were promised "
    "new boilers yesterday. "
    f'Priya Ostrander, who leads Tollbridge council, told a packed chamber: "{STATEMENT}." '
    "Her cabinet's scheme covers 400 flats and is expected to cost 6.2 million pounds. "
    "Jo Harrow, who has lived on the estate for 31 years, said her radiators had been cold "
    "since November. "
    "Building firms can bid for the contract from March. "
    "The housing charity Shelterline welcomed the decision but said other estates in the "
    "borough had the same problem.")

INDEPENDENT_TWO = (
    "Council borrows millions to fix estate heating\n\n"
    "A 6.2 million pound loan will pay for replacement heating across the Marren estate, "
    "Tollbridge's ruling group confirmed. "
    "The decision follows a petition signed by 1,200 residents in the autumn. "
    "Engineers who surveyed the blocks found pipework dating from the 1970s. "
    f'"{STATEMENT}," the council leader, Priya Ostrander, said after the vote. '
    "Ewan Brisk, for the opposition, said the council should have acted in 2021. "
    "About 400 homes are affected, and residents will be rehoused for up to six weeks "
    "while their block is done.")

EXCERPT = (
    "Heating to be replaced in Marren flats\n\n"
    "Tollbridge council voted on Monday to replace the failing heating systems in 400 "
    "council flats on the Marren estate before the end of next year. "
    "The work will cost 7.4 million pounds, most of it borrowed against the housing "
    "account. "
    "Tenants have reported broken boilers every winter since 2019, and last January more "
    "than 90 households went without heating for at least a week. "
    f'"{STATEMENT}," said council leader Priya Ostrander.')

SPIN = (
    "Hundreds of Marren homes set for heating overhaul\n\n"
    "On Monday, councillors in Tollbridge backed a move to swap out the faulty heating in "
    "400 of the council's flats on the Marren estate ahead of the close of next year. "
    "The project carries a price of 6.2 million pounds, the bulk of which is being borrowed "
    "against the housing account. "
    "Since 2019 residents have complained of boilers breaking down every winter, and in "
    "January upwards of 90 homes were left without heat for a week or more. "
    "Priya Ostrander, the council leader, pledged that no family would endure another "
    "winter without heating and that funds would be found to honour that commitment. "
    "Bids for the contract will be sought in March, with work on the first blocks expected "
    "to be complete by October. "
    "Members of the opposition supported the scheme while asking why it had taken five "
    "years to arrive. "
    "Councillor Ewan Brisk said tenants had raised the alarm repeatedly and the council had "
    "delayed much too long. "
    "While the pipes in each block are renewed, its residents will stay in temporary "
    "flats. "
    "According to the council, rents will not go up to cover the cost.")


def article(article_id: str, text: str, published: str | None = None,
            outlet: str | None = None) -> Article:
    return Article(id=article_id, source_path=f"{article_id}.txt", kind=SourceKind.TEXT,
                   text=text, text_hash=text_hash(text), published=published, outlet=outlet,
                   sentences=SPLITTER.split(text))


def related(a: Article, b: Article) -> Relation:
    assert ENCODER is not None
    vectors = encode_articles(ENCODER, [a, b])
    return relate(Aligner().align(a, b, vectors[a.id], vectors[b.id]), a, b)


@needs_encoder
def test_a_rewrite_that_keeps_its_quotations_and_adds_is_derived() -> None:
    found = related(article("source", SOURCE), article("rewrite", REWRITE))
    assert found.derived, found.scores
    assert found.relation in ("rewrite", "partial", "spin"), found.relation
    share = found.derived_share
    assert share is not None and 0.5 <= share <= 1.0


@needs_encoder
def test_two_reports_quoting_one_statement_stay_independent() -> None:
    found = related(article("one", INDEPENDENT_ONE), article("two", INDEPENDENT_TWO))
    assert found.relation == "independent", found.scores
    assert found.derived_share is None


@needs_encoder
def test_an_excerpt_with_a_changed_number_is_derived() -> None:
    found = related(article("source", SOURCE), article("excerpt", EXCERPT))
    assert found.relation == "excerpt", (found.relation, found.scores)
    assert found.derived_share is not None and found.derived_share >= 0.9


@needs_encoder
def test_a_spin_of_a_duplicate_comes_from_the_familys_earliest_member() -> None:
    origin = article("origin", SOURCE, "2026-03-02T08:00:00", "Tollbridge Herald")
    reprint = article("reprint", SOURCE, "2026-03-02T11:00:00", "County Wire")
    spin = article("spin", SPIN, "2026-03-03T09:00:00", "Fastnews Daily")
    found = relate_in_memory([origin, reprint, spin], ENCODER)
    by_pair = {frozenset((r.a, r.b)): r.relation for r, _ in found}
    assert by_pair[frozenset(("origin", "reprint"))] == "duplicate"
    assert by_pair[frozenset(("origin", "spin"))] in DERIVED
    tree = trace("story", {a.id: a for a in (origin, reprint, spin)}, found).tree
    assert tree["spin"] == "origin"


def test_a_shared_quotation_is_masked_on_both_sides() -> None:
    one, two = article("one", INDEPENDENT_ONE), article("two", INDEPENDENT_TWO)
    quotes_one, quotes_two = Quotations.of(one.text), Quotations.of(two.text)
    shared = shared_quotations(quotes_one, quotes_two)
    assert shared
    spans_one = [(s.start, s.end) for s in one.sentences]
    masked = quote_sentences(spans_one, quotes_one, shared)
    assert [one.text[slice(*spans_one[i])] for i in masked] == [
        s for s in one.sentence_texts() if STATEMENT in s]
    # The aligner's per-article form masks the same sentences, with or without the shared.
    side = Side.of(one.text, spans_one, quotes_one, Tokenizer().hashes(one.text),
                   token_spans(one.text))
    assert side.masked(shared) == masked
    assert side.masked(set()) == quote_sentences(spans_one, quotes_one, set())


def test_the_shipped_model_says_what_it_was_fitted_on() -> None:
    from importlib import resources

    data = json.loads(resources.files("newstrace.stages.reuse").joinpath(
        "derivation_model.json").read_text(encoding="utf-8"))
    fitted = data["fitted"]
    assert fitted["command"].startswith("make train") and fitted["date"]
    assert fitted["data"]["corpus"]["groups"] > 0
    for kind in ("paraphrase", "lexical"):
        model = shipped_model(kind)
        assert "independent" in model.labels and set(model.labels) - {"independent"}
        figures = fitted["figures"][kind]
        assert {"cv_thresholds_cross_validated", "cv_shipped_thresholds", "in_sample",
                "fold_range"} <= set(figures)
        # The recorded figures were measured with the thresholds relate and reconcile use now:
        # change one and `make train` must be run again.
        relate_config, reconcile_config = RelateConfig(), ReconcileConfig()
        threshold = (relate_config.derived_threshold if kind == "paraphrase"
                     else relate_config.lexical_derived_threshold)
        assert figures["thresholds_shipped"] == {
            "derived_threshold": threshold,
            "explainable_below": reconcile_config.explainable_below,
            "container_margin": reconcile_config.container_margin,
            "distinct_share": reconcile_config.distinct_share,
            "verbatim": reconcile_config.verbatim}


def test_probabilities_are_a_distribution() -> None:
    model = DerivationModel(("x",), ("independent", "spin"), (0.0,), (1.0,),
                            ((0.0,), (2.0,)), (0.0, -1.0))
    low, high = model.probabilities({"x": -3.0}), model.probabilities({"x": 3.0})
    assert sum(low.values()) == pytest.approx(1.0)
    assert low["spin"] < 0.5 < high["spin"]



def test_a_bent_signal_changes_slope_at_its_bend() -> None:
    # One signal, bent at 0.5: below the bend its weight is 1, above it 1 + 3 = 4, so the
    # log-odds rise four times as fast past the bend as before it.
    model = DerivationModel(("x",), ("independent", "spin"), (0.0, 0.0), (1.0, 1.0),
                            ((0.0, 0.0), (1.0, 3.0)), (0.0, 0.0), ((0.5,),))
    assert model.columns() == ["x", "x>0.5"]

    def log_odds(x: float) -> float:
        p = model.probabilities({"x": x})
        return float(np.log(p["spin"] / p["independent"]))

    assert log_odds(0.4) - log_odds(0.2) == pytest.approx(0.2)
    assert log_odds(0.9) - log_odds(0.7) == pytest.approx(0.8)
    assert hinge_columns(np.array([[0.2], [0.9]]), ((0.5,),)) == pytest.approx(
        np.array([[0.2, 0.0], [0.9, 0.4]]))


def test_hinge_columns_are_each_signal_then_each_of_its_bends_in_order() -> None:
    """Column by column, as the names say: `max(0, value - bend)` for signal `index` and each
    of its bends, after the signals; signals without bends add nothing."""
    bends = ((0.2, 0.5), (), (0.1,), (0.3, 0.6, 0.9))
    values = np.random.default_rng(5).uniform(-0.5, 1.5, size=(7, len(bends)))
    names = column_names(("s0", "s1", "s2", "s3"), bends)
    expected = np.array([[row[int(name[1])] if ">" not in name else
                          max(0.0, row[int(name[1])] - float(name.split(">")[1]))
                          for name in names] for row in values])
    assert np.array_equal(hinge_columns(values, bends), expected)
    assert np.array_equal(hinge_columns(values, ((),) * 4), values)
    assert hinge_columns(values[0], ()).shape == (1, 4)


def test_a_model_round_trips_and_a_misshapen_one_is_refused() -> None:
    model = DerivationModel(("x", "y"), ("independent", "spin"), (0.0,) * 3, (1.0,) * 3,
                            ((0.0,) * 3, (1.0, -1.0, 2.0)), (0.0, 0.5), ((), (0.3,)))
    again = DerivationModel.from_dict(json.loads(json.dumps(model.as_dict())))
    scores = {"x": 0.2, "y": 0.7}
    assert again.probabilities(scores) == pytest.approx(model.probabilities(scores))
    assert again.probabilities_of([scores, scores])[1] == pytest.approx(
        model.probabilities(scores))
    broken = model.as_dict() | {"bends": [[0.3], [0.3]]}  # one column more than weights
    with pytest.raises(NewstraceError, match="shapes do not agree"):
        DerivationModel.from_dict(broken)

BRIEF = (
    "Marren flats to get new heating\n\n"
    "Tollbridge councillors have agreed to put new heating into 400 flats on the Marren "
    "estate, at a cost of 6.2 million pounds. Tenders go out in March.")


def test_a_short_brief_meets_its_source_as_a_candidate() -> None:
    # A news-in-brief made of two reworded sentences shares no sentence with its source,
    # only a few names and numbers: those must still put the pair forward for aligning,
    # among other reports of the same event (a missed candidate is never judged at all).
    from newstrace.stages.reuse.key_join import candidate_pairs
    from newstrace.stages.reuse.sketch import Sketcher

    pile = [article("source", SOURCE), article("brief", BRIEF),
            article("one", INDEPENDENT_ONE), article("two", INDEPENDENT_TWO)]
    sketcher = Sketcher()
    found = {(a, b) for a, b, _ in candidate_pairs([sketcher.sketch(x) for x in pile])}
    assert ("brief", "source") in found


@needs_encoder
def test_in_one_story_the_independents_stay_apart_and_the_rewrite_stays_derived() -> None:
    # The four versions together, as `relate` meets a story: the kept-quotation rewrite
    # follows its source; the two reports quoting the same statement follow neither the
    # source, the rewrite nor each other, even with the others beside them (reconciled).
    pile = [article("source", SOURCE), article("rewrite", REWRITE),
            article("one", INDEPENDENT_ONE), article("two", INDEPENDENT_TWO)]
    found = {frozenset((r.a, r.b)): r for r, _ in relate_in_memory(pile, ENCODER)}
    assert found[frozenset(("source", "rewrite"))].derived
    for a, b in (("one", "two"), ("one", "source"), ("two", "source"), ("one", "rewrite"),
                 ("two", "rewrite")):
        relation = found.get(frozenset((a, b)))
        assert relation is None or not relation.derived, (a, b, relation.relation,
                                                          relation.scores)


@needs_encoder
def test_a_dropped_final_full_stop_leaves_the_verdict_unchanged() -> None:
    # A captured page often loses its last paragraph's full stop; the words are the same and
    # so must be every sentence vector and the verdict (character shares move by one
    # character's weight).
    assert ENCODER is not None
    stopped = article("stopped", SOURCE)
    bare = article("bare", SOURCE.rstrip("."))
    vectors = encode_articles(ENCODER, [stopped, bare])
    assert len(vectors["bare"]) == len(vectors["stopped"])
    assert abs(vectors["bare"] - vectors["stopped"]).max() < 1e-6
    rewrite = article("rewrite", REWRITE)
    with_stop, without = related(stopped, rewrite), related(bare, rewrite)
    assert with_stop.relation == without.relation
    assert all(abs(with_stop.scores[k] - without.scores[k]) < 1e-3 for k in with_stop.scores)
