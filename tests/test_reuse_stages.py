"""The reuse stages on texts written here: sketch, candidates, align, relate."""

from __future__ import annotations

import random
import re
import zlib
from collections.abc import Sequence

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lcs_reference import textbook_lcs
from newstrace.ids import text_hash
from newstrace.records import Article, Cue, SourceKind
from newstrace.stages.clean.sentences import SentenceSplitter
from newstrace.stages.reuse.align import Aligner
from newstrace.stages.reuse.candidates import CandidateConfig, MemoryPostings, find_candidates
from newstrace.stages.reuse.features import word_sequence
from newstrace.stages.reuse.minhash import MinHasher, band_pairs, estimated_jaccard
from newstrace.stages.reuse.relate import relate
from newstrace.stages.reuse.sketch import KeyKind, Sketcher, anchors
from newstrace.stages.reuse.tokens import Tokenizer

SPLITTER = SentenceSplitter()
WORDS = ["harbour", "council", "ferry", "storm", "engineers", "tunnel", "budget", "school",
         "river", "bridge", "police", "market", "museum", "festival", "railway", "station",
         "hospital", "airport", "court", "minister"]


def article(article_id: str, text: str, *, published: str | None = None,
            outlet: str | None = None, cues: list[Cue] | None = None) -> Article:
    return Article(id=article_id, source_path=f"{article_id}.txt", kind=SourceKind.TEXT,
                   text=text, text_hash=text_hash(text), published=published, outlet=outlet,
                   sentences=SPLITTER.split(text), cues=cues or [])


def prose(seed: int, sentences: int = 12) -> str:
    rng = random.Random(seed)
    return " ".join(
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(9, 16))).capitalize() + "."
        for _ in range(sentences))


ORIGINAL = (
    "A landslide blocked the Carrow valley railway on Tuesday, stranding 140 passengers. "
    "Engineers from Northline said the line would stay closed until Friday. "
    '"We have never seen a slide this size," said station manager Ada Krell. '
    "Buses will replace trains between Carrow and Ennis for the rest of the week. "
    "The council said clearing the debris would cost about £2.1m.")


def test_anchors_keep_numbers_names_and_quotes() -> None:
    found = anchors(ORIGINAL)
    assert {"#140", "#2.1"} <= found
    assert "@northline" in found and "@ada krell" in found
    assert '"we have never seen a slide this size' in found
    assert "@a" not in found  # a sentence's first word is not a name


def test_sketch_keys_are_stable_across_instances() -> None:
    first = Sketcher().sketch(article("x", ORIGINAL))
    second = Sketcher().sketch(article("x", ORIGINAL))
    assert first.keys == second.keys
    assert len(first.keys[KeyKind.BAND]) == 32 and first.keys[KeyKind.SENTENCE]


