"""Sizes as users give and read them: one megabyte is 10**6 bytes everywhere (the input
limit `--max-size`, the web app's `--max-upload`, the report's size), so that two options
both "in MB" mean the same number of bytes."""

from __future__ import annotations

MB = 1_000_000


def megabytes(size: float) -> str:
    """`size` bytes as a user reads it: "2 MB", "0.5 MB"."""
    return f"{size / MB:g} MB"
