"""Sentence segmentation with character offsets into the clean text.

Paragraphs (lines) are split first, so a sentence never crosses a line break; blingfire's
finite-state splitter does the rest. pysbd, in pure Python, stands in where blingfire's native
library cannot load (it ships an x86-64 build only).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from newstrace.records import Sentence

Splitter = Callable[[str], list[tuple[int, int]]]


def _blingfire_splitter() -> Splitter | None:
    try:
        import blingfire

        blingfire.text_to_sentences_and_offsets("Probe. Probe.")
    except (ImportError, OSError):
        return None

    def split(paragraph: str) -> list[tuple[int, int]]:
        # text_to_sentences runs in C; its offsets variant maps bytes to characters in Python
        # and costs four times as much. The sentences are the paragraph's own characters, so
        # each is found from where the previous one ended; the slow path is kept for the
        # rare paragraph where that fails.
        spans: list[tuple[int, int]] = []
        cursor = 0
        for sentence in blingfire.text_to_sentences(paragraph).split("\n"):
            start = paragraph.find(sentence, cursor)
            if start < 0:
                _, offsets = blingfire.text_to_sentences_and_offsets(paragraph)
                return [(int(a), int(b)) for a, b in offsets]
            cursor = start + len(sentence)
            spans.append((start, cursor))
        return spans

    return split


def _pysbd_splitter() -> Splitter:
    import pysbd

    segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)

    def split(paragraph: str) -> list[tuple[int, int]]:
        return [(span.start, span.end) for span in segmenter.segment(paragraph)]

    return split


class SentenceSplitter:
    """Splits clean text into `Sentence` spans. Create once and reuse: loading costs a little."""

    def __init__(self, splitter: Splitter | None = None) -> None:
        self._split = splitter or _blingfire_splitter() or _pysbd_splitter()

    def split(self, text: str) -> list[Sentence]:
        return list(self._iter_sentences(text))

    def _iter_sentences(self, text: str) -> Iterator[Sentence]:
        index = 0
        for line in re.finditer(r"[^\n]+", text):
            base = line.start()
            for start, end in self._split(line.group()):
                start, end = _trim(text, base + start, base + end)
                if end > start:
                    yield Sentence(index=index, start=start, end=end)
                    index += 1


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
