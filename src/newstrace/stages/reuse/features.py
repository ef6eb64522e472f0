"""What one text follows of another outside quotations: the signals of derivation.

A derivative walks through its source: most of its own prose (not only its quotations) says
what the source says, sentence after sentence, in the source's order, and it picks the
source's facts in the source's sequence. An independent report of the same event shares the
facts, names and often a quotation or two verbatim, but selects, orders and words them anew.
Quotations are evidence of neither: two reporters quoting one statement copy the speaker,
not each other. So every signal here is computed with quotations masked: a sentence that is
mostly quotation, or that carries a quotation the other text also quotes, is left out on both
sides, and words inside quotation marks are left out of the word sequence.

Every signal is symmetric in the two texts (a pair is judged before its direction is known):
per side, then the larger and the smaller of the two.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from newstrace.stages.reuse.sketch import NAME, NUMBER, QUOTATION
from newstrace.stages.reuse.tokens import Spans

Span = tuple[int, int]

_WORD = re.compile(r"\w+")
QUOTE_SHARE = 0.5  # a sentence at least this much inside quotation marks is a quotation
MIN_QUOTE_WORDS = 4  # a shared quotation this long masks the sentences carrying it
MIN_FACTS = 3  # fewer shared names and numbers than this say nothing about their order
SIGNALS = ("follow_max", "follow_min", "chain_max", "chain_min", "prose_verbatim_max",
           "prose_verbatim_min", "prose_sequence", "fact_order", "length_ratio",
           "quoted_sentences", "adjacent_kept", "close_follow", "prose_trigrams",
           "sentence_sequence_max", "sentence_sequence_min", "matched_sequence_max",
           "matched_sequence_min", "facts_matched_max", "facts_matched_min")
CLOSE = 0.85  # cosine of a close paraphrase (a reworded sentence, not a shared fact)


@dataclass(frozen=True, slots=True)
class Quotations:
    """Where a text quotes: the spans inside quotation marks and the quotations' words."""

    spans: tuple[Span, ...]
    keys: tuple[str, ...]  # each span's words, lower-cased and joined

    @classmethod
    def of(cls, text: str) -> Quotations:
        found = [(m.span(1), " ".join(_WORD.findall(m.group(1).lower())))
                 for m in QUOTATION.finditer(text)]
        return cls(tuple(span for span, _ in found), tuple(key for _, key in found))


def quote_sentences(sentences: Sequence[Span], quotes: Quotations,
                    shared: set[str]) -> set[int]:
    """The sentences to leave out: mostly quotation, or carrying a quotation in `shared`."""
    masked = set()
    for index, (start, end) in enumerate(sentences):
        inside = 0
        for (q_start, q_end), key in zip(quotes.spans, quotes.keys, strict=True):
            overlap = min(end, q_end) - max(start, q_start)
            if overlap <= 0:
                continue
            inside += overlap
            if key in shared:
                masked.add(index)
        if inside >= QUOTE_SHARE * max(end - start, 1):
            masked.add(index)
    return masked


def shared_quotations(a: Quotations, b: Quotations) -> set[str]:
    """Quotations (of at least MIN_QUOTE_WORDS words) both texts carry, one inside the other
    (a reporter may quote a shorter part of the same statement)."""
    long_a = {key for key in a.keys if len(key.split()) >= MIN_QUOTE_WORDS}
    long_b = {key for key in b.keys if len(key.split()) >= MIN_QUOTE_WORDS}
    found: set[str] = set()
    for key_a in long_a:
        for key_b in long_b:
            if key_a in key_b or key_b in key_a:
                found.update((key_a, key_b))
    return found


@dataclass(frozen=True, slots=True)
class Side:
    """One text as the signals see it."""

    text: str
    sentences: Sequence[Span]
    quotes: Quotations
    tokens: npt.NDArray[np.uint64]
    spans: Spans


