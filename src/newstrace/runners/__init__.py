"""The runners: each drives the stages over its own kind of state (memory, SQLite, Spark)."""
