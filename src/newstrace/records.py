"""The records that flow through newstrace's stages.

Each is a slotted dataclass defined once here; the stages pass them between each other, and
every runner (memory, local SQLite, Spark) maps its own state to them at its edge, so all of
them share one schema.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class SourceKind(StrEnum):
    """The input format an article came from."""

    HTML = "html"
    TEXT = "text"
    JSONL = "jsonl"
    WARC = "warc"
    FEED = "feed"


class BodyFormat(StrEnum):
    """What a raw body holds: markup that needs extraction, or text that needs cleaning."""

    HTML = "html"
    TEXT = "text"


@dataclass(slots=True)
class RawDocument:
    """One article as a reader found it, before extraction and cleaning.

    The optional fields hold what the container said about the article (a JSONL title field, a
    feed entry's link, a WARC target URI); extraction adds what the page itself says. `record`
    locates the article inside a file that holds many (":12" for a JSONL line, "@4096" for a
    WARC record's offset).
    """

    source_path: str
    kind: SourceKind
    body: str
    body_format: BodyFormat
    source_id: str | None = None
    record: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = None
    outlet: str | None = None
    author: str | None = None

    @property
    def where(self) -> str:
        """The file, and the record inside it when the file holds many."""
        return f"{self.source_path}{self.record or ''}"


@dataclass(slots=True, frozen=True)
class Cue:
    """A provenance cue found in an article: an attribution line, a foreign canonical link.

    `outlet` is the outlet the cue credits, when it names one; `url` the address it points to.
    """

    kind: str
    text: str
    outlet: str | None = None
    url: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, "outlet": self.outlet, "url": self.url}


@dataclass(slots=True, frozen=True)
class RemovedLine:
    """A line removed from the article body, with the reason it was removed."""

    line: str
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {"line": self.line, "reason": self.reason}


@dataclass(slots=True, frozen=True)
class Sentence:
    """A sentence as a span of its article's clean text: `text[start:end]`."""

    index: int
    start: int
    end: int


@dataclass(slots=True, frozen=True)
class Segment:
    """One kept line: clean[start:start+length] came from raw[raw_start:raw_start+raw_length]
    (the same text up to folded white space). A list of these maps clean offsets back to raw."""

    start: int
    length: int
    raw_start: int
    raw_length: int

    def as_list(self) -> list[int]:
        return [self.start, self.length, self.raw_start, self.raw_length]


@dataclass(slots=True)
class Article:
    """A clean, addressable article: what the store holds and every later stage reads."""

    id: str
    source_path: str
    kind: SourceKind
    text: str
    text_hash: str
    source_id: str | None = None
    url: str | None = None
    canonical_url: str | None = None
    outlet: str | None = None
    author: str | None = None
    title: str | None = None
    published: str | None = None
    # Where the date was read: "meta tag", "htmldate" (JSON-LD, <time>, the page's text),
    # "byline", "date line", "dateline", or "<kind> record" (a feed entry's or JSON line's field).
    published_source: str | None = None
    language: str | None = None
    sentences: list[Sentence] = field(default_factory=list)
    removed: list[RemovedLine] = field(default_factory=list)
    cues: list[Cue] = field(default_factory=list)
    raw: str | None = None
    raw_map: list[Segment] | None = None
    duplicate_of: str | None = None
    source_key: str = ""
    raw_hash: str = ""

    @property
    def words(self) -> int:
        return len(self.text.split())

    def sentence_texts(self) -> list[str]:
        return [self.text[s.start : s.end] for s in self.sentences]


@dataclass(slots=True, frozen=True)
class Skip:
    """An input (or one record of it) that was not ingested, and why. Nothing is dropped
    without one of these: they are counted by reason and reported."""

    path: str
    reason: str
    message: str


# -- facts: what articles claim, and where versions disagree (the facts stage's records) ---------
# A story's discrepancies are a small family rather than one record with a kind: a conflict
# groups the values of several articles, an altered fact pairs a source's value with its
# derivative's, an addition is one sentence of one article, an altered quotation lists its
# wordings, a single-source claim is one claim. One record with a kind would hold every
# field of every kind, most of them empty for any one, and each reader would have to know
# which are set; as a family each reader names the fields its kind has and mypy checks them.
# Each `as_dict()` is the JSON form (`newstrace facts --json`, the report, the tables' rows).

QUANTITY, DATE, ENTITY, QUOTE = "quantity", "date", "entity", "quote"  # the kinds of claim


@dataclass(slots=True)
class Claim:
    """One thing an article states: a quantity, a date or time, a named entity or a quotation.

    `value` is normalised so that two wordings of one fact compare equal ("ten days" and
    "10 days": 10; "€3.2m" and "3.2 million euros": 3200000). `key` says what the value
    measures (a unit or counted noun, a date precision, an entity type, a speaker) and is
    what claims of different articles are lined up by. `extra` holds the kind's own fields
    (unit, approx, precision, speaker, entity...), merged into the JSON form. Spans are
    [start, end) into the article's stored clean text (`Article.text`)."""

    article: str
    kind: str
    text: str
    value: Any
    span: tuple[int, int]
    sentence: tuple[int, int]
    key: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    detail: Any = None  # the extractor's own record (a Quantity...), not serialised

    def as_dict(self) -> dict[str, Any]:
        return {"article": self.article, "kind": self.kind, "text": self.text,
                "value": self.value, "span": list(self.span), "sentence": list(self.sentence),
                **self.extra}


@dataclass(frozen=True, slots=True)
class ConflictValue:
    """One side of a conflict: a value, the articles that give it and in which words, and
    how relative dates among them were read ("last October (published 2025-06-13) =
    2024-10")."""

    value: Any
    articles: list[str]
    texts: list[str]
    resolutions: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        found = {"value": self.value, "articles": self.articles, "texts": self.texts}
        return {**found, "resolutions": self.resolutions} if self.resolutions else found


@dataclass(frozen=True, slots=True)
class Conflict:
    """Articles of one story giving values of one thing that cannot both be true (`kind`:
    date, quantity), or naming one entity differently (`kind`: name, with no measure).
    `key` is the slot compared ("date/day", "member"), `shared_words` the context words
    that made the claims one subject."""

    kind: str
    subject: str
    values: list[ConflictValue]
    measure: str | None = None
    context: str | None = None
    key: str | None = None
    shared_words: list[str] | None = None

    @property
    def articles(self) -> list[str]:
        return sorted({a for value in self.values for a in value.articles})

    def as_dict(self) -> dict[str, Any]:
        values = [value.as_dict() for value in self.values]
        if self.key is None:  # a name conflict
            return {"subject": self.subject, "kind": self.kind, "values": values}
        return {"subject": self.subject, "measure": self.measure, "context": self.context,
                "key": self.key, "shared_words": self.shared_words, "kind": self.kind,
                "values": values}


@dataclass(frozen=True, slots=True)
class AlteredFact:
    """A value a derivative changed from its source's, in sentences that say the same."""

    source: str
    target: str
    kind: str
    from_text: str
    to_text: str
    from_value: Any
    to_value: Any
    source_sentence: str
    target_sentence: str
    source_span: tuple[int, int]
    target_span: tuple[int, int]

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source, "target": self.target, "kind": self.kind,
                "from": self.from_text, "to": self.to_text, "from_value": self.from_value,
                "to_value": self.to_value, "source_sentence": self.source_sentence,
                "target_sentence": self.target_sentence,
                "source_span": list(self.source_span), "target_span": list(self.target_span)}


@dataclass(frozen=True, slots=True)
class Addition:
    """A sentence of a derivative that none of its sources, nor the rest of its story,
    says."""

    article: str
    sources: tuple[str, ...]
    text: str
    span: tuple[int, int]

    def as_dict(self) -> dict[str, Any]:
        source: str | list[str] = self.sources[0] if len(self.sources) == 1 \
            else list(self.sources)
        return {"article": self.article, "source": source, "text": self.text,
                "span": list(self.span)}


@dataclass(frozen=True, slots=True)
class QuoteVersion:
    """One wording of a quotation, the articles that give it and where."""

    text: str
    articles: list[str]
    spans: dict[str, tuple[int, int]]

    def as_dict(self) -> dict[str, Any]:
        return {"text": self.text, "articles": self.articles,
                "spans": {article: list(span) for article, span in self.spans.items()}}


@dataclass(frozen=True, slots=True)
class AlteredQuote:
    """One speaker's quotation worded differently by different articles."""

    speaker: str | None
    versions: list[QuoteVersion]

    def as_dict(self) -> dict[str, Any]:
        return {"speaker": self.speaker,
                "versions": [version.as_dict() for version in self.versions]}


@dataclass(frozen=True, slots=True)
class SingleSource:
    """A quantity, date or quotation that no other article of the story gives."""

    article: str
    kind: str
    text: str
    value: Any
    span: tuple[int, int]

    def as_dict(self) -> dict[str, Any]:
        return {"article": self.article, "kind": self.kind, "text": self.text,
                "value": self.value, "span": list(self.span)}


Discrepancy = Conflict | AlteredFact | Addition | AlteredQuote | SingleSource


# -- reuse: how two articles relate, and the aligned evidence ----------------------------------

DERIVED = frozenset({"duplicate", "excerpt", "spin", "rewrite", "partial"})  # relations that copy


@dataclass(frozen=True, slots=True)
class AlignedPassage:
    """[start, end) in each clean text; kind is "verbatim" or "paraphrase"."""

    kind: str
    a: tuple[int, int]
    b: tuple[int, int]
    score: float

    def as_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "a": list(self.a), "b": list(self.b),
                "score": round(self.score, 3)}