def follow_signals(a: Side, b: Side, matches: Iterable[tuple[int, int, float]],
                   verbatim: Sequence[tuple[Span, Span]]) -> dict[str, float]:
    """The derivation signals of a pair: `matches` are matched sentence pairs (index in a,
    index in b, cosine: 1.0 when verbatim), `verbatim` the verbatim passages' character
    spans."""
    view = ProseView.of(a, b, matches)
    masked_a, masked_b, kept = view.masked_a, view.masked_b, view.kept
    prose, prose_a, prose_b = view.prose, view.prose_a, view.prose_b
    close = [(i, j) for i, j, sim in kept if sim >= CLOSE]
    in_order = _in_order(prose)
    follow = (share(a.sentences, prose_a, {i for i, _ in prose}),
              share(b.sentences, prose_b, {j for _, j in prose}))
    ordered = (follow[0] * in_order, follow[1] * in_order)
    copied = (_verbatim_share(a.sentences, prose_a, [p for p, _ in verbatim]),
              _verbatim_share(b.sentences, prose_b, [p for _, p in verbatim]))
    near = (share(a.sentences, prose_a, {i for i, _ in close}),
            share(b.sentences, prose_b, {j for _, j in close}))
    words_a, words_b = len(a.tokens), len(b.tokens)
    unquoted_a, unquoted_b = _unquoted_tokens(a), _unquoted_tokens(b)
    words_of_a = sentence_words(a, prose_a, unquoted_mask(a))
    words_of_b = sentence_words(b, prose_b, unquoted_mask(b))
    local = (_sentence_sequence(words_of_a, words_of_b),
             _sentence_sequence(words_of_b, words_of_a))
    by_a, by_b = dict(zip(prose_a, words_of_a, strict=True)), dict(zip(prose_b, words_of_b,
                                                                       strict=True))
    matched = (matched_sequence(by_a, by_b, prose),
               matched_sequence(by_b, by_a, [(j, i) for i, j in prose]))
    facts_a, facts_b = sentence_facts(a, prose_a), sentence_facts(b, prose_b)
    carried = (_facts_matched(facts_a, facts_b, {i for i, _ in prose}),
               _facts_matched(facts_b, facts_a, {j for _, j in prose}))
    return {
        "facts_matched_max": max(carried), "facts_matched_min": min(carried),
        "follow_max": max(follow), "follow_min": min(follow),
        "chain_max": max(ordered), "chain_min": min(ordered),
        "prose_verbatim_max": max(copied), "prose_verbatim_min": min(copied),
        "prose_sequence": word_sequence(unquoted_a, unquoted_b),
        "fact_order": fact_order(a.text, b.text, a.quotes, b.quotes),
        "length_ratio": min(words_a, words_b) / max(words_a, words_b, 1),
        "quoted_sentences": float(len(masked_a) + len(masked_b)),
        "adjacent_kept": max(_adjacent_kept(prose, prose_a), _adjacent_kept(
            [(j, i) for i, j in prose], prose_b)),
        "close_follow": max(near),
        "prose_trigrams": containment(unquoted_a, unquoted_b, 3),
        "sentence_sequence_max": max(local), "sentence_sequence_min": min(local),
        "matched_sequence_max": max(matched), "matched_sequence_min": min(matched),
    }


@dataclass(frozen=True, slots=True)
class ProseView:
    """A pair's sentences with quotations masked on both sides: the sentences left out, the
    prose sentences of each side, and the matches between prose sentences."""

    masked_a: set[int]
    masked_b: set[int]
    prose_a: list[int]
    prose_b: list[int]
    kept: list[tuple[int, int, float]]  # matches between prose sentences, with their cosine

    @property
    def prose(self) -> list[tuple[int, int]]:
        return [(i, j) for i, j, _ in self.kept]

    @classmethod
    def of(cls, a: Side, b: Side, matches: Iterable[tuple[int, int, float]]) -> ProseView:
        shared = shared_quotations(a.quotes, b.quotes)
        masked_a = quote_sentences(a.sentences, a.quotes, shared)
        masked_b = quote_sentences(b.sentences, b.quotes, shared)
        return cls(masked_a, masked_b,
                   [i for i in range(len(a.sentences)) if i not in masked_a],
                   [j for j in range(len(b.sentences)) if j not in masked_b],
                   [(i, j, sim) for i, j, sim in matches
                    if i not in masked_a and j not in masked_b])


def unquoted_mask(side: Side) -> npt.NDArray[np.bool_]:
    """Which of the text's tokens lie outside quotation marks."""
    starts = side.spans.starts
    keep = np.ones(len(side.tokens), dtype=bool)
    for q_start, q_end in side.quotes.spans:
        keep[(starts >= q_start) & (starts < q_end)] = False
    return keep


