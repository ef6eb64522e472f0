"""The answer follows the articles, not the folder they lie in nor float noise (issue 15).

The example collection is analysed from folders of different names and depths, with every
alignment score nudged by up to a thousandth (several seeds), and from a store written before ids
followed content; each time the stories, relations, family trees and facts are the same.
"""

from __future__ import annotations

import gzip
import json
import random
import shutil
from pathlib import Path
from typing import Any

import pytest

import newstrace.runners.parallel
from conftest import EXAMPLES, run_cli
from newstrace.collection import Collection
from newstrace.records import Alignment, Article, Edge, Evidence, Relation
from newstrace.stages.reuse.relate import RelateConfig
from newstrace.stages.stories.provenance import PROVENANCE, choose_source

FIXTURES = Path(__file__).parent / "fixtures"
# Written by newstrace at commit b3d475d (schema 8, ids from absolute paths):
# `newstrace analyze articles --db ../old.db` run in /tmp/oldstore/x, a copy of examples/.
OLD_STORE = FIXTURES / "store-v8-example.db.gz"

_VOLATILE = {"computed_at", "source_path"}  # when it ran, and where the files lay


def _copy_examples(folder: Path) -> Path:
    target = folder / "articles"
    shutil.copytree(EXAMPLES / "articles", target)
    return target


def _analyse(db: Path, *paths: Path) -> Path:
    with Collection(db) as collection:
        collection.add([str(path) for path in paths])
    return db


