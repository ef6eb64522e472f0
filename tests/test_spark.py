"""The Spark runner on local[2] gives the local runner's answers on the example collection
(relations and their labels, story membership, provenance edges, claims and discrepancies),
counts a bad record as a reject, writes the tables in `newstrace.tables`' schema (the columns
a local export has), and a second run over the same input and output writes the same tables.
The job runs twice in all (module fixtures share the first run)."""

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
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from bench.spark_equality import (  # noqa: E402
    FACT_TABLES,
    local_fact_tables,
    spark_fact_tables,
    table_differences,
)
from newstrace.collection import Collection  # noqa: E402
from newstrace.runners.config import ReuseConfig  # noqa: E402
from newstrace.runners.spark.components import DRIVER_EDGES, components  # noqa: E402
from newstrace.runners.spark.job import JobSummary, SparkJobConfig, analyze  # noqa: E402
from newstrace.runners.spark.session import start  # noqa: E402
from newstrace.stages.reuse.cascade import Encoder  # noqa: E402
from newstrace.tables import TABLES, schemas  # noqa: E402

EXAMPLES = Path(__file__).parent.parent / "examples" / "articles"
CONFIG = SparkJobConfig(paraphrase=False)
COMPARED = ("articles", "sentences", "relations", "stories", "edges", "claims",
            "discrepancies", "rejects")


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    session = start("local[2]", partitions=2, app="newstrace-test", driver_memory="1g")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("inputs")
    shutil.copytree(EXAMPLES, folder / "articles")
    (folder / "articles" / "broken.jsonl").write_text('{"title": "no text field"}\n{oops\n')
    return folder / "articles"


@pytest.fixture(scope="module")
def spark_run(spark: Any, inputs: Path, tmp_path_factory: pytest.TempPathFactory
              ) -> tuple[Path, JobSummary]:
    out = tmp_path_factory.mktemp("spark") / "out"
    return out, analyze(spark, [str(inputs)], str(out), CONFIG)