def sentence_facts(side: Side, counted: list[int]) -> dict[int, set[str]]:
    """The names and numbers outside quotation marks in each counted (prose) sentence."""
    starts = [start for start, _ in side.sentences]
    found: dict[int, set[str]] = {i: set() for i in counted}
    for pattern, prefix in ((NUMBER, "#"), (NAME, "@")):
        for match in pattern.finditer(side.text):
            if any(start <= match.start() < end for start, end in side.quotes.spans):
                continue
            index = bisect.bisect_right(starts, match.start()) - 1
            if index in found and match.start() < side.sentences[index][1]:
                found[index].add(_fact_key(match.group(0), prefix))
    return found


def _facts_matched(one: dict[int, set[str]], other: dict[int, set[str]],
                   matched: set[int]) -> float:
    """Of the names and numbers both texts' prose mentions, the share one text mentions in
    its sentences matched to the other: a derivative carries the facts it shares with its
    source in the sentences it took from it, while an independent report tells the same facts
    in sentences of its own (fewer than MIN_FACTS shared: 0, no evidence)."""
    shared = set().union(*one.values()) & set().union(*other.values())
    if len(shared) < MIN_FACTS:
        return 0.0
    carried = set().union(*(one[i] for i in matched if i in one))
    return len(shared & carried) / len(shared)


def _fact_key(found: str, prefix: str) -> str:
    """A name or number as the fact signals compare it."""
    return prefix + found.replace(",", "").rstrip(".").lower()


def sentence_words(side: Side, counted: list[int],
                    keep: npt.NDArray[np.bool_]) -> list[list[int]]:
    """The token hashes of each counted (prose) sentence, only the tokens `keep` keeps."""
    starts = side.spans.starts
    found = []
    for index in counted:
        start, end = side.sentences[index]
        inside = keep & (starts >= start) & (starts < end)
        found.append([int(t) for t in side.tokens[inside].tolist()])
    return found


def _sentence_sequence(one: list[list[int]], other: list[list[int]]) -> float:
    """Of one text's prose words, the share that some single sentence of the other says in
    the same sequence (each sentence's longest common subsequence with its best partner): how
    closely a derivative's sentences follow their source's wording, one sentence at a time,
    whatever order the sentences come in."""
    total = sum(len(words) for words in one)
    if not total:
        return 0.0
    partners = [_Positions(words) for words in other]
    kept = sum(max((partner.common(words) for partner in partners), default=0)
               for words in one)
    return kept / total


def matched_sequence(one: dict[int, list[int]], other: dict[int, list[int]],
                      pairs: list[tuple[int, int]]) -> float:
    """Of the words of one text's matched prose sentences, the share their partner sentences
    say in the same sequence: how closely the matched sentences keep the other's wording,
    whatever share of the text they are (a partial copy's own material does not dilute it)."""
    partners: dict[int, list[int]] = {}
    for i, j in pairs:
        partners.setdefault(i, []).append(j)
    total = kept = 0
    for i, found in partners.items():
        words = one.get(i)
        if not words:
            continue
        joined = [t for j in sorted(found) for t in other.get(j, [])]
        total += len(words)
        kept += _Positions(joined).common(words)
    return kept / total if total else 0.0


def _adjacent_kept(pairs: list[tuple[int, int]], counted: list[int]) -> float:
    """Of the neighbouring prose sentences of one text, the share whose matches are
    neighbours in the same order in the other (at most one sentence apart): the local order
    a rewrite keeps even when it moves whole paragraphs."""
    partners: dict[int, set[int]] = {}
    for i, j in pairs:
        partners.setdefault(i, set()).add(j)
    present = set(counted)
    neighbours = [i for i in counted if i + 1 in present]
    if not neighbours:
        return 0.0
    kept = sum(1 for i in neighbours if any(
        0 < later - earlier <= 2 for earlier in partners.get(i, ())
        for later in partners.get(i + 1, ())))
    return kept / len(neighbours)


def containment(a_tokens: list[int], b_tokens: list[int], size: int) -> float:
    """Shared word n-grams over the n-grams of the text with fewer (an n-gram across a gap,
    a token 0, is none)."""
    a_grams = {gram for k in range(len(a_tokens) - size + 1)
               if 0 not in (gram := tuple(a_tokens[k : k + size]))}
    b_grams = {gram for k in range(len(b_tokens) - size + 1)
               if 0 not in (gram := tuple(b_tokens[k : k + size]))}
    smaller = min(len(a_grams), len(b_grams))
    return len(a_grams & b_grams) / smaller if smaller else 0.0


