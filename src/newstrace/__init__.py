"""newstrace: trace how news spreads across a pile of articles."""

__version__ = "0.1.0"
