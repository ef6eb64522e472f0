"""Options and helpers that every subcommand shares."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click
from rich.markup import escape

from newstrace.cli.progress import stderr
from newstrace.collection import Collection
from newstrace.errors import NewstraceError

F = TypeVar("F", bound=Callable[..., Any])
DEFAULT_DB = "newstrace.db"
# `report` and `serve` refuse a store whose relations or stories other code computed, unless
# given this flag: their pages are read by people who never see the terminal's warning.
allow_stale_option = click.option(
    "--allow-stale", is_flag=True,
    help="Show relations and stories computed by another version of newstrace (or other "
    "model files) as they are; without it, such a store is refused with the command that "
    "brings it up to date.")


def db_option(function: F) -> F:
    return click.option("--db", default=DEFAULT_DB, show_default=True, envvar="NEWSTRACE_DB",
                        type=click.Path(dir_okay=False),
                        help="The collection: an SQLite file (created when missing).")(function)


def open_collection(db: str, *, readonly: bool = False, **options: Any) -> Collection:
    """The collection, or a one-line usage error naming the file and the fix."""
    try:
        return Collection(db, readonly=readonly, **options)
    except NewstraceError as error:
        raise click.ClickException(str(error)) from error


def warn_if_stale(collection: Collection) -> None:
    """Say on stderr (even under -q: it is about the answer, not the progress) when the
    collection's stored relations or stories were computed by other code, naming the store
    and the command that brings them up to date. The terminal commands (`stories`, `trace`,
    `facts`, `why`, `relations`, `export`) warn rather than refuse: their reader sees the
    warning beside the answer, and a store that takes hours to analyse again stays readable
    meanwhile."""
    message = collection.stale_message()
    if message is not None:
        stderr.print(f"[yellow]warning:[/] {escape(message)}", highlight=False)


def require_current(collection: Collection, allow_stale: bool) -> None:
    """Refuse (a usage error naming the store and the fix) a collection whose stored results
    other code computed, unless `allow_stale`; then only warn."""
    if allow_stale:
        warn_if_stale(collection)
        return
    try:
        collection.require_current()
    except NewstraceError as error:
        raise click.ClickException(f"{error}; or pass --allow-stale to show them as they "
                                   "are") from error
