"""The memory runner (the reference) and the local SQLite runner give the same articles,
relations, stories, trees and facts on the same inputs: the same stages, driven two ways."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bench.data import DataMissing, data_dir
from conftest import EXAMPLES
from newstrace import Collection
from newstrace.runners.memory import MemoryRun, analyze_in_memory


def _local(paths: list[str], db: Path) -> dict[str, Any]:
    with Collection(db, paraphrase=False) as collection:
        collection.add(paths)
        relations = {(r["a"], r["b"]): (r["relation"], r["source"], r["explained_by"],
                                        r["scores"]) for r in
                     collection.relations(include_unrelated=True)}
        traced = collection.traced_stories()
        stories = {story.id: story.as_dict() for story, _ in traced}
        traces = {story.id: found.as_dict() for story, found in traced}
        facts = {story_id: collection.facts(story_id).as_dict()
                 for story_id, story in stories.items() if story["size"] > 1}
        texts = {a["id"]: a["text_hash"] for a in collection.listing()}
    return {"texts": texts, "relations": relations, "stories": stories, "traces": traces,
            "facts": facts}


def _memory(run: MemoryRun) -> dict[str, Any]:
    return {"texts": {a.id: a.text_hash for a in run.articles.values()},
            "relations": {(r.a, r.b): (r.relation, r.source, r.explained_by, r.scores)
                          for r, _ in run.relations},
            "stories": {story_id: story.as_dict() for story_id, story in run.stories.items()},
            "traces": {story_id: found.as_dict() for story_id, found in run.traces.items()},
            "facts": {story_id: found.as_dict() for story_id, found in run.facts.items()}}


def _agree(paths: list[str], db: Path) -> dict[str, Any]:
    local, memory = _local(paths, db), _memory(analyze_in_memory(paths, None))
    for part in ("texts", "relations", "stories", "traces", "facts"):
        assert memory[part] == local[part], f"the runners differ in {part}"
    return local


def test_runners_agree_on_the_examples(tmp_path: Path) -> None:
    found = _agree([str(EXAMPLES / "articles")], tmp_path / "c.db")
    # not vacuous: the examples hold copies, a story of several articles, and its facts
    assert any(relation != "unrelated" for relation, *_ in found["relations"].values())
    assert any(story["size"] > 2 for story in found["stories"].values())
    assert found["facts"]


def test_runners_agree_on_spread_dev(tmp_path: Path) -> None:
    try:
        folder = data_dir("spread-dev")
    except DataMissing as missing:
        pytest.skip(str(missing))
    texts = sorted(str(path) for path in folder.glob("*.txt"))
    found = _agree(texts, tmp_path / "c.db")
    assert len(found["texts"]) == len(texts)
