"""The local runner: an SQLite collection kept up to date incrementally; all of its state
lives here."""