@dataclass(slots=True)
class Alignment:
    a_id: str
    b_id: str
    passages: list[AlignedPassage]
    unmatched_a: list[tuple[int, int]]
    unmatched_b: list[tuple[int, int]]
    scores: dict[str, float]
    paraphrase: bool  # whether paraphrase matching ran (the embedding extra is installed)


@dataclass(slots=True)
class Relation:
    a: str
    b: str
    relation: str
    source: str | None  # the id of the side the evidence says came first, when it does
    confidence: float
    scores: dict[str, float]
    source_reason: str | None = None
    pairwise: str | None = None  # the pair's own verdict, when reconcile changed it
    explained_by: str | None = None  # ...because this article's link explains the pair's

    @property
    def derived(self) -> bool:
        return self.relation in DERIVED

    @property
    def derived_share(self) -> float | None:
        """The partial reading: the share of the derivative that came from the source."""
        if not self.derived:
            return None
        return derived_share(self.scores, None if self.source is None else self.source == self.a)


def derived_share(scores: dict[str, float], source_is_a: bool | None) -> float:
    """Share of the derivative's text matched in its source (verbatim or paraphrase): the
    other side's coverage when the source is known; when not, the larger of the two, an upper
    bound on what either took from the other."""
    if source_is_a is None:
        return max(scores["coverage_a"], scores["coverage_b"])
    return scores["coverage_b"] if source_is_a else scores["coverage_a"]


