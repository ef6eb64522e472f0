"""Where the evaluation data lives, and a clear skip when it is absent."""

from __future__ import annotations

import os
from pathlib import Path

DATA_ENV = "NEWSTRACE_DATA"


class DataMissing(Exception):
    """The evaluation data set a benchmark needs is not on this machine."""


def data_dir(name: str) -> Path:
    """The folder `name` in ../shared/data (or $NEWSTRACE_DATA); raises DataMissing if absent."""
    root = Path(os.environ.get(DATA_ENV, Path(__file__).resolve().parents[2] / "shared" / "data"))
    folder = root / name
    if not folder.is_dir():
        raise DataMissing(
            f"skipped: evaluation data {folder} not found (set {DATA_ENV} to the folder that "
            f"holds {name}/; the data is never copied into this repository)"
        )
    return folder
