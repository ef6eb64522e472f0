"""The Spark job: inputs to Parquet tables, stage by stage (docs/spark.md).

    python -m newstrace.spark analyze INPUT... --out DIR [--master URL] [--partitions N]

Each table is written whole with overwrite, from the input alone, so running the job again
with the same input and output gives the same tables (idempotent); a bad input record is a
row in `rejects` with its reason, never a failed job."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from newstrace.runners.config import ReuseConfig
from newstrace.runners.local.freshness import KEPT, STAMPS_TABLE, run_stamps
from newstrace.runners.spark import inputs, reuse, stories
from newstrace.stages.articles import IngestConfig
from newstrace.stages.facts.config import FactsConfig
from newstrace.stages.reuse.cascade import vector_scale
from newstrace.stages.stories.cluster import ClusterConfig
from newstrace.stages.stories.provenance import ProvenanceConfig
from newstrace.tables import (
    article_row,
    edge_rows,
    reject_row,
    related_row,
    schemas,
    sentence_rows,
    story_facts_rows,
    story_row,
)

if TYPE_CHECKING:
    from pyspark import RDD
    from pyspark.sql import SparkSession

log = logging.getLogger("newstrace.spark")


@dataclass(frozen=True, slots=True)
class SparkJobConfig:
    ingest: IngestConfig = field(default_factory=IngestConfig)
    reuse: ReuseConfig = field(default_factory=ReuseConfig)
    clustering: ClusterConfig = field(default_factory=ClusterConfig)
    provenance: ProvenanceConfig = field(default_factory=ProvenanceConfig)
    facts_config: FactsConfig = field(default_factory=FactsConfig)
    paraphrase: bool = True
    facts: bool = True


@dataclass(slots=True)
class JobSummary:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)  # stage -> wall time

    def as_dict(self) -> dict[str, Any]:
        return {"rows": dict(self.counts),
                "seconds": {k: round(v, 2) for k, v in self.seconds.items()}}


def analyze(spark: SparkSession, paths: Sequence[str], out: str,
            config: SparkJobConfig | None = None) -> JobSummary:
    """Run every stage over `paths` and write the tables under `out`."""
    config = config or SparkJobConfig()
    summary = JobSummary()
    clock = _Clock(summary, spark)
    clock.begin("read+clean")
    raws = inputs.read(spark, paths, config.ingest)
    ordered, rejected = inputs.articles(raws, config.ingest)
    articles = ordered.values().cache()
    total = articles.count()
    summary.counts["articles"] = total
    clock.begin("write sentences")
    _write(spark, out, "sentences", articles.flatMap(lambda a: list(sentence_rows(a))))
    _write(spark, out, "rejects", rejected.map(lambda s: reject_row(s, "read")))

    clock.begin("sketch+candidates")
    sketched = reuse.sketches(articles, config.reuse).cache()
    pairs = reuse.candidate_pairs(spark, sketched, total, config.reuse).cache()
    summary.counts["candidate_pairs"] = pairs.count()
    sketched.unpersist()
    clock.begin("align+relate")
    with_vectors = reuse.with_vectors(articles, config.paraphrase,
                                      config.reuse.encoder).cache()
    related = reuse.relate(pairs, with_vectors, config.reuse, config.paraphrase).cache()
    related.count()
    clock.begin("reconcile")
    settled = reuse.reconcile(related, config.reuse).cache()
    summary.counts["relations"] = settled.count()
    clock.begin("write relations")
    _write(spark, out, "relations", settled.map(lambda item: related_row(*item)))

    clock.begin("stories")
    story_of = stories.stories(articles, settled, total, config.clustering).cache()
    story_of.count()
    clock.begin("trace+facts")
    # Facts read the vectors pairs were first related on (the static model's under `static`
    # and `cascade`), their cosines mapped onto MiniLM's scale, where the facts' bars were
    # fitted: as the local and memory runners do.
    traced = stories.traced(with_vectors, story_of, settled, config.facts,
                            config.facts_config, config.provenance,
                            vector_scale(config.reuse.encoder)).cache()
    summary.counts["stories"] = traced.count()
    clock.begin("write articles+stories+facts")
    named = articles.keyBy(lambda a: a.id).leftOuterJoin(story_of)
    _write(spark, out, "articles", named.map(lambda x: article_row(x[1][0], x[1][1])))
    _write(spark, out, "stories", traced.map(lambda t: story_row(t[0])))
    _write(spark, out, "edges", traced.flatMap(lambda t: list(edge_rows(t[1]))))
    if config.facts:
        drawn = traced.filter(lambda t: t[2] is not None).map(lambda t: story_facts_rows(t[2]))
        _write(spark, out, "claims", drawn.flatMap(lambda c: c[0]))
        _write(spark, out, "discrepancies", drawn.flatMap(lambda c: c[1]))
    clock.begin("write stamps")
    _write_stamps(spark, out, run_stamps(config.reuse, config.clustering, config.paraphrase))
    clock.end()
    return summary


class _Clock:
    """Wall time per step; each step's Spark jobs carry its name as their description (the
    event log's `spark.job.description`, which `bench.spark_profile` sums task time by)."""

    def __init__(self, summary: JobSummary, spark: SparkSession) -> None:
        self.summary = summary
        self.context = spark.sparkContext
        self.step: str | None = None
        self.last = time.perf_counter()

    def begin(self, step: str) -> None:
        self.end()
        self.step = step
        self.context.setJobDescription(step)

    def end(self) -> None:
        now = time.perf_counter()
        if self.step is not None:
            self.summary.seconds[self.step] = now - self.last
            log.info("%s: %.1f s", self.step, self.summary.seconds[self.step])
        self.step = None
        self.context.setJobDescription(None)  # type: ignore[arg-type]
        self.last = now


