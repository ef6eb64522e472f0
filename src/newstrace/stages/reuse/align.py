"""Stage 3, align: the evidence that one article follows another's text.

Two kinds of evidence, both with character offsets into the clean texts: verbatim passages
(seed-and-extend on shared word n-grams) and paraphrased sentences (sentence embeddings,
matched one to one, then further sentences attached one to many). Sentences neither kind
covers are each side's unmatched text. The scores summarise how much of each side is
covered, and whether the matches keep the order of the other text, which is what separates a
derived text from an independent report of the same facts.
"""

from __future__ import annotations

import bisect
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from newstrace.records import AlignedPassage, Alignment, Article
from newstrace.stages.reuse.embed import CosineScale, Vectors, sentence_cosines
from newstrace.stages.reuse.features import (
    SIGNALS,
    ProseView,
    Quotations,
    Side,
    Span,
    follow_signals,
    longest_rising,
)
from newstrace.stages.reuse.lcs import shared_sequence
from newstrace.stages.reuse.sketch import anchors
from newstrace.stages.reuse.tokens import Tokenizer, shingle_hashes, token_spans
from newstrace.stages.reuse.verbatim import Passage, VerbatimConfig, align_verbatim, char_range
from newstrace.stages.reuse.wording import CANDIDATE_SIGNALS, candidate_signals


@dataclass(frozen=True, slots=True)
class AlignConfig:
    verbatim: VerbatimConfig = field(default_factory=VerbatimConfig)
    pair_similarity: float = 0.70  # cosine for a one-to-one paraphrase match (MSRP-optimal ~0.7)
    extra_similarity: float = 0.80  # cosine for attaching a further sentence one-to-many
    verbatim_sentence_share: float = 0.5  # a sentence this much inside a passage is copied
    # An encoder other than the shipped one gives cosines on its own scale: knots (its cosine,
    # the shipped encoder's cosine) of a monotone map onto the scale the thresholds here, in
    # features.py and in relate.py were set on (none: the shipped encoder, used as it is).
    cosine_map: tuple[tuple[float, float], ...] = ()
    # Also score the candidate signals of reuse/wording.py (measured by
    # bench/feature_trials.py, not adopted: the model does not read them).
    candidate_signals: bool = False


@dataclass(frozen=True, slots=True, order=True)
class _Match:
    a: int
    b: int
    similarity: float
    verbatim: bool


@dataclass(frozen=True, slots=True)
class _Prepared:
    """What aligning needs of one article, whatever it is paired with."""

    side: Side  # its text, sentences, tokens and what the derivation signals read of it
    anchors: set[str]


