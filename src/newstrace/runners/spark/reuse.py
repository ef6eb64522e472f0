"""Reuse on Spark: sketches, candidate pairs by a self-join of the sketch keys in Spark SQL,
alignment and relating of each pair, reconcile per connected part of the relation graph.

Candidate scoring is the library's `find_candidates`, fed for each article the postings of
its own keys (the articles carrying each, with their dates and anchor counts), gathered by
the join under the same document-frequency caps the local runner's store applies."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from newstrace.records import Article, Related
from newstrace.runners.config import ReuseConfig
from newstrace.runners.parallel import relate_pair
from newstrace.runners.spark.components import components
from newstrace.stages.reuse.align import Aligner
from newstrace.stages.reuse.candidates import find_candidates, ordered_pair
from newstrace.stages.reuse.embed import Vectors, encode_articles, load_encoder
from newstrace.stages.reuse.reconcile import reconciled
from newstrace.stages.reuse.sketch import KeyKind, Sketch, Sketcher

if TYPE_CHECKING:
    from pyspark import RDD
    from pyspark.sql import SparkSession

def sketches(articles: RDD[Article], config: ReuseConfig) -> RDD[Sketch]:
    def partition(part: Iterable[Article]) -> Iterator[Sketch]:
        sketcher = Sketcher(config.sketch)
        return (sketcher.sketch(article) for article in part)

    return articles.mapPartitions(partition)


class KeyPostings:
    """The `Postings` of one article's keys, as the join gathered them: for each key the
    articles carrying it (keys on one article only, or on more than any kind's cap, are
    absent, as if carried by nobody: they cannot make a candidate)."""

    def __init__(self, total: int, entries: Sequence[Any]) -> None:
        self._total = total
        self._counts = {int(e["key"]): int(e["n"]) for e in entries}
        self._carriers = {int(e["key"]): [c["article_id"] for c in e["carriers"]]
                          for e in entries}
        self._published = {c["article_id"]: c["published"] for e in entries
                           for c in e["carriers"]}
        self._anchors = {c["article_id"]: int(c["anchors"]) for e in entries
                         for c in e["carriers"]}

    def total(self) -> int:
        return self._total

    def key_counts(self, keys: Sequence[int]) -> dict[int, int]:
        return {key: self._counts[key] for key in keys if key in self._counts}

    def lookup(self, keys: Sequence[int]) -> dict[int, list[str]]:
        return {key: self._carriers[key] for key in keys if key in self._carriers}

    def published(self, article_ids: Sequence[str]) -> dict[str, str | None]:
        return {a: self._published.get(a) for a in article_ids}

    def anchor_counts(self, article_ids: Sequence[str]) -> dict[str, int]:
        return {a: self._anchors[a] for a in article_ids if a in self._anchors}


def candidate_pairs(spark: SparkSession, sketched: RDD[Sketch], total: int,
                    config: ReuseConfig) -> RDD[tuple[str, str]]:
    """Every pair (a < b) that either article's candidate search keeps."""
    from pyspark.sql import functions as F

    keys = spark.createDataFrame(
        sketched.flatMap(lambda s: [(s.article_id, int(k), int(kind)) for k, kind in
                                    s.all_keys()]),
        "article_id string, key long, kind int")
    meta = spark.createDataFrame(
        sketched.map(lambda s: (s.article_id, s.published, len(s.keys[KeyKind.ANCHOR]))),
        "article_id string, published string, anchors int")
    cap = max(config.candidates.key_limit(total, kind) for kind in KeyKind)
    counted = keys.groupBy("key").agg(F.count("*").alias("n")).where(
        (F.col("n") > 1) & (F.col("n") <= cap))
    postings = (keys.join(counted, "key").join(meta, "article_id")
                .groupBy("key", "n")
                .agg(F.collect_list(F.struct("article_id", "published", "anchors"))
                     .alias("carriers")))
    gathered = (keys.join(postings, "key").groupBy("article_id")
                .agg(F.collect_list(F.struct("key", "n", "carriers")).alias("entries")))
    by_article = gathered.rdd.map(lambda row: (row["article_id"], row["entries"]))
    joined = sketched.keyBy(lambda s: s.article_id).join(by_article)

    def partition(part: Iterable[tuple[str, tuple[Sketch, Any]]]) -> Iterator[tuple[str, str]]:
        for _, (sketch, entries) in part:
            postings = KeyPostings(total, entries)
            for candidate in find_candidates(sketch, postings, config.candidates):
                yield ordered_pair(sketch.article_id, candidate.article_id)

    return joined.mapPartitions(partition).distinct()


def with_vectors(articles: RDD[Article], paraphrase: bool
                 ) -> RDD[tuple[str, tuple[Article, Vectors | None]]]:
    """Each article with its sentence vectors, the model loaded once a partition."""
    def partition(part: Iterable[Article]) -> Iterator[tuple[str, tuple[Article, Any]]]:
        chunk = list(part)
        encoder = load_encoder(required=True) if paraphrase and chunk else None
        made = encode_articles(encoder, chunk) if encoder is not None else {}
        return ((a.id, (a, made.get(a.id))) for a in chunk)

    return articles.mapPartitions(partition)


def relate(pairs: RDD[tuple[str, str]],
           articles: RDD[tuple[str, tuple[Article, Vectors | None]]],
           config: ReuseConfig) -> RDD[Related]:
    """Each pair aligned and related by the library's `relate_pair`."""
    first = pairs.join(articles).map(lambda x: (x[1][0], x[1][1]))
    both = first.join(articles)

    def partition(part: Iterable[Any]) -> Iterator[Related]:
        aligner = Aligner(config.align, Sketcher(config.sketch).tokenizer)
        for _, ((a, vectors_a), (b, vectors_b)) in part:
            vectors = {k: v for k, v in ((a.id, vectors_a), (b.id, vectors_b))
                       if v is not None}
            yield relate_pair(aligner, config.relate, a, b, vectors)

    return both.mapPartitions(partition)


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
