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

from newstrace.stages.reuse.lcs import Positions, Words, lcs_matrix, shared_sequence
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
           "matched_sequence_min", "facts_matched_max", "facts_matched_min", "lede_matched",
           "facts_grouped_max", "facts_grouped_min")
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
    quoted, keys = _quotation_parts(sentences, quotes)
    return set(quoted) | {index for index, found in enumerate(keys) if found & shared}


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
    """One text as the signals see it, with what they read of it whatever the other text is
    (made once an article, `Side.of`, and kept while the article meets its candidates)."""

    text: str
    sentences: Sequence[Span]
    quotes: Quotations
    tokens: npt.NDArray[np.uint64]
    spans: Spans
    words: tuple[list[int], ...]  # each sentence's token hashes outside quotation marks
    facts: tuple[frozenset[str], ...]  # each sentence's names and numbers outside quotations
    quoted: frozenset[int]  # sentences mostly inside quotation marks
    quote_keys: tuple[frozenset[str], ...]  # each sentence's quotations (keys) it overlaps
    every: Words  # the text's token hashes
    unquoted: Words  # the text's token hashes outside quotation marks
    trigrams: frozenset[tuple[int, ...]]  # the word trigrams of `unquoted`
    fact_sequence: tuple[str, ...]  # names and numbers outside quotations, first mention order

    @classmethod
    def of(cls, text: str, sentences: Sequence[Span], quotes: Quotations,
           tokens: npt.NDArray[np.uint64], spans: Spans) -> Side:
        keep = _outside_quotes(tokens, spans, quotes)
        every = tokens.tolist()
        unquoted = Words(tokens[keep].tolist() if quotes.spans else every)
        quoted, keys = _quotation_parts(sentences, quotes)
        return cls(text, sentences, quotes, tokens, spans,
                   _sentence_words(sentences, tokens, spans, keep),
                   _sentence_facts(text, sentences, quotes), quoted, keys, Words(every),
                   unquoted, frozenset(_grams(unquoted.listed, 3)),
                   tuple(_facts_in_order(text, quotes)))

    def masked(self, shared: set[str]) -> set[int]:
        """`quote_sentences` of this text: mostly quotation, or carrying one in `shared`."""
        found = set(self.quoted)
        if shared:
            found.update(i for i, keys in enumerate(self.quote_keys) if keys & shared)
        return found


