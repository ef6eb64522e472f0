"""Stage 1, sketch: what an article contributes to finding its relatives, without the text.

A sketch holds keys of four kinds, each a signed 63-bit integer (it fits an SQLite INTEGER):
the whole normalised text, each normalised sentence long enough to be telling, each MinHash
LSH band, and each *anchor*: a number, a name or a quotation, the details that survive a
paraphrase untouched. Two articles that share a key of any kind may be related; how much
that says depends on the kind and on how many articles carry the key.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from enum import IntEnum

from newstrace.records import Article
from newstrace.stages.reuse.minhash import MinHashConfig, MinHasher
from newstrace.stages.reuse.tokens import Tokenizer


class KeyKind(IntEnum):
    TEXT = 0
    SENTENCE = 1
    BAND = 2
    ANCHOR = 3


@dataclass(frozen=True, slots=True)
class SketchConfig:
    minhash: MinHashConfig = field(default_factory=MinHashConfig)
    min_sentence_words: int = 6  # shorter sentences ("He declined to comment.") recur by chance
    min_quote_words: int = 4


@dataclass(slots=True)
class Sketch:
    article_id: str
    published: str | None
    words: int
    keys: dict[KeyKind, set[int]]

    def all_keys(self) -> list[tuple[int, KeyKind]]:
        return [(key, kind) for kind, keys in self.keys.items() for key in keys]


def key_of(kind: KeyKind, value: str | bytes) -> int:
    data = value.encode("utf-8") if isinstance(value, str) else value
    digest = hashlib.blake2b(bytes([kind]) + data, digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


NUMBER = re.compile(r"\d[\d,.]*\d|\d")
# The lookahead first: most positions fail it at once, before the three lookbehinds run.
NAME = re.compile(
    r"(?=[A-Z])(?<![.!?]\s)(?<![\"“”‘’(\[])(?<!^)\b([A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)*)",
    re.MULTILINE)
# Capitalised words that are no names: function words starting a sentence after a quote or
# a heading. (Day and month names stay: when an event happened tells events apart.)
_FUNCTION_WORDS = frozenset({
    "a", "an", "the", "this", "that", "these", "those", "there", "here", "it", "its", "he",
    "she", "they", "we", "you", "i", "his", "her", "their", "our", "my", "your", "some", "any",
    "no", "nobody", "none", "everyone", "everybody", "someone", "all", "each", "every", "both",
    "many", "most", "much", "more", "few", "other", "another", "such", "what", "which", "who",
    "whom", "whose", "when", "where", "why", "how", "if", "then", "but", "and", "or", "nor",
    "so", "yet", "as", "at", "by", "for", "from", "in", "into", "of", "on", "to", "with",
    "without", "after", "before", "while", "although", "though", "because", "since", "until",
    "unless", "not", "also", "only", "just", "even", "still", "again"
})
_NOT_NAMES = _FUNCTION_WORDS

QUOTATION = re.compile(r"[\"“”«»„]([^\"“”«»„\n]{8,}?)[\"“”«»„]")
_WORD = re.compile(r"\w+")


def anchors(text: str, min_quote_words: int = 4) -> set[str]:
    """Numbers, capitalised names (not sentence-initial words) and quotations, normalised.

    These are what a paraphraser must keep to keep the facts, so they find spins that share
    no word n-gram with their source; alone they cannot tell a copy from an independent report
    of the same event, which is the aligner's job.
    """
    found = {"#" + number.replace(",", "").rstrip(".") for number in NUMBER.findall(text)}
    for name in NAME.findall(text):
        anchor = name_anchor(name)
        if anchor is not None:
            found.add(anchor)
    for quote in QUOTATION.findall(text):
        quote_words = _WORD.findall(quote.lower())
        if len(quote_words) >= min_quote_words:
            found.add('"' + " ".join(quote_words))
    return found


def name_anchor(name: str) -> str | None:
    """A capitalised name as `anchors` keeps it ("@tara reid"), or None when it is no name:
    a leading function word is dropped ("The Fog" is "@fog"), a lone function word
    ("Nobody") or a first word under three letters is not kept."""
    words = name.lower().split()
    if words and words[0] in _NOT_NAMES:
        words = words[1:]
    if words and (len(words) > 1 or words[0] not in _NOT_NAMES) and len(words[0]) > 2:
        return "@" + " ".join(words)
    return None


class Sketcher:
    """Makes sketches; create once (it holds MinHash permutations and a token cache)."""

    def __init__(self, config: SketchConfig | None = None, tokenizer: Tokenizer | None = None):
        self.config = config or SketchConfig()
        self.tokenizer = tokenizer or Tokenizer()
        self._minhasher = MinHasher(self.config.minhash)

    def sketch(self, article: Article) -> Sketch:
        tokens = self.tokenizer.hashes(article.text)
        text = article.text
        lowered = text.lower()
        sentences = set()
        for sentence in article.sentences:
            if len(lowered) == len(text):  # lower-cased once, sliced per sentence
                words = _WORD.findall(lowered[sentence.start : sentence.end])
            else:
                words = _WORD.findall(text[sentence.start : sentence.end].lower())
            if len(words) >= self.config.min_sentence_words:
                sentences.add(key_of(KeyKind.SENTENCE, " ".join(words)))
        bands = set()
        if len(tokens) >= self.config.minhash.shingle:
            signature = self._minhasher.signature(tokens)
            bands = set(self._minhasher.band_keys(signature).tolist())
        keys = {
            KeyKind.TEXT: {key_of(KeyKind.TEXT, article.text_hash)},
            KeyKind.SENTENCE: sentences,
            KeyKind.BAND: bands,
            KeyKind.ANCHOR: {key_of(KeyKind.ANCHOR, anchor) for anchor in
                             anchors(article.text, self.config.min_quote_words)},
        }
        return Sketch(article.id, article.published, len(tokens), keys)
