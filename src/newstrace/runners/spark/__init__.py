"""The Spark runner: the library's stage functions as Spark jobs over files and Parquet.

Every stage kernel (cleaning, sketching, candidate scoring, alignment, relating, reconcile,
clustering, tracing, facts) is the library's own function called inside Spark; this package
holds only the order of the stages, the joins that bring each kernel its inputs, and the
Parquet tables it writes (docs/spark.md)."""
