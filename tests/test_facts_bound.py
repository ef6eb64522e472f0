"""The facts stage's bound per version (stages/facts/peers.py) and the look-ups that replace
scans over every version (story_words.py, the value memo of compare.py)."""

from __future__ import annotations

import random
from dataclasses import replace
from itertools import pairwise

from newstrace.records import Article, Edge, SourceKind, Trace
from newstrace.stages.clean.sentences import SentenceSplitter
from newstrace.stages.facts.compare import SameValue, same_value
from newstrace.stages.facts.peers import EVERYONE, story_peers
from newstrace.stages.facts.runner import compare_story, story_claims
from newstrace.stages.facts.story_words import StoryWords
from newstrace.stages.facts.text import containment, content_words

REPORT = ("The Harlow council approved {money} million pounds for the new river bridge on "
          "Tuesday, officials said. About {people} residents attended the public meeting at "
          "the town hall. \u201c{quote}\u201d said Mayor Ilsa Brandt. Work on the bridge "
          "is due to begin in {month} 2026.")
QUOTE = "We have waited twenty years for this bridge and it will change the town"
REWORDED = "We waited twenty years for this bridge and it will transform the town"


def _article(number: int, text: str) -> Article:
    identifier = f"v{number:02d}"
    return Article(identifier, f"{identifier}.txt", SourceKind.TEXT, text, identifier,
                   published=f"2026-01-{1 + number:02d}T09:00:00Z",
                   sentences=SentenceSplitter().split(text))


def _version(number: int, money: int = 40, people: int = 300, quote: str = QUOTE,
             month: str = "March") -> Article:
    return _article(number, REPORT.format(money=money, people=people, quote=quote,
                                          month=month))


def _story(quote: str = QUOTE) -> dict[str, Article]:
    """Nine versions of one report: the fifth gives another sum, the last moves the start
    month (and words the mayor's quotation as `quote`)."""
    versions = [_version(n) for n in range(9)]
    versions[4] = _version(4, money=52)
    versions[8] = _version(8, quote=quote, month="June")
    return {v.id: v for v in versions}


def _trace(articles: dict[str, Article], edges: list[Edge] | None = None) -> Trace:
    return Trace("s", list(articles), [], edges or [], {}, list(articles), [])


def test_a_small_story_compares_everyone_with_everyone() -> None:
    articles = _story()
    assert story_peers(list(articles), articles, [], window=8) is EVERYONE
    peers = story_peers(list(articles), articles, [], window=2)
    assert peers.near is not None
    assert peers.compared("v00", "v02") and not peers.compared("v00", "v03")
    assert all(len(near) <= 4 for near in peers.near.values())


def test_a_derivation_edge_is_always_compared() -> None:
    articles = _story()
    edge = Edge("v00", "v08", "duplicate", 1.0, True, 1.0, [])
    peers = story_peers(list(articles), articles, [edge], window=1)
    assert peers.compared("v00", "v08") and peers.compared("v08", "v00")
    assert not peers.compared("v00", "v07")


def test_the_bound_changes_no_finding_where_neighbours_tell_the_story() -> None:
    """Window 1 binds (each version sees two of eight others), yet every conflict, altered
    fact, addition and single-source claim is the one all pairs give: the versions
    that agree are linked to their neighbours, so the subjects and their articles are
    whole."""
    articles = _story()
    claims = story_claims(_trace(articles), articles, [], window=10**9)
    assert claims.peers is EVERYONE
    everyone = compare_story(claims).as_dict()
    bounded_claims = replace(claims, peers=story_peers(claims.members, articles, [], 1))
    assert bounded_claims.peers.near is not None  # the bound binds
    bounded = compare_story(bounded_claims).as_dict()
    assert len(everyone["conflicts"]) == 2  # the sum and the month: something to keep
    assert bounded == everyone


def test_a_reworded_quotation_lists_only_the_neighbours_it_was_compared_with() -> None:
    """What the bound changes where it binds: identical quotations are grouped only through
    the reworded one they were compared with, so the unchanged version lists the versions
    within the window of the rewording, not all eight."""
    articles = _story(quote=REWORDED)
    claims = story_claims(_trace(articles), articles, [], window=10**9)
    everyone = compare_story(claims).altered_quotes
    bounded = compare_story(replace(claims, peers=story_peers(claims.members, articles, [],
                                                              1))).altered_quotes
    assert len(everyone) == len(bounded) == 1
    unchanged = next(v for v in everyone[0].versions if "v08" not in v.articles)
    near = next(v for v in bounded[0].versions if "v08" not in v.articles)
    assert unchanged.articles == [f"v{n:02d}" for n in range(8)]
    assert near.articles == ["v07"]


def test_far_apart_versions_are_not_compared_under_the_bound() -> None:
    """What the bound gives up, stated: two versions disagreeing with nobody between them
    saying either value next to the other are compared only when within the window."""
    between = [_article(n, "Harlow is to get a bridge over its river.") for n in range(1, 5)]
    articles = {a.id: a for a in [_version(0, people=300), *between, _version(5, people=500)]}
    claims = story_claims(_trace(articles), articles, [], window=10**9)

    def people(found: dict[str, list[dict[str, object]]]) -> list[dict[str, object]]:
        return [c for c in found["conflicts"] if "resident" in str(c["subject"])]
    assert people(compare_story(claims).as_dict())
    far = replace(claims, peers=story_peers(claims.members, articles, [], 2))
    assert not people(compare_story(far).as_dict())


def test_indexed_support_is_the_best_containment_over_allowed_windows() -> None:
    rng = random.Random(3)
    vocabulary = [f"word{n}" for n in range(30)]
    articles = []
    for n in range(12):
        sentences = [" ".join(rng.sample(vocabulary, rng.randint(3, 8))) + "."
                     for _ in range(rng.randint(1, 5))]
        text = " ".join(sentences)
        articles.append(Article(f"a{n}", f"a{n}.txt", SourceKind.TEXT, text, f"a{n}",
                                sentences=SentenceSplitter().split(text)))
    words = StoryWords()
    for trial in range(50):
        allowed = rng.sample(articles, rng.randint(0, len(articles)))
        query = content_words(" ".join(rng.sample(vocabulary, rng.randint(0, 9))))
        windows = []
        for article in allowed:
            sentences = [content_words(t) for t in article.sentence_texts()]
            windows += [*sentences, *(a | b for a, b in pairwise(sentences))]
        expected = max((containment(query, w) for w in windows), default=0.0)
        assert words.best_containment(query, words.allowed(allowed)) == expected, trial


def test_the_value_memo_answers_as_same_value() -> None:
    articles = _story()
    claims = story_claims(_trace(articles), articles, [])
    every = [c for m in claims.members for c in claims.claims[m]]
    same = SameValue()
    for a in every:
        for b in every:
            assert same(a, b) == same_value(a, b)
