"""Reconcile (stage 4b): a pair's verdict in the light of the pairs around it, as a pure
function and as `newstrace relate` keeps it in the store."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import run_cli
from newstrace.records import AlignedPassage, Alignment, Article, Relation
from newstrace.runners.local import relating
from newstrace.runners.local.ingest import Ingestor
from newstrace.runners.local.relating import Relater
from newstrace.runners.local.store.db import Store
from newstrace.runners.local.store.reuse import ReuseTables
from newstrace.stages.reuse.candidates import Candidate
from newstrace.stages.reuse.reconcile import Demotion, Link, ReconcileConfig, reconcile

WHOLE = ((0, 1000),)
# A paraphrase link that shared facts can explain: less sure than the shipped
# `explainable_below` (fitted by cross-validation; a link at least that sure always stands).
EXPLAINABLE = 0.55


def link(a: str, b: str, relation: str, strength: float, coverage_a: float = 0.8,
         coverage_b: float = 0.8, verbatim: float = 0.1,
         spans_a: tuple[tuple[int, int], ...] = WHOLE,
         spans_b: tuple[tuple[int, int], ...] = WHOLE) -> Link:
    return Link(a, b, relation, strength, coverage_a, coverage_b, verbatim, spans_a, spans_b)


def test_a_copy_of_one_source_is_not_also_a_copy_of_an_independent_report() -> None:
    # "copy" follows "base"; "other" reported the same event independently of "base", and
    # "copy" reads close to it only through the facts all three share.
    assert ReconcileConfig().explainable_below > EXPLAINABLE
    links = [link("base", "copy", "rewrite", 0.85, coverage_a=0.55, coverage_b=0.80),
             link("copy", "other", "rewrite", EXPLAINABLE, coverage_a=0.80, coverage_b=0.50),
             link("base", "other", "independent", 0.20)]
    assert reconcile(links) == [Demotion(("copy", "other"), "copy", "base", 0.65)]


def test_a_link_sure_enough_is_never_explained_away() -> None:
    # The same triangle, but "copy" reads like "other" as surely as a derivative reads like
    # its source: facts shared by two reports of one event do not make a pair this sure, so
    # both links stand (cross-validated: explaining such links away cost more true links
    # than it removed false ones).
    sure = ReconcileConfig().explainable_below
    links = [link("base", "copy", "rewrite", 0.95, coverage_a=0.55, coverage_b=0.80),
             link("copy", "other", "rewrite", sure, coverage_a=0.80, coverage_b=0.50),
             link("base", "other", "independent", 0.20)]
    assert reconcile(links) == []


def test_a_source_with_two_unalike_derivatives_keeps_both() -> None:
    # "base" is the fuller side of both links: it is their source, not a copy of both.
    links = [link("base", "spin", "spin", 0.9, coverage_a=0.95, coverage_b=0.95),
             link("base", "short", "rewrite", 0.7, coverage_a=0.40, coverage_b=0.80),
             link("short", "spin", "independent", 0.4)]
    assert reconcile(links) == []


def test_an_article_combining_two_sources_keeps_both() -> None:
    # The round-up's first half follows one report and its second half the other.
    links = [link("first", "roundup", "rewrite", 0.8, spans_b=((0, 500),)),
             link("roundup", "second", "rewrite", 0.7, spans_a=((500, 1000),)),
             link("first", "second", "independent", 0.1)]
    assert reconcile(links) == []


def test_verbatim_copying_outranks_paraphrase_and_is_never_explained_away() -> None:
    # "x" copies half of "b" word for word and reads like "a", an independent report: the
    # copying explains the likeness, although the paraphrase link is the likelier of the two.
    links = [link("a", "x", "rewrite", EXPLAINABLE + 0.03),
             link("b", "x", "rewrite", EXPLAINABLE, verbatim=0.7),
             link("a", "b", "independent", 0.1)]
    assert [(d.pair, d.explained_by) for d in reconcile(links)] == [(("a", "x"), "b")]


def test_nothing_changes_unless_the_two_sources_are_independent() -> None:
    derived_sources = [link("a", "x", "rewrite", 0.9), link("b", "x", "rewrite", 0.6),
                       link("a", "b", "spin", 0.9)]
    unknown_sources = [link("a", "x", "rewrite", 0.9), link("b", "x", "rewrite", 0.6)]
    assert reconcile(derived_sources) == []
    assert reconcile(unknown_sources) == []


def test_one_relabelled_link_can_settle_another_and_input_order_does_not_matter() -> None:
    # "b" seems derived from its spin "s" (as full as it) and from "i", which is independent
    # of "s": "b"-"i" goes. Then "r", derived from "b", seems derived from "i" as well, which
    # is now independent of "b": "r"-"i" goes too.
    links = [link("b", "s", "spin", 0.97, coverage_a=1.0, coverage_b=1.0),
             link("b", "i", "rewrite", 0.53, coverage_a=0.67, coverage_b=0.55),
             link("b", "r", "rewrite", 0.86, coverage_a=0.59, coverage_b=0.86),
             link("r", "s", "rewrite", 0.81, coverage_a=0.86, coverage_b=0.57),
             link("i", "r", "rewrite", 0.69, coverage_a=0.53, coverage_b=0.81),
             link("i", "s", "independent", 0.41)]
    expected = reconcile(links)
    assert {d.pair for d in expected} == {("b", "i"), ("i", "r")}
    for seed in range(5):
        shuffled = links[:]
        random.Random(seed).shuffle(shuffled)
        assert reconcile(shuffled) == expected


# -- in the store ---------------------------------------------------------------------------


def _collection(tmp_path: Path) -> tuple[Path, list[Article]]:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("base", "copy", "other"):
        (folder / f"{name}.txt").write_text(
            f"{name.title()} report\n\nA text written for the {name} article of this test. "
            f"It has nothing in common with the others but its shape, {name}.\n")
    db = tmp_path / "c.db"
    with Store(db) as store:
        Ingestor(store).ingest([str(folder)])
        by_name = {Path(a.source_path).stem: a for a in store.articles()}
    return db, [by_name["base"], by_name["copy"], by_name["other"]]


def _stored(a: Article, b: Article, relation: str, strength: float, coverage_a: float,
            coverage_b: float) -> tuple[Relation, Alignment]:
    scores = {"coverage_a": coverage_a, "coverage_b": coverage_b, "verbatim_a": 0.1,
              "verbatim_b": 0.1, "order": 0.9, "derived_probability": strength}
    first, second = (a, b) if a.id < b.id else (b, a)
    if first is not a:
        scores["coverage_a"], scores["coverage_b"] = coverage_b, coverage_a
    passages = [AlignedPassage("paraphrase", (0, len(first.text)), (0, len(second.text)), 0.8)]
    return (Relation(first.id, second.id, relation, None, strength, scores),
            Alignment(first.id, second.id, passages, [], [], scores, True))


# (relation, derived probability, coverage of the first, of the second)
BASE_COPY = ("rewrite", 0.85, 0.55, 0.80)
COPY_OTHER = ("rewrite", EXPLAINABLE, 0.80, 0.50)
BASE_OTHER = ("independent", 0.20, 0.6, 0.6)


def _triangle(base: Article, copy: Article, other: Article) -> list[tuple[Relation, Alignment]]:
    """`copy` follows `base`, and reads like `other`, a report independent of `base`."""
    return [_stored(base, copy, *BASE_COPY), _stored(copy, other, *COPY_OTHER),
            _stored(base, other, *BASE_OTHER)]


def _verdicts(store: Store) -> dict[frozenset[str], dict[str, object]]:
    return {frozenset((row["a"], row["b"])): row
            for row in ReuseTables(store).relations(include_unrelated=True)}


def test_relate_stores_the_reconciled_verdict_and_the_pairs_own(tmp_path: Path) -> None:
    db, (base, copy, other) = _collection(tmp_path)
    with Store(db) as store:
        tables = ReuseTables(store)
        tables.write_relations(_triangle(base, copy, other))
        assert Relater(store, None).reconcile() == 1
        verdicts = _verdicts(store)
        demoted = verdicts[frozenset((copy.id, other.id))]
        assert (demoted["relation"], demoted["pairwise"], demoted["explained_by"]) == (
            "independent", "rewrite", base.id)
        assert demoted["source"] is None
        assert verdicts[frozenset((base.id, copy.id))]["relation"] == "rewrite"
        assert Relater(store, None).reconcile() == 0  # nothing new to reconcile
    listed = json.loads(run_cli("relations", "--db", str(db), "--json").stdout)
    assert {(r["relation"], r["pairwise"], r["explained_by"]) for r in listed} == {
        ("rewrite", None, None), ("independent", "rewrite", base.id), ("independent", None, None)}


def test_a_verdict_is_given_back_when_its_explanation_goes(tmp_path: Path) -> None:
    db, (base, copy, other) = _collection(tmp_path)
    with Store(db) as store:
        tables = ReuseTables(store)
        tables.write_relations(_triangle(base, copy, other))
        Relater(store, None).reconcile()
        # The base-copy link is related again and now found unrelated: nothing explains the
        # copy-other link any more.
        tables.write_relations([_stored(base, copy, "unrelated", 0.1, 0.1, 0.1)])
        assert Relater(store, None).reconcile() == 1
        restored = _verdicts(store)[frozenset((copy.id, other.id))]
    assert (restored["relation"], restored["pairwise"], restored["explained_by"]) == (
        "rewrite", None, None)
    assert restored["confidence"] == EXPLAINABLE


def test_reconcile_runs_as_part_of_relate(tmp_path: Path) -> None:
    db, (base, copy, other) = _collection(tmp_path)
    with Store(db) as store:
        relater = Relater(store, None)
        relater.relate_collection()  # texts share nothing: no relations
        ReuseTables(store).write_relations(_triangle(base, copy, other))
        summary = relater.relate_collection()
    assert summary.reconciled == 1 and summary.as_dict()["verdicts_reconciled"] == 1


Judge = Callable[[Relater, Article, Article, object], tuple[Relation, Alignment]]


def _judged_as(verdicts: dict[frozenset[str], tuple[str, float, float, float]]) -> Judge:
    """A stand-in for aligning and relating one pair: the verdicts given, as relate makes
    them (the texts of this test share nothing a real alignment could find)."""
    def judged(self: Relater, a: Article, b: Article, vectors: object) -> tuple[Relation,
                                                                                Alignment]:
        relation, strength, coverage_a, coverage_b = verdicts[frozenset((a.id, b.id))]
        found, alignment = _stored(a, b, relation, strength, coverage_a, coverage_b)
        if found.a != a.id:  # keep the caller's order, as relate does
            found.a, found.b = a.id, b.id
            found.scores = {**found.scores, "coverage_a": coverage_a, "coverage_b": coverage_b}
        return found, alignment
    return judged


def test_compare_and_check_give_the_collections_verdict(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    db, (base, copy, other) = _collection(tmp_path)
    verdicts = {frozenset((base.id, copy.id)): BASE_COPY,
                frozenset((copy.id, other.id)): COPY_OTHER,
                frozenset((base.id, other.id)): BASE_OTHER}
    with Store(db) as store:
        Relater(store, None).index_collection()  # as `relate` leaves it: sketched
        ReuseTables(store).write_relations(_triangle(base, copy, other))
        Relater(store, None).reconcile()
    monkeypatch.setattr(Relater, "_relate", _judged_as(verdicts))
    compared = json.loads(run_cli("compare", other.id, copy.id, "--db", str(db), "--json").stdout)
    assert (compared["relation"], compared["pairwise"], compared["explained_by"]) == (
        "independent", "rewrite", base.id)
    shown = run_cli("compare", other.id, copy.id, "--db", str(db)).stdout
    assert "explained by" in shown and "read as rewrite" in shown
    # `check` with the copy's text as the query: its likeness to `other` is the event shared
    # through `base`.
    monkeypatch.setattr(relating, "find_candidates", lambda *_: [
        Candidate(article_id) for article_id in (base.id, copy.id, other.id)])
    with Store(db) as store:
        query = replace(copy, id="query")
        verdicts.update({frozenset((base.id, "query")): BASE_COPY,
                         frozenset((other.id, "query")): ("rewrite", EXPLAINABLE, 0.50, 0.80),
                         frozenset((copy.id, "query")): ("duplicate", 1.0, 1.0, 1.0)})
        found = {relation.a: relation for relation, _ in Relater(store, None).check(query)}
    assert found[other.id].relation == "independent"
    assert found[other.id].explained_by == base.id
    assert found[base.id].relation == "rewrite"


def test_other_reconcile_thresholds_make_stored_verdicts_stale() -> None:
    # Stored verdicts are reconciled: a store made with other thresholds is computed again.
    from newstrace.runners.config import ReuseConfig
    from newstrace.runners.local.relating import relate_stamp

    other = ReuseConfig(reconcile=ReconcileConfig(explainable_below=0.9))
    assert relate_stamp(ReuseConfig()) != relate_stamp(other)
    assert relate_stamp(ReuseConfig()) == relate_stamp(ReuseConfig())
