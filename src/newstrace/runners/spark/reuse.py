"""Reuse on Spark: sketches, candidate pairs by a self-join of the sketch keys in Spark SQL,
alignment and relating of each pair, reconcile per connected part of the relation graph.

Candidate search is the local runner's batch join (`stages.reuse.key_join`) as Spark SQL:
the same document-frequency caps (fixed counts), evidence, score, time window (applied to
the joined rows, before they are summed) and best-per-article rule,
with nothing gathered per article and no per-article Python."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from newstrace.records import Article, Related
from newstrace.runners.cascade import pair_relater
from newstrace.runners.config import ReuseConfig
from newstrace.runners.spark.components import components
from newstrace.stages.reuse.candidates import SCORE_DECIMALS, WEIGHTS, day_number
from newstrace.stages.reuse.cascade import Encoder
from newstrace.stages.reuse.embed import (
    SentenceEncoder,
    Vectors,
    encode_articles,
    load_encoder,
)
from newstrace.stages.reuse.reconcile import reconciled
from newstrace.stages.reuse.sketch import KeyKind, Sketch, Sketcher
from newstrace.stages.reuse.static_embed import load_static_encoder

if TYPE_CHECKING:
    from pyspark import RDD
    from pyspark.sql import Column, SparkSession

def sketches(articles: RDD[Article], config: ReuseConfig) -> RDD[Sketch]:
    def partition(part: Iterable[Article]) -> Iterator[Sketch]:
        sketcher = Sketcher(config.sketch)
        return (sketcher.sketch(article) for article in part)

    return articles.mapPartitions(partition)


def candidate_pairs(spark: SparkSession, sketched: RDD[Sketch], total: int,
                    config: ReuseConfig) -> RDD[tuple[str, str]]:
    """Every pair (a < b) that either article's candidate search keeps: the batch join of
    `newstrace.stages.reuse.key_join` stated in Spark SQL (explode the keys, drop keys over
    their kind's cap, self-join on the key, sum each pair's evidence, keep what qualifies
    within the window, each article's best `max_candidates`, distinct pairs)."""
    from pyspark.sql import functions as F
    from pyspark.sql.window import Window

    settings = config.candidates
    total = max(total, 1)
    keys = spark.createDataFrame(
        sketched.flatMap(lambda s: [(s.article_id, int(k), int(kind)) for k, kind in
                                    s.all_keys()]),
        "article_id string, key long, kind int")
    meta = spark.createDataFrame(
        sketched.map(lambda s: (s.article_id, day_number(s.published),
                                len(s.keys[KeyKind.ANCHOR]))),
        "article_id string, day long, anchors int")
    kind, n = F.col("kind"), F.col("n")
    cap = F.lit(None)
    for capped in KeyKind:
        cap = F.when(kind == int(capped), settings.key_limit(capped)).otherwise(cap)
    counted = keys.groupBy("key").agg(F.count("*").alias("n"))
    usable = (keys.join(counted, "key").where((n >= 2) & (n <= cap))
              .join(meta.select("article_id", "day"), "article_id"))
    # The time window is a property of the pair: applied to the joined rows, before each
    # pair's evidence is summed, it keeps what it would keep after, with fewer rows to shuffle.
    shared = (usable.select(F.col("article_id").alias("q"), "key", "kind", "n",
                            F.col("day").alias("q_day"))
              .join(usable.select(F.col("article_id").alias("c"), "key",
                                  F.col("day").alias("c_day")), "key")
              .where((F.col("q") != F.col("c")) & _near(settings.window_days)))

    def of_kind(wanted: KeyKind, also: Column | None = None) -> Column:
        hit = kind == int(wanted) if also is None else (kind == int(wanted)) & also
        return F.sum(F.when(hit, 1).otherwise(0))

    weight = F.when(kind == int(KeyKind.ANCHOR), F.log(F.lit(1.0) + F.lit(float(total)) / n))
    for weighed, value in WEIGHTS.items():
        weight = weight.when(kind == int(weighed), F.lit(value))
    evidence = shared.groupBy("q", "c").agg(
        *(of_kind(k).alias(k.name.lower()) for k in KeyKind),
        of_kind(KeyKind.SENTENCE, n <= settings.stock_sentence_articles).alias("rare"),
        F.bround(F.sum(weight), SCORE_DECIMALS).alias("score"))
    ends = [meta.select(F.col("article_id").alias(side), F.col("anchors").alias(f"{side}_anchors"))
            for side in ("q", "c")]
    judged = evidence.join(ends[0], "q").join(ends[1], "c")
    worded = ((F.col("text") > 0) | (F.col("band") > 0) | (F.col("sentence") >= 2)
              | (F.col("rare") > 0))
    fewer = F.least("q_anchors", "c_anchors")
    anchored = ((F.col("anchor") >= settings.min_shared_anchors)
                & (F.col("anchor") / F.when(fewer == 0, 1).otherwise(fewer)
                   >= settings.min_anchor_share))
    kept = judged.where(worded | anchored)
    best = Window.partitionBy("q").orderBy(F.desc("score"), F.asc("c"))
    pairs = (kept.withColumn("rank", F.row_number().over(best))
             .where(F.col("rank") <= settings.max_candidates)
             .select(F.least("q", "c").alias("a"), F.greatest("q", "c").alias("b"))
             .distinct())
    return pairs.rdd.map(lambda row: (row["a"], row["b"]))


def _near(window_days: float | None) -> Column:
    """Whether a joined row's two articles lie within the window (or either date is unknown)."""
    from pyspark.sql import functions as F

    if window_days is None:
        return F.lit(True)
    return (F.col("q_day").isNull() | F.col("c_day").isNull()
            | (F.abs(F.col("q_day") - F.col("c_day")) <= window_days))


PAIRS_A_CALL = 500  # pairs related in one call inside a partition (bounds what it holds)
WithVectors = tuple[str, tuple[Article, Vectors | None]]


def with_vectors(articles: RDD[Article], paraphrase: bool, encoder: Encoder = "minilm",
                 ) -> RDD[WithVectors]:
    """Each article with its sentence vectors from the model `encoder` names (MiniLM, or the
    static model for `static` and `cascade`), the model loaded once a partition."""
    def partition(part: Iterable[Article]) -> Iterator[tuple[str, tuple[Article, Any]]]:
        chunk = list(part)
        model = _encoder(encoder) if paraphrase and chunk else None
        made = encode_articles(model, chunk) if model is not None else {}
        return ((a.id, (a, made.get(a.id))) for a in chunk)

    return articles.mapPartitions(partition)


def _encoder(setting: Encoder) -> SentenceEncoder:
    """The model pairs are first related on, as the local runner loads it (`--encoder`)."""
    return load_static_encoder() if setting != "minilm" else _minilm()


def _minilm() -> SentenceEncoder:
    found = load_encoder(required=True)
    assert found is not None  # required: raised instead of returning None
    return found


def relate(pairs: RDD[tuple[str, str]], articles: RDD[WithVectors], config: ReuseConfig,
           paraphrase: bool = True) -> RDD[Related]:
    """Each pair aligned and related by the relater `config.encoder` names
    (`runners.cascade.pair_relater`, as the local runner relates): for the cascade, the
    pairs the static model leaves undecided related again on MiniLM vectors, MiniLM loaded
    once a partition and each article encoded once a partition. Without `paraphrase`,
    verbatim evidence only (the local runner's `--no-paraphrase`)."""
    first = pairs.join(articles).map(lambda x: (x[1][0], x[1][1]))
    both = first.join(articles)
    chosen = replace(config, workers=1, encoder=config.encoder if paraphrase else "minilm")

    def partition(part: Iterable[Any]) -> Iterator[Related]:
        full = _FullVectors()
        with pair_relater(chosen, Sketcher(chosen.sketch).tokenizer, full) as relater:
            rows = iter(part)
            while chunk := list(itertools.islice(rows, PAIRS_A_CALL)):
                held: dict[str, Article] = {}
                vectors: dict[str, Vectors] = {}
                for _, ends in chunk:
                    for article, vector in ends:
                        held[article.id] = article
                        if vector is not None:
                            vectors[article.id] = vector
                yield from relater.relate([(a.id, b.id) for _, ((a, _), (b, _)) in chunk],
                                          held, vectors)

    return both.mapPartitions(partition)


class _FullVectors:
    """MiniLM vectors for the cascade's undecided pairs: the model loaded on first need,
    each article encoded once (a partition's)."""

    def __init__(self) -> None:
        self.model: SentenceEncoder | None = None
        self.made: dict[str, Vectors] = {}

    def __call__(self, articles: list[Article]) -> dict[str, Vectors]:
        if self.model is None:
            self.model = _minilm()
        missing = [article for article in articles if article.id not in self.made]
        self.made.update(encode_articles(self.model, missing))
        return {article.id: self.made[article.id] for article in articles}


def reconcile(related: RDD[Related], config: ReuseConfig) -> RDD[Related]:
    """`reconciled` over each connected part of the graph of pairs that are not unrelated:
    a triangle never spans two parts, so each part alone gives the collection's verdicts."""
    linked = related.filter(lambda item: item[0].relation != "unrelated").cache()
    ends = linked.map(lambda item: (item[0].a, item[0].b))
    part_of = components(ends)
    keyed = linked.map(lambda item: (item[0].a, item)).join(part_of).map(
        lambda x: (x[1][1], x[1][0]))

    def settle(group: tuple[str, Iterable[Related]]) -> list[Related]:
        found = sorted(group[1], key=lambda item: (item[0].a, item[0].b))
        reconciled(found, config.reconcile)
        return found

    settled = keyed.groupByKey().flatMap(settle)
    return settled.union(related.filter(lambda item: item[0].relation == "unrelated"))
