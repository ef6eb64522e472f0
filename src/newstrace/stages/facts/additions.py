"""Unsourced additions: sentences of a derivative with no counterpart in its sources.

A derivative's sentence is added when (1) no alignment with any of its sources matched it
(verbatim or paraphrase: the stored alignment's unmatched sentences), and (2) nothing else in
the story supports it: no sentence of its sources or of the story's other articles (its own
derivatives aside, which may have copied it) says the same, by sentence-embedding similarity
where vectors are stored, and by shared content words always. Step 2 catches what the
aligner left unmatched but was only reworded more freely, or merged from two sentences.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from newstrace.records import DATE, QUANTITY, Addition, Article, Claim
from newstrace.stages.facts.config import DEFAULT, FactsConfig
from newstrace.stages.facts.extract import extract
from newstrace.stages.facts.story_words import StoryWords
from newstrace.stages.facts.text import containment, content_words
from newstrace.stages.reuse.embed import Knots, on_minilm_scale, sentence_cosines


def unmatched_everywhere(spans_per_source: Sequence[Sequence[Sequence[int]]],
                         ) -> list[tuple[int, int]]:
    """The sentences that every alignment left unmatched."""
    sets = [{(int(s), int(e)) for s, e in spans} for spans in spans_per_source]
    if not sets:
        return []
    common = set.intersection(*sets)
    return sorted(common)


@dataclass(frozen=True, slots=True)
class Support:
    """What the rest of the story offers in support of one unmatched sentence of a
    derivative: the measures the thresholds of `FactsConfig` are applied to."""

    start: int
    end: int
    words: int  # its content words
    heading: bool  # a line of its own without final punctuation
    lexical: float  # best share of its words in one sentence (or two adjacent) elsewhere
    anchored: bool  # its numbers and dates mostly the story's (`anchored_share` of them)
    semantic: float | None  # best cosine to a sentence elsewhere (None without vectors)
    local_lexical: float  # the same two measures against the source sentences standing
    local_semantic: float | None  # in its place (`source_gaps`)
    merged: float = 0.0  # best share of its words in any two sentences of one article

    def unsupported(self, config: FactsConfig = DEFAULT) -> bool:
        """Whether nothing in the story says what this sentence says, by `config`'s bars."""
        if self.words < config.min_words or self.heading:
            return False
        if self.lexical >= config.lexical_support:
            return False
        if self.anchored and self.lexical >= config.anchored_support:
            return False
        if self.semantic is not None and self.semantic >= config.semantic_support:
            return False
        if self.local_lexical >= config.local_lexical:
            return False
        if self.merged >= config.merged_support:
            return False
        return not (self.local_semantic is not None and
                    self.local_semantic >= config.local_semantic)


def find_additions(target: Article, sources: Sequence[str],
                   unmatched: Sequence[tuple[int, int]], supporters: Sequence[Article],
                   vectors: Mapping[str, npt.NDArray[np.float32]] | None = None,
                   gaps: Mapping[int, Sequence[tuple[Article, int]]] | None = None,
                   claims: Mapping[str, Sequence[Claim]] | None = None,
                   config: FactsConfig = DEFAULT,
                   words: StoryWords | None = None, scale: Knots = ()) -> list[Addition]:
    """The unmatched sentences of `target` that no supporter says too. `gaps` gives, for a
    target sentence, the source sentences at its place in the source (see `source_gaps`),
    held to a lower bar; `words` the story's sentence words when already read; `scale` maps
    the cosines of `vectors` onto MiniLM's, where the bars were fitted (empty: MiniLM's)."""
    return [Addition(target.id, tuple(sources), target.text[found.start:found.end],
                     (found.start, found.end))
            for found in support(target, unmatched, supporters, vectors, gaps, claims, config,
                                 words, merged=config.merged_support <= 1.0, scale=scale)
            if found.unsupported(config)]


def support(target: Article, unmatched: Sequence[tuple[int, int]],
            supporters: Sequence[Article],
            vectors: Mapping[str, npt.NDArray[np.float32]] | None = None,
            gaps: Mapping[int, Sequence[tuple[Article, int]]] | None = None,
            claims: Mapping[str, Sequence[Claim]] | None = None,
            config: FactsConfig = DEFAULT, words: StoryWords | None = None,
            merged: bool = True, scale: Knots = ()) -> list[Support]:
    """The support each unmatched sentence of `target` finds in the story. `merged`: measure
    `Support.merged` (0 when not: `merged_support` above 1 never reads it, and it costs a
    pass over every supporter's sentences); `scale`: as `find_additions`."""
    words = words or StoryWords()
    allowed = words.allowed(supporters)
    sentences = [words.sentences(article) for article in supporters]
    index_of = {(s.start, s.end): s.index for s in target.sentences}
    semantic = _semantic(target, supporters, vectors, scale)
    known = claims or {a.id: extract(a)[0] for a in (target, *supporters)}
    for article in supporters:
        if not words.has_anchors(article.id):
            words.add_anchors(article.id, [anchor for anchor, _ in
                                           _anchors(known.get(article.id, ()))])
    own_anchors = _anchors(known.get(target.id, ()))
    found = []
    for start, end in unmatched:
        mine = content_words(target.text[start:end])
        best = words.best_containment(mine, allowed)
        own = {anchor for anchor, position in own_anchors if start <= position < end}
        index = index_of.get((start, end))
        near = semantic[index] if semantic is not None and index is not None and \
            index < len(semantic) else None
        local = _local(target, index, mine, (gaps or {}).get(index, ()) if index is not None
                       else (), vectors, scale)
        found.append(Support(start, end, len(mine), _heading(target.text, start, end), best,
                             bool(own) and len(words.held(own, allowed)) >=
                             config.anchored_share * len(own),
                             None if near is None else float(near), *local,
                             _merged(mine, sentences) if merged else 0.0))
    return found