def _quotation_parts(sentences: Sequence[Span],
                     quotes: Quotations) -> tuple[frozenset[int], tuple[frozenset[str], ...]]:
    """The two halves of `quote_sentences`: the sentences mostly quotation, and the keys of
    the quotations each sentence overlaps (masked when the other text shares one)."""
    quoted = set()
    keys = []
    for index, (start, end) in enumerate(sentences):
        inside = 0
        overlapping = set()
        for (q_start, q_end), key in zip(quotes.spans, quotes.keys, strict=True):
            overlap = min(end, q_end) - max(start, q_start)
            if overlap > 0:
                inside += overlap
                overlapping.add(key)
        if inside >= QUOTE_SHARE * max(end - start, 1):
            quoted.add(index)
        keys.append(frozenset(overlapping))
    return frozenset(quoted), tuple(keys)


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
    copied = (_verbatimshare(a.sentences, prose_a, [p for p, _ in verbatim]),
              _verbatimshare(b.sentences, prose_b, [p for _, p in verbatim]))
    near = (share(a.sentences, prose_a, {i for i, _ in close}),
            share(b.sentences, prose_b, {j for _, j in close}))
    words_a, words_b = len(a.tokens), len(b.tokens)
    words_of_a = [a.words[i] for i in prose_a]
    words_of_b = [b.words[j] for j in prose_b]
    table = _Table(lcs_matrix(words_of_a, words_of_b), _rows(prose_a), _rows(prose_b))
    local = _sentence_sequences(table.lengths, words_of_a, words_of_b)
    by_a, by_b = dict(zip(prose_a, words_of_a, strict=True)), dict(zip(prose_b, words_of_b,
                                                                       strict=True))
    matched = (matched_sequence(by_a, by_b, prose, table),
               matched_sequence(by_b, by_a, [(j, i) for i, j in prose], table.turned()))
    facts_a, facts_b = sentence_facts(a, prose_a), sentence_facts(b, prose_b)
    shared = _mentioned(facts_a) & _mentioned(facts_b)
    carried = (_facts_matched(facts_a, shared, {i for i, _ in prose}),
               _facts_matched(facts_b, shared, {j for _, j in prose}))
    together_a, together_b = _pairs(facts_a, shared), _pairs(facts_b, shared)
    grouped = (_facts_grouped(together_a, together_b), _facts_grouped(together_b, together_a))
    return {
        "lede_matched": _lede_matched(prose_a, prose_b, prose),
        "facts_grouped_max": max(grouped), "facts_grouped_min": min(grouped),
        "facts_matched_max": max(carried), "facts_matched_min": min(carried),
        "follow_max": max(follow), "follow_min": min(follow),
        "chain_max": max(ordered), "chain_min": min(ordered),
        "prose_verbatim_max": max(copied), "prose_verbatim_min": min(copied),
        "prose_sequence": shared_sequence(a.unquoted, b.unquoted),
        "fact_order": _fact_order(a.fact_sequence, b.fact_sequence),
        "length_ratio": min(words_a, words_b) / max(words_a, words_b, 1),
        "quoted_sentences": float(len(masked_a) + len(masked_b)),
        "adjacent_kept": max(_adjacent_kept(prose, prose_a), _adjacent_kept(
            [(j, i) for i, j in prose], prose_b)),
        "close_follow": max(near),
        "prose_trigrams": _shared_share(a.trigrams, b.trigrams),
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
        masked_a, masked_b = a.masked(shared), b.masked(shared)
        return cls(masked_a, masked_b,
                   [i for i in range(len(a.sentences)) if i not in masked_a],
                   [j for j in range(len(b.sentences)) if j not in masked_b],
                   [(i, j, sim) for i, j, sim in matches
                    if i not in masked_a and j not in masked_b])


def unquoted_mask(side: Side) -> npt.NDArray[np.bool_]:
    """Which of the text's tokens lie outside quotation marks."""
    return _outside_quotes(side.tokens, side.spans, side.quotes)


def sentence_facts(side: Side, counted: list[int]) -> dict[int, frozenset[str]]:
    """The names and numbers outside quotation marks in each counted (prose) sentence."""
    return {i: side.facts[i] for i in counted}


def sentence_words(side: Side, counted: list[int],
                   keep: npt.NDArray[np.bool_]) -> list[list[int]]:
    """The token hashes of each counted (prose) sentence, only the tokens `keep` keeps."""
    return list(_sentence_words([side.sentences[i] for i in counted], side.tokens, side.spans,
                                keep))


def _sentence_facts(text: str, sentences: Sequence[Span],
                    quotes: Quotations) -> tuple[frozenset[str], ...]:
    """The names and numbers outside quotation marks in each sentence."""
    starts = [start for start, _ in sentences]
    found: list[set[str]] = [set() for _ in sentences]
    for pattern, prefix in ((NUMBER, "#"), (NAME, "@")):
        for match in pattern.finditer(text):
            if any(start <= match.start() < end for start, end in quotes.spans):
                continue
            index = bisect.bisect_right(starts, match.start()) - 1
            if index >= 0 and match.start() < sentences[index][1]:
                found[index].add(_fact_key(match.group(0), prefix))
    return tuple(frozenset(facts) for facts in found)


def _mentioned(facts: dict[int, frozenset[str]]) -> set[str]:
    """The names and numbers of all these sentences."""
    return set().union(*facts.values())


def _facts_matched(one: dict[int, frozenset[str]], shared: set[str],
                   matched: set[int]) -> float:
    """Of the names and numbers both texts' prose mentions (`shared`), the share one text
    mentions in its sentences matched to the other: a derivative carries the facts it shares
    with its source in the sentences it took from it, while an independent report tells the
    same facts in sentences of its own (fewer than MIN_FACTS shared: 0, no evidence)."""
    if len(shared) < MIN_FACTS:
        return 0.0
    carried = set().union(*(one[i] for i in matched if i in one))
    return len(shared & carried) / len(shared)


LEDE = 3  # the headline and the first sentences: where a report's own angle shows


def _lede_matched(prose_a: list[int], prose_b: list[int], prose: list[tuple[int, int]]) -> float:
    """1.0 when one of either text's first LEDE prose sentences is matched to one of the
    other's: a copy opens as its source does, an independent report with its own angle."""
    first_a, first_b = set(prose_a[:LEDE]), set(prose_b[:LEDE])
    return float(any(i in first_a and j in first_b for i, j in prose))


def _facts_grouped(together: set[tuple[str, str]], other: set[tuple[str, str]]) -> float:
    """Of the pairs of shared names and numbers one text tells in a single sentence
    (`together`, `_pairs`), the share the other also tells together (`other`): a copy keeps
    its source's sentences' facts together, an independent report groups them its own way
    (fewer than MIN_FACTS pairs: 0)."""
    if len(together) < MIN_FACTS:
        return 0.0
    return len(together & other) / len(together)


def _pairs(facts: dict[int, frozenset[str]], shared: set[str]) -> set[tuple[str, str]]:
    """The pairs of `shared` names and numbers these sentences tell in one sentence."""
    found: set[tuple[str, str]] = set()
    for sentence in facts.values():
        kept = sorted(sentence & shared)
        found.update((x, y) for k, x in enumerate(kept) for y in kept[k + 1:])
    return found


def _fact_key(found: str, prefix: str) -> str:
    """A name or number as the fact signals compare it."""
    return prefix + found.replace(",", "").rstrip(".").lower()


def _outside_quotes(tokens: npt.NDArray[np.uint64], spans: Spans,
                    quotes: Quotations) -> npt.NDArray[np.bool_]:
    """Which tokens start outside quotation marks."""
    starts = spans.starts
    keep = np.ones(len(tokens), dtype=bool)
    for q_start, q_end in quotes.spans:
        keep[(starts >= q_start) & (starts < q_end)] = False
    return keep


def _sentence_words(sentences: Sequence[Span], tokens: npt.NDArray[np.uint64], spans: Spans,
                    keep: npt.NDArray[np.bool_]) -> tuple[list[int], ...]:
    """The token hashes of each sentence that `keep` keeps (those outside quotations)."""
    starts = spans.starts
    found = []
    for start, end in sentences:
        inside = keep & (starts >= start) & (starts < end)
        found.append([int(t) for t in tokens[inside].tolist()])
    return tuple(found)


@dataclass(frozen=True, slots=True)
class _Table:
    """LCS lengths of every prose sentence of one text (rows) with every one of the other's
    (columns), and which sentence each row and column is."""

    lengths: npt.NDArray[np.int64]
    rows: dict[int, int]  # sentence -> row
    columns: dict[int, int]  # sentence -> column

    def turned(self) -> _Table:
        return _Table(self.lengths.T, self.columns, self.rows)

    def common(self, one: int, other: int) -> int:
        return int(self.lengths[self.rows[one], self.columns[other]])


def _rows(sentences: list[int]) -> dict[int, int]:
    return {sentence: row for row, sentence in enumerate(sentences)}


def _sentence_sequences(table: npt.NDArray[np.int64], one: list[list[int]],
                        other: list[list[int]]) -> tuple[float, float]:
    """Of one text's prose words, the share that some single sentence of the other says in
    the same sequence (each sentence's longest common subsequence with its best partner): how
    closely a derivative's sentences follow their source's wording, one sentence at a time,
    whatever order the sentences come in. Both ways round, from one table of LCS lengths
    of `one`'s sentences with `other`'s (an LCS is the same either way)."""
    total_one = sum(len(words) for words in one)
    total_other = sum(len(words) for words in other)
    kept_one = int(table.max(axis=1).sum()) if table.size else 0
    kept_other = int(table.max(axis=0).sum()) if table.size else 0
    return (kept_one / total_one if total_one else 0.0,
            kept_other / total_other if total_other else 0.0)


def matched_sequence(one: dict[int, list[int]], other: dict[int, list[int]],
                     pairs: list[tuple[int, int]], table: _Table | None = None) -> float:
    """Of the words of one text's matched prose sentences, the share their partner sentences
    say in the same sequence: how closely the matched sentences keep the other's wording,
    whatever share of the text they are (a partial copy's own material does not dilute it).
    A sentence with one partner reads the LCS from `table` where given (the words of `one`
    and `other` are then the table's)."""
    partners: dict[int, list[int]] = {}
    for i, j in pairs:
        partners.setdefault(i, []).append(j)
    total = kept = 0
    for i, found in partners.items():
        words = one.get(i)
        if not words:
            continue
        total += len(words)
        if table is not None and len(found) == 1:
            kept += table.common(i, found[0])
        else:
            joined = [t for j in sorted(found) for t in other.get(j, [])]
            kept += Positions(joined).common(words)
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


def _grams(tokens: list[int], size: int) -> set[tuple[int, ...]]:
    """The text's word n-grams (an n-gram across a gap, a token 0, is none)."""
    return {gram for k in range(len(tokens) - size + 1)
            if 0 not in (gram := tuple(tokens[k : k + size]))}


def containment(a_tokens: list[int], b_tokens: list[int], size: int) -> float:
    """Shared word n-grams over the n-grams of the text with fewer."""
    return _shared_share(frozenset(_grams(a_tokens, size)), frozenset(_grams(b_tokens, size)))


def _shared_share(a_grams: frozenset[tuple[int, ...]],
                  b_grams: frozenset[tuple[int, ...]]) -> float:
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


def _verbatimshare(sentences: Sequence[Span], counted: list[int],
                    passages: list[Span]) -> float:
    """Share of the prose sentences' characters inside verbatim passages (each passage's
    overlap with each sentence, summed)."""
    if not counted:
        return 0.0
    spans = np.array([sentences[i] for i in counted], dtype=np.int64).reshape(-1, 2)
    total = int((spans[:, 1] - spans[:, 0]).sum())
    if not passages or not total:
        return 0.0
    found = np.array(passages, dtype=np.int64).reshape(-1, 2)
    overlap = (np.minimum(spans[:, 1, None], found[None, :, 1])
               - np.maximum(spans[:, 0, None], found[None, :, 0]))
    inside = int(np.maximum(overlap, 0).sum())
    return min(inside / total, 1.0)


def word_sequence(a_tokens: list[int], b_tokens: list[int]) -> float:
    """LCS of two token sequences over the smaller count of tokens each shares with the
    other (`shared_sequence` of two lists)."""
    return shared_sequence(Words(a_tokens), Words(b_tokens))


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


def _fact_order(a_facts: Sequence[str], b_facts: Sequence[str]) -> float:
    """Whether the facts both texts mention (`_facts_in_order` of each) come in the same
    sequence: the longest rising run of the shared facts' first mentions, as a share of them,
    rescaled so that a random order scores about 0 and the same order 1 (too few shared
    facts: 0, no evidence)."""
    b_position = {fact: index for index, fact in enumerate(b_facts)}
    sequence = [b_position[fact] for fact in a_facts if fact in b_position]
    if len(sequence) < MIN_FACTS:
        return 0.0
    rising = longest_rising(sequence, strict=True)
    # A random permutation of n has a longest rising run of about 2 sqrt(n).
    chance = min(2 * len(sequence) ** 0.5, len(sequence) - 1)
    return float(max(0.0, (rising - chance) / (len(sequence) - chance)))