def test_minhash_estimates_jaccard() -> None:
    tokenizer, hasher = Tokenizer(), MinHasher()
    a = prose(1, 40)
    words = a.split()
    b = " ".join(words[: len(words) // 2] + prose(2, 20).split())
    shingles = [{tuple(t.split()[i : i + 5]) for i in range(len(t.split()) - 4)}
                for t in (a.lower().replace(".", ""), b.lower().replace(".", ""))]
    true = len(shingles[0] & shingles[1]) / len(shingles[0] | shingles[1])
    estimate = estimated_jaccard(hasher.signature(tokenizer.hashes(a)),
                                 hasher.signature(tokenizer.hashes(b)))
    assert abs(estimate - true) < 0.12


def test_band_pairs_equal_an_index_inserted_and_queried() -> None:
    rng = np.random.default_rng(3)
    keys = rng.integers(0, 60, size=(40, 4))  # few distinct keys: runs of many lengths
    keys[7] = keys[3]  # a text sharing every band with another
    keys[9] = [5, 5, 5, 5]  # a key repeated across bands pairs the text with nobody new
    index: dict[int, set[int]] = {}
    for row, row_keys in enumerate(keys.tolist()):
        for key in row_keys:
            index.setdefault(key, set()).add(row)
    expected = {(min(row, other), max(row, other)) for row, row_keys in enumerate(keys.tolist())
                for key in row_keys for other in index[key] if other != row}
    found = band_pairs(keys)
    assert [tuple(pair) for pair in found.tolist()] == sorted(expected)
    assert band_pairs(keys[:1]).shape == (0, 2)
    assert band_pairs(np.arange(8).reshape(4, 2)).shape == (0, 2)


def test_band_pairs_of_real_sketches_find_the_copy() -> None:
    hasher, tokenizer = MinHasher(), Tokenizer()
    texts = [ORIGINAL, prose(4), ORIGINAL + " One more sentence at the end.", prose(5)]
    signatures = np.stack([hasher.signature(tokenizer.hashes(t)) for t in texts])
    keys = hasher.band_keys(signatures)  # a batch: one row of keys a text, as one at a time
    assert keys.tolist() == [hasher.band_keys(signature).tolist() for signature in signatures]
    assert band_pairs(keys).tolist() == [[0, 2]]


def test_candidates_find_copies_and_paraphrases_not_strangers() -> None:
    spin = ("Passengers numbering 140 were stranded on Tuesday when the Carrow valley railway "
            "was cut by a landslide. Northline engineers expect the route to reopen on Friday. "
            '"We have never seen a slide this size," station manager Ada Krell said.')
    articles = [article("orig", ORIGINAL), article("copy", ORIGINAL),
                article("spin", spin), article("other", prose(7))]
    sketcher = Sketcher()
    postings = MemoryPostings(sketcher.sketch(a) for a in articles)
    found = {c.article_id: c for c in find_candidates(sketcher.sketch(articles[0]), postings)}
    assert set(found) == {"copy", "spin"}
    assert found["copy"].evidence["text"] == 1
    assert found["spin"].evidence["anchor"] >= 3 and "band" not in found["spin"].evidence



def test_one_stock_sentence_is_no_candidate_but_a_rare_one_or_two_are() -> None:
    stock = "The company did not respond to a request for comment on the matter."
    quoted = "Engineers from Northline said the line would stay closed until Friday."
    config = CandidateConfig(stock_sentence_articles=3)
    # Five unrelated articles ending on the same stock sentence; one quoting a rare sentence
    # of the original, one sharing the stock sentence and the rare one.
    articles = [article("orig", ORIGINAL + " " + stock),
                *(article(f"other{n}", prose(20 + n, 8) + " " + stock) for n in range(4)),
                article("quoting", prose(30, 8) + " " + quoted),
                article("both", prose(31, 8) + " " + quoted + " " + stock)]
    sketcher = Sketcher()
    postings = MemoryPostings(sketcher.sketch(a) for a in articles)
    found = {c.article_id: c for c in find_candidates(sketcher.sketch(articles[0]), postings,
                                                      config)}
    assert set(found) == {"quoting", "both"}
    assert found["both"].evidence["sentence"] == 2 and found["both"].worded
    # With the stock sentence on fewer articles than the limit, it counts again.
    loose = CandidateConfig(stock_sentence_articles=10)
    assert {c.article_id for c in find_candidates(sketcher.sketch(articles[0]), postings,
                                                  loose)} == {a.id for a in articles[1:]}

def test_a_story_reprinted_by_more_articles_than_a_name_may_be_on_still_has_candidates() -> None:
    reprints = [article(f"r{n:02d}", f"Staff report {n}. {ORIGINAL} {prose(1, 6)} Outlet {n}.")
                for n in range(14)]
    strangers = [article(f"x{n}", prose(40 + n)) for n in range(6)]
    sketcher = Sketcher()
    postings = MemoryPostings(sketcher.sketch(a) for a in reprints + strangers)
    query = sketcher.sketch(reprints[0])
    config = CandidateConfig(max_key_articles=5, max_wording_key_articles=20)
    assert {c.article_id for c in find_candidates(query, postings, config)} == {
        a.id for a in reprints[1:]}
    # The wording limit bounds the work a key may cause: above it the key is skipped too.
    bounded = CandidateConfig(max_key_articles=5, max_wording_key_articles=5)
    assert not find_candidates(query, postings, bounded)


def test_time_window_drops_distant_candidates() -> None:
    sketcher = Sketcher()
    old = article("old", ORIGINAL, published="2020-01-01")
    new = article("new", ORIGINAL, published="2026-03-01")
    postings = MemoryPostings([sketcher.sketch(old), sketcher.sketch(new)])
    assert not find_candidates(sketcher.sketch(new), postings, CandidateConfig(window_days=30))
    assert find_candidates(sketcher.sketch(new), postings, CandidateConfig(window_days=None))


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000), st.integers(12, 40), st.integers(0, 30))
def test_verbatim_passage_offsets_point_at_the_copied_text(seed: int, length: int,
                                                           where: int) -> None:
    source = prose(seed, 20)
    words = source.split()
    start = min(where, len(words) - length)
    copied = " ".join(words[start : start + length])
    target = prose(seed + 1, 6) + " " + copied + " " + prose(seed + 2, 6)
    alignment = Aligner().align(article("a", source), article("b", target))
    verbatim = [p for p in alignment.passages if p.kind == "verbatim"]
    assert verbatim
    best = max(verbatim, key=lambda p: p.b[1] - p.b[0])
    # The aligner tolerates small edits, so a passage may run a few words past the copy
    # where the texts happen to agree again; the copied words lie inside it on both sides.
    copied_words = " ".join(_words(copied))
    assert copied_words in " ".join(_words(source[max(0, best.a[0] - 60) : best.a[1] + 60]))
    assert copied_words in " ".join(_words(target[max(0, best.b[0] - 60) : best.b[1] + 60]))


ANIMALS = "Red fox jumps high today. Blue whale swims deep now. Green frog sings loud."
ANIMALS_REWORDED = "Today red fox jumps high. Now blue whale swims deep. Loud green frog sings."


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


class FakeEncoder:
    """Unit vectors from word sets: sentences sharing most words are near."""

    name = "fake"
    dimensions = 64

    def encode(self, sentences: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(sentences), self.dimensions), dtype=np.float32)
        for row, sentence in enumerate(sentences):
            for word in sentence.lower().split():
                out[row, zlib.crc32(word.strip(".,\"").encode()) % self.dimensions] += 1.0
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