def source_gaps(passages: Sequence[tuple[Sequence[int], Sequence[int]]], source: Article,
                target: Article, max_gap: int = DEFAULT.max_gap,
                ) -> dict[int, list[tuple[Article, int]]]:
    """For each target sentence that no passage covers, the unmatched source sentences
    between the source sentences its matched neighbours align with (at most `max_gap`): where
    a paraphrase of a source sentence would stand if the aligner missed it."""
    s_spans = [(x.start, x.end) for x in source.sentences]
    t_spans = [(x.start, x.end) for x in target.sentences]
    mapped: dict[int, set[int]] = {}
    for source_span, target_span in passages:
        s_inside = [i for i, span in enumerate(s_spans) if _covers(source_span, span)]
        for j, span in enumerate(t_spans):
            if _covers(target_span, span):
                mapped.setdefault(j, set()).update(s_inside)
    used = {i for items in mapped.values() for i in items}
    gaps: dict[int, list[tuple[Article, int]]] = {}
    for j in range(len(t_spans)):
        if j in mapped:
            continue
        before = max((max(mapped[p]) for p in range(j) if mapped.get(p)), default=-1)
        after = min((min(mapped[n]) for n in range(j + 1, len(t_spans)) if mapped.get(n)),
                    default=len(s_spans))
        between = [i for i in range(before + 1, after) if i not in used]
        if between and len(between) <= max_gap:
            gaps[j] = [(source, i) for i in between]
    return gaps


def _covers(passage: Sequence[int], span: tuple[int, int]) -> bool:
    overlap = min(passage[1], span[1]) - max(passage[0], span[0])
    return overlap > 0 and overlap >= 0.5 * (span[1] - span[0])


def _local(target: Article, index: int | None, words: set[str],
           candidates: Sequence[tuple[Article, int]],
           vectors: Mapping[str, npt.NDArray[np.float32]] | None, scale: Knots = (),
           ) -> tuple[float, float | None]:
    """The best shared-word share and cosine of a source sentence standing where this one
    stands (None for the cosine without vectors)."""
    lexical, semantic = 0.0, None
    for source, i in candidates:
        sentence = source.sentences[i]
        lexical = max(lexical, containment(
            words, content_words(source.text[sentence.start:sentence.end])))
        if index is not None and vectors and source.id in vectors and target.id in vectors \
                and i < len(vectors[source.id]) and index < len(vectors[target.id]):
            a, b = vectors[target.id][index], vectors[source.id][i]
            cosine = float(on_minilm_scale(np.array(float(a @ b) / max(float(
                np.linalg.norm(a) * np.linalg.norm(b)), 1e-9)), scale))
            semantic = cosine if semantic is None else max(semantic, cosine)
    return lexical, semantic


def _merged(words: set[str], articles: Sequence[Sequence[set[str]]]) -> float:
    """The best share of `words` found in the union of any two sentences of one article: a
    sentence merged from two that a condensed rewrite took from far apart."""
    if not words:
        return 0.0
    best = 0
    for sentences in articles:
        shared = sorted((words & sentence for sentence in sentences), key=len, reverse=True)
        for i, one in enumerate(shared):
            if len(one) + (len(shared[i + 1]) if i + 1 < len(shared) else 0) <= best:
                break
            for other in shared[i + 1:]:
                if len(one) + len(other) <= best:
                    break
                best = max(best, len(one | other))
    return best / len(words)


def _heading(text: str, start: int, end: int) -> bool:
    """A line of its own without a sentence's final punctuation: a headline or subheading,
    which restates the story rather than adding to it."""
    alone = (start == 0 or text[start - 1] == "\n") and (end == len(text) or text[end] == "\n")
    return alone and not text[start:end].rstrip().endswith((".", "!", "?", "”", '"', "’", ":"))


def _anchors(claims: Iterable[Claim]) -> list[tuple[tuple[str, str], int]]:
    """The quantities and dates (not times) of an article: ((key, value), position)."""
    return [((c.key, str(c.value)), c.span[0]) for c in claims
            if c.kind == QUANTITY or (c.kind == DATE and c.key != "date/time")]


def _semantic(target: Article, supporters: Sequence[Article],
              vectors: Mapping[str, npt.NDArray[np.float32]] | None, scale: Knots = (),
              ) -> npt.NDArray[np.float32] | None:
    """Each target sentence's best cosine to any supporter sentence, if vectors are known
    (on MiniLM's scale: the map is monotone, so the best is mapped)."""
    if not vectors or target.id not in vectors:
        return None
    others = [vectors[a.id] for a in supporters if a.id in vectors and len(vectors[a.id])]
    if not others:
        return None
    mine = _normalised(vectors[target.id])
    theirs = _normalised(np.vstack(others))
    best: npt.NDArray[np.float32] = sentence_cosines(mine, theirs).max(axis=1)
    return on_minilm_scale(best, scale)


def _normalised(matrix: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    result: npt.NDArray[np.float32] = matrix / np.maximum(norms, 1e-9)
    return result
