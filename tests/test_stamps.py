"""Stored event terms, stories and facts summaries carry the stamp of the code that computed
them: a collection placed by other code is read again, not mixed with it (issue 19)."""

from __future__ import annotations

from pathlib import Path

from newstrace import Collection
from newstrace.runners.local.store.reuse import ReuseTables
from newstrace.runners.local.store.stories import StoryTables
from newstrace.runners.local.storying import STORIES_STAMP
from newstrace.stages.stories.events import event_terms
from newstrace.stamps import code_stamp, module_closure
from test_stories import EVENTS
from test_story_events import collection_stories


def test_a_stamp_covers_what_its_root_imports_directly_or_not() -> None:
    closure = module_closure(["newstrace.stages.stories.events"])
    assert "newstrace.stages.stories.credits" in closure  # imported by events
    assert "newstrace.stages.reuse.minhash" in closure  # imported by reuse.sketch, by events
    assert "newstrace.stages.stories" in closure  # the package it sits in
    assert "newstrace.collection" not in closure  # not imported: not covered
    roots = ["newstrace.stages.stories.events"]
    assert code_stamp(roots) == code_stamp(roots)
    assert code_stamp(roots, "a setting") != code_stamp(roots, "another setting")
    assert code_stamp(roots) != code_stamp(["newstrace.stages.facts.dates"])


def _collection(tmp_path: Path) -> Path:
    from pages import jsonl

    records = [{"id": key, "text": text} for key, text in EVENTS.items()]
    (tmp_path / "events.jsonl").write_text(jsonl(records), encoding="utf-8")
    return tmp_path / "events.jsonl"


def _age(news: Collection) -> None:
    """Make the store look placed by older code: other event terms, another stamp."""
    tables = StoryTables(news.store)
    tables.write_terms({article_id: {1: 1} for article_id in tables.all_articles()})
    news.store.set_setting(STORIES_STAMP, "placed by older code")


def test_terms_and_stories_kept_by_other_code_are_read_again(tmp_path: Path) -> None:
    with Collection(tmp_path / "c.db", paraphrase=False) as news:
        news.add([str(_collection(tmp_path))])
        first_run = collection_stories(news)
        _age(news)
        tables = StoryTables(news.store)
        assert len(collection_stories(news)) == len(first_run)  # reading changes nothing
        again = news.update_stories()
        ids = tables.all_articles()
        articles = news.store.articles_by_id(ids)
        assert tables.terms_of(ids) == {a: event_terms(articles[a].text) for a in ids}
        assert collection_stories(news) == first_run
    assert again.code_changed and again.placed == 0 and again.reclustered == len(ids)
    assert len(first_run) == 3  # the two earthquakes and the budget


def test_terms_kept_by_this_code_are_not_read_again(tmp_path: Path) -> None:
    """What the stamp guards: with this code's stamp, the stored terms are trusted."""
    with Collection(tmp_path / "c.db", paraphrase=False) as news:
        news.add([str(_collection(tmp_path))])
        stamp = news.store.setting(STORIES_STAMP)
        _age(news)
        assert stamp is not None
        news.store.set_setting(STORIES_STAMP, stamp)
        again = news.update_stories()
        tables = StoryTables(news.store)
        ids = tables.all_articles()
        assert not again.code_changed and again.reclustered == 0
        assert set(map(len, tables.terms_of(ids).values())) == {1}


def test_a_facts_summary_kept_by_other_code_is_not_read(tmp_path: Path) -> None:
    with Collection(tmp_path / "c.db", paraphrase=False) as news:
        news.analyze([str(_collection(tmp_path))])
        stories = [s["id"] for s in news.stories() if len(s["articles"]) > 1]
        kept = news.facts_summaries(stories)
        assert sorted(kept) == sorted(stories)
        tables = StoryTables(news.store)
        verdicts = [(r.a, r.b, r.relation)
                    for r, _ in ReuseTables(news.store).verdicts(tables.members(stories))]
        # the same members, texts and verdicts; only the code differs
        older = tables.facts_basis(stories, verdicts, "older code")
        tables.write_facts_summaries({s: (older[s], kept[s]) for s in stories})
        assert news.facts_summaries(stories) == {}
