"""The local web app (`newstrace serve`): the report's pages live, search, "check a text" and
a JSON API. Needs the `web` extra (FastAPI, uvicorn, python-multipart)."""

from __future__ import annotations

from importlib.util import find_spec

from newstrace.errors import MissingDependencyError

WEB_PACKAGES = (("fastapi", "fastapi"), ("uvicorn", "uvicorn"), ("multipart", "python-multipart"))


def require_web() -> None:
    """Raise a clear error naming the extra when a web dependency is missing."""
    for module, package in WEB_PACKAGES:
        if find_spec(module) is None:
            raise MissingDependencyError(package, "The web app (`newstrace serve`)", "web")