@pytest.fixture(scope="module")
def local_path(inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("local") / "local.db"
    with Collection.open(path, paraphrase=False) as local:
        local.add([str(inputs)])
    return path


@pytest.fixture(scope="module")
def local_db(local_path: Path) -> sqlite3.Connection:
    return sqlite3.connect(local_path)


def _table(out: Path, name: str) -> list[dict[str, Any]]:
    return sorted(pq.read_table(out / name).to_pylist(), key=repr)


def _stories(pairs: list[tuple[str, str]]) -> set[frozenset[str]]:
    found: dict[str, set[str]] = {}
    for article_id, story in pairs:
        found.setdefault(story, set()).add(article_id)
    return {frozenset(members) for members in found.values()}


def _spark_stories(out: Path) -> set[frozenset[str]]:
    return {frozenset(row["articles"]) for row in _table(out, "stories")}


def test_spark_equals_local_runner(spark_run: tuple[Path, JobSummary],
                                   local_db: sqlite3.Connection) -> None:
    out, summary = spark_run
    relations = {(r["a"], r["b"], r["relation"]) for r in _table(out, "relations")}
    assert relations == set(local_db.execute("SELECT a, b, relation FROM relations"))
    assert any(label != "unrelated" for _, _, label in relations)
    stories = _spark_stories(out)
    assert stories == _stories(list(local_db.execute(
        "SELECT article_id, story_id FROM story_members")))
    assert max(len(members) for members in stories) > 1
    articles = _table(out, "articles")
    assert {r["id"] for r in articles} == {row[0] for row in
                                           local_db.execute("SELECT id FROM articles")}
    story_of = {a: s["id"] for s in _table(out, "stories") for a in s["articles"]}
    assert all(row["story"] == story_of[row["id"]] for row in articles)
    assert _table(out, "edges") and _table(out, "claims")
    assert summary.counts["relations"] == len(relations)
    assert summary.counts["stories"] == len(stories)


def test_spark_provenance_and_facts_equal_the_local_export(
        spark_run: tuple[Path, JobSummary], local_path: Path) -> None:
    """Provenance edges, claims and discrepancies of the Spark run equal, row for row and
    field for field, what the local runner's export writes for the same inputs (each story
    named by its first article: the runners number stories apart)."""
    with Collection.open(local_path, paraphrase=False) as local:
        expected = local_fact_tables(local)
    found = spark_fact_tables(spark_run[0])
    assert all(expected[name] for name in FACT_TABLES)  # each table has rows to compare
    assert found.keys() == expected.keys()
    for name in expected:
        assert found[name] == expected[name], table_differences(expected, found)[name]


@pytest.mark.parametrize("encoder", ["static", "cascade"])
def test_spark_honours_the_encoder_setting_as_the_local_runner(
        spark: Any, inputs: Path, spark_run: tuple[Path, JobSummary], encoder: Encoder,
        tmp_path: Path) -> None:
    # `--encoder static|cascade` on both runners: the same relations, scores included, and
    # stories. Not vacuous: paraphrase evidence changes some verdicts of the verbatim run.
    pytest.importorskip("wordllama", reason="the static model is the `static` extra")
    reuse = ReuseConfig(encoder=encoder)
    out = tmp_path / "out"
    analyze(spark, [str(inputs)], str(out), SparkJobConfig(reuse=reuse))
    with Collection.open(tmp_path / "local.db", reuse=reuse) as local:
        local.add([str(inputs)])
        expected = {(r["a"], r["b"]): (r["relation"], r["scores"])
                    for r in local.relations(include_unrelated=True)}
        expected_facts = local_fact_tables(local)
    db = sqlite3.connect(tmp_path / "local.db")
    found = {(r["a"], r["b"]): (r["relation"], dict(r["scores"]))
             for r in _table(out, "relations")}
    assert found == expected
    assert _spark_stories(out) == _stories(list(db.execute(
        "SELECT article_id, story_id FROM story_members")))
    verbatim = {(r["a"], r["b"]): r["relation"] for r in _table(spark_run[0], "relations")}
    assert {pair: label for pair, (label, _) in found.items()} != verbatim
    # Facts run on the static model's vectors, mapped onto MiniLM's scale (as the other
    # runners read them): provenance edges, claims and discrepancies equal the local export's.
    found_facts = spark_fact_tables(out)
    assert found_facts["claims"]
    for name in expected_facts:
        assert found_facts[name] == expected_facts[name], \
            table_differences(expected_facts, found_facts)[name]


def test_bad_records_are_rejects(spark_run: tuple[Path, JobSummary]) -> None:
    rejects = _table(spark_run[0], "rejects")
    assert {r["reason"] for r in rejects} >= {"missing-field", "malformed-json"}
    assert all("broken.jsonl" in r["path"] for r in rejects)


def _shape(kind: Any) -> Any:
    """A type with the names of list and map members left out (Spark's Parquet calls a
    list's member `element`, Arrow's `item`): struct fields keep their names."""
    if pa.types.is_list(kind):
        return ("list", _shape(kind.value_type))
    if pa.types.is_map(kind):
        return ("map", _shape(kind.key_type), _shape(kind.item_type))
    if pa.types.is_struct(kind):
        return ("struct", tuple((field.name, _shape(field.type)) for field in kind))
    return str(kind)


def test_tables_have_the_local_exports_columns(spark_run: tuple[Path, JobSummary]) -> None:
    """One schema: a Spark run's Parquet and `newstrace export --format parquet` (which
    writes `newstrace.tables.schemas()`) have the same columns of the same types."""
    out = spark_run[0]
    assert set(TABLES) <= set(COMPARED)
    for name in COMPARED:
        written = pq.read_schema(next((out / name).glob("*.parquet")))
        expected = schemas()[name]
        assert written.names == expected.names, name
        assert [_shape(f.type) for f in written] == [_shape(f.type) for f in expected], name


def test_import_gives_the_runs_stories(spark_run: tuple[Path, JobSummary],
                                       tmp_path: Path) -> None:
    out = spark_run[0]
    with Collection.open(tmp_path / "imported.db", paraphrase=False) as imported:
        imported.import_spark_run(str(out))
        assert imported.stale() == []  # the run carried the stamps of this code
        assert {frozenset(s.articles) for s, _ in imported.traced_stories()} == \
            _spark_stories(out)
        assert {(r["a"], r["b"], r["relation"]) for r in imported.relations()} == {
            (r["a"], r["b"], r["relation"]) for r in _table(out, "relations")
            if r["relation"] != "unrelated"}


def test_a_second_run_writes_the_same_tables(spark: Any, inputs: Path,
                                             spark_run: tuple[Path, JobSummary]) -> None:
    out = spark_run[0]
    before = {name: _table(out, name) for name in COMPARED}
    analyze(spark, [str(inputs)], str(out), CONFIG)
    assert {name: _table(out, name) for name in COMPARED} == before


def test_the_driver_memory_asked_for_reaches_spark(spark: Any) -> None:
    assert spark.sparkContext.getConf().get("spark.driver.memory") == "1g"


@pytest.mark.parametrize("driver_edges", [DRIVER_EDGES, 0])
def test_components_of_a_distributed_edge_list(spark: Any, driver_edges: int) -> None:
    edges = [("c", "d"), ("b", "c"), ("a", "b"), ("x", "y"), ("y", "z"), ("m", "n"),
             ("q", "q")]
    found = dict(components(spark.sparkContext.parallelize(edges, 3), driver_edges).collect())
    assert found == {"a": "a", "b": "a", "c": "a", "d": "a", "x": "x", "y": "x", "z": "x",
                     "m": "m", "n": "m", "q": "q"}


def _reference_components(edges: list[tuple[str, str]]) -> dict[str, str]:
    """Each node's smallest node of its component, by a breadth-first walk."""
    near: dict[str, set[str]] = {}
    for a, b in edges:
        near.setdefault(a, set()).add(b)
        near.setdefault(b, set()).add(a)
    found: dict[str, str] = {}
    for first in sorted(near):
        if first in found:
            continue
        seen, frontier = {first}, [first]
        while frontier:
            frontier = [n for node in frontier for n in near[node] if n not in seen]
            seen.update(frontier)
        found.update(dict.fromkeys(seen, min(seen)))
    return found


@pytest.mark.parametrize("driver_edges", [DRIVER_EDGES, 0])
def test_components_of_a_long_chain_a_star_and_random_graphs(spark: Any,
                                                             driver_edges: int) -> None:
    """A chain of 300 whose ids rise then fall along it, its smallest node at one end (label
    propagation would need 299 rounds), a star of 200 round its largest node, and sparse
    random graphs: the same components as a plain walk, by either path."""
    import itertools
    import random

    names = [f"n{i:04d}" for i in range(300)]
    chain_order = names[150:] + names[:150][::-1]
    chain = list(itertools.pairwise(chain_order))
    star = [(f"s{i:04d}", "s9999") for i in range(200)]
    shuffled = random.Random(5)
    sparse = [(f"r{shuffled.randrange(400):03d}", f"r{shuffled.randrange(400):03d}")
              for _ in range(300)]
    for edges in (chain, star, chain + star + sparse):
        shuffled.shuffle(edges)
        rdd = spark.sparkContext.parallelize(edges, 4)
        assert dict(components(rdd, driver_edges).collect()) == _reference_components(edges)


def test_a_name_numbered_apart_parts_stories_on_spark_as_in_memory(
        spark: Any, tmp_path: Path) -> None:
    """The default conflict penalty (a name numbered apart, iPhone 17 and iPhone 18) reaches
    the Spark clustering: one company's two launches a year apart are two stories there as
    in the memory runner."""
    from test_story_events import LAUNCHES

    on_spark, in_memory = _spark_and_memory(spark, tmp_path, LAUNCHES)
    assert on_spark == in_memory == {frozenset({"launch-2025", "launch-2025b"}),
                                     frozenset({"launch-2026", "launch-2026b"})}


def _spark_and_memory(spark: Any, tmp_path: Path, reports: list[tuple[str, str, str]]
                      ) -> tuple[set[frozenset[str]], set[frozenset[str]]]:
    """The stories of `reports` (id, publication date, text) by Spark's stories step and by
    the memory runner, with the default clustering and no reuse verdicts."""
    from newstrace.runners.memory import group_stories, read_articles
    from newstrace.runners.spark.stories import stories
    from newstrace.stages.stories.cluster import ClusterConfig
    from pages import jsonl

    source = tmp_path / "reports.jsonl"
    source.write_text(jsonl([{"id": doc, "published": published, "text": text}
                             for doc, published, text in reports]), encoding="utf-8")
    articles = read_articles([str(source)])
    context = spark.sparkContext
    found = stories(context.parallelize(list(articles.values()), 2), context.parallelize([], 2),
                    len(articles), ClusterConfig()).collect()
    named = {a.id: str(a.source_id) for a in articles.values()}
    on_spark = _stories([(named[article], story) for article, story in found])
    in_memory = {frozenset(named[a] for a in members)
                 for members in group_stories(articles, [], ClusterConfig()).values()}
    return on_spark, in_memory


def test_the_spark_join_keeps_the_caps_and_the_pairs_of_the_batch_join(spark: Any) -> None:
    """Spark SQL's candidate join drops keys over their cap as the batch join does: on shared
    keys over the cap only the copy that shares wording is a pair, and on random sketches
    with small caps and a time window both joins keep the same pairs."""
    from dataclasses import replace

    from newstrace.runners.config import ReuseConfig
    from newstrace.runners.spark.reuse import candidate_pairs as spark_pairs
    from newstrace.stages.reuse.key_join import candidate_pairs
    from test_key_join import CAPPED, carried_widely, random_sketches

    def on_spark(sketches: list[Any], config: Any) -> set[tuple[str, str]]:
        found = spark_pairs(spark, spark.sparkContext.parallelize(sketches, 2), len(sketches),
                            ReuseConfig(candidates=config))
        return set(found.collect())

    assert on_spark(carried_widely(), CAPPED) == {("copy", "source")}
    sketches = random_sketches(5, 60)
    config = replace(CAPPED, max_wording_key_articles=9, max_candidates=4, window_days=30.0)
    assert on_spark(sketches, config) == {(a, b) for a, b, _ in
                                          candidate_pairs(sketches, config)}


@pytest.mark.parametrize("cap", [200, 2])
def test_spark_scores_candidates_and_parts_places_as_in_memory(
        spark: Any, tmp_path: Path, cap: int) -> None:
    """The Spark similarity join gives the edges `similarity_edges` gives: candidates from
    rare terms, scored over every shared term (with a cap of 2, most terms are common and
    only add to the candidates' scores); the place veto parts the two towns' schemes there
    as in memory."""
    from newstrace.runners.memory import group_stories, read_articles
    from newstrace.runners.spark.stories import similarity, stories
    from newstrace.stages.stories.cluster import ClusterConfig, pair_similarity
    from newstrace.stages.stories.events import event_terms
    from pages import jsonl
    from test_story_places import SCHEMES, VOTE

    source = tmp_path / "schemes.jsonl"
    source.write_text(jsonl([{"id": doc, "published": published, "text": text}
                             for doc, published, text in SCHEMES + VOTE]), encoding="utf-8")
    articles = read_articles([str(source)])
    config = ClusterConfig(max_term_articles=cap)
    context = spark.sparkContext
    rdd = context.parallelize(list(articles.values()), 2)
    terms = {a.id: event_terms(a.text) for a in articles.values()}
    df: dict[int, int] = {}
    for items in terms.values():
        for term in items:
            df[term] = df.get(term, 0) + 1
    local = pair_similarity(terms, df, len(terms), config)
    distributed: dict[tuple[str, str], float] = {}
    for pair, score in similarity(rdd, len(articles), config).collect():  # a pair from each end
        distributed[pair] = max(score, distributed.get(pair, score))
    assert set(local) == set(distributed) and local
    assert all(abs(local[pair] - distributed[pair]) < 1e-5 for pair in local)
    found = stories(rdd, context.parallelize([], 2), len(articles), config).collect()
    named = {a.id: str(a.source_id) for a in articles.values()}
    on_spark = _stories([(named[article], story) for article, story in found])
    in_memory = {frozenset(named[a] for a in members)
                 for members in group_stories(articles, [], config).values()}
    assert on_spark == in_memory
    assert not any({"cormoor-1", "penbridge-1"} <= group for group in on_spark)


def test_days_and_counts_apart_part_stories_on_spark_as_in_memory(
        spark: Any, tmp_path: Path) -> None:
    """Spark reads each article's event day (against its publication date) and counts as the
    other runners do (`article_facts`): one council's two decisions in one town, six weeks
    apart with their own sums, are two stories there as in memory, and a reprint published
    a week late stays with its source."""
    from test_story_another_event import CENTRE, LATE_REPRINT, LIBRARY

    on_spark, in_memory = _spark_and_memory(spark, tmp_path, [*CENTRE, *LIBRARY, LATE_REPRINT])
    assert on_spark == in_memory == {frozenset({"centre-1", "centre-2", "centre-late"}),
                                     frozenset({"library-1", "library-2"})}


def test_strong_pairs_apply_the_overrides_as_clustering_does(spark: Any) -> None:
    """The pairs that can merge clusters: similar pairs (listed once from each end) unless a
    reuse verdict cuts them to 0, and overrides at the threshold; an override under it
    neither adds nor cuts (the larger of the two counts)."""
    from newstrace.runners.spark.stories import strong_pairs

    edges = [(("a", "b"), 0.5), (("a", "b"), 0.5), (("a", "c"), 0.4), (("b", "c"), 0.1),
             (("c", "d"), 0.2), (("d", "e"), 0.05)]
    overrides = [(("a", "c"), 0.0), (("d", "e"), 0.3), (("c", "d"), 0.1), (("e", "f"), 0.0),
                 (("f", "g"), 0.3)]
    context = spark.sparkContext
    found = strong_pairs(context.parallelize(edges, 3), context.parallelize(overrides, 2), 0.15)
    assert sorted(found.collect()) == [("a", "b"), ("c", "d"), ("d", "e"), ("f", "g")]
