from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newstrace.stages.clean.sentences import SentenceSplitter, _pysbd_splitter

SPLITTER = SentenceSplitter()
TEXT = ("VALDORNA, March 14 (Alpine Press) – A landslide hit the line at 7:42 a.m. on Saturday, "
        "Mr. Reinholt said. “We evacuated 212 passengers,” said Dr. Keller.\n"
        "The cost is put at 3.2 million euros. Is the slope safe? Nobody knows yet.")


def test_sentences_are_spans_of_the_text() -> None:
    sentences = SPLITTER.split(TEXT)
    texts = [TEXT[s.start : s.end] for s in sentences]
    assert texts == [
        "VALDORNA, March 14 (Alpine Press) – A landslide hit the line at 7:42 a.m. on Saturday, "
        "Mr. Reinholt said.",
        "“We evacuated 212 passengers,” said Dr. Keller.",
        "The cost is put at 3.2 million euros.",
        "Is the slope safe?",
        "Nobody knows yet.",
    ]
    assert [s.index for s in sentences] == list(range(5))


def test_the_pure_python_fallback_gives_spans_too() -> None:
    fallback = SentenceSplitter(_pysbd_splitter())
    texts = [TEXT[s.start : s.end] for s in fallback.split(TEXT)]
    assert texts[2] == "The cost is put at 3.2 million euros."
    assert len(texts) == 5


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=400))
def test_spans_are_ordered_trimmed_and_never_cross_lines(text: str) -> None:
    previous_end = 0
    for sentence in SPLITTER.split(text):
        piece = text[sentence.start : sentence.end]
        assert sentence.start >= previous_end
        assert piece and piece == piece.strip()
        assert "\n" not in piece
        previous_end = sentence.end