class Aligner:
    """Aligns article pairs; create once (it holds a tokenizer cache, and keeps the tokens of
    recently aligned articles, since each article meets several candidates in a row)."""

    def __init__(self, config: AlignConfig | None = None,
                 tokenizer: Tokenizer | None = None, keep: int = 1024) -> None:
        self.config = config or AlignConfig()
        self.tokenizer = tokenizer or Tokenizer()
        self._prepared: OrderedDict[tuple[str, str, tuple[Span, ...]], _Prepared] = (
            OrderedDict())
        self._keep = keep
        self._scale = CosineScale(self.config.cosine_map)

    def _prepare(self, article: Article) -> _Prepared:
        # The text itself and its sentences: offsets depend on every character.
        sentences = (tuple((s.start, s.end) for s in article.sentences)
                     or ((0, len(article.text)),))
        key = (article.id, article.text, sentences)
        found = self._prepared.get(key)
        if found is None:
            found = _Prepared(Side.of(article.text, sentences, Quotations.of(article.text),
                                      self.tokenizer.hashes(article.text),
                                      token_spans(article.text)), anchors(article.text))
            self._prepared[key] = found
            if len(self._prepared) > self._keep:
                self._prepared.popitem(last=False)
        else:
            self._prepared.move_to_end(key)
        return found

    def align(self, a: Article, b: Article, a_vectors: Vectors | None = None,
              b_vectors: Vectors | None = None) -> Alignment:
        a_ready, b_ready = self._prepare(a), self._prepare(b)
        a_side, b_side = a_ready.side, b_ready.side
        a_spans, b_spans = a_side.spans, b_side.spans
        a_anchors, b_anchors = a_ready.anchors, b_ready.anchors
        a_tokens, b_tokens = a_side.tokens, b_side.tokens
        verbatim = align_verbatim(a_tokens, b_tokens, self.config.verbatim)
        passages = [
            AlignedPassage("verbatim", char_range(a_spans, p.a_start, p.a_end),
                           char_range(b_spans, p.b_start, p.b_end),
                           p.matched_words / max(p.a_end - p.a_start, p.b_end - p.b_start))
            for p in verbatim
        ]
        a_sentences, b_sentences = list(a_side.sentences), list(b_side.sentences)
        matches = self._verbatim_matches(passages, a_sentences, b_sentences)
        paraphrase = a_vectors is not None and b_vectors is not None
        if a_vectors is not None and b_vectors is not None:
            matches = self._paraphrase_matches(
                matches, self._cosine(sentence_cosines(a_vectors, b_vectors)))
            matches += _split_matches(matches, a_vectors, b_vectors, a_sentences, b_sentences,
                                      self.config.pair_similarity, self._cosine)
        passages += _paraphrase_passages(matches, a_sentences, b_sentences)
        passages.sort(key=lambda p: (p.b, p.a))
        matched_a = {m.a for m in matches}
        matched_b = {m.b for m in matches}
        scores = {
            "verbatim_a": _covered_words(verbatim, len(a_tokens), side="a"),
            "verbatim_b": _covered_words(verbatim, len(b_tokens), side="b"),
            "coverage_a": _covered_chars(a_sentences, matched_a),
            "coverage_b": _covered_chars(b_sentences, matched_b),
            "order": _order(matches),
            "similarity": _mean([m.similarity for m in matches if not m.verbatim]),
            "matched_sentences": float(len(matches)),
            "shared_quotes": float(_shared(a_anchors, b_anchors, '"')),
            "anchor_overlap": _overlap(a_anchors, b_anchors),
            "text_similarity": float(self._cosine(np.array(_text_similarity(a_vectors,
                                                                            b_vectors)))),
            "trigram_containment": _containment(a_tokens, b_tokens, 3),
            "word_sequence": 0.0,
            **dict.fromkeys(SIGNALS, 0.0),
            **dict.fromkeys(CANDIDATE_SIGNALS if self.config.candidate_signals else (), 0.0),
        }
        if _worth_sequencing(scores):  # the costlier signals, only where they can matter
            scores["word_sequence"] = shared_sequence(a_side.every, b_side.every)
            sentence_pairs = [(m.a, m.b, m.similarity) for m in matches]
            scores.update(follow_signals(a_side, b_side, sentence_pairs,
                                         [(p.a, p.b) for p in passages if p.kind == "verbatim"]))
            if self.config.candidate_signals:
                scores.update(candidate_signals(a_side, b_side,
                                                ProseView.of(a_side, b_side, sentence_pairs)))
        return Alignment(
            a.id, b.id, passages,
            [span for i, span in enumerate(a_sentences) if i not in matched_a],
            [span for i, span in enumerate(b_sentences) if i not in matched_b],
            {name: round(value, 4) for name, value in scores.items()}, paraphrase)

    def _cosine(self, values: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """Cosines on the scale the thresholds were set on (see AlignConfig.cosine_map)."""
        return self._scale(values)

    def _verbatim_matches(self, passages: list[AlignedPassage], a_sentences: list[tuple[int, int]],
                          b_sentences: list[tuple[int, int]]) -> list[_Match]:
        """Sentence pairs that one verbatim passage covers on both sides."""
        share = self.config.verbatim_sentence_share
        matches: list[_Match] = []
        used_a: set[int] = set()
        used_b: set[int] = set()
        a_ends = [end for _, end in a_sentences]
        b_ends = [end for _, end in b_sentences]
        for passage in passages:
            inside_a = _sentences_inside(a_sentences, a_ends, passage.a, share)
            inside_b = _sentences_inside(b_sentences, b_ends, passage.b, share)
            for i, j in zip(inside_a, inside_b, strict=False):
                if i not in used_a and j not in used_b:
                    used_a.add(i)
                    used_b.add(j)
                    matches.append(_Match(i, j, 1.0, True))
        return matches

    def _paraphrase_matches(self, matches: list[_Match],
                            similarity: npt.NDArray[np.float32]) -> list[_Match]:
        """Greedy one-to-one by similarity, then remaining sentences one-to-many."""
        used_a = {m.a for m in matches}
        used_b = {m.b for m in matches}
        columns = similarity.shape[1]
        for flat in np.argsort(-similarity, axis=None, kind="stable"):
            i, j = divmod(int(flat), columns)
            value = float(similarity[i, j])
            if value < self.config.pair_similarity:
                break
            if i not in used_a and j not in used_b:
                used_a.add(i)
                used_b.add(j)
                matches.append(_Match(i, j, value, False))
        extra: list[_Match] = []
        for i in set(range(similarity.shape[0])) - used_a:
            j = int(np.argmax(similarity[i])) if columns else -1
            if j >= 0 and j in used_b and similarity[i, j] >= self.config.extra_similarity:
                extra.append(_Match(i, j, float(similarity[i, j]), False))
        for j in set(range(columns)) - used_b:
            i = int(np.argmax(similarity[:, j])) if similarity.shape[0] else -1
            if i >= 0 and i in used_a and similarity[i, j] >= self.config.extra_similarity:
                extra.append(_Match(i, j, float(similarity[i, j]), False))
        return sorted(matches + extra, key=lambda m: (m.a, m.b))

def _paraphrase_passages(matches: list[_Match], a_spans: list[tuple[int, int]],
                         b_spans: list[tuple[int, int]]) -> list[AlignedPassage]:
    """One passage a paraphrase match; a sentence matched to two becomes one passage."""
    by_a: dict[int, list[_Match]] = {}
    by_b: dict[int, list[_Match]] = {}
    for match in matches:
        if not match.verbatim:
            by_a.setdefault(match.a, []).append(match)
            by_b.setdefault(match.b, []).append(match)
    passages = []
    done: set[tuple[int, int]] = set()
    for match in sorted(m for m in matches if not m.verbatim):
        if (match.a, match.b) in done:
            continue
        group = by_a[match.a] if len(by_a[match.a]) > 1 else by_b[match.b]
        done.update((m.a, m.b) for m in group)
        a_start = min(a_spans[m.a][0] for m in group)
        a_end = max(a_spans[m.a][1] for m in group)
        b_start = min(b_spans[m.b][0] for m in group)
        b_end = max(b_spans[m.b][1] for m in group)
        passages.append(AlignedPassage("paraphrase", (a_start, a_end), (b_start, b_end),
                                       max(m.similarity for m in group)))
    return passages


def _split_matches(matches: list[_Match], a_vectors: Vectors, b_vectors: Vectors,
                   a_spans: list[tuple[int, int]], b_spans: list[tuple[int, int]],
                   threshold: float,
                   cosine: Callable[[npt.NDArray[np.float32]], npt.NDArray[np.float32]],
                   ) -> list[_Match]:
    """One sentence that the other text says in two adjacent ones (a paraphraser splitting or
    merging sentences): matched when the two, embedded together, come near the one.

    Mean pooling makes the embedding of two sentences close to their length-weighted mean, so
    no second model call is needed. Splits on both sides compete in one pool, best first, so
    the result does not depend on which text is `a`."""
    used = ({m.a for m in matches}, {m.b for m in matches})
    offers: list[tuple[float, bool, int, int]] = []  # similarity, split in a?, pair start, one
    for one, two, spans_two, split_in_a in ((a_vectors, b_vectors, b_spans, False),
                                            (b_vectors, a_vectors, a_spans, True)):
        used_one, used_two = (used[1], used[0]) if split_in_a else used
        free = [i for i in range(len(one)) if i not in used_one]
        if not free:
            continue
        lengths = np.array([end - start for start, end in spans_two], dtype=np.float32)
        starts = np.array([k for k in range(len(two) - 1)
                           if k not in used_two and k + 1 not in used_two], dtype=np.int64)
        if not len(starts):
            continue
        # Each adjacent pair's length-weighted sum, all at once (the same float32 products
        # and sums as one pair at a time); its norm as np.linalg.norm takes it, sqrt(x.x).
        joined_all = (two[starts] * lengths[starts, None]
                      + two[starts + 1] * lengths[starts + 1, None])
        candidates = one[free]
        for k, joined in zip(starts.tolist(), joined_all, strict=True):
            joined /= max(float(np.sqrt(joined.dot(joined))), 1e-9)
            similarity = cosine(sentence_cosines(candidates, joined[None, :])[:, 0])
            best = int(similarity.argmax())
            if similarity[best] >= threshold:
                offers.append((float(similarity[best]), split_in_a, k, free[best]))
    found: list[_Match] = []
    for value, split_in_a, k, i in sorted(offers, key=lambda offer: -offer[0]):
        used_one, used_two = (used[1], used[0]) if split_in_a else used
        if i in used_one or k in used_two or k + 1 in used_two:
            continue
        used_one.add(i)
        used_two.update((k, k + 1))
        found += [_Match(part, i, value, False) if split_in_a else _Match(i, part, value, False)
                  for part in (k, k + 1)]
    return found


def _worth_sequencing(scores: dict[str, float]) -> bool:
    """Whether the pair shares enough to be related at all (what `relate` requires), so the
    word-sequence score, the costliest, can matter."""
    return (max(scores["coverage_a"], scores["coverage_b"]) >= 0.15
            or max(scores["verbatim_a"], scores["verbatim_b"]) >= 0.05
            or scores["anchor_overlap"] >= 0.2)


def _sentences_inside(spans: list[tuple[int, int]], ends: list[int], passage: tuple[int, int],
                      share: float) -> list[int]:
    """The sentences (spans in text order, `ends` their ends) a passage covers by `share`:
    only those from the first ending after the passage starts are looked at."""
    found = []
    for index in range(bisect.bisect_right(ends, passage[0]), len(spans)):
        if spans[index][0] >= passage[1]:
            break
        if _inside(spans[index], passage, share):
            found.append(index)
    return found


def _inside(span: tuple[int, int], passage: tuple[int, int], share: float) -> bool:
    overlap = min(span[1], passage[1]) - max(span[0], passage[0])
    return overlap > 0 and overlap >= share * (span[1] - span[0])


def _covered_words(passages: list[Passage], total: int, side: str) -> float:
    if not total:
        return 0.0
    covered = sum((p.a_end - p.a_start) if side == "a" else (p.b_end - p.b_start)
                  for p in passages)
    return min(covered / total, 1.0)


def _covered_chars(spans: list[tuple[int, int]], matched: set[int]) -> float:
    total = sum(end - start for start, end in spans)
    covered = sum(spans[i][1] - spans[i][0] for i in matched)
    return covered / total if total else 0.0


def _order(matches: list[_Match]) -> float:
    """Share of matched sentences in one chain running forward in both texts (1.0: the same
    order throughout). A sentence matched to two counts twice either way round, so the score
    does not depend on which text is `a`."""
    ones = sorted({(m.a, m.b) for m in matches})
    return longest_rising([b for _, b in ones], strict=False) / len(ones) if ones else 0.0


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def _shared(a_anchors: set[str], b_anchors: set[str], kind: str) -> int:
    return sum(1 for anchor in a_anchors & b_anchors if anchor.startswith(kind))


def _overlap(a_anchors: set[str], b_anchors: set[str]) -> float:
    """Shared names, numbers and quotations over those of the text with fewer."""
    smaller = min(len(a_anchors), len(b_anchors))
    return len(a_anchors & b_anchors) / smaller if smaller else 0.0


def _text_similarity(a_vectors: Vectors | None, b_vectors: Vectors | None) -> float:
    """Cosine of the two texts' mean sentence vectors: same topic or not."""
    if a_vectors is None or b_vectors is None or not len(a_vectors) or not len(b_vectors):
        return 0.0
    a_mean, b_mean = a_vectors.mean(axis=0), b_vectors.mean(axis=0)
    norms = float(np.linalg.norm(a_mean) * np.linalg.norm(b_mean))
    return float(a_mean @ b_mean) / norms if norms else 0.0


def _containment(a_tokens: npt.NDArray[np.uint64], b_tokens: npt.NDArray[np.uint64],
                 size: int) -> float:
    """Shared word n-grams over the n-grams of the shorter text."""
    a_grams = set(shingle_hashes(a_tokens, size).tolist())
    b_grams = set(shingle_hashes(b_tokens, size).tolist())
    smaller = min(len(a_grams), len(b_grams))
    return len(a_grams & b_grams) / smaller if smaller else 0.0