def test_paraphrase_matching_is_one_to_one_and_reports_order() -> None:
    a, same = article("a", ANIMALS), article("b", ANIMALS_REWORDED)
    swapped = article("c", "Loud green frog sings. Now blue whale swims deep. Today red fox jumps "
                      "high.")
    encoder = FakeEncoder()
    vectors = {x.id: encoder.encode(x.sentence_texts()) for x in (a, same, swapped)}
    in_order = Aligner().align(a, same, vectors["a"], vectors["b"])
    reordered = Aligner().align(a, swapped, vectors["a"], vectors["c"])
    assert in_order.scores["coverage_a"] == 1.0 and in_order.scores["order"] == 1.0
    assert reordered.scores["coverage_a"] == 1.0 and reordered.scores["order"] < 0.5
    pairs = [(p.a, p.b) for p in in_order.passages if p.kind == "paraphrase"]
    assert len(pairs) == 3 and len({a for a, _ in pairs}) == 3
    assert not in_order.unmatched_a and not in_order.unmatched_b


def test_relations_from_verbatim_evidence() -> None:
    extra = prose(3, 12)
    original = article("orig", ORIGINAL + " " + extra, published="2026-03-10T08:00",
                       outlet="Valley Press")
    copy = article("copy", ORIGINAL + " " + extra, published="2026-03-10T11:00")
    excerpt = article("excerpt", ORIGINAL, cues=[Cue("attribution", "Source: Valley Press",
                                                     outlet="Valley Press")])
    stranger = article("stranger", prose(11))
    aligner = Aligner()
    duplicate = relate(aligner.align(original, copy), original, copy)
    assert (duplicate.relation, duplicate.source, duplicate.source_reason) == (
        "duplicate", "orig", "date")
    part = relate(aligner.align(excerpt, original), excerpt, original)
    assert (part.relation, part.source, part.source_reason) == ("excerpt", "orig", "credit")
    none = relate(aligner.align(original, stranger), original, stranger)
    assert none.relation == "unrelated" and none.source is None


def test_excerpt_source_is_the_whole_when_nothing_else_says() -> None:
    whole = article("whole", ORIGINAL + " " + prose(5, 10))
    part = article("part", ORIGINAL)
    found = relate(Aligner().align(part, whole), part, whole)
    assert (found.relation, found.source, found.source_reason) == (
        "excerpt", "whole", "containment")


@pytest.mark.parametrize("paraphrase", [True, False])
def test_spin_needs_paraphrase_evidence(paraphrase: bool) -> None:
    a, b = article("a", ANIMALS), article("b", ANIMALS_REWORDED)
    encoder = FakeEncoder()
    vectors = (encoder.encode(a.sentence_texts()), encoder.encode(b.sentence_texts()))
    alignment = Aligner().align(a, b, *vectors) if paraphrase else Aligner().align(a, b)
    assert alignment.paraphrase is paraphrase
    assert (relate(alignment, a, b).relation == "spin") is paraphrase


def test_a_sentence_split_in_two_is_matched_to_both_halves() -> None:
    a = article("a", "Red fox jumps high today and blue whale swims deep now. Green frog sings.")
    b = article("b", "Today red fox jumps high. Now blue whale swims deep. Loud green frog sings.")
    encoder = FakeEncoder()
    alignment = Aligner().align(a, b, encoder.encode(a.sentence_texts()),
                                encoder.encode(b.sentence_texts()))
    assert alignment.scores["coverage_a"] == 1.0 and alignment.scores["coverage_b"] == 1.0
    first = [p for p in alignment.passages if p.a[0] == 0]
    assert len(first) == 1 and b.text[slice(*first[0].b)].startswith("Today red fox")
    assert b.text[slice(*first[0].b)].endswith("swims deep.")


def test_shared_passages_out_of_order_keep_less_of_the_chain() -> None:
    blocks = [prose(seed, 3) for seed in (21, 22, 23, 24)]
    own = [prose(31, 3)]
    source = article("source", " ".join(blocks))
    in_order = article("kept", " ".join([blocks[0], blocks[1], *own]))
    shuffled = article("shuffled", " ".join([blocks[1], blocks[0], *own]))
    aligner = Aligner()
    kept = aligner.align(in_order, source).scores
    moved = aligner.align(shuffled, source).scores
    assert kept["verbatim_a"] == moved["verbatim_a"] >= 0.5
    assert kept["chain_max"] > moved["chain_max"]
    assert kept["prose_sequence"] > moved["prose_sequence"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 12), max_size=90), st.lists(st.integers(0, 12), max_size=90))
def test_word_sequence_is_the_lcs_over_the_shared_words(a: list[int], b: list[int]) -> None:
    shared_a = sum(1 for x in a if x in set(b))
    shared_b = sum(1 for y in b if y in set(a))
    smaller = min(shared_a, shared_b)
    expected = textbook_lcs(a, b) / smaller if smaller else 0.0
    score = word_sequence(a, b)
    assert score == pytest.approx(expected)
