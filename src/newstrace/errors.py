"""Typed exceptions. The library raises these; the CLI turns them into messages and exit codes."""

from __future__ import annotations


class NewstraceError(Exception):
    """Base class for every error newstrace raises on purpose."""


class InputError(NewstraceError):
    """An input cannot be read as an article. `reason` is a short slug used for counting skips."""

    def __init__(self, path: str, reason: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.reason = reason
        self.message = message


class StoreError(NewstraceError):
    """The store cannot be opened, migrated or written."""


class NotFoundError(NewstraceError):
    """An article (or other record) named by the user is not in the store."""


class StaleResultsError(NewstraceError):
    """A store's relations or stories were computed by other code than this process runs,
    and the reader asked for current results only (`Collection.require_current`)."""


class MissingDependencyError(NewstraceError):
    """An optional dependency is needed for a capability and is not installed."""

    def __init__(self, package: str, capability: str, extra: str) -> None:
        super().__init__(
            f"{capability} needs the package {package!r}, which is not installed. "
            f"Install it with: pip install 'newstrace[{extra}]'"
        )
        self.package = package
