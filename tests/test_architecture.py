"""The layout's rules (docs/architecture.md), checked on the source: a stage never imports a
runner, the collection or a face, and takes records, not a store's rows; a face never reaches
the store, SQL or a runner; faces do not import each other, but for the named exceptions
below."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "newstrace"
SHARED = ("records", "ids", "spans", "errors", "progress", "units")
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


PATHS = {_module(path): path for path in PACKAGE.rglob("*.py")}
MODULES = {module: _imports(path) for module, path in PATHS.items()}


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


# What a store row looks like in an annotation: sqlite3's row, or an untyped mapping of
# column names to values (the shape `dict(row)` and a decoded JSON column arrive in).
ROW_ANNOTATIONS = ("sqlite3", "Row", "[str, Any]", "[str, object]")
# Parameters of that shape in a stage that hold no store row, with why:
ROW_EXCEPTIONS = {
    # One line of a JSON-lines input, as the reader parsed it.
    ("stages.readers.jsonl", "_first", "record"),
    # The shipped derivation model's JSON file (derivation_model.json).
    ("stages.reuse.derivation", "from_dict", "data"),
    # The shipped line model's JSON file (line_model.json).
    ("stages.clean.linemodel", "from_dict", "data"),
    # The explanation `explain_pair` has just built, put into words.
    ("stages.stories.why", "_reasons", "record"),
}


def _row_parameters(path: Path) -> list[tuple[str, str, str]]:
    """(function, parameter, annotation) of every parameter annotated like a store row."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            arguments = node.args
            for argument in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs,
                             arguments.vararg, arguments.kwarg):
                if argument is None or argument.annotation is None:
                    continue
                shown = ast.unparse(argument.annotation)
                if any(mark in shown for mark in ROW_ANNOTATIONS):
                    found.append((node.name, argument.arg, shown))
    return found


def test_stages_take_records_not_store_rows() -> None:
    """No stage function takes a row (sqlite3.Row, Mapping[str, Any]...) where a record
    belongs: the runner maps its rows to records (runners/local/store/rows.py)."""
    stages = [m for m in MODULES if _inside(m, "stages") or m in SHARED]
    found = [f"{module}.{function}({parameter}: {shown})"
             for module in stages
             for function, parameter, shown in _row_parameters(PATHS[module])
             if (module, function, parameter) not in ROW_EXCEPTIONS]
    assert not found, "stages taking store rows instead of records: " + ", ".join(found)


def test_the_rules_catch_a_breach(tmp_path: Path) -> None:
    """The checks are not vacuous: an import of the store from a face is found."""
    source = tmp_path / "face.py"
    source.write_text("from newstrace.runners.local.store.db import Store\n", encoding="utf-8")
    names = _imports(source)
    assert any(_inside(name, "newstrace.runners") for name in names)
    source.write_text("import sqlite3\nfrom collections.abc import Mapping\n"
                      "def trace(story: str, row: sqlite3.Row) -> None: ...\n"
                      "def link(*, stored: Mapping[str, Any]) -> None: ...\n"
                      "def fine(relation: Relation, scores: Mapping[str, float]) -> None: ...\n",
                      encoding="utf-8")
    assert [(f, p) for f, p, _ in _row_parameters(source)] == [("trace", "row"),
                                                              ("link", "stored")]