def _in_order(pairs: list[tuple[int, int]]) -> float:
    """The share of matches in the longest chain rising strictly in both texts (the same
    length whichever text is first: a longest chain of a partial order)."""
    ones = sorted(set(pairs), key=lambda pair: (pair[0], -pair[1]))
    if not ones:
        return 0.0
    return longest_rising([j for _, j in ones], strict=True) / len(ones)


def longest_rising(sequence: list[int], *, strict: bool) -> int:
    """Length of the longest rising (strict) or non-decreasing subsequence."""
    find = bisect.bisect_left if strict else bisect.bisect_right
    tails: list[int] = []
    for value in sequence:
        position = find(tails, value)
        if position == len(tails):
            tails.append(value)
        else:
            tails[position] = value
    return len(tails)


def share(sentences: Sequence[Span], counted: list[int], chosen: set[int]) -> float:
    total = sum(sentences[i][1] - sentences[i][0] for i in counted)
    inside = sum(sentences[i][1] - sentences[i][0] for i in counted if i in chosen)
    return inside / total if total else 0.0


def _verbatim_share(sentences: Sequence[Span], counted: list[int],
                    passages: list[Span]) -> float:
    """Share of the prose sentences' characters inside verbatim passages."""
    total = inside = 0
    for i in counted:
        start, end = sentences[i]
        total += end - start
        inside += sum(max(0, min(end, p_end) - max(start, p_start))
                      for p_start, p_end in passages)
    return min(inside / total, 1.0) if total else 0.0


def _unquoted_tokens(side: Side) -> list[int]:
    """The text's token hashes without the words inside quotation marks."""
    if not side.quotes.spans:
        return [int(t) for t in side.tokens.tolist()]
    return [int(t) for t in side.tokens[unquoted_mask(side)].tolist()]


def word_sequence(a_tokens: list[int], b_tokens: list[int]) -> float:
    """LCS of two token sequences over the smaller count of tokens each shares with the
    other."""
    a_set = set(a_tokens)
    b_set = set(b_tokens)
    smaller = min(sum(1 for t in a_tokens if t in b_set), sum(1 for t in b_tokens if t in a_set))
    return _Positions(b_tokens).common(a_tokens) / smaller if smaller else 0.0


class _Positions:
    """One token sequence ready for longest-common-subsequence lengths against others,
    computed bit-parallel (Allison-Dix, Hyyro): a row of the LCS table as one integer, so the
    work per token is a few machine words of integer arithmetic."""

    def __init__(self, tokens: list[int]) -> None:
        self.masks: dict[int, int] = {}
        for position, token in enumerate(tokens):
            self.masks[token] = self.masks.get(token, 0) | (1 << position)
        self.size = len(tokens)
        self.full = (1 << self.size) - 1

    def common(self, tokens: list[int]) -> int:
        row = self.full
        for token in tokens:
            mask = self.masks.get(token)
            if mask:
                matched = row & mask
                row = ((row + matched) | (row - matched)) & self.full
        return self.size - row.bit_count()


def _facts_in_order(text: str, quotes: Quotations) -> list[str]:
    """Names and numbers outside quotations, in order of first mention."""
    seen: dict[str, int] = {}
    for pattern, prefix in ((NUMBER, "#"), (NAME, "@")):
        for match in pattern.finditer(text):
            if any(start <= match.start() < end for start, end in quotes.spans):
                continue
            key = _fact_key(match.group(0), prefix)
            if key not in seen or match.start() < seen[key]:
                seen[key] = match.start()
    return sorted(seen, key=seen.__getitem__)


def fact_order(a_text: str, b_text: str, a_quotes: Quotations, b_quotes: Quotations) -> float:
    """Whether the facts both texts mention come in the same sequence: the longest rising
    run of the shared facts' first mentions, as a share of them, rescaled so that a random
    order scores about 0 and the same order 1 (too few shared facts: 0, no evidence)."""
    a_facts = _facts_in_order(a_text, a_quotes)
    b_position = {fact: index for index, fact in enumerate(_facts_in_order(b_text, b_quotes))}
    sequence = [b_position[fact] for fact in a_facts if fact in b_position]
    if len(sequence) < MIN_FACTS:
        return 0.0
    rising = longest_rising(sequence, strict=True)
    # A random permutation of n has a longest rising run of about 2 sqrt(n).
    chance = min(2 * len(sequence) ** 0.5, len(sequence) - 1)
    return float(max(0.0, (rising - chance) / (len(sequence) - chance)))
