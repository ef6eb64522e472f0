"""Options and helpers that every subcommand shares."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from newstrace.errors import NewstraceError
from newstrace.runners.local.store.db import Store

F = TypeVar("F", bound=Callable[..., Any])
DEFAULT_DB = "newstrace.db"


def db_option(function: F) -> F:
    return click.option("--db", default=DEFAULT_DB, show_default=True, envvar="NEWSTRACE_DB",
                        type=click.Path(dir_okay=False),
                        help="The collection: an SQLite file (created when missing).")(function)


def open_store(db: str, *, readonly: bool = False) -> Store:
    """The store, or a one-line usage error naming the file and the fix."""
    try:
        return Store(db, readonly=readonly)
    except NewstraceError as error:
        raise click.ClickException(str(error)) from error
