"""Definite descriptions of organisations ("the aviation regulator", "the railway company")
linked to the named organisation they stand for, without a coreference model.

A description is "the" (or "The"), at most three lower-case modifiers (not function words),
and a head noun from `HEADS`, a small lexicon of organisation nouns, each with the kinds of
organisation it can name. A named organisation's kinds come from the words of its name
(`NAME_KINDS`: "Federal Aviation Administration" is a regulator, "Valdorna Mountain Railways"
a company). Two rules link, and only they:

1. **Shared stem**: a telling modifier (not a vague one such as "new", "local", "biggest")
   shares a word stem with the name of an organisation of a kind the head allows: the one
   sharing most words, first among the article's organisations, then, if the article has
   none, among the story's ("the aviation regulator" -> "Federal Aviation Administration";
   "the railway company" -> "Valdorna Mountain Railways"). A tie links nothing.
2. **Unique kind**: a description without telling modifiers ("the company", "the railway")
   whose head fits the kind (or a word of the name) of exactly one organisation of its own
   article, when that organisation is also the name (not a place's) mentioned last before
   the description, organisations of other kinds skipped: "ABN Amro, the biggest bank" is
   not the Deutsche Bank named two sentences earlier.

Everything else stays unlinked: precision over recall. Most descriptions in news refer to an
organisation whose name shows no kind ("Novartis", "the company"), which rule 2 cannot
tell from any other name, or to one never named ("the government"); those stay unlinked. A
head followed by a noun ("the railway line", "the company spokesman") is not taken, as that
noun is what is described; nor is a description followed by "of" and a name ("the council of
Pralunga"), which names its own referent; "railway", as often the line as its operator, only
as the subject of a verb. Media kinds are reached only by media heads ("the broadcaster"), so
a news agency credited in a dateline does not become "the agency" of the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from newstrace.stages.facts.entities import (
    CONNECTORS,
    ORGANISATION,
    PLACE,
    EntityMention,
    canonical_names,
    entity_types,
)
from newstrace.stages.facts.quantities import NOT_NOUNS

REGULATOR, COMPANY, GOVERNMENT, COUNCIL, MEDIA, COURT, UNION, POLICE, PARTY, SCHOOL, \
    MILITARY, CHARITY = ("regulator", "company", "government", "council", "media", "court",
                         "union", "police", "party", "school", "military", "charity")

# Head noun of a description -> the kinds of organisation it can stand for.
HEADS: dict[str, frozenset[str]] = {
    **dict.fromkeys(("regulator", "watchdog", "authority", "agency", "administration",
                     "commission", "inspectorate"), frozenset([REGULATOR])),
    **dict.fromkeys(("company", "firm", "operator", "carrier", "airline", "railway",
                     "manufacturer", "maker", "utility", "bank", "insurer", "retailer",
                     "corporation", "conglomerate", "lender", "supplier"),
                    frozenset([COMPANY])),
    **dict.fromkeys(("ministry", "department", "government", "cabinet"),
                    frozenset([GOVERNMENT])),
    **dict.fromkeys(("council", "municipality", "authority"), frozenset([COUNCIL, REGULATOR])),
    **dict.fromkeys(("broadcaster", "newspaper", "broadcasting"), frozenset([MEDIA])),
    **dict.fromkeys(("court", "tribunal"), frozenset([COURT])),
    **dict.fromkeys(("union", "federation", "association"), frozenset([UNION])),
    "police": frozenset([POLICE]),
    "party": frozenset([PARTY]),
    **dict.fromkeys(("university", "college", "school", "institute"), frozenset([SCHOOL])),
    **dict.fromkeys(("army", "military", "navy"), frozenset([MILITARY])),
    **dict.fromkeys(("charity", "foundation"), frozenset([CHARITY])),
}
# A word of an organisation's name -> the kind it shows.
NAME_KINDS: dict[str, str] = {
    **dict.fromkeys(("authority", "administration", "agency", "commission", "inspectorate",
                     "regulator", "board", "office", "service", "bureau"), REGULATOR),
    **dict.fromkeys(("company", "co", "corporation", "corp", "inc", "ltd", "plc", "group",
                     "holdings", "railways", "railway", "airlines", "airline", "airways",
                     "motors", "bank", "systems", "technologies", "industries", "partners",
                     "energy", "telecom", "gmbh", "ag", "sa", "llc"), COMPANY),
    **dict.fromkeys(("ministry", "department", "government", "cabinet", "treasury"),
                    GOVERNMENT),
    **dict.fromkeys(("council", "municipality", "assembly"), COUNCIL),
    **dict.fromkeys(("broadcasting", "broadcaster", "radio", "television", "tv", "news",
                     "press", "times", "herald", "daily", "post", "network", "channel"),
                    MEDIA),
    **dict.fromkeys(("court", "tribunal"), COURT),
    **dict.fromkeys(("union", "federation", "association", "league"), UNION),
    **dict.fromkeys(("police", "constabulary"), POLICE),
    "party": PARTY,
    **dict.fromkeys(("university", "college", "school", "institute"), SCHOOL),
    **dict.fromkeys(("army", "navy", "forces", "force"), MILITARY),
    **dict.fromkeys(("charity", "foundation", "trust"), CHARITY),
}
# Modifiers too common to say which organisation is meant.
VAGUE = frozenset(["new", "old", "former", "same", "other", "whole", "local", "main", "big",
                   "small", "large", "largest", "biggest", "first", "second", "last", "next",
                   "top", "own", "private", "public", "only", "entire", "national", "state",
                   "federal", "city", "world"])
# Heads that as often name a thing as its operator ("closed the railway for three weeks"):
# taken only as the subject of a verb ("the railway expects") or with a possessive.
THING_HEADS = frozenset(["railway"])
# Words that may follow a description's head (anything else lower-case is taken for the noun
# the head modifies). Verbs in -ed and adverbs in -ly are accepted too.
LINKING_WORDS = frozenset([
    "and", "or", "but", "of", "in", "on", "at", "to", "for", "with", "from", "by", "that",
    "which", "who", "after", "before", "as", "then", "now", "itself", "last", "this",
    "yesterday", "today"])
AFTER_HEAD = LINKING_WORDS | frozenset([
    "said", "says", "say", "told", "tells", "added", "is", "was", "has", "had", "have", "are",
    "were", "will", "would", "could", "should", "can", "may", "might", "must", "did", "does",
    "do", "also", "still", "insists", "insisted", "declined",
    "denied", "admits", "admitted", "expects", "expected", "plans", "planned", "wants",
    "put", "set", "cut", "hit", "let", "spent", "sent", "took", "gave", "made", "kept",
    "ordered", "issued", "estimates", "estimated", "confirmed", "confirms", "announced",
    "announces", "warned", "warns", "stated", "states", "reported", "reports", "ruled",
    "rules", "decided", "decides", "apologised", "apologized",
])
_THE = re.compile(r"\b[Tt]he\s+")
_WORD = re.compile(r"([a-z][a-z-]*)([’']s)?(?![\w’'-])")
_GAP = re.compile(r"[ \t]+")
MAX_MODIFIERS = 3


@dataclass(frozen=True, slots=True)
class Description:
    """A definite description of an organisation: its span ("the aviation regulator"), its
    modifiers and head noun."""

    start: int
    end: int
    text: str
    modifiers: tuple[str, ...]
    head: str


@dataclass(frozen=True, slots=True)
class Organisation:
    """A named organisation a description may stand for: its name (the group's longest
    variant), every variant's words, and its kinds."""

    name: str
    words: frozenset[str]
    kinds: frozenset[str]


