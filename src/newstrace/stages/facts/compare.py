"""Comparisons within a story: altered facts along derivation edges, conflicts across
articles, altered quotations, single-source claims. Additions are in `additions`."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from newstrace.records import (
    DATE,
    ENTITY,
    QUANTITY,
    QUOTE,
    AlteredFact,
    AlteredQuote,
    Claim,
    Conflict,
    ConflictValue,
    QuoteVersion,
    SingleSource,
)
from newstrace.stages.facts.config import DEFAULT, FactsConfig
from newstrace.stages.facts.dates import DateMention, dates_agree
from newstrace.stages.facts.entities import NAME, initials
from newstrace.stages.facts.peers import EVERYONE, Peers
from newstrace.stages.facts.quantities import Quantity, compatible, count_class
from newstrace.stages.facts.subjects import subject
from newstrace.stages.facts.text import content_words, normalised_words, overlap

# The last word of a body's name that says what kind of body it is: two names of one
# story differing only there ("Monitoring Group" / "Monitoring Team") name one body.
BODY_HEADS = frozenset((
    "group", "team", "committee", "council", "commission", "panel", "board", "agency",
    "authority", "office", "service", "unit", "force", "mission", "network", "coalition",
    "alliance", "association", "federation", "union", "organisation", "organization",
    "institute", "centre", "center", "bureau", "department", "ministry", "administration",
    "directorate", "secretariat", "taskforce", "forum", "assembly", "tribunal", "court",
    "inspectorate", "body", "initiative", "programme", "program", "foundation", "fund"))


def same_value(a: Claim, b: Claim, config: FactsConfig = DEFAULT) -> bool:
    """Whether two claims of one slot can both be true (quantities within their
    approximations, dates at the coarser one's precision; names and quotations when
    equal)."""
    if a.kind == QUANTITY and isinstance(a.detail, Quantity) and isinstance(b.detail, Quantity):
        return compatible(a.detail, b.detail, config.about_tolerance)
    return equal_value(a, b)


def equal_value(a: Claim, b: Claim) -> bool:
    """Whether two claims give the same value, approximations aside ("about 10", "10").
    Dates agree as `dates_agree` says: two days named by the same weekday are one (which
    week is the resolver's guess), a month without a year agrees with that month of any;
    two relative dates worded alike ("last week", "today") are one, read against different
    publication dates (a copy published a day later keeps its source's "today")."""
    if isinstance(a.detail, DateMention) and isinstance(b.detail, DateMention):
        if a.detail.basis == b.detail.basis == "relative" and \
                normalised_words(a.text) == normalised_words(b.text):
            return True
        return dates_agree(a.detail, b.detail)
    if a.extra.get("weekday") and a.extra.get("weekday") == b.extra.get("weekday"):
        return True
    return bool(a.value == b.value)


class SameValue:
    """`same_value` remembered by what it reads of the two claims (kind, detail, value, a
    relative date's words, a weekday): a story of hundreds of versions repeats a few values
    thousands of times. One instance a story (it remembers claims by identity)."""

    def __init__(self, config: FactsConfig = DEFAULT) -> None:
        self._config = config
        self._known: dict[tuple[Hashable, Hashable], bool] = {}
        self._signatures: dict[int, Hashable] = {}

    def __call__(self, a: Claim, b: Claim) -> bool:
        key = (self.signature(a), self.signature(b))
        found = self._known.get(key)
        if found is None:
            found = self._known[key] = same_value(a, b, self._config)
        return found

    def signature(self, claim: Claim) -> Hashable:
        """Everything of a claim that `same_value` reads: equal signatures, equal answers."""
        found = self._signatures.get(id(claim))
        if found is None:
            words = tuple(normalised_words(claim.text)) \
                if isinstance(claim.detail, DateMention) else ()
            found = (claim.kind, type(claim.detail).__name__, repr(claim.detail), words,
                     claim.extra.get("weekday"), type(claim.value).__name__, repr(claim.value))
            self._signatures[id(claim)] = found
        return found


# Date precisions compared in one slot: a month and a day ("in June" / "on 9 July" cannot
# both date one event; "in June" / "on 9 June" agree, `dates_agree` comparing at the coarser
# precision). Years and weeks keep their own slots: a year beside a day in one story is as
# often two events as one told two ways, and a week is the resolver's guess.
CALENDAR_SLOT = "date/day"
_CALENDAR = frozenset(("date/month", "date/day"))


def conflict_slot(claim: Claim) -> str | None:
    """What a claim's value is compared by across articles, or None when it is not: dates
    (not times) by precision, months and days together (`CALENDAR_SLOT`); quantities by
    unit or counted noun, counts of a body's members in one ("11 members", "ten
    countries")."""
    if claim.kind == DATE:
        if claim.key == "date/time":
            return None
        return CALENDAR_SLOT if claim.key in _CALENDAR else claim.key
    if claim.kind == QUANTITY and claim.key != "number":
        return count_class(claim.key)
    return None


def _comparable(claims: Iterable[Claim]) -> list[Claim]:
    return [c for c in claims if c.kind in (QUANTITY, DATE, ENTITY)]


def _within(claims: Iterable[Claim], span: Sequence[int]) -> list[Claim]:
    return [c for c in claims if span[0] <= c.span[0] and c.span[1] <= span[1]]


def altered_facts(source: str, target: str, passages: Sequence[tuple[Sequence[int],
                                                                      Sequence[int]]],
                  claims: Mapping[str, list[Claim]], texts: Mapping[str, str],
                  sentences: Mapping[str, Sequence[tuple[int, int]]] | None = None,
                  config: FactsConfig = DEFAULT) -> list[AlteredFact]:
    """Facts that changed between a source and its derivative: in an aligned passage (or a
    pair of sentences that share most of their words, where the aligner matched none), a
    value on one side where the other has a different value of the same kind and unit,
    neither value found anywhere on the other side (so a moved or merged fact is no
    change)."""
    source_all = _comparable(claims[source])
    target_all = _comparable(claims[target])
    pairs = list(passages)
    if sentences is not None:
        pairs += similar_sentences(sentences[source], sentences[target], texts[source],
                                   texts[target], config)
        pairs += condensed_neighbours(pairs, sentences[source], sentences[target],
                                      texts[source], texts[target], config)
    found: list[AlteredFact] = []
    used: set[tuple[int, int]] = set()
    for source_span, target_span in pairs:
        here = _within(source_all, source_span)
        there = _within(target_all, target_span)
        candidates = []
        for old in here:
            if described(old) or any(_slot(new) == _slot(old) and not differs(old, new)
                                     for new in there):
                continue
            if _present(old, target_all, texts[target]):
                continue  # said elsewhere in the derivative
            for new in there:
                if _slot(new) == _slot(old) and not described(new) and \
                        _alterable(old, new) and not _present(new, source_all, texts[source]):
                    candidates.append((-_likeness(old, new), old.span, new.span, old, new))
        for _, _, _, old, new in sorted(candidates, key=lambda c: c[:3]):
            if old.span not in used and new.span not in used:
                used.update((new.span, old.span))
                found.append(_altered(source, target, old, new, texts))
    return found


def described(claim: Claim) -> bool:
    """Whether an entity claim is a description ("the aviation regulator") linked to a name:
    evidence that an article speaks of the entity, never a naming to compare or report."""
    return bool(claim.extra.get("description"))


def _slot(claim: Claim) -> str:
    """What a claim is compared by: its conflict slot; any entity with any (types are
    rough)."""
    return ENTITY if claim.kind == ENTITY else conflict_slot(claim) or claim.key


def _likeness(old: Claim, new: Claim) -> float:
    """How alike two claims' wordings are, numbers aside ("five ethnic minority women" is
    nearer "six ethnic minority women" than "seven women" is)."""
    return overlap(content_words(old.text), content_words(new.text)) + \
        0.01 * len(content_words(old.text) & content_words(new.text))


def differs(old: Claim, new: Claim, tolerance: float = DEFAULT.about_tolerance) -> bool:
    """Whether a derivative's value is a change from its source's: different values, beyond
    an "about"'s tolerance ("more than 7 million" and "more than 10 million" differ)."""
    if old.kind == QUANTITY and isinstance(old.detail, Quantity) and \
            isinstance(new.detail, Quantity):
        if old.value == new.value:
            return False
        if "~" in (old.detail.approx, new.detail.approx):
            return not compatible(_about(old.detail), _about(new.detail), tolerance)
        return True
    return not equal_value(old, new)


def _about(quantity: Quantity) -> Quantity:
    from dataclasses import replace
    return replace(quantity, approx="~")


def _present(claim: Claim, others: Sequence[Claim], text: str) -> bool:
    """Whether the other side states this value too (a name: anywhere in its text)."""
    if claim.kind == ENTITY:
        name = str(claim.value)
        return name in text or claim.text in text or name.split()[-1] in text or any(
            other.kind == ENTITY and other.value == claim.value for other in others)
    return any(other.key == claim.key and equal_value(claim, other) for other in others)


def similar_sentences(source: Sequence[tuple[int, int]], target: Sequence[tuple[int, int]],
                      source_text: str, target_text: str, config: FactsConfig = DEFAULT,
                      ) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Pairs of a source and a target sentence sharing at least `sentence_overlap` of the
    smaller's content words, and `sentence_shared` words (a derivative that merges sentences
    pairs one of its sentences with several)."""
    source_words = [content_words(source_text[s:e]) for s, e in source]
    pairs = []
    for start, end in target:
        words = content_words(target_text[start:end])
        for span, other in zip(source, source_words, strict=True):
            if len(words & other) >= config.sentence_shared and \
                    overlap(words, other) >= config.sentence_overlap:
                pairs.append((span, (start, end)))
    return pairs


def condensed_neighbours(pairs: Sequence[tuple[Sequence[int], Sequence[int]]],
                         source: Sequence[tuple[int, int]], target: Sequence[tuple[int, int]],
                         source_text: str, target_text: str, config: FactsConfig = DEFAULT,
                         ) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Source sentences that no pair covers, each paired with the target sentence its
    paired neighbour's counterpart ends (or starts) in, when they share `adjacent_shared`
    content words: a rewrite that condenses folds a short sentence into its neighbour's."""
    def covered(span: tuple[int, int]) -> bool:
        return any(s[0] < span[1] and span[0] < s[1] for s, _ in pairs)

    def sentence_at(position: int) -> tuple[int, int] | None:
        return next(((s, e) for s, e in target if s <= position < e), None)

    found = []
    for index, span in enumerate(source):
        if covered(span):
            continue
        words = content_words(source_text[span[0]:span[1]])
        if len(words) < config.adjacent_shared:
            continue
        places = set()
        for source_span, target_span in pairs:
            if index > 0 and source_span[0] < source[index - 1][1] <= source_span[1]:
                places.add(sentence_at(max(target_span[1] - 1, target_span[0])))
            if index + 1 < len(source) and \
                    source_span[0] <= source[index + 1][0] < source_span[1]:
                places.add(sentence_at(target_span[0]))
        for place in sorted(p for p in places if p is not None):
            shared = words & content_words(target_text[place[0]:place[1]])
            if len(shared) >= config.adjacent_shared:
                found.append((span, place))
    return found


def _alterable(old: Claim, new: Claim) -> bool:
    if old.kind != new.kind:
        return False
    if old.kind == ENTITY:
        a, b = str(old.value), str(new.value)
        return a not in b and b not in a and (
            old.extra["type"] == new.extra["type"] or NAME in (old.extra["type"],
                                                               new.extra["type"]))
    return differs(old, new)


def _altered(source: str, target: str, old: Claim, new: Claim,
             texts: Mapping[str, str]) -> AlteredFact:
    return AlteredFact(source, target, old.kind, old.text, new.text, old.value, new.value,
                       texts[source][old.sentence[0]:old.sentence[1]],
                       texts[target][new.sentence[0]:new.sentence[1]], old.span, new.span)


# -- conflicts ----------------------------------------------------------------------------------


def _context_words(claim: Claim, texts: Mapping[str, str],
                   words: dict[tuple[str, tuple[int, int]], set[str]]) -> set[str]:
    """The content words of a claim's sentence besides the claim's own (`words` keeps each
    sentence's, read once)."""
    key = (claim.article, claim.sentence)
    if key not in words:
        text = texts[claim.article]
        words[key] = content_words(text[claim.sentence[0]:claim.sentence[1]])
    return words[key] - content_words(claim.text)


def _same_subject(a_words: set[str], b_words: set[str],
                  config: FactsConfig = DEFAULT) -> tuple[bool, set[str]]:
    """Whether two claims of one key are about the same thing: their sentences share
    enough content words besides the claims themselves (`_context_words`)."""
    shared = a_words & b_words
    return (len(shared) >= config.context_shared and
            overlap(a_words, b_words) >= config.context_overlap, shared)


def conflicts(claims: Sequence[Claim], texts: Mapping[str, str],
              config: FactsConfig = DEFAULT, peers: Peers = EVERYONE) -> list[Conflict]:
    """Claims of different articles about the same thing with values that cannot both be
    true, the articles grouped by the value they give; and names of one entity spelt
    differently. Values are compared between `peers` only (every pair by default)."""
    found = _value_conflicts(claims, texts, config, peers)
    found += _name_conflicts([c for c in claims if c.kind == ENTITY and not described(c)],
                             config)
    return found


def _value_conflicts(claims: Sequence[Claim], texts: Mapping[str, str],
                     config: FactsConfig = DEFAULT, peers: Peers = EVERYONE,
                     ) -> list[Conflict]:
    by_key: dict[str, list[Claim]] = {}
    for claim in claims:
        slot = conflict_slot(claim)
        if slot is not None:
            by_key.setdefault(slot, []).append(claim)
    words: dict[tuple[str, tuple[int, int]], set[str]] = {}
    same = SameValue(config)
    found = []
    for key, group in sorted(by_key.items()):
        parent = list(range(len(group)))
        shared_words: dict[int, set[str]] = {}
        links: set[tuple[int, int]] = set()

        def root(i: int, parent: list[int] = parent) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        # Each claim's surrounding words and the claims of its sentence, read once a group
        # (`_counterparts` asks for them for every pair of the same subject).
        near = [_local_words(claim, texts) for claim in group]
        context = [_context_words(claim, texts, words) for claim in group]
        sentence_claims: dict[tuple[str, tuple[int, int]], list[int]] = {}
        for k, claim in enumerate(group):
            sentence_claims.setdefault((claim.article, claim.sentence), []).append(k)
        later = _later_claims(group, peers)
        for i, a in enumerate(group):
            for j in later(i):
                b = group[j]
                if a.article == b.article:
                    continue
                alike, shared = _same_subject(context[i], context[j], config)
                if alike and _counterparts(i, j, group, near, sentence_claims):
                    links.add((i, j))
                    parent[root(j)] = root(i)
                    shared_words.setdefault(root(i), set()).update(shared)
        subjects: dict[int, list[Claim]] = {}
        for i, claim in enumerate(group):
            subjects.setdefault(root(i), []).append(claim)
        position = {id(claim): i for i, claim in enumerate(group)}
        subject_links: dict[int, list[tuple[int, int]]] = {}
        for i, j in links:
            subject_links.setdefault(root(i), []).append((i, j))
        for index, members in subjects.items():
            conflict = _disagreement(key, members, shared_words.get(index, set()),
                                     _linked(position, subject_links.get(index, [])), texts,
                                     same)
            if conflict:
                found.append(conflict)
    return found


def _later_claims(group: Sequence[Claim], peers: Peers) -> Callable[[int], Iterable[int]]:
    """For claim `i` of `group`, the later claims (by index, ascending, as over all pairs)
    whose articles are its article's peers."""
    near = peers.near
    if near is None:
        return lambda i: range(i + 1, len(group))
    by_article: dict[str, list[int]] = {}
    for k, claim in enumerate(group):
        by_article.setdefault(claim.article, []).append(k)

    def later(i: int) -> list[int]:
        return sorted(k for article in near.get(group[i].article, frozenset())
                      for k in by_article.get(article, ()) if k > i)
    return later


LOCAL_WORDS = 3  # words each side of a claim that say which of a sentence's values it is


def _local_words(claim: Claim, texts: Mapping[str, str]) -> set[str]:
    """The content words right around a claim in its sentence ("formed" in "formed last
    October"), the claim's own words left out."""
    text = texts[claim.article]
    before = text[claim.sentence[0]:claim.span[0]].split()[-LOCAL_WORDS:]
    after = text[claim.span[1]:claim.sentence[1]].split()[:LOCAL_WORDS]
    return content_words(" ".join(before + after))


def _counterparts(i: int, j: int, group: Sequence[Claim], near: Sequence[set[str]],
                  sentence_claims: Mapping[tuple[str, tuple[int, int]], list[int]]) -> bool:
    """Whether claims `i` and `j` of the slot's `group` may state one fact: neither's
    sentence holds another claim of the slot whose surrounding words (`near`) match the
    other better. "The panel, formed last October, reported on Thursday" has two dates;
    "formed in October 2023" is compared with the first only."""
    shared = len(near[i] & near[j])
    for one, other in ((i, j), (j, i)):
        claim = group[one]
        if any(len(near[rival] & near[other]) > shared
               for rival in sentence_claims[(claim.article, claim.sentence)] if rival != one):
            return False
    return True


def _linked(position: dict[int, int], links: Sequence[tuple[int, int]],
            ) -> Callable[[Sequence[Sequence[Claim]]], bool]:
    """Whether any link of a subject (pairs of positions in the slot's group) joins claims
    of two different classes: read off the links rather than tried for every two claims
    of two classes."""
    def linked(classes: Sequence[Sequence[Claim]]) -> bool:
        class_of = {position[id(c)]: k for k, group in enumerate(classes) for c in group}
        return any(i in class_of and j in class_of and class_of[i] != class_of[j]
                   for i, j in links)
    return linked


@dataclass(slots=True)
class _ValueClass:
    """Claims that can all be true together, with one claim of each distinct value
    (`SameValue.signature`) and how many claims give it: a claim is held against each
    value once, not against every claim."""

    claims: list[Claim] = field(default_factory=list)
    values: dict[Hashable, Claim] = field(default_factory=dict)
    counts: dict[Hashable, int] = field(default_factory=dict)

    def add(self, claim: Claim, signature: Hashable) -> None:
        self.claims.append(claim)
        self.values.setdefault(signature, claim)
        self.counts[signature] = self.counts.get(signature, 0) + 1

    def fits(self, claim: Claim, same: SameValue, alone: bool) -> bool:
        """Whether `claim` can be true with every other claim of the class (`alone`: it is
        the only one of the class giving its value, which is then left out)."""
        mine = same.signature(claim)
        return all(same(claim, other) for value, other in self.values.items()
                   if not (alone and value == mine))


def _disagreement(key: str, members: list[Claim], shared: set[str],
                  linked: Callable[[Sequence[Sequence[Claim]]], bool],
                  texts: Mapping[str, str], same: SameValue) -> Conflict | None:
    """The values a subject's claims give, when two of them, from different articles whose
    sentences are alike (not only through others), cannot both be true."""
    if len({c.article for c in members}) < 2:
        return None
    found: list[_ValueClass] = []
    home_of: dict[int, int] = {}
    for claim in sorted(members, key=lambda c: (c.detail is not None and getattr(
            c.detail, "approx", None) is not None, c.article)):
        home = next((k for k, group in enumerate(found) if group.fits(claim, same, False)),
                    None)
        if home is None:
            home = len(found)
            found.append(_ValueClass())
        found[home].add(claim, same.signature(claim))
        home_of[id(claim)] = home
    # An article whose claims fit two of the values takes no side: it gives both (a line
    # opened in 1911 and closed in 2019 speaks of two things), or a bound that fits both
    # ("over 120 metres").
    fits: dict[str, set[int]] = {}
    known: dict[tuple[Hashable, int, bool], bool] = {}  # the classes are whole now
    for claim in members:
        signature = same.signature(claim)
        for index, group in enumerate(found):
            alone = home_of[id(claim)] == index and group.counts[signature] == 1
            fit = known.get((signature, index, alone))
            if fit is None:
                fit = known[(signature, index, alone)] = group.fits(claim, same, alone)
            if fit:
                fits.setdefault(claim.article, set()).add(index)
    classes = [[c for c in group.claims if len(fits[c.article]) == 1] for group in found]
    classes = [group for group in classes if group]
    if len(classes) < 2 or not linked(classes):
        return None
    taking = [c for group in classes for c in group]
    if key == CALENDAR_SLOT and all(c.key == "date/month" for c in taking):
        key = "date/month"  # months only: the conflict is about a month
    named = subject(key, taking, texts)
    return Conflict(members[0].kind, named["subject"], [
        ConflictValue(group[0].value, sorted({c.article for c in group}),
                      sorted({c.text for c in group}), _resolutions(group))
        for group in classes], named["measure"], named["context"], key, sorted(shared))


def _resolutions(group: Sequence[Claim]) -> list[str]:
    """How the relative dates of a value were read: "last October (published 2025-06-13)
    = 2024-10"; a month or day without a year says its year was left open."""
    found = []
    for claim in group:
        if claim.kind != DATE:
            continue
        basis = claim.extra.get("basis")
        if basis == "relative" and claim.extra.get("published"):
            found.append(f"{claim.text} (published {claim.extra['published']}) = "
                         f"{claim.value}")
        elif basis == "year guessed":
            found.append(f"{claim.text}: no year given, any year agrees")
    return sorted(set(found))


def _name_conflicts(entities: Sequence[Claim],
                   config: FactsConfig = DEFAULT) -> list[Conflict]:
    """One entity named differently by different articles: the same initials and most words
    shared ("Federal Aviation Administration" / "Federal Aviation Agency"), or one misspelt."""
    articles: dict[str, set[str]] = {}
    for claim in entities:
        articles.setdefault(str(claim.value), set()).add(claim.article)
    # Both tests need as many words and the same first letter: compare within such buckets.
    buckets: dict[tuple[int, str], list[str]] = {}
    for name in sorted(articles):
        buckets.setdefault((len(name.split()), name[:1]), []).append(name)
    found = []
    for names in buckets.values():
        found += _bucket_conflicts(names, articles, config)
    return found


def _bucket_conflicts(names: list[str], articles: Mapping[str, set[str]],
                      config: FactsConfig = DEFAULT) -> list[Conflict]:
    found = []
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            if articles[a] == articles[b] or articles[a] & articles[b]:
                continue
            if _variant(a, b, config.name_similarity):
                common = [w for w in a.split() if w in b.split()]
                found.append(Conflict("name", " ".join(common) or a, [
                    ConflictValue(a, sorted(articles[a]), [a]),
                    ConflictValue(b, sorted(articles[b]), [b])]))
    return found


def _variant(a: str, b: str, similarity: float) -> bool:
    """Two names of one entity that differ in a way worth reporting: one word other, the
    initials the same, or the other word the body's kind ("Monitoring Group" / "Monitoring
    Team"); or a misspelling. Not word forms ("German" / "Germany", "Democrat" /
    "Democrats") and not one name inside the other ("US Treasury Secretary John Snow")."""
    if a in b or b in a:
        return False
    a_words, b_words = a.split(), b.split()
    if len(a_words) >= 2 and len(a_words) == len(b_words):
        differing = [(x, y) for x, y in zip(a_words, b_words, strict=True) if x != y]
        if len(differing) == 1 and not _word_form(*differing[0]) and (
                initials(a) == initials(b) or _other_head(a_words, b_words)):
            return True
    if len(a_words) >= 2 and len(a_words) == len(b_words) and initials(a) == initials(b):
        return False
    return len(a) >= 6 and len(a_words) == len(b_words) and \
        SequenceMatcher(None, a, b).ratio() >= similarity and \
        not any(_word_form(x, y) for x, y in zip(a_words, b_words, strict=True) if x != y)


def _other_head(a_words: Sequence[str], b_words: Sequence[str]) -> bool:
    """Whether two names differ in their last word only, both words kinds of body."""
    return a_words[:-1] == b_words[:-1] and \
        {a_words[-1].lower(), b_words[-1].lower()} <= BODY_HEADS


def _word_form(a: str, b: str) -> bool:
    """Two forms of one word: one starts with the other, or both with the same five
    letters ("American" / "America", "Scot" / "Scotland")."""
    a, b = a.lower().strip("’'s"), b.lower().strip("’'s")
    return a.startswith(b) or b.startswith(a) or (len(a) >= 5 and a[:5] == b[:5])


# -- quotations ---------------------------------------------------------------------------------


def altered_quotes(quotes: Sequence[Claim], config: FactsConfig = DEFAULT,
                   peers: Peers = EVERYONE) -> list[AlteredQuote]:
    """One speaker's quotation worded differently in different articles. A shorter
    quotation that is a run of the longer's words is an excerpt, not an alteration.
    Quotations are compared between `peers` only (every pair by default)."""
    words = [normalised_words(q.text) for q in quotes]
    parent = list(range(len(quotes)))
    one_quote = _OneQuote(config.quote_similarity)
    later = _later_claims(quotes, peers)

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i, a in enumerate(quotes):
        for j in later(i):
            b = quotes[j]
            if a.article == b.article or (a.key and b.key and a.key != b.key):
                continue
            if words[i] != words[j] and one_quote(words[i], words[j]):
                parent[root(j)] = root(i)
    groups: dict[int, list[int]] = {}
    for i in range(len(quotes)):
        groups.setdefault(root(i), []).append(i)
    found = []
    for members in groups.values():
        versions: dict[tuple[str, ...], list[int]] = {}
        for i in members:
            versions.setdefault(tuple(words[i]), []).append(i)
        if len(versions) < 2 or not _reworded(list(versions), config.quote_similarity):
            continue
        speaker = next((quotes[i].key for i in members if quotes[i].key), None)
        found.append(AlteredQuote(speaker, [
            QuoteVersion(quotes[items[0]].text, sorted({quotes[i].article for i in items}),
                         {quotes[i].article: quotes[i].span for i in items})
            for items in versions.values()]))
    return found


class _OneQuote:
    """`_one_quote` remembered by the two quotations' words (copies repeat them)."""

    def __init__(self, similarity: float) -> None:
        self._similarity = similarity
        self._known: dict[tuple[tuple[str, ...], tuple[str, ...]], bool] = {}

    def __call__(self, a: list[str], b: list[str]) -> bool:
        key = (tuple(a), tuple(b))
        found = self._known.get(key)
        if found is None:
            found = self._known[key] = _one_quote(a, b, self._similarity)
        return found


def _one_quote(a: list[str], b: list[str], similarity: float) -> bool:
    if min(len(a), len(b)) < 4:
        return False
    return SequenceMatcher(None, a, b, autojunk=False).ratio() >= similarity or \
        _contained(a, b) or _contained(b, a)


def _contained(part: list[str], whole: list[str]) -> bool:
    size = len(part)
    return any(whole[k:k + size] == part for k in range(len(whole) - size + 1))


def _reworded(versions: list[tuple[str, ...]], similarity: float) -> bool:
    """Whether two versions are one quotation worded differently: alike, and neither a run
    of the other's words (an excerpt)."""
    for i, a in enumerate(versions):
        for b in versions[i + 1:]:
            if _contained(list(a), list(b)) or _contained(list(b), list(a)):
                continue
            if SequenceMatcher(None, a, b, autojunk=False).ratio() >= similarity:
                return True
    return False


# -- single-source claims -----------------------------------------------------------------------


def single_source(claims: Sequence[Claim],
                  config: FactsConfig = DEFAULT) -> list[SingleSource]:
    """Quantities, dates and quotations that no other article of the story gives. Each
    claim is held against the distinct values of its key (with the articles giving each),
    not against every other claim: copies repeat a value hundreds of times."""
    kinds = (QUANTITY, DATE, QUOTE)
    same = SameValue(config)
    one_quote = _OneQuote(config.quote_similarity)
    by_key: dict[tuple[str, str], dict[Hashable, tuple[Claim, set[str]]]] = {}
    for claim in claims:
        if claim.kind in kinds:
            values = by_key.setdefault(_source_key(claim), {})
            value = _quote_words(claim) if claim.kind == QUOTE else same.signature(claim)
            values.setdefault(value, (claim, set()))[1].add(claim.article)
    found = []
    for claim in claims:
        if claim.kind not in kinds or (claim.kind == QUANTITY and claim.key == "number"):
            continue
        # a value some other article gives (without copying the set of its articles)
        others = [(other, articles) for other, articles in by_key[_source_key(claim)].values()
                  if len(articles) > 1 or claim.article not in articles]
        if claim.kind == QUOTE:
            mine = list(_quote_words(claim))
            backed = any(one_quote(mine, list(_quote_words(c))) or list(_quote_words(c)) == mine
                         for c, _ in others)
        else:
            backed = any(same(claim, c) for c, _ in others)
        if not backed:
            found.append(SingleSource(claim.article, claim.kind, claim.text, claim.value,
                                      claim.span))
    return found


def _source_key(claim: Claim) -> tuple[str, str]:
    return claim.kind, claim.key if claim.kind != QUOTE else ""


def _quote_words(claim: Claim) -> tuple[str, ...]:
    return tuple(normalised_words(claim.text))
