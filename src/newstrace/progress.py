"""How long-running jobs report progress: a callable taking how many items were just done."""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[int], None]


def no_progress(_: int) -> None:
    """The default: report nothing."""