def find_descriptions(text: str) -> list[Description]:
    """The definite descriptions of organisations in `text` (see the module's rules)."""
    found = []
    for the in _THE.finditer(text):
        position, words = the.end(), list[str]()
        while len(words) <= MAX_MODIFIERS:
            word = _WORD.match(text, position)
            if word is None or word.group(1) in NOT_NOUNS:
                break
            words.append(word.group(1))
            head, possessive = word.group(1), word.group(2) is not None
            if head in HEADS and (possessive or _ends_phrase(text, word.end(),
                                                             head in THING_HEADS)):
                found.append(Description(the.start(), word.end(1),
                                         text[the.start():word.end(1)], tuple(words[:-1]),
                                         head))
                break
            if possessive:
                break
            gap = _GAP.match(text, word.end())
            if gap is None:
                break
            position = gap.end()
    return found


def _ends_phrase(text: str, end: int, verb: bool = False) -> bool:
    """Whether the noun phrase ends at `end`: punctuation, a capitalised word, or a word that
    cannot be the noun the head modifies; not "of" and a name. With `verb`, only a verb."""
    rest = text[end:end + 40]
    if verb:
        word = re.match(r"[ \t]+([a-z][\w-]*)", rest)
        return word is not None and word.group(1) not in LINKING_WORDS and (
            word.group(1) in AFTER_HEAD or word.group(1).endswith(("ed", "ly")))
    if re.match(r"\s+of\s+(?:the\s+)?[A-ZÀ-Þ]", rest):
        return False
    word = re.match(r"[ \t]+([a-z][\w-]*)", rest)
    if word is None:
        return True
    following = word.group(1)
    return following in AFTER_HEAD or following.endswith(("ed", "ly"))


