"""newstrace: trace how news spreads across a pile of articles."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Collection", "__version__"]

if TYPE_CHECKING:
    from newstrace.collection import Collection


def __getattr__(name: str) -> Any:
    # Imported on first use, so `import newstrace` stays light.
    if name == "Collection":
        from newstrace.collection import Collection

        return Collection
    raise AttributeError(f"module 'newstrace' has no attribute {name!r}")