def _json(*args: str) -> Any:
    result = run_cli(*args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _strip(value: Any, drop: set[str], floats: bool) -> Any:
    if isinstance(value, dict):
        return {k: _strip(v, drop, floats) for k, v in value.items() if k not in drop}
    if isinstance(value, list):
        return [_strip(item, drop, floats) for item in value]
    return None if isinstance(value, float) and not floats else value


def answer(db: Path, drop: set[str] = _VOLATILE, *, floats: bool = True) -> dict[str, Any]:
    """Everything a user reads: stories, every relation, each story's trace and facts."""
    stories = _json("stories", "--db", str(db), "--json")
    found: dict[str, Any] = {
        "stories": stories,
        "relations": _json("relations", "--db", str(db), "--all", "--json"),
    }
    for story in stories:
        found[f"trace {story['id']}"] = _json("trace", story["id"], "--db", str(db), "--json")
        found[f"facts {story['id']}"] = _json("facts", story["id"], "--db", str(db), "--json")
    return _strip(found, drop, floats)


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("reference")
    return _analyse(folder / "collection.db", _copy_examples(folder))


def test_the_answer_does_not_depend_on_the_folder(reference: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "zz" / "a deeper" / "folder"
    elsewhere.mkdir(parents=True)
    moved = _analyse(tmp_path / "other.db", _copy_examples(elsewhere))
    first, second = answer(reference), answer(moved)
    assert first == second
    # The example's spin matches the original and its two verbatim reprints alike: the rule,
    # not the folder's name, makes the original its source, and the evidence says so.
    traces = [value for key, value in first.items() if key.startswith("trace")]
    choices = [item for trace in traces for edge in trace["edges"]
               for item in edge["evidence"] if item["kind"] == "source-choice"]
    assert choices and all("origin of the others" in c["detail"]
                           or "credits" in c["detail"] for c in choices)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_tiny_score_noise_changes_no_verdict(reference: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch,
                                             seed: int) -> None:
    noise = random.Random(seed)
    relate = newstrace.runners.parallel.relate

    def nudged(alignment: Alignment, a: Article, b: Article,
               config: RelateConfig | None = None) -> Relation:
        for name, value in alignment.scores.items():
            alignment.scores[name] = value * (1 + noise.uniform(-1e-3, 1e-3))
        return relate(alignment, a, b, config)

    monkeypatch.setattr(newstrace.runners.parallel, "relate", nudged)
    perturbed = _analyse(tmp_path / "nudged.db", _copy_examples(tmp_path))
    # Scores and confidences move by the noise (and the sentences that print them); every
    # verdict and choice must not.
    verdicts = _VOLATILE | {"detail"}
    assert (answer(perturbed, verdicts, floats=False)
            == answer(reference, verdicts, floats=False))


def test_a_moved_folder_adds_nothing_and_keeps_its_ids(tmp_path: Path) -> None:
    first = _copy_examples(tmp_path / "first")
    db = tmp_path / "c.db"
    with Collection(db, paraphrase=False) as collection:
        stored = collection.ingest([str(first)])
        ids = {a.id for a in collection.store.articles()}
    moved = tmp_path / "mounted" / "elsewhere"
    shutil.copytree(first, moved)
    shutil.rmtree(first)
    with Collection(db, paraphrase=False) as collection:
        again = collection.ingest([str(moved)])
        articles = list(collection.store.articles())
    assert (again.ingested, again.updated, again.duplicates) == (0, 0, 0)
    assert again.unchanged == stored.ingested
    assert {a.id for a in articles} == ids
    # The path is kept as where each article was read from: now the new folder.
    assert all(Path(a.source_path).parent == moved for a in articles)


def test_a_store_written_before_content_ids_migrates(reference: Path, tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    db.write_bytes(gzip.decompress(OLD_STORE.read_bytes()))
    # Reading the same files again from where they lie now adds nothing...
    with Collection(db) as collection:
        again = collection.add([str(_copy_examples(tmp_path))])
    assert (again.ingest.ingested, again.ingest.updated) == (0, 0)
    # ...and the verdicts the old version stored (another relate model) are computed again,
    # so the migrated store answers as a fresh analysis does.
    assert again.relate.model_changed
    # Every verdict, story, tree and fact as fresh; scores only to the float noise of the
    # sentence vectors the old store kept (encoded in other batches: differences of 1e-4).
    assert answer(db, floats=False) == answer(reference, floats=False)
    with Collection(db) as collection:
        assert not collection.add([str(_copy_examples(tmp_path / "again"))]).relate.model_changed


def _edge(source: str, strength: float, *evidence: Evidence, confidence: float = 0.6) -> Edge:
    return Edge(source, "copy", "spin", confidence, True, strength, list(evidence))


def _article(article_id: str, published: str | None) -> Article:
    from newstrace.records import SourceKind

    return Article(id=article_id, source_path=f"{article_id}.txt", kind=SourceKind.TEXT,
                   text="x", text_hash=article_id, published=published)


def test_choose_source_rule_in_order() -> None:
    articles = {name: _article(name, date) for name, date in
                (("a1", "2026-03-14T10:00"), ("b2", "2026-03-14T09:00"),
                 ("c3", "2026-03-14T09:00"), ("copy", None))}
    # Clearly surer relation: no tie, no note.
    clear = choose_source([_edge("a1", 0.9), _edge("b2", 0.8)], set(), articles)
    assert clear.source == "a1" and not clear.evidence
    # Within the tolerance: the credited source wins over an earlier one.
    credit = Evidence("credit", "copy credits a1", 0.9, "a1")
    chosen = choose_source([_edge("b2", 0.9), _edge("a1", 0.9 - PROVENANCE.source_tie / 2, credit)],
                           set(), articles)
    assert chosen.source == "a1" and "credits" in chosen.evidence[-1].detail
    # No credit: the family's origin (b2 copied a1) over its earlier-published reprint.
    chosen = choose_source([_edge("b2", 0.9), _edge("a1", 0.9)], {("a1", "b2")}, articles)
    assert chosen.source == "a1" and "origin of the others" in chosen.evidence[-1].detail
    # No family: the earliest published; equal times: the surer direction; then the id.
    assert choose_source([_edge("a1", 0.9), _edge("b2", 0.9)], set(), articles).source == "b2"
    assert choose_source([_edge("b2", 0.9, confidence=0.5), _edge("c3", 0.9, confidence=0.9)],
                         set(), articles).source == "c3"
    # Then the source of more other derivatives (c3 is also the spin "x"'s source)...
    chosen = choose_source([_edge("b2", 0.9), _edge("c3", 0.9)], {("c3", "x"), ("c3", "copy")},
                           articles)
    assert chosen.source == "c3" and "most other derivatives" in chosen.evidence[-1].detail
    # ...then the id.
    tie = choose_source([_edge("c3", 0.9), _edge("b2", 0.9)], set(), articles)
    assert tie.source == "b2" and "smallest id" in tie.evidence[-1].detail
