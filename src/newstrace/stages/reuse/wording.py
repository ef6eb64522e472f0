"""Candidate signals of derivation, measured and not adopted: what separates a text that
follows its source's *wording* from one that follows the same *fact sheet*.

An independent report written from the same facts as its neighbour shares their names and
numbers, often their order, and sentences that a sentence model matches; the derivation
signals of reuse/features.py then see a derivative. What a fact sheet does not dictate is the
writer's own words: the function words and phrasing a sentence frames its facts with, how the
facts are packed into sentences, and whether the text walks through the other one sentence
for a sentence. These signals measure exactly that. bench/feature_trials.py measured each
under the grouped cross-validation of `make train` (2026-12-07, docs/benchmarks.md, "Fourth
pass"): none lowered the out-of-fold log loss by more than 1.5% on both dealings of the folds
or raised the cross-validated recall and precision together, because the independent reports
the model calls derived score above the derivatives it misses on these signals as on all the
others. So `relate` does not compute them: the aligner adds them to a pair's scores only when
`AlignConfig.candidate_signals` asks (the trials do), where a later corpus can measure them
again. The seventh pass (docs/benchmarks.md) added three that read what a fact sheet does not
dictate, the sentences without names or numbers (`factfree_*`) and which facts each paragraph
puts together (`paragraph_packaging`), and measured all of them held out by writing round
(bench/round_trials.py): none moved that figure either.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from newstrace.stages.reuse.features import (
    CLOSE,
    MIN_FACTS,
    ProseView,
    Side,
    containment,
    matched_sequence,
    sentence_facts,
    sentence_words,
    share,
    unquoted_mask,
)
from newstrace.stages.reuse.sketch import NAME, NUMBER
from newstrace.stages.reuse.tokens import Tokenizer

CANDIDATE_SIGNALS = ("wording_max", "wording_min", "skeleton_max", "skeleton_min",
                     "frame_trigrams", "monotone_max", "monotone_min", "fact_packaging",
                     "matched_lengths", "factfree_follow_max", "factfree_follow_min",
                     "factfree_close_max", "paragraph_packaging")

# Words that carry no fact: articles, pronouns, prepositions, conjunctions, auxiliaries and
# the commonest adverbs. The frame a writer puts the facts in is made of them; a fact sheet
# dictates the facts, not the frame.
_FUNCTION_TEXT = """
a an the this that these those there here it its he she they we you i me him us them his
her hers their theirs our ours my your yours some any no all each every both either neither
many most much more few other another such what which who whom whose when where why how if
then than but and or nor so yet as at by for from in into of off on onto out over under up
down to with within without after before while although though because since until unless
about above across against along among around behind below beneath beside between beyond
during except inside near outside past per through throughout toward towards upon via
be am is are was were been being have has had having do does did done will would shall
should can could may might must not also only just even still again already ever never
very too quite rather almost soon now once
"""
_PARAGRAPH = re.compile(r"[^\n]+")
FUNCTION_WORDS = frozenset(_FUNCTION_TEXT.split())
_FUNCTION_HASHES = frozenset(int(h) for h in Tokenizer().hashes(_FUNCTION_TEXT))


def candidate_signals(a: Side, b: Side, view: ProseView) -> dict[str, float]:
    """The candidate signals of a pair, over the prose sentences and matches of `view`."""
    prose, prose_a, prose_b = view.prose, view.prose_a, view.prose_b
    kinds_a, kinds_b = _TokenKinds.of(a), _TokenKinds.of(b)
    one_to_one = _one_to_one(prose)
    monotone = (share(a.sentences, prose_a, {i for i, _ in one_to_one}),
                share(b.sentences, prose_b, {j for _, j in one_to_one}))
    wording = _wording(a, b, prose_a, prose_b, prose, kinds_a.wording, kinds_b.wording)
    skeleton = _wording(a, b, prose_a, prose_b, prose, kinds_a.frame, kinds_b.frame)
    words_a = sentence_words(a, prose_a, kinds_a.unquoted)
    free = (_fact_free(a, prose_a, {i for i, _ in prose}),
            _fact_free(b, prose_b, {j for _, j in prose}))
    close = [(i, j) for i, j, sim in view.kept if sim >= CLOSE]
    words_b = sentence_words(b, prose_b, kinds_b.unquoted)
    return {
        "wording_max": max(wording), "wording_min": min(wording),
        "skeleton_max": max(skeleton), "skeleton_min": min(skeleton),
        "frame_trigrams": containment(kinds_a.framed(a), kinds_b.framed(b), 3),
        "monotone_max": max(monotone), "monotone_min": min(monotone),
        "fact_packaging": _fact_packaging(sentence_facts(a, prose_a),
                                          sentence_facts(b, prose_b)),
        "matched_lengths": _matched_lengths(words_a, words_b, prose_a, prose_b, one_to_one),
        "paragraph_packaging": _fact_packaging(_paragraph_facts(a), _paragraph_facts(b)),
        "factfree_follow_max": max(free), "factfree_follow_min": min(free),
        "factfree_close_max": max(_fact_free(a, prose_a, {i for i, _ in close}),
                                  _fact_free(b, prose_b, {j for _, j in close})),
    }


@dataclass(frozen=True, slots=True)
class _TokenKinds:
    """Which of a text's tokens are outside quotation marks, which are names or numbers
    (facts), and which are function words."""

    unquoted: npt.NDArray[np.bool_]
    fact: npt.NDArray[np.bool_]
    function: npt.NDArray[np.bool_]

    @classmethod
    def of(cls, side: Side) -> _TokenKinds:
        starts = side.spans.starts
        unquoted = unquoted_mask(side)
        fact = np.zeros(len(side.tokens), dtype=bool)
        for pattern in (NUMBER, NAME):
            for match in pattern.finditer(side.text):
                fact[(starts >= match.start()) & (starts < match.end())] = True
        function = np.fromiter((int(t) in _FUNCTION_HASHES for t in side.tokens.tolist()),
                               dtype=bool, count=len(side.tokens))
        return cls(unquoted, fact, function)

    @property
    def wording(self) -> npt.NDArray[np.bool_]:
        """The words a writer chose: outside quotations, no name or number."""
        return self.unquoted & ~self.fact

    @property
    def frame(self) -> npt.NDArray[np.bool_]:
        """The sentence frame: function words outside quotations."""
        return self.unquoted & self.function & ~self.fact

    def framed(self, side: Side) -> list[int]:
        """The unquoted token sequence with every name and number a gap (0): a trigram across
        a gap is not counted, so shared phrases are phrases, not shared facts."""
        kept = side.tokens[self.unquoted].astype(np.uint64)
        kept[self.fact[self.unquoted]] = 0
        return [int(t) for t in kept.tolist()]


def _one_to_one(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The matches that pair one sentence with one sentence (neither side matched to another)
    and lie on the longest chain of such matches rising in both texts: a derivative walks
    through its source a sentence for a sentence, where a report written from the same facts
    spreads a fact over several sentences and gathers several in one."""
    count_a: dict[int, int] = {}
    count_b: dict[int, int] = {}
    for i, j in set(pairs):
        count_a[i] = count_a.get(i, 0) + 1
        count_b[j] = count_b.get(j, 0) + 1
    single = sorted((i, j) for i, j in set(pairs) if count_a[i] == 1 and count_b[j] == 1)
    return _rising_chain(single)


