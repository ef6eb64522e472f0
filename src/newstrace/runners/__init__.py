"""Runners: the orders, state and scale in which the stage kernels run (local SQLite, Spark)."""
