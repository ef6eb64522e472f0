"""Starting Spark, with one clear message when pyspark (or Java) is missing."""

from __future__ import annotations

import os
import shutil
import sys
from typing import TYPE_CHECKING, Any

from newstrace.errors import MissingDependencyError, NewstraceError

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

NO_JAVA = ("Spark needs a Java runtime (17 or later) and `java` is not on PATH: "
           "install one, e.g. `apt-get install -y openjdk-17-jre-headless`")


class JavaMissing(NewstraceError):
    """Spark cannot start: no Java runtime."""


def require_pyspark() -> Any:
    """The pyspark module, or an error saying how to install it."""
    try:
        import pyarrow  # noqa: F401
        import pyspark
    except ImportError as error:
        raise MissingDependencyError("pyspark>=3.5, pyarrow", "the Spark runner",
                                     "spark") from error
    return pyspark


def start(master: str | None = None, partitions: int | None = None,
          app: str = "newstrace", driver_memory: str | None = None) -> SparkSession:
    """A Spark session on `master` (None: whatever spark-submit set, else local[*]).

    `driver_memory` ("4g") sizes the driver's JVM when this call starts it, as a `local[N]`
    run does; in local mode that JVM runs every task (with Spark's own 1g, a run of 10,000
    articles failed; with 4g it passed). Under spark-submit the JVM is already running: pass
    `--driver-memory` to spark-submit instead."""
    require_pyspark()
    from pyspark.sql import SparkSession

    if shutil.which("java") is None and not _java_home():
        raise JavaMissing(NO_JAVA)
    # Python workers run this interpreter (and so find newstrace) unless told otherwise.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = (SparkSession.builder.appName(app).config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               # Times as Parquet's UTC microseconds (Spark's default, INT96, is read back
               # by Arrow as naive nanoseconds): the tables keep `newstrace.tables`' types.
               .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS"))
    if master:
        builder = builder.master(master)
    if driver_memory:
        builder = builder.config("spark.driver.memory", driver_memory)
    if partitions:
        builder = builder.config("spark.sql.shuffle.partitions", str(partitions)).config(
            "spark.default.parallelism", str(partitions))
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def _java_home() -> bool:
    return bool(os.environ.get("JAVA_HOME"))
