"""The memory runner (the reference) and the local SQLite runner give the same articles,
relations, stories, trees and facts on the same inputs: the same stages, driven two ways."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bench.data import DataMissing, data_dir
from conftest import EXAMPLES
from newstrace import Collection
from newstrace.runners.memory import MemoryRun, analyze_in_memory, read_articles
from newstrace.stages.articles import IngestConfig


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


FACTS = [
    "The harbour board approved a new sea wall for Kellsworth on Thursday after two winters "
    "of flooding damaged more than forty homes.",
    "The county will open a second ferry route to Marlow in June, the transport office said "
    "after a vote of nine to three.",
    "A survey of 1,200 tenants found that rents in Dunmore rose by a fifth over two years, "
    "the housing charity said on Monday.",
    "The rowing club in Yarmouth confirmed plans for a youth academy that will train sixty "
    "young people a year from next spring.",
]
DEVELOPING = "This is a developing story and will be updated."


def test_a_sites_repeated_line_is_cut_from_every_page_whatever_the_batch(
        tmp_path: Path) -> None:
    # A line on every page of a site is furniture once three pages carry it. The local
    # runner used to count only the pages stored so far: with batches of one page, the
    # first two kept the line, while the memory and Spark runners (counting the whole
    # input) cut it from all four.
    lines = tmp_path / "site.jsonl"
    lines.write_text("".join(json.dumps({
        "url": f"https://www.kellsworth-post.example/news/{n}", "title": f"Report {n}",
        "published": f"2025-03-0{n + 1}T10:00:00+00:00",
        "text": f"{fact}\n\n{DEVELOPING}\n\n{FACTS[(n + 1) % 4]}"}) + "\n"
        for n, fact in enumerate(FACTS)), encoding="utf-8")
    memory = read_articles([str(lines)])
    with Collection(tmp_path / "c.db", paraphrase=False,
                    ingest=IngestConfig(batch_size=1)) as collection:
        collection.ingest([str(lines)])
        local = collection.store.articles_by_id(list(memory))
    assert len(memory) == len(local) == 4
    assert all(DEVELOPING not in article.text for article in memory.values())
    assert {a: article.text for a, article in local.items()} == {
        a: article.text for a, article in memory.items()}


def test_a_copy_is_marked_a_copy_of_the_first_read_whatever_the_batch(tmp_path: Path) -> None:
    # Batches of two: [other, first] then [second, third]. The third page's text was first
    # read in the earlier batch; the local runner used to name the second page (its own
    # batch's first with the text, itself a copy) where the memory runner names the first.
    def page(n: int, text: str) -> str:
        return json.dumps({"url": f"https://www.wire-{n}.example/story", "title": "Wall",
                           "published": "2025-03-01T10:00:00+00:00", "text": text}) + "\n"

    copied = "\n\n".join(FACTS[:2])
    lines = tmp_path / "copies.jsonl"
    lines.write_text(page(0, "\n\n".join(FACTS[2:])) + "".join(
        page(n, copied) for n in (1, 2, 3)), encoding="utf-8")
    memory = read_articles([str(lines)])
    with Collection(tmp_path / "c.db", paraphrase=False,
                    ingest=IngestConfig(batch_size=2)) as collection:
        collection.ingest([str(lines)])
        local = collection.store.articles_by_id(list(memory))
    copies = {a: article.duplicate_of for a, article in memory.items()}
    assert sum(1 for first in copies.values() if first) == 2
    assert len(set(copies.values()) - {None}) == 1  # both copies name the first page
    assert {a: article.duplicate_of for a, article in local.items()} == copies