Related = tuple[Relation, Alignment]  # a relation with the alignment it was read from


# -- stories: provenance within a story, and the story itself ------------------------------------
# (the facts stage's records, Claim and the discrepancies, are in their own block above)


@dataclass(frozen=True, slots=True)
class Evidence:
    """One item of evidence about which of two articles came first."""

    kind: str  # credit, time, date, containment, echo, source-choice
    detail: str
    weight: float
    source: str  # the article this evidence says came first

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "detail": self.detail, "weight": self.weight,
                "source": self.source}


@dataclass(slots=True)
class Edge:
    """A derived relation inside a story, pointed from source to derivative where the
    evidence decides which came first."""

    source: str
    target: str
    relation: str
    confidence: float  # of the direction; for an undirected edge, how little it leans
    directed: bool
    strength: float  # how sure the relation itself is
    evidence: list[Evidence]

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source, "target": self.target, "relation": self.relation,
                "confidence": round(self.confidence, 3), "directed": self.directed,
                "relation_confidence": round(self.strength, 3),
                "evidence": [item.as_dict() for item in self.evidence]}


@dataclass(slots=True)
class Origin:
    """Where a story's copies came from: one of its articles, or an outlet outside the
    collection named by the credits of its derivatives."""

    article: str | None  # None: an external origin, named by the credits of its derivatives
    outlet: str | None
    url: str | None
    derivatives: list[str]
    evidence: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"article": self.article,
                "external": None if self.article else {"outlet": self.outlet, "url": self.url},
                "outlet": self.outlet, "url": self.url, "derivatives": self.derivatives,
                "evidence": self.evidence}


@dataclass(slots=True)
class Trace:
    """The provenance of one story: its origins, edges with evidence and family tree."""

    story: str
    members: list[str]
    origins: list[Origin]
    edges: list[Edge]
    tree: dict[str, str]  # derivative -> the source it most likely came from
    independent: list[str]
    undecided: list[list[str]]  # groups of copies whose direction no evidence decides

    def as_dict(self) -> dict[str, Any]:
        return {"story": self.story, "members": self.members,
                "origins": [origin.as_dict() for origin in self.origins],
                "edges": [edge.as_dict() for edge in self.edges], "tree": self.tree,
                "independent": self.independent, "undecided": self.undecided}


@dataclass(slots=True)
class Story:
    """A story: the articles that report one real-world event, labelled, dated, with the
    origins its trace found and what holds it together (`evidence`: the when, where, who and
    numbers its members share, `stages.stories.evidence.story_evidence`; empty for a story
    of one article)."""

    id: str
    label: str
    articles: list[str]  # member ids, in id order
    first_published: str | None
    last_published: str | None
    origins: list[Origin]
    independent: list[str]
    undecided: list[list[str]]
    evidence: dict[str, Any]

    @property
    def size(self) -> int:
        return len(self.articles)

    def as_dict(self) -> dict[str, Any]:
        """The JSON form (`newstrace stories --json`, the web API)."""
        return {"id": self.id, "label": self.label, "articles": self.articles,
                "size": self.size, "first_published": self.first_published,
                "last_published": self.last_published,
                "origins": [origin.as_dict() for origin in self.origins],
                "independent": self.independent, "undecided": self.undecided,
                "evidence": self.evidence}
