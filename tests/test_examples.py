"""The bundled example story, ingested as `make demo` does, checked against its labels."""

from __future__ import annotations

import re
from typing import Any

import pytest

from conftest import EXAMPLES, articles_by_label
from newstrace.records import Article
from newstrace.runners.local.ingest import Ingestor
from newstrace.runners.local.store.db import Store
from newstrace.stages.clean.cues import outlet_key


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Article]:
    """Label key -> stored article."""
    with Store(tmp_path_factory.mktemp("demo") / "demo.db") as store:
        summary = Ingestor(store).ingest([str(EXAMPLES / "articles")])
        assert not summary.skips
        return articles_by_label(store)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def test_every_labelled_article_is_stored(ingested: dict[str, Article],
                                          labels: dict[str, Any]) -> None:
    assert len(ingested) == len(labels["articles"]) == 10


def test_bodies_match_the_labels(ingested: dict[str, Article], labels: dict[str, Any]) -> None:
    for label in labels["articles"]:
        article = ingested[label["key"]]
        assert _words(article.text) == _words(label["body"]), label["key"]


def test_text_dump_furniture_is_all_removed(ingested: dict[str, Article],
                                            labels: dict[str, Any]) -> None:
    for label in labels["articles"]:
        if not label.get("furniture"):
            continue
        text_lines = set(ingested[label["key"]].text.split("\n"))
        assert not text_lines & set(label["furniture"]), label["key"]
        assert len(ingested[label["key"]].removed) >= len(set(label["furniture"]))


def test_cues_credit_the_labelled_outlets(ingested: dict[str, Article],
                                          labels: dict[str, Any]) -> None:
    for label in labels["articles"]:
        got = {(cue.kind, outlet_key(cue.outlet)) for cue in ingested[label["key"]].cues}
        want = {(cue["kind"], outlet_key(cue["outlet"])) for cue in label["cues"]}
        assert got == want, label["key"]


def test_metadata_matches_the_labels(ingested: dict[str, Article],
                                     labels: dict[str, Any]) -> None:
    for label in labels["articles"]:
        article = ingested[label["key"]]
        assert article.title == label["title"], label["key"]
        assert article.outlet == label["outlet"], label["key"]
        assert (article.published or "")[:16] == label["published"][:16], label["key"]


def test_word_for_word_reprints_are_exact_duplicates(ingested: dict[str, Article]) -> None:
    original = ingested["alpinepress-original"]
    assert original.duplicate_of is None
    assert ingested["northgate-reprint"].duplicate_of == original.id
    assert ingested["riverside-reprint"].duplicate_of == original.id
    assert ingested["trendwire-spin"].duplicate_of is None
