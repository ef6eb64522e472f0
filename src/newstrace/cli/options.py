"""Options and helpers that every subcommand shares."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from newstrace.collection import Collection
from newstrace.errors import NewstraceError

F = TypeVar("F", bound=Callable[..., Any])
DEFAULT_DB = "newstrace.db"


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
