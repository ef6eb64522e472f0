"""What stored results were computed with: a digest of the source of the code behind them.

A store keeps results that later runs build on (an article's event terms, a story's facts
summary). Code that computes them differently (a newer newstrace, a fix to the date finder)
must not be mixed with what older code kept, so a runner stores a stamp beside them and reads
them again when the stamp differs. The stamp covers a root module and every newstrace module it
imports, directly or not, found from the import statements, so no list of files has to be
kept by hand; a change to any of them (a comment too) gives a new stamp and one re-read.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
from collections.abc import Iterable
from functools import cache
from pathlib import Path

_PACKAGE = "newstrace"


def _source_file(module: str) -> Path | None:
    """The file a newstrace module is read from, or None if there is no such module."""
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return None
    if spec is None or spec.origin is None or not spec.origin.endswith(".py"):
        return None
    return Path(spec.origin)


def _imported(tree: ast.Module) -> set[str]:
    """The newstrace modules a module's import statements name (a `from package import
    name` names the submodule too, when there is one)."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    # `import newstrace` alone would name the whole library (its __init__ imports the faces'
    # door); stage code never does it, so the package itself is left out.
    return {name for name in found if name.startswith(_PACKAGE + ".")}


def module_closure(roots: Iterable[str]) -> dict[str, Path]:
    """Every newstrace module the roots import, directly or not, with its source file (the
    roots included; the packages a module sits in are imported with it, so they count)."""
    files: dict[str, Path] = {}
    waiting = list(roots)
    while waiting:
        module = waiting.pop()
        if module in files:
            continue
        path = _source_file(module)
        if path is None:
            continue
        files[module] = path
        parents = [module.rsplit(".", depth)[0] for depth in range(1, module.count("."))]
        waiting.extend(parents)
        waiting.extend(_imported(ast.parse(path.read_bytes(), str(path))))
    return files


@cache
def _source_digest(roots: tuple[str, ...]) -> bytes:
    """The digest of the roots' closure, read once a process: the stamp names the code this
    process runs, which an edit to the files on disk after it started does not change."""
    digest = hashlib.blake2b(digest_size=16)
    for module, path in sorted(module_closure(roots).items()):
        digest.update(module.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.digest()


def code_stamp(roots: Iterable[str], *settings: object) -> str:
    """A digest of the source of the roots and what they import, and of the settings' reprs
    (a config dataclass that the results also depend on)."""
    digest = hashlib.blake2b(_source_digest(tuple(sorted(roots))), digest_size=16)
    for setting in settings:
        digest.update(repr(setting).encode() + b"\0")
    return digest.hexdigest()
