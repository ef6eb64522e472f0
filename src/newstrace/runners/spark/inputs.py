"""Reading and cleaning on Spark: files through Spark's file system (any URI it reads),
Parquet rows as JSON records, then each raw document cleaned into an article by the library's
own functions, with a site's repeated lines counted across the whole input."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from operator import add
from typing import TYPE_CHECKING, Any

from newstrace.ids import digest
from newstrace.records import Article, RawDocument, Skip
from newstrace.stages.articles import (
    NO_TEXT,
    ArticleBuilder,
    IngestConfig,
    counted_lines,
    repeat_counter,
    site_key,
    source_key,
)
from newstrace.stages.readers.dispatch import read_loaded_file
from newstrace.stages.readers.jsonl import record_document

if TYPE_CHECKING:
    from pyspark import RDD
    from pyspark.sql import SparkSession

Order = tuple[str, int]  # (input file, record number in it): the local runner's reading order
Read = tuple[Order, RawDocument | Skip]


def read(spark: SparkSession, paths: Iterable[str], config: IngestConfig) -> RDD[Read]:
    """Every record of every input, in a stable order, a Skip for what cannot be read."""
    parts = []
    for path in paths:
        if path.rstrip("/").endswith(".parquet"):
            parts.append(_parquet(spark, path, config))
        else:
            files = (spark.read.format("binaryFile").option("recursiveFileLookup", "true")
                     .load(path).select("path", "content").rdd)
            parts.append(files.flatMap(lambda row: _records(row[0], row[1], config)))
    return spark.sparkContext.union(parts)


def _local(path: str) -> str:
    """A local file's path as the local runner names it (Spark says file:/...)."""
    return path[len("file:"):] if path.startswith("file:/") else path


def _records(path: str, content: bytes, config: IngestConfig) -> Iterator[Read]:
    name = _local(path)
    for number, item in enumerate(read_loaded_file(name, bytes(content), config.reader)):
        yield (name, number), item


def _parquet(spark: SparkSession, path: str, config: IngestConfig) -> RDD[Read]:
    """Parquet input: each row a record with the fields a JSON line would have."""
    fields = config.reader.json_fields
    name = _local(path)

    def one(indexed: tuple[Any, int]) -> Read:
        row, number = indexed
        return (name, number), record_document(row.asDict(recursive=True), name,
                                               f":{number + 1}", fields)

    return spark.read.parquet(path).rdd.zipWithIndex().map(one)


def articles(raws: RDD[Read], config: IngestConfig) -> tuple[RDD[tuple[Order, Article]],
                                                             RDD[Skip]]:
    """Clean every raw document into an article; Skips for the unreadable and empty."""
    documents: RDD[tuple[Order, RawDocument]] = raws.flatMap(_documents)
    skipped: RDD[Skip] = raws.flatMap(_skips)
    # How many pages of a site carry each counted line, over the whole input.
    own = documents.flatMap(_site_lines).cache()
    counts = own.map(lambda item: (item[0], 1)).reduceByKey(add)
    seen = own.join(counts).map(_line_count).groupByKey()
    joined = documents.leftOuterJoin(seen)
    made = joined.mapPartitions(lambda part: _clean_partition(part, config)).cache()
    built: RDD[tuple[Order, Article]] = made.flatMap(_documents)
    rejected: RDD[Skip] = made.flatMap(_skips)
    return _deduplicated(built), skipped.union(rejected)


def _documents(item: tuple[Order, Any]) -> list[tuple[Order, Any]]:
    return [] if isinstance(item[1], Skip) else [item]


def _skips(item: tuple[Order, Any]) -> list[Skip]:
    return [item[1]] if isinstance(item[1], Skip) else []


def _site_lines(item: tuple[Order, RawDocument]) -> list[tuple[tuple[str, int], Order]]:
    site = site_key(item[1])
    return [((site, line), item[0]) for line in counted_lines(item[1])]


def _line_count(item: tuple[tuple[str, int], tuple[Order, int]]
                ) -> tuple[Order, tuple[int, int]]:
    (_, line), (order, pages) = item
    return order, (line, pages)


def _clean_partition(part: Iterable[tuple[Order, tuple[Any, Any]]], config: IngestConfig
                     ) -> Iterator[tuple[Order, Article | Skip]]:
    builder = ArticleBuilder(config)
    for order, (raw, line_counts) in part:
        pages: dict[int, int] = dict(line_counts or ())
        try:
            cleaned = builder.clean_counted(raw, repeat_counter(_lookup(pages),
                                                                counted_lines(raw)))
        except Exception as error:  # as the local ingest: one bad page is a reject
            yield order, Skip(raw.where, "extraction-error",
                              f"extraction failed: {type(error).__name__}: {error}")
            continue
        if not cleaned.text.strip():
            yield order, Skip(raw.where, *NO_TEXT)
            continue
        yield order, builder.build(raw, cleaned, source_key(raw), digest(raw.body))


def _lookup(pages: dict[int, int]) -> Callable[[int], int]:
    return lambda key: pages.get(key, 0)


def _deduplicated(built: RDD[tuple[Order, Article]]) -> RDD[tuple[Order, Article]]:
    """One article an id (the last read, as a local re-ingest replaces it), and each text's
    later copies marked `duplicate_of` its first."""
    latest = built.map(lambda item: (item[1].id, item)).reduceByKey(
        lambda x, y: x if x[0] > y[0] else y).values()
    first: RDD[tuple[str, tuple[Order, str]]] = latest.map(
        lambda item: (item[1].text_hash, (item[0], item[1].id))).reduceByKey(min)

    def mark(joined: tuple[str, tuple[tuple[Order, Article], tuple[Order, str]]]
             ) -> tuple[Order, Article]:
        (order, article), (_, original) = joined[1]
        article.duplicate_of = original if original != article.id else None
        return order, article

    return latest.map(lambda item: (item[1].text_hash, item)).join(first).map(mark)

