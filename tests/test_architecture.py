"""The layout's import rules (docs/architecture.md), checked on the source: a stage never
imports a runner, the collection or a face; a face never reaches the store, SQL or a runner;
faces do not import each other, but for the named exceptions below."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "newstrace"
SHARED = ("records", "ids", "spans", "errors", "progress")
FACES = ("cli", "web", "report")
# Imports between faces that are the point of the module, with why:
FACE_EXCEPTIONS = {
    # `newstrace serve` starts the web app (imported inside the command, only when run).
    ("cli.report", "web"),
    # The report's page views (model, links, render) are what the web app serves live.
    ("web.app", "report"), ("web.pages", "report"), ("web.service", "report"),
    ("cli.report", "report"),
}


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every module `path` imports (absolute names; relative imports are not used here)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _inside(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def _top(module: str) -> str:
    return module.split(".", 1)[0]


MODULES = {_module(path): _imports(path) for path in PACKAGE.rglob("*.py")}


def _violations(modules: list[str], forbidden: list[str]) -> list[str]:
    return sorted(f"{module} imports {name}" for module in modules
                  for name in MODULES[module]
                  if any(_inside(name, f"newstrace.{bad}") for bad in forbidden))


def test_the_tree_is_there() -> None:
    for package in ("stages", "runners", "runners.local", "runners.local.store"):
        assert package in MODULES, f"newstrace.{package} is missing"
    for module in ("collection", "runners.memory", "stages.articles", *SHARED):
        assert module in MODULES, f"newstrace.{module} is missing"


def test_stages_import_no_runner_collection_or_face() -> None:
    stages = [m for m in MODULES if _inside(m, "stages") or m in SHARED]
    assert not _violations(stages, ["runners", "collection", *FACES])


def test_stages_use_no_store_sql_or_process_pool() -> None:
    stages = [m for m in MODULES if _inside(m, "stages") or m in SHARED]
    bad = [f"{m} imports {name}" for m in stages for name in MODULES[m]
           if _top(name) in ("sqlite3", "multiprocessing") or _inside(name, "concurrent")]
    assert not bad


def test_runners_import_no_face() -> None:
    runners = [m for m in MODULES if _inside(m, "runners")]
    assert not _violations(runners, ["collection", *FACES])


def test_the_memory_runner_keeps_no_state() -> None:
    assert not _violations(["runners.memory"], ["runners.local"])
    assert not [name for name in MODULES["runners.memory"] if _top(name) == "sqlite3"]


@pytest.mark.parametrize("face", FACES)
def test_faces_reach_no_store_sql_or_runner(face: str) -> None:
    modules = [m for m in MODULES if _inside(m, face)]
    assert modules
    assert not _violations(modules, ["runners"])
    assert not [f"{m} imports sqlite3" for m in modules for name in MODULES[m]
                if _top(name) == "sqlite3"]


@pytest.mark.parametrize("face", FACES)
def test_faces_do_not_import_each_other(face: str) -> None:
    modules = [m for m in MODULES if _inside(m, face)]
    others = [other for other in FACES if other != face]
    found = [(m, name) for m in modules for name in MODULES[m]
             for other in others if _inside(name, f"newstrace.{other}")]
    unexpected = sorted(f"{m} imports {name}" for m, name in found
                        if not any(m == allowed and _inside(name, f"newstrace.{target}")
                                   for allowed, target in FACE_EXCEPTIONS))
    assert not unexpected


def test_the_rules_catch_a_breach(tmp_path: Path) -> None:
    """The checks are not vacuous: an import of the store from a face is found."""
    source = tmp_path / "face.py"
    source.write_text("from newstrace.runners.local.store.db import Store\n", encoding="utf-8")
    names = _imports(source)
    assert any(_inside(name, "newstrace.runners") for name in names)
