"""Progress bars and summaries on stderr, shared by `ingest` and `analyze`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from newstrace.collection import Collection, IngestSummary
from newstrace.records import Skip

stderr = Console(stderr=True, soft_wrap=True)


@contextmanager
def stage(label: str, total: int | None, *, quiet: bool) -> Iterator[Callable[[int], None]]:
    """A progress bar for one stage (shown only on a terminal); yields `advance(n)`."""
    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TextColumn("articles"),
               TimeElapsedColumn())
    show = not quiet and stderr.is_terminal
    with Progress(*columns, console=stderr, disable=not show, transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda n: bar.advance(task, n)


def report_skip(skip: Skip) -> None:
    """One line on stderr for an input passed over, and why."""
    stderr.print(f"[yellow]skipped[/] {escape(skip.path)}: {escape(skip.message)}",
                 highlight=False)


def run_ingest(collection: Collection, paths: list[str], *, quiet: bool) -> IngestSummary:
    with stage("ingesting", None, quiet=quiet) as advance:
        return collection.ingest(paths, progress=advance, on_skip=report_skip)


def print_ingest_summary(summary: IngestSummary, db: str) -> None:
    parts = [f"{summary.ingested} ingested", f"{summary.updated} updated",
             f"{summary.unchanged} unchanged", f"{summary.duplicates} exact duplicates",
             f"{len(summary.skips)} skipped"]
    if summary.skipped:
        parts[-1] += " (" + ", ".join(f"{reason}: {n}" for reason, n in
                                      sorted(summary.skipped.items())) + ")"
    if summary.errors:
        parts.append(f"{summary.errors} failed unexpectedly")
    stderr.print(f"{escape(db)}: " + ", ".join(parts), highlight=False)