def _rising_chain(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest chain of `pairs` (sorted by their first index, each first index once)
    whose second indices rise strictly."""
    tails: list[int] = []  # second index at the end of the best chain of each length
    ends: list[int] = []  # which pair ends it
    before = [-1] * len(pairs)
    for k, (_, j) in enumerate(pairs):
        position = bisect.bisect_left(tails, j)
        if position == len(tails):
            tails.append(j)
            ends.append(k)
        else:
            tails[position] = j
            ends[position] = k
        before[k] = ends[position - 1] if position else -1
    chain = []
    k = ends[-1] if ends else -1
    while k >= 0:
        chain.append(pairs[k])
        k = before[k]
    return chain[::-1]


def _wording(a: Side, b: Side, prose_a: list[int], prose_b: list[int],
             prose: list[tuple[int, int]], keep_a: npt.NDArray[np.bool_],
             keep_b: npt.NDArray[np.bool_]) -> tuple[float, float]:
    """`matched_sequence` both ways over the tokens `keep_a` / `keep_b` keep."""
    by_a = dict(zip(prose_a, sentence_words(a, prose_a, keep_a), strict=True))
    by_b = dict(zip(prose_b, sentence_words(b, prose_b, keep_b), strict=True))
    return (matched_sequence(by_a, by_b, prose),
            matched_sequence(by_b, by_a, [(j, i) for i, j in prose]))


def _paragraph_facts(side: Side) -> dict[int, frozenset[str]]:
    """The names and numbers outside quotations of each paragraph (a line of the text: the
    clean text keeps one paragraph a line), by the paragraph's first character."""
    starts = [match.start() for match in _PARAGRAPH.finditer(side.text)]
    found: dict[int, set[str]] = {}
    for (start, _), facts in zip(side.sentences, side.facts, strict=True):
        paragraph = starts[max(bisect.bisect_right(starts, start) - 1, 0)] if starts else 0
        found.setdefault(paragraph, set()).update(facts)
    return {k: frozenset(v) for k, v in found.items()}


def _fact_free(side: Side, prose: list[int], matched: set[int]) -> float:
    """Of a text's prose sentences that carry no name or number outside quotations (the
    background, colour and transitions a fact sheet does not dictate), the share (in
    characters) matched to the other text (none: 0, no evidence). Two reports written from
    one fact sheet share its facts sentence by sentence; a derivative also carries what its
    source said around them."""
    free = [i for i in prose if not side.facts[i]]
    return share(side.sentences, free, matched)


def _fact_packaging(one: dict[int, frozenset[str]], other: dict[int, frozenset[str]]) -> float:
    """How alike the two texts package the facts they share into sentences: of the pairs of
    shared names and numbers that one sentence of either text mentions together, the share
    that one sentence of each mentions together. A paraphrase rewords a sentence and keeps
    what it says together; a report written from the same facts groups them its own way
    (fewer than MIN_FACTS shared: 0, no evidence)."""
    shared = set().union(*one.values()) & set().union(*other.values())
    if len(shared) < MIN_FACTS:
        return 0.0

    def together(side: dict[int, frozenset[str]]) -> set[tuple[str, str]]:
        return {(f, g) for facts in side.values() for f in facts & shared
                for g in facts & shared if f < g}

    in_one, in_other = together(one), together(other)
    either = in_one | in_other
    return len(in_one & in_other) / len(either) if either else 0.0


def _matched_lengths(words_a: list[list[int]], words_b: list[list[int]], prose_a: list[int],
                     prose_b: list[int], pairs: list[tuple[int, int]]) -> float:
    """The mean ratio of the shorter to the longer sentence (in unquoted words) over the
    one-to-one matches: a paraphrase keeps each sentence's length roughly, a sentence written
    anew about the same fact is as long as its writer likes (no match: 0)."""
    length_a = {i: len(w) for i, w in zip(prose_a, words_a, strict=True)}
    length_b = {j: len(w) for j, w in zip(prose_b, words_b, strict=True)}
    ratios = [min(length_a[i], length_b[j]) / max(length_a[i], length_b[j])
              for i, j in pairs if max(length_a.get(i, 0), length_b.get(j, 0)) > 0
              and i in length_a and j in length_b]
    return sum(ratios) / len(ratios) if ratios else 0.0