def _write(spark: SparkSession, out: str, name: str, rows: RDD[dict[str, Any]]) -> None:
    """Write a table in its schema (`newstrace.tables.schemas`), each file's rows sorted, so
    the same input writes the same files."""
    from pyspark.sql.pandas.types import from_arrow_schema

    schema = from_arrow_schema(schemas()[name])
    columns = schema.fieldNames()
    frame = spark.createDataFrame(rows.map(lambda row: tuple(row.get(c) for c in columns)),
                                  schema)
    # Hash partitions by the table's key, then a sort inside each: no sampling pass (as a
    # global orderBy would make) and the same rows in the same file on every run.
    sortable = [f.name for f in schema.fields if f.dataType.typeName() in _SORTABLE]
    ordered = frame.repartition(*columns[: _KEY_COLUMNS[name]]).sortWithinPartitions(*sortable)
    ordered.write.mode("overwrite").parquet(f"{out.rstrip('/')}/{name}")


def _write_stamps(spark: SparkSession, out: str, stamps: dict[str, str | None]) -> None:
    """The stamps of the code that made the tables, one row (`newstrace import` keeps them,
    so that reads of the store know the run was this version's)."""
    schema = ", ".join(f"{key} string" for key in KEPT)
    frame = spark.createDataFrame([tuple(stamps[key] for key in KEPT)], schema)
    frame.coalesce(1).write.mode("overwrite").parquet(f"{out.rstrip('/')}/{STAMPS_TABLE}")


_KEY_COLUMNS = {"articles": 1, "sentences": 1, "relations": 2, "stories": 1, "edges": 1,
                "claims": 1, "discrepancies": 1, "rejects": 1}
_SORTABLE = {"string", "integer", "double", "boolean", "timestamp", "long"}


def run(paths: Iterable[str], out: str, *, master: str | None = None,
        partitions: int | None = None, config: SparkJobConfig | None = None,
        stop: bool = True, driver_memory: str | None = None) -> JobSummary:
    """Start Spark, run the job, stop Spark (unless `stop` is False: a test reuses it)."""
    from newstrace.runners.spark.session import start

    spark = start(master, partitions, driver_memory=driver_memory)
    try:
        return analyze(spark, list(paths), out, config)
    finally:
        if stop:
            spark.stop()


