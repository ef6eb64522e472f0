"""`newstrace spark analyze` (the Spark runner) and `newstrace import` (its tables into a
store, so every other command shows a cluster run's result)."""

from __future__ import annotations

import json
import re

import click

from newstrace.cli.options import db_option, open_collection
from newstrace.cli.reuse import encoder_option
from newstrace.collection import spark_analyze
from newstrace.stages.reuse.cascade import Encoder

_MEMORY_SIZE = re.compile(r"\d+[kmgt]", re.IGNORECASE)


def _memory_size(_context: click.Context, _parameter: click.Parameter, value: str) -> str:
    """A JVM memory size as Spark reads it ("512m", "4g"), checked before Spark starts."""
    if not _MEMORY_SIZE.fullmatch(value):
        raise click.BadParameter(f"{value!r} is not a memory size: give a number and a unit, "
                                 "e.g. 4g or 512m")
    return value


@click.group("spark")
def spark_group() -> None:
    """Run newstrace on Apache Spark (needs: pip install 'newstrace[spark]')."""


@spark_group.command("analyze")
@click.argument("inputs", nargs=-1, required=True)
@click.option("--out", required=True, help="Folder (or any URI Spark writes) for the tables.")
@click.option("--master", help="Spark master URL (default: spark-submit's, else local[*]).")
@click.option("--partitions", type=click.IntRange(1), help="Shuffle partitions.")
@click.option("--paraphrase/--no-paraphrase", default=True, show_default=True,
              help="Paraphrase detection (sentence embeddings, loaded once a partition).")
@encoder_option
@click.option("--facts/--no-facts", default=True, show_default=True,
              help="Claims and discrepancies tables.")
@click.option("--driver-memory", default="4g", show_default=True, callback=_memory_size,
              help="Memory of the Spark driver this command starts (in local mode it runs "
              "every task; with Spark's own default, 1g, a 10,000-article run failed). "
              "Under spark-submit, give spark-submit --driver-memory instead.")
def analyze_command(inputs: tuple[str, ...], out: str, master: str | None,
                    partitions: int | None, paraphrase: bool, encoder: Encoder,
                    facts: bool, driver_memory: str) -> None:
    """Read INPUTS (JSONL, Parquet, WARC, folders of HTML/text; local paths or any URI Spark
    reads) and write articles, sentences, relations, stories, edges, claims, discrepancies
    and rejects as Parquet under --out (docs/spark.md). Re-running overwrites them."""
    summary = spark_analyze(inputs, out, master=master, partitions=partitions,
                            paraphrase=paraphrase, facts=facts,
                            driver_memory=driver_memory, encoder=encoder)
    click.echo(json.dumps(summary, indent=2))


@click.command("import")
@click.argument("folder")
@db_option
def import_command(folder: str, db: str) -> None:
    """Load Parquet tables into the collection, replacing what it held for those articles:
    a Spark run's (FOLDER as `spark analyze --out` wrote it) or another collection's
    (`newstrace export --format parquet`)."""
    with open_collection(db, paraphrase=False) as collection:
        counts = collection.import_spark_run(folder)
    click.echo(json.dumps(counts, indent=2))


def register(cli: click.Group) -> None:
    cli.add_command(spark_group)
    cli.add_command(import_command)