def stem(word: str) -> str:
    """A crude stem: lower case, no possessive or plural ending."""
    word = word.lower().replace("’", "'").removesuffix("'s").strip("'")
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and len(word) > 3 and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def same_stem(a: str, b: str) -> bool:
    """Two words of one stem: equal once their plural is gone, or sharing at least five
    letters and 70% of the shorter ("aviation" / "aviator", "regional" / "region")."""
    a, b = stem(a), stem(b)
    if a == b:
        return True
    shared = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        shared += 1
    return shared >= 5 and shared >= 0.7 * min(len(a), len(b))


def organisations(names: Mapping[str, str], types: Mapping[str, str]) -> list[Organisation]:
    """The named organisations among entity names: `names` maps each variant to its group's
    name (`canonical_names`), `types` each variant to its type."""
    groups: dict[str, set[str]] = {}
    for variant, name in names.items():
        groups.setdefault(name, set()).add(variant)
    found = []
    for name, variants in sorted(groups.items()):
        if not any(types.get(v) == ORGANISATION for v in variants):
            continue
        words = {w for v in variants for w in v.split()
                 if w.lower() not in CONNECTORS and not w.isupper()}
        kinds = {NAME_KINDS[stem(w)] for w in words if stem(w) in NAME_KINDS}
        found.append(Organisation(name, frozenset(words), frozenset(kinds)))
    return found


def stem_scores(description: Description, candidates: Iterable[Organisation],
                ) -> dict[str, int]:
    """The organisations one of a description's telling modifiers names by a shared stem
    ("aviation" in "the aviation regulator"; "the rival company" names no one), of a kind
    its head allows, with how many of its words they share."""
    telling = [m for m in description.modifiers if m not in VAGUE]
    if not telling:
        return {}
    wanted = HEADS[description.head]
    scored: dict[str, int] = {}
    for organisation in candidates:
        if organisation.kinds and not organisation.kinds & wanted:
            continue
        named = [word for word in telling
                 if any(same_stem(word, own) for own in organisation.words)]
        if named:
            head = any(same_stem(description.head, own) for own in organisation.words)
            scored[organisation.name] = len(named) + head
    return scored


def link_by_kind(description: Description, candidates: Sequence[Organisation],
                 antecedent: str | None) -> str | None:
    """For a description without telling modifiers ("the company", "the railway"): the only
    organisation of the article whose kind its head names (or whose name holds the head),
    when that is also the `antecedent`, the name mentioned last before it ("ABN Amro, the
    biggest bank" is not the Deutsche Bank named earlier)."""
    if any(m not in VAGUE for m in description.modifiers):
        return None
    wanted = HEADS[description.head]
    fitting = [o.name for o in candidates if o.kinds & wanted or
               any(same_stem(description.head, own) for own in o.words)]
    return fitting[0] if len(fitting) == 1 and fitting[0] == antecedent else None


def _best(scored: Mapping[str, int]) -> str | None:
    if not scored:
        return None
    top = max(scored.values())
    best = [name for name, score in scored.items() if score == top]
    return best[0] if len(best) == 1 else None


def _antecedent(description: Description, referents: Sequence[EntityMention],
                names: Mapping[str, str], kinds: Mapping[str, frozenset[str]]) -> str | None:
    """The group name of the name (not a place's) mentioned last before a description,
    skipping organisations of another kind than its head's ("the company" after "a
    spokeswoman for the City Council"). People count, as typing is rough: "Brenford
    Credit, the biggest bank" is typed a person by its apposition."""
    wanted = HEADS[description.head]
    for mention in reversed(referents):
        if mention.end > description.start:
            continue
        name = names.get(mention.text, mention.text)
        if not kinds.get(name) or kinds[name] & wanted:
            return name
    return None


def link_descriptions(text: str, mentions: Sequence[EntityMention],
                      story: Sequence[Organisation] = ()) -> list[tuple[Description, str]]:
    """Each description of `text` that a rule links, with the organisation's name (the
    article's name for it): by a telling modifier's stem among the article's organisations
    (the one sharing most words; a tie links none), else by kind among them, else by a
    telling modifier's stem among the `story`'s organisations."""
    types = entity_types(mentions)
    names = canonical_names(mentions, text)
    article = organisations(names, types)
    kinds = {o.name: o.kinds for o in article}
    referents = sorted((m for m in mentions if types.get(m.text) != PLACE),
                       key=lambda m: m.start)
    found = []
    for description in find_descriptions(text):
        in_article = stem_scores(description, article)
        if in_article:  # a tie here is ambiguous: the story's names do not break it
            name = _best(in_article)
        else:
            antecedent = _antecedent(description, referents, names, kinds)
            name = link_by_kind(description, article, antecedent) or \
                _best(stem_scores(description, story))
        if name is not None:
            found.append((description, name))
    return found
