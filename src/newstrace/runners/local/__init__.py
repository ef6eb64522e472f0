"""The local runner: an SQLite collection kept up to date incrementally; all its state lives here."""
