"""Reuse detection over a stored collection: sketch new articles, find their candidates,
align and relate each pair, store the relations. Also `compare` (one pair) and `check` (a
text against the collection). The stages themselves are the pure functions of
`newstrace.stages.reuse`; this module only feeds them from the store and writes back."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from newstrace.ids import digest
from newstrace.progress import Progress, no_progress
from newstrace.records import Alignment, Article, Relation
from newstrace.runners.cascade import CascadeRelater, pair_relater
from newstrace.runners.config import ReuseConfig
from newstrace.runners.local.store.db import Store
from newstrace.runners.local.store.reuse import ReuseTables
from newstrace.runners.parallel import PairRelater, Pending
from newstrace.stages.reuse.candidates import (
    find_candidates,
    ordered_pair,
)
from newstrace.stages.reuse.cascade import STATIC_MODEL_FILE
from newstrace.stages.reuse.derivation import model_digest
from newstrace.stages.reuse.embed import SentenceEncoder, Vectors, encode_articles
from newstrace.stages.reuse.key_join import (
    Carriers,
    candidate_days,
    carriers_of,
    join_candidates,
    key_rows,
)
from newstrace.stages.reuse.reconcile import (
    demote,
    link_of,
    reconcile,
    reconciled,
)
from newstrace.stages.reuse.relate import (
    likely_source,
    paraphrase_confidence,
)
from newstrace.stages.reuse.sketch import KeyKind, Sketch, Sketcher


@dataclass(slots=True)
class RelateSummary:
    sketched: int = 0
    pairs: int = 0
    relations: Counter[str] = field(default_factory=Counter)
    paraphrase: bool = False
    reconciled: int = 0  # verdicts reconcile changed
    model_changed: bool = False  # stored verdicts came from another model: all recomputed
    encoder: str = "minilm"  # the sentence model setting (stages/reuse/cascade.py)
    sent_to_minilm: int = 0  # the cascade's undecided pairs, related again on MiniLM...
    minilm_articles: int = 0  # ...and the articles whose MiniLM vectors they needed
    # This process's CPU seconds by step (sketch, candidates, read+embed, align, write,
    # reconcile); alignment on worker processes is not in it (the parent only waits there).
    cpu_seconds: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def timed(self, step: str) -> Iterator[None]:
        began = time.process_time()
        try:
            yield
        finally:
            spent = time.process_time() - began
            self.cpu_seconds[step] = self.cpu_seconds.get(step, 0.0) + spent

    def as_dict(self) -> dict[str, Any]:
        return {"sketched": self.sketched, "pairs_aligned": self.pairs,
                "relations": dict(sorted(self.relations.items())),
                "verdicts_reconciled": self.reconciled,
                "recomputed_for_a_new_model": self.model_changed,
                "paraphrase_detection": self.paraphrase,
                "encoder": self.encoder if self.paraphrase else None,
                **({"pairs_sent_to_minilm": self.sent_to_minilm,
                    "articles_for_minilm": self.minilm_articles}
                   if self.paraphrase and self.encoder == "cascade" else {})}


RELATE_STAMP = "relate_stamp"
RELATE_ENCODER = "relate_encoder"  # the sentence model the stored verdicts were aligned on


def relate_stamp(config: ReuseConfig) -> str:
    """What a stored verdict depends on besides the texts: the shipped derivation model, the
    relate settings and reconcile's (its thresholds are fitted with relate's), and for the
    static model or the cascade, its model file and band."""
    basis = f"{model_digest()}\n{config.relate!r}\n{config.reconcile!r}"
    if config.encoder != "minilm":
        basis += f"\n{config.encoder}\n{model_digest(STATIC_MODEL_FILE)}\n{config.cascade!r}"
    return digest(basis)


class Relater:
    """Finds and relates reused articles in a store. `encoder` None: verbatim evidence only;
    else the encoder `config.encoder` names (the static model for `static` and `cascade`),
    and for the cascade `full_encoder`, MiniLM, for the pairs the static model leaves
    undecided."""

    def __init__(self, store: Store, encoder: SentenceEncoder | None,
                 config: ReuseConfig | None = None,
                 full_encoder: SentenceEncoder | None = None) -> None:
        self.store = store
        self.tables = ReuseTables(store)
        self.encoder = encoder
        self.full_encoder = full_encoder
        self.config = config or ReuseConfig()
        if encoder is None:  # verbatim evidence only: no sentence model to choose
            self.config = replace(self.config, encoder="minilm")
        elif self.config.encoder == "cascade" and full_encoder is None:
            raise ValueError("the cascade needs MiniLM as full_encoder")
        self.sketcher = Sketcher(self.config.sketch)
        self._one: PairRelater | CascadeRelater | None = None  # compare and check

    # -- the whole collection, incrementally ------------------------------------------------------

    def relate_collection(self, *, recompute: bool = False,
                          progress: Progress = no_progress) -> RelateSummary:
        """Sketch articles not sketched yet (or changed), then relate each to its candidates.
        Pairs already related are kept unless `recompute`."""
        summary = RelateSummary(paraphrase=self.encoder is not None,
                                encoder=self.config.encoder)
        with summary.timed("sketch"):
            sketches = self.index_collection()
        summary.sketched = len(sketches)
        # Verdicts of another model (a newer newstrace, a refit, other relate settings) are
        # not mixed with this one's: they are all computed again.
        stamp = relate_stamp(self.config)
        stored = self.store.setting(RELATE_STAMP)
        if not recompute and stored != stamp and self.tables.has_relations():
            recompute = summary.model_changed = True
        if recompute:
            self.tables.clear_relations()
        if stored != stamp:
            self.store.set_setting(RELATE_STAMP, stamp)
            self.store.set_setting(RELATE_ENCODER, self.config.encoder)
        # Those just sketched, and any a stopped run sketched but did not relate.
        fresh = self.tables.unrelated()
        carriers = self._carriers() if fresh else None
        done: set[tuple[str, str]] = set()
        waiting: tuple[Pending, list[str]] | None = None  # the previous batch, aligning

        def finish(batch: tuple[Pending, list[str]]) -> None:
            with summary.timed("align"):
                found = batch[0].result()
            with summary.timed("write"):
                self.tables.write_relations(found)
                self.tables.mark_related(batch[1])
            summary.pairs += len(found)
            summary.relations.update(relation.relation for relation, _ in found)
            progress(len(batch[1]))

        with self._pair_relater(self.config) as relater:
            for start in range(0, len(fresh), self.config.batch_size):
                ids = fresh[start : start + self.config.batch_size]
                with summary.timed("candidates"):
                    pairs = self._new_pairs(ids, done, sketches, carriers)
                with summary.timed("read+embed"):
                    articles = self.store.articles_by_id({x for pair in pairs for x in pair})
                    vectors = self._stored_vectors(list(articles.values()))
                with summary.timed("align"):
                    aligning = (relater.submit(pairs, articles, vectors), ids)
                if waiting is not None:
                    finish(waiting)  # while workers align this batch
                waiting = aligning
            if waiting is not None:
                finish(waiting)
            if isinstance(relater, CascadeRelater):
                summary.sent_to_minilm = relater.sent
                summary.minilm_articles = len(relater.encoded)
        with summary.timed("reconcile"):
            summary.reconciled = self.reconcile()
        return summary

    def reconcile(self) -> int:
        """Reconcile the pairs around those not reconciled yet (stage 4b); returns how many
        stored verdicts changed. The pairs' own verdicts are the starting point each time, so
        a verdict relabelled earlier is given back when its explanation no longer holds."""
        pending = self.tables.unreconciled()
        if not pending:
            return 0
        related, complete = self.tables.around(pending)
        demotions = {d.pair: d for d in reconcile(
            (link_of(relation, alignment) for relation, alignment in related),
            self.config.reconcile)}
        relations = [relation for relation, _ in related]
        changed = []
        # A relabelled pair is given back only when all that could explain it was read.
        restored = {(r.a, r.b) for r in relations if r.pairwise and (r.a, r.b) not in demotions
                    and r.a in complete and r.b in complete}
        articles = self.store.articles_by_id({x for pair in restored for x in pair})
        for relation in relations:
            demotion = demotions.get((relation.a, relation.b))
            if demotion and (relation.relation != "independent"
                             or relation.explained_by != demotion.explained_by):
                demote(relation, demotion.explained_by, demotion.confidence)
                changed.append(relation)
            elif (relation.a, relation.b) in restored and relation.pairwise:
                _restore(relation, relation.pairwise, articles[relation.a],
                         articles[relation.b])
                changed.append(relation)
        self.tables.write_reconciled(changed)
        return len(changed)

    def index_collection(self) -> dict[str, Sketch]:
        """Sketch the articles not sketched yet (or changed since), so candidate search sees
        them; returns their sketches by id, in id order."""
        fresh = self.tables.unsketched()
        made: dict[str, Sketch] = {}
        for start in range(0, len(fresh), self.config.batch_size):
            chunk = self.store.articles_by_id(fresh[start : start + self.config.batch_size])
            sketches = [self.sketcher.sketch(article) for article in chunk.values()]
            self.tables.write_sketches(sketches, {a.id: a.text_hash for a in chunk.values()})
            made.update((sketch.article_id, sketch) for sketch in sketches)
        return {article_id: made[article_id] for article_id in fresh if article_id in made}

    def _carriers(self) -> tuple[Carriers, dict[str, int]]:
        """Every sketched article as the candidate join numbers them, with its date and
        anchor count (one read a run: the join's rows then name articles by number)."""
        ids, published, anchors = zip(*self.tables.sketched(), strict=True)
        return carriers_of(ids, published, anchors), {a: n for n, a in enumerate(ids)}

    def _new_pairs(self, article_ids: Sequence[str], done: set[tuple[str, str]],
                   sketched: dict[str, Sketch],
                   carriers: tuple[Carriers, dict[str, int]] | None) -> list[tuple[str, str]]:
        """The batch's candidate pairs not related yet: one join of the batch's keys with
        their carriers (`join_candidates`), the postings read from the store once a key."""
        sketches = self._sketches(article_ids, sketched)
        if not sketches or carriers is None:
            return []
        columns, index = carriers
        total, config = len(columns.ids), self.config.candidates
        keys = sorted({key for sketch in sketches for key, _ in sketch.all_keys()})
        queries = np.array(sorted(index[s.article_id] for s in sketches), dtype=np.int64)
        # Only the carriers within the batch's time window (the batch is a few days' worth):
        # the join would drop the others' rows (issue 21: most of the postings read were
        # of articles outside every query's window).
        rows = key_rows(self.tables.key_rows(
            keys, max(config.key_limit(kind) for kind in KeyKind),
            config.key_limit(KeyKind.ANCHOR), candidate_days(columns.days[queries], config)),
            index)
        found = join_candidates(queries, rows, columns, total, config)
        known = self.tables.related_pairs_of([s.article_id for s in sketches])
        pairs = []
        for q, c in zip(found.query.tolist(), found.candidate.tolist(), strict=True):
            pair = ordered_pair(columns.ids[q], columns.ids[c])
            if pair not in done and pair not in known:
                done.add(pair)
                pairs.append(pair)
        return pairs

    def _sketches(self, article_ids: Sequence[str],
                  sketched: dict[str, Sketch]) -> list[Sketch]:
        """The sketches of these articles: those just made, the others made again (cheaper
        than a round trip through the key table, and the same)."""
        missing = [i for i in article_ids if i not in sketched]
        articles = self.store.articles_by_id(missing) if missing else {}
        return [sketched[i] if i in sketched else self.sketcher.sketch(articles[i])
                for i in article_ids if i in sketched or i in articles]

    # -- one pair, one query -----------------------------------------------------------------------

    def compare(self, a: Article, b: Article) -> tuple[Relation, Alignment]:
        """The pair's relation; where the collection holds both and reconcile found their
        likeness explained by a third article, the collection's verdict (with the pair's own
        kept as `pairwise`)."""
        relation, alignment = self._relate(a, b, self._vectors([a, b], store=False))
        stored = self.tables.relation(a.id, b.id)
        if (stored and stored["explained_by"] and relation.derived
                and stored["pairwise"] == relation.relation):
            demote(relation, stored["explained_by"], stored["confidence"])
        return relation, alignment

    def check(self, query: Article, limit: int = 10) -> list[tuple[Relation, Alignment]]:
        """The collection's likely sources of `query`, most covering first."""
        self.index_collection()  # candidate search must know every stored article
        sketch = self.sketcher.sketch(query)
        candidates = find_candidates(sketch, self.tables, self.config.candidates)
        articles = self.store.articles_by_id(c.article_id for c in candidates)
        vectors = self._stored_vectors(list(articles.values()))
        vectors.update(self._vectors([query], store=False))
        found = []
        for candidate in candidates:
            if candidate.article_id in articles and candidate.article_id != query.id:
                relation, alignment = self._relate(articles[candidate.article_id], query, vectors)
                if relation.relation != "unrelated":
                    found.append((relation, alignment))
        self._reconcile_check(found)
        found.sort(key=lambda item: (-item[0].derived, -item[0].scores["coverage_b"],
                                     -item[0].scores["verbatim_b"]))
        return found[:limit]

    def _reconcile_check(self, found: list[tuple[Relation, Alignment]]) -> None:
        """A query seemingly derived from two stored articles that are independent of each
        other follows the stronger: relabel the other link, as `relate` would."""
        sources = [relation.a for relation, _ in found if relation.derived]
        if len(sources) >= 2:
            stored = [link_of(relation, alignment)
                      for relation, alignment in self.tables.related(sources)]
            reconciled(found, self.config.reconcile, stored)

    # -- shared ------------------------------------------------------------------------------------

    def _pair_relater(self, config: ReuseConfig, *,
                      store: bool = True) -> PairRelater | CascadeRelater:
        def full_vectors(articles: list[Article]) -> dict[str, Vectors]:
            return self._encoded(self.full_encoder, articles, store=store)

        return pair_relater(config, self.sketcher.tokenizer, full_vectors)

    def _relate(self, a: Article, b: Article,
                vectors: dict[str, Vectors]) -> tuple[Relation, Alignment]:
        """One pair, in this process (compare, check): MiniLM vectors the cascade needs
        are not stored."""
        if self._one is None:
            self._one = self._pair_relater(replace(self.config, workers=1), store=False)
        return self._one.relate([(a.id, b.id)], {a.id: a, b.id: b}, vectors)[0]

    def _stored_vectors(self, articles: list[Article]) -> dict[str, Vectors]:
        """Vectors of stored articles: from the cache, encoding (and caching) the rest."""
        return self._vectors(articles, store=True)

    def _vectors(self, articles: list[Article], *, store: bool) -> dict[str, Vectors]:
        return self._encoded(self.encoder, articles, store=store)

    def _encoded(self, encoder: SentenceEncoder | None, articles: list[Article], *,
                 store: bool) -> dict[str, Vectors]:
        """`encoder`'s vectors of these articles; with `store`, read from and written to the
        store's cache (by the encoder's name)."""
        if encoder is None or not articles:
            return {}
        hashes = {article.id: article.text_hash for article in articles}
        found = self.tables.vectors(list(hashes), encoder.name, hashes) if store else {}
        missing = [article for article in articles if article.id not in found]
        if missing:
            made = encode_articles(encoder, missing)
            if store:
                self.tables.write_vectors(made, encoder.name, hashes)
            found.update(made)
        return found


def _restore(relation: Relation, own: str, a: Article, b: Article) -> None:
    """Give a relabelled relation back its pair's own verdict `own`, with the source and
    confidence that verdict has on its own."""
    relation.relation, relation.pairwise, relation.explained_by = own, None, None
    relation.source, relation.source_reason = likely_source(own, a, b, relation.scores)
    relation.confidence = round(paraphrase_confidence(own, relation.scores), 3)
