"""The Spark runner on local[2] gives the local runner's answers on the example collection
(relations and their labels, story membership), counts a bad record as a reject, and a
second run over the same input and output writes the same tables."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pyspark = pytest.importorskip(
    "pyspark", reason="pyspark is not installed: pip install 'newstrace[spark]' (make test "
                      "installs it)")
pq = pytest.importorskip("pyarrow.parquet")

from newstrace.collection import Collection  # noqa: E402
from newstrace.runners.spark.job import SparkJobConfig, analyze  # noqa: E402
from newstrace.runners.spark.session import start  # noqa: E402

EXAMPLES = Path(__file__).parent.parent / "examples" / "articles"


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    session = start("local[2]", partitions=2, app="newstrace-test")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("inputs")
    shutil.copytree(EXAMPLES, folder / "articles")
    (folder / "articles" / "broken.jsonl").write_text('{"title": "no text field"}\n{oops\n')
    return folder / "articles"


def _table(out: Path, name: str) -> list[dict[str, Any]]:
    return sorted(pq.read_table(out / name).to_pylist(), key=repr)


def _stories(pairs: list[tuple[str, str]]) -> set[frozenset[str]]:
    found: dict[str, set[str]] = {}
    for article_id, story in pairs:
        found.setdefault(story, set()).add(article_id)
    return {frozenset(members) for members in found.values()}


def test_spark_equals_local_runner(spark: Any, inputs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    config = SparkJobConfig(paraphrase=False)
    summary = analyze(spark, [str(inputs)], str(out), config)
    with Collection.open(tmp_path / "local.db", paraphrase=False) as local:
        local.add([str(inputs)])
    db = sqlite3.connect(tmp_path / "local.db")
    local_relations = set(db.execute("SELECT a, b, relation FROM relations"))
    local_stories = _stories(list(db.execute("SELECT article_id, story_id FROM story_members")))

    relations = {(r["a"], r["b"], r["relation"]) for r in _table(out, "relations")}
    assert relations == local_relations
    assert any(label != "unrelated" for _, _, label in relations)
    stories = _stories([(r["article_id"], r["story"]) for r in _table(out, "stories")])
    assert stories == local_stories
    assert max(len(members) for members in stories) > 1
    assert {r["id"] for r in _table(out, "articles")} == {
        row[0] for row in db.execute("SELECT id FROM articles")}
    assert _table(out, "edges") and _table(out, "claims")
    assert summary.counts["relations"] == len(relations)

    rejects = _table(out, "rejects")
    assert {r["reason"] for r in rejects} >= {"missing-field", "malformed-json"}
    assert all("broken.jsonl" in r["path"] for r in rejects)

    # `newstrace import` gives a store whose stories are the Spark run's.
    with Collection.open(tmp_path / "imported.db", paraphrase=False) as imported:
        imported.import_spark_run(str(out))
        assert {frozenset(s["articles"]) for s, _ in imported.traced_stories()} == stories

    before = {name: _table(out, name) for name in ("articles", "relations", "stories",
                                                     "edges", "rejects")}
    analyze(spark, [str(inputs)], str(out), config)
    assert {name: _table(out, name) for name in before} == before
