"""A synthetic news pile shaped like what a media monitor collects (issue 21, item 2), with
every copy planted with its source so that quality is measured in the same run as speed.

bench/synthetic.py writes unrelated articles from a few hundred fixed clauses, so two of its
articles share whole sentences far more often than two real reports do, and it plants no
stories. This pile is built the other way round:

- **Stories of many sizes.** About half the stories are one article (the long tail); the rest
  draw their size from a Pareto tail capped at `MAX_STORY`, so a few have hundreds of versions.
- **A fact sheet per story**: who (people with roles, an organisation), where, when, numbers
  and quotations, and a list of facts. Each fact is a frame with eight wordings; a story's own
  names and numbers fill it, so two stories rarely share a sentence word for word.
- **Versions.** The first article reports the sheet in one wording and order. Each later one
  is a wire reprint of an earlier version (its text with a credit line), an excerpt (a run of
  its sentences), a spin (every sentence reworded in order, synonyms, now and then a number
  changed or a sentence no source said), a rewrite (reordered, half reworded, sentences added),
  or an independent report written from the sheet (its own selection, order and wording, the
  same names, numbers and some of the same quotations): the hard case newstrace must not call
  a copy.
- **Shared names and stock phrases as in real news.** People and places are drawn with Zipf
  weights from pools of thousands, so unrelated stories now and then share a well-known name;
  about one article in four carries a stock sentence ("did not respond to a request for
  comment").

Article `i` of seed `s` is always the same text whatever the number generated (each story has
its own random generator, and stories are laid end to end).
"""

from __future__ import annotations

import itertools
import json
import random
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench import phrasebook as pb
from bench import synthetic
from bench.synthetic import OUTLETS, Outlet
from newstrace.records import DERIVED

MAX_STORY = 400
SINGLE_SHARE = 0.5
PARETO_ALPHA = 1.1
DERIVED_KINDS = ("duplicate", "excerpt", "spin", "rewrite")
KIND_WEIGHTS = {"duplicate": 0.3, "excerpt": 0.15, "spin": 0.2, "rewrite": 0.1,
                "independent": 0.25}
_EPOCH = datetime(2024, 1, 1, tzinfo=UTC)
_SPAN_MINUTES = 2 * 365 * 24 * 60
_SLUG_JUNK = re.compile(r"[^a-z0-9]+")
_NUMBER = re.compile(r"\d[\d,.]*")
_SLOT = re.compile(r"{(\w+)}")
_OWN_SLOTS = {"org", "project", "person", "person2", "money", "count", "surname"}

# -- the facts a story's sheet can hold: each frame in eight wordings ----------------------------

FRAMES: tuple[tuple[str, ...], ...] = (
    ("{org} has approved {money} for {thing} in {place}, officials said on {weekday}.",
     "Officials at {org} on {weekday} signed off {money} for {thing} in {place}.",
     "{Thing} in {place} is to receive {money} after {org} gave its approval on {weekday}.",
     "On {weekday}, {org} agreed to spend {money} on {thing} in {place}.",
     "{money} has been set aside for {thing} in {place}, {org} confirmed on {weekday}.",
     "{org} gave the go-ahead on {weekday} for {money} of spending on {thing} in {place}.",
     "A {money} package for {thing} in {place} won the backing of {org} on {weekday}.",
     "{place} will get {money} towards {thing}, {org} decided on {weekday}."),
    ("About {count} {group} in {place} are affected by the decision.",
     "The decision affects roughly {count} {group} across {place}.",
     "Some {count} {group} in {place} will feel the effects of the move.",
     "In {place}, around {count} {group} stand to be affected.",
     "The move touches the lives of {count} {group} in {place}, by official estimates.",
     "Official estimates put the number of {group} affected in {place} at {count}.",
     "{count} {group} living in {place} could be hit.",
     "For the {count} {group} of {place}, the change will be felt directly."),
    ("Costs have risen by {percent} since {year}, according to figures from {org}.",
     "Figures from {org} show costs up {percent} on {year}.",
     "Since {year}, costs have climbed {percent}, {org}'s figures show.",
     "According to {org}, the bill is {percent} higher than it was in {year}.",
     "The bill has grown {percent} since {year}, {org} said.",
     "{org} puts the increase since {year} at {percent}.",
     "A {percent} jump since {year} appears in the latest {org} numbers.",
     "Compared with {year}, spending is up by {percent}, data from {org} show."),
    ("{person}, {role}, said the timetable for {thing} was realistic.",
     "The timetable for {thing} is realistic, according to {person}, {role}.",
     "{person} insisted that the schedule for {thing} could be met.",
     "Speaking as {role}, {person} said {thing} would be delivered on time.",
     "There is no reason {thing} should slip, {person}, {role}, told the meeting.",
     "{person} ({role}) said there was no sign of delay on {thing}.",
     "According to {role} {person}, {thing} remains on schedule.",
     "{thing} is on track, {person} said in his role as {role}."),
    ("Around {count2} people attended a public meeting in {place2} on {weekday} evening.",
     "A public meeting in {place2} on {weekday} evening drew about {count2} people.",
     "On {weekday} evening, roughly {count2} people packed into a meeting in {place2}.",
     "Some {count2} residents turned out for {weekday} evening's meeting in {place2}.",
     "The meeting in {place2} on {weekday} night was attended by {count2} people.",
     "{count2} people came to hear the plans in {place2} on {weekday}.",
     "Attendance at the {place2} meeting on {weekday} reached {count2}.",
     "In {place2}, a crowd of {count2} heard the case for and against on {weekday}."),
    ("The plan for {thing} was first put forward in {year2}.",
     "{Thing} was first proposed back in {year2}.",
     "Proposals for {thing} date back to {year2}.",
     "It was in {year2} that {thing} was first suggested.",
     "Talk of {thing} began as early as {year2}.",
     "The idea of {thing} has been around since {year2}.",
     "{thing} has been on the table since {year2}.",
     "First mooted in {year2}, {thing} has had a long road."),
    ("A final decision on {thing} is expected in {month}.",
     "{org} expects to make a final decision on {thing} in {month}.",
     "The final word on {thing} should come in {month}, officials said.",
     "Officials say {thing} will be settled one way or the other in {month}.",
     "{month} is when the decision on {thing} is due.",
     "A ruling on {thing} is pencilled in for {month}.",
     "{org} will decide the fate of {thing} by {month}.",
     "Those waiting on {thing} should know the outcome in {month}."),
    ("{person2}, who represents {group} in {place2}, said the plans did not go far enough.",
     "The plans do not go far enough, said {person2}, who speaks for {group} in {place2}.",
     "Speaking for {group} in {place2}, {person2} argued that the plans fell short.",
     "{person2}, a voice for {group} in {place2}, called the proposals too timid.",
     "The proposals were criticised as inadequate by {person2} on behalf of {group} in {place2}.",
     "For {group} in {place2}, the plans are not enough, {person2} said.",
     "{person2} said {group} in {place2} had hoped for much more.",
     "Not everyone is satisfied: {person2}, for {group} in {place2}, wants the plans widened."),
    ("An independent review put the total cost of {thing} at {money2}.",
     "The total bill for {thing} could reach {money2}, an independent review found.",
     "According to an independent review, {thing} will cost {money2} in all.",
     "{money2} is the full cost of {thing}, in the estimate of an independent review.",
     "Independent reviewers estimated {thing} would cost {money2} altogether.",
     "A review commissioned separately priced {thing} at {money2}.",
     "The price tag for {thing}, by one independent count, is {money2}.",
     "Outside reviewers have costed {thing} at {money2}."),
    ("Work is due to start in {month2} and last about {number} months.",
     "Construction should begin in {month2}, with the work taking about {number} months.",
     "The {number}-month programme of work is set to start in {month2}.",
     "If all goes to plan, work begins in {month2} and runs for {number} months.",
     "Builders are expected on site in {month2} for a {number}-month job.",
     "The timetable has crews starting in {month2} and finishing {number} months later.",
     "From {month2}, the work should take {number} months.",
     "A start date of {month2} has been set, with {number} months of work to follow."),
    ("{percent2} of {group} surveyed by {org} backed the proposal.",
     "A survey by {org} found {percent2} of {group} in favour.",
     "Of the {group} asked by {org}, {percent2} supported the plan.",
     "Support among {group} stood at {percent2} in a survey carried out by {org}.",
     "{org} polled {group} and found {percent2} in support.",
     "In polling for {org}, {percent2} of {group} said yes to the plan.",
     "Backing from {group} reached {percent2}, {org}'s survey showed.",
     "The proposal won over {percent2} of {group} questioned by {org}."),
    ("A similar scheme in {place3} cost {money3} when it was finished in {year3}.",
     "When {place3} completed a comparable project in {year3}, it cost {money3}.",
     "{place3} finished a similar scheme in {year3} at a cost of {money3}.",
     "The nearest comparison is {place3}, where a like scheme cost {money3} in {year3}.",
     "In {year3}, {place3} spent {money3} on something similar.",
     "{place3}'s own version, finished in {year3}, came in at {money3}.",
     "By comparison, {place3} paid {money3} for its scheme in {year3}.",
     "{money3} was the cost when {place3} did the same in {year3}."),
    ("A petition against {thing} has gathered {count3} signatures.",
     "More than {count3} people have signed a petition opposing {thing}.",
     "Opponents of {thing} have collected {count3} signatures on a petition.",
     "{count3} signatures have been added to a petition calling for {thing} to be dropped.",
     "Campaigners against {thing} say {count3} people have signed their petition.",
     "The petition to stop {thing} now carries {count3} names.",
     "Some {count3} people have put their names to a petition against {thing}.",
     "A petition opposing {thing} stands at {count3} signatures."),
    ("Members of {org} voted {votes} in favour on {weekday}.",
     "The vote at {org} on {weekday} went {votes} in favour.",
     "On {weekday} the measure passed {votes} at {org}.",
     "{org} backed the plan by {votes} in {weekday}'s vote.",
     "By {votes}, {org} voted the plan through on {weekday}.",
     "{weekday}'s vote at {org} ended {votes} for the plan.",
     "The plan cleared {org} on {weekday} with a {votes} vote.",
     "A {votes} majority at {org} carried the plan on {weekday}."),
    ("Police in {place} said a {age}-year-old man had been questioned about the incident.",
     "A man aged {age} has been questioned by police in {place} about the incident.",
     "Officers in {place} questioned a {age}-year-old man in connection with the incident.",
     "Police confirmed that they had spoken to a man, {age}, in {place} about what happened.",
     "A {age}-year-old from {place} is helping police with their inquiries.",
     "Detectives in {place} have interviewed a man of {age}.",
     "Police said a man aged {age} from {place} had been spoken to.",
     "A man, {age}, was questioned by officers in {place} over the incident."),
    ("The {org} report runs to {count4} pages and makes {number2} recommendations.",
     "In {count4} pages, the report by {org} sets out {number2} recommendations.",
     "{org}'s {count4}-page report contains {number2} recommendations.",
     "The report from {org} makes {number2} recommendations over {count4} pages.",
     "Its {count4} pages hold {number2} recommendations, {org} said of the report.",
     "{number2} recommendations are set out in the {count4}-page {org} document.",
     "The {org} document stretches to {count4} pages with {number2} recommendations.",
     "Across {count4} pages, {org} lists {number2} recommendations."),
)
QUOTE_FRAMES = (
    ('"{quote}," said {speaker}.', '{speaker} said: "{quote}."',
     '"{quote}," {speaker} told reporters.', 'In a statement, {speaker} said: "{quote}."',
     '"{quote}," {speaker} said.', 'As {speaker} put it: "{quote}."',
     '{speaker} told the meeting: "{quote}."', '"{quote}," according to {speaker}.'),
)
_QUOTE_OPENERS = (
    "We have always said that", "Nobody should be surprised that", "The truth is that",
    "I can tell you that", "What people need to understand is that", "Let me be clear:",
    "We knew from the start that", "It is simply wrong to say that", "Everyone accepts that",
    "For the families involved,", "In all my years here,", "At the end of the day,",
    "Looking at the figures,", "As far as we are concerned,", "Frankly,", "To be honest,",
)
_QUOTE_CLAIMS = (
    "this project will pay for itself", "the money has to come from somewhere",
    "the people of {place} deserve better", "we cannot afford to wait another year",
    "the costs were never properly explained", "the decision was taken in good faith",
    "the work will be finished on time", "nobody listened to the residents",
    "the numbers simply do not add up", "the town has waited long enough",
    "we were given the wrong information", "there is still time to change course",
    "this is the right plan for {place}", "the review confirmed our concerns",
    "the staff have done a remarkable job", "the public was kept in the dark",
    "safety has to come first", "we will not back down on this",
    "the risks have been exaggerated", "the community was never consulted",
)
_QUOTE_ENDS = (
    "", " and we will keep saying it", " whatever the critics claim",
    " and the evidence is on our side", " and I think most people agree",
    " but the details still matter", " and that is what we will do",
    " even if it takes longer than planned", " and we owe it to them",
)
STOCK = (
    "{org} did not respond to a request for comment.",
    "This is a developing story and will be updated.",
    "Additional reporting by staff writers.",
    "The company did not immediately respond to a request for comment.",
    "More details are expected in the coming days.",
    "Officials declined to comment further.",
)
ADDITIONS = (
    "{place} has long been seen as a test case for schemes of this kind.",
    "Critics say the real figure could be far higher than {org} admits.",
    "Many in {place} remain unconvinced that the money will be well spent.",
    "Observers expect the row over {thing} to run well into next year.",
    "The announcement comes at a sensitive time for {org}.",
    "Similar disputes have flared in several towns across the region in recent years.",
    "It is the {number} time in a decade that {thing} has made headlines.",
    "Some residents fear that the changes will push up prices in {place}.",
)
SYNONYMS = {
    "said": ("stated", "noted"), "told": ("informed",), "approved": ("endorsed",),
    "about": ("approximately",), "around": ("roughly",), "roughly": ("about",),
    "expected": ("anticipated",), "decision": ("ruling",), "plans": ("proposals",),
    "plan": ("proposal",), "people": ("individuals",), "residents": ("locals",),
    "costs": ("expenses",), "cost": ("price",), "meeting": ("gathering",),
    "figures": ("statistics",), "final": ("definitive",), "independent": ("external",),
    "review": ("assessment",), "work": ("construction",), "start": ("commence",),
    "begin": ("get under way",), "backed": ("supported",), "found": ("concluded",),
    "police": ("officers",), "report": ("study",), "similar": ("comparable",),
    "affected": ("hit",), "petition": ("campaign",), "officials": ("authorities",),
    "questioned": ("interviewed",), "agreed": ("decided",), "insisted": ("maintained",),
    "argued": ("contended",), "total": ("overall",), "attended": ("went to",),
}


def _capitalised(text: str) -> str:
    return text[0].upper() + text[1:]


def _zipf(rng: random.Random, pool: tuple[str, ...], exponent: float = 1.0) -> str:
    """A draw where the pool's first items are the well-known ones."""
    rank = int(len(pool) ** rng.random() ** (1 / exponent))  # log-uniform rank ~ Zipf(1)
    return pool[min(rank, len(pool) - 1)]


_PEOPLE = tuple(random.Random(5).sample(
    [f"{first} {last}" for last, first in itertools.product(pb.SURNAMES, pb.FIRST_NAMES)],
    len(pb.SURNAMES) * len(pb.FIRST_NAMES)))
_PLACES = tuple(random.Random(6).sample(pb.PLACES, len(pb.PLACES)))


def _money(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return f"£{rng.randint(12, 980) / 10:.1f}m"
    return f"£{rng.randint(20, 990) * 1_000:,}"


# -- the fact sheet and its sentences -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Fact:
    """A fact of a story's sheet: the frame's wordings with the story's values."""

    wordings: tuple[str, ...]
    quote: bool = False


@dataclass(frozen=True, slots=True)
class Line:
    """A sentence of an article: which fact of the sheet it states (None for a stock
    sentence or an addition) and which wording."""

    fact: int | None
    wording: int
    text: str


@dataclass(frozen=True, slots=True)
class Sheet:
    """What a story is about: its facts in the order the first report gives them."""

    topic: pb.Topic
    facts: tuple[Fact, ...]
    values: dict[str, str]
    headline: str


def _sheet(rng: random.Random) -> Sheet:
    topic = rng.choice(pb.TOPICS)
    place, place2, place3 = (_zipf(rng, _PLACES) for _ in range(3))
    names = {"place": place, "place2": place2, "surname": rng.choice(pb.SURNAMES),
             "surname2": rng.choice(pb.SURNAMES)}
    project = rng.choice(topic.projects)
    thing = project.format_map(names)
    if "{" not in project and thing.startswith("the "):
        thing = f"the {place} {thing.removeprefix('the ')}"  # most stories name their own
    org = rng.choice(topic.orgs).format_map(names)
    values = {
        **names, "place3": place3, "org": org, "thing": thing, "Thing": _capitalised(thing),
        "group": rng.choice(topic.groups), "person": _zipf(rng, _PEOPLE),
        "person2": _zipf(rng, _PEOPLE), "role": rng.choice(pb.ROLES),
        "money": _money(rng), "money2": _money(rng), "money3": _money(rng),
        "count": f"{rng.randint(120, 98_000):,}", "count2": f"{rng.randint(40, 900):,}",
        "count3": f"{rng.randint(300, 40_000):,}", "count4": str(rng.randint(40, 600)),
        "percent": f"{rng.randint(2, 60)}%", "percent2": f"{rng.randint(21, 89)}%",
        "weekday": rng.choice(pb.WEEKDAYS), "month": rng.choice(pb.MONTHS),
        "month2": rng.choice(pb.MONTHS), "year": str(rng.randint(2009, 2021)),
        "year2": str(rng.randint(2005, 2020)), "year3": str(rng.randint(2010, 2023)),
        "number": rng.choice(pb.NUMBER_WORDS), "number2": rng.choice(pb.NUMBER_WORDS),
        "votes": f"{rng.randint(14, 30)} to {rng.randint(2, 13)}", "age": str(rng.randint(19, 71)),
    }
    chosen = [0, *rng.sample(range(1, len(FRAMES)), rng.randint(10, 14))]
    facts = [Fact(tuple(_capitalised(w.format_map(values)) for w in FRAMES[i]))
             for i in chosen]
    extra = {**values, "project": thing, "group_cap": _capitalised(values["group"]),
             "score_votes": values["votes"], "score": f"{rng.randint(1, 5)}-{rng.randint(0, 1)}",
             "clock": f"{rng.randint(1, 12)}:{rng.randint(0, 59):02d} p.m.",
             "pence": f"{rng.randint(2, 40)}p"}
    context = [c for c in topic.clauses + pb.GENERAL_CLAUSES if len(_SLOT.findall(c)) >= 2
               and _OWN_SLOTS & set(_SLOT.findall(c))]  # a story's own, not any story's
    for clause in rng.sample(context, rng.randint(6, 10)):  # the story's background, one wording
        facts.insert(rng.randint(1, len(facts)), Fact((_capitalised(clause.format_map(extra))
                                                       + ".",)))
    for speaker in rng.sample([values["person"], values["person2"], f"a spokesperson for {org}"],
                              rng.randint(1, 3)):
        quote = (f"{rng.choice(_QUOTE_OPENERS)} {rng.choice(_QUOTE_CLAIMS)}"
                 f"{rng.choice(_QUOTE_ENDS)}").format_map(values)
        wordings = tuple(w.format(quote=quote, speaker=speaker) for w in QUOTE_FRAMES[0])
        facts.insert(rng.randint(2, len(facts)), Fact(tuple(_capitalised(w) for w in wordings),
                                                     quote=True))
    return Sheet(topic, tuple(facts), values, _headline(rng, topic, values))


def _headline(rng: random.Random, topic: pb.Topic, values: dict[str, str]) -> str:
    """One of the topic's headline patterns, filled with the story's values."""
    return _capitalised(rng.choice(topic.headlines).format_map(
        {**values, "project": values["thing"], "score": "2-1"}))


def _reword(rng: random.Random, text: str, share: float) -> str:
    """Each word with a synonym, with probability `share` where the table has one."""
    words = text.split(" ")
    for i, word in enumerate(words):
        bare = word.rstrip(".,;:")
        if bare in SYNONYMS and rng.random() < share:
            words[i] = rng.choice(SYNONYMS[bare]) + word[len(bare):]
    return " ".join(words)


def _other_wording(rng: random.Random, fact: Fact, wording: int) -> int:
    others = [w for w in range(len(fact.wordings)) if w != wording]
    return rng.choice(others) if others else wording


def _addition(rng: random.Random, sheet: Sheet) -> Line:
    return Line(None, 0, rng.choice(ADDITIONS).format_map(sheet.values))


def _changed_number(rng: random.Random, text: str) -> str:
    """One number of the sentence replaced by another of the same size (a misreported fact)."""
    found = list(_NUMBER.finditer(text))
    if not found:
        return text
    match = rng.choice(found)
    digits = match.group().rstrip(".,")
    wrong = "".join(str(rng.randint(1 if i == 0 else 0, 9)) if c.isdigit() else c
                    for i, c in enumerate(digits))
    return text[: match.start()] + wrong + text[match.start() + len(digits):]


# -- the kinds of version ------------------------------------------------------------------------


def first_report(rng: random.Random, sheet: Sheet) -> list[Line]:
    return [Line(i, w, fact.wordings[w]) for i, fact in enumerate(sheet.facts)
            for w in [rng.randrange(len(fact.wordings))]]


def independent_report(rng: random.Random, sheet: Sheet, first: list[Line]) -> list[Line]:
    """The same sheet told again by another newsroom: its own selection, order and wording of
    the facts that have several wordings (the sheet's background sentences, written once, are
    the first report's own prose), and some background of its own. Each fact is worded
    otherwise than the first report words it: eight wordings stand for the many a newsroom
    could choose, and two newsrooms rarely choose the same sentence."""
    taken = {line.fact: line.wording for line in first if line.fact is not None}
    rest = [i for i in range(1, len(sheet.facts)) if len(sheet.facts[i].wordings) > 1]
    kept = rng.sample(rest, max(3, round(len(rest) * rng.uniform(0.6, 0.9))))
    order = [0, *kept]
    for i in range(1, len(order) - 1):  # local swaps: reports share a rough order of news value
        if rng.random() < 0.5:
            order[i], order[i + 1] = order[i + 1], order[i]
    lines = []
    for i in order:
        fact = sheet.facts[i]
        w = _other_wording(rng, fact, taken.get(i, -1))
        lines.append(Line(i, w, fact.wordings[w] if fact.quote
                          else _reword(rng, fact.wordings[w], 0.6)))
    for _ in range(rng.randint(1, 3)):
        lines.insert(rng.randint(1, len(lines)), _addition(rng, sheet))
    return lines


def spin(rng: random.Random, sheet: Sheet, source: list[Line]) -> list[Line]:
    """Every sentence of the source reworded, in its order; sometimes a number changed or a
    sentence added that no source said."""
    lines = []
    for line in source:
        if line.fact is None:
            lines.append(Line(None, 0, _reword(rng, line.text, 0.7)))
            continue
        fact = sheet.facts[line.fact]
        w = _other_wording(rng, fact, line.wording)
        lines.append(Line(line.fact, w, _reword(rng, fact.wordings[w], 0.7)))
    if rng.random() < 0.3:
        at = rng.randrange(1, len(lines))
        lines[at] = Line(lines[at].fact, lines[at].wording, _changed_number(rng, lines[at].text))
    if rng.random() < 0.4:
        lines.insert(rng.randint(1, len(lines)), _addition(rng, sheet))
    return lines


def rewrite(rng: random.Random, sheet: Sheet, source: list[Line]) -> list[Line]:
    """The source reordered in places, half its sentences reworded, some dropped, some added."""
    lines = [line for line in source if rng.random() < 0.85] or source[:1]
    for i in range(1, len(lines) - 1):
        if rng.random() < 0.25:
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
    out = []
    for line in lines:
        if line.fact is not None and rng.random() < 0.5:
            fact = sheet.facts[line.fact]
            w = _other_wording(rng, fact, line.wording)
            out.append(Line(line.fact, w, fact.wordings[w]))
        else:
            out.append(line)
    for _ in range(rng.randint(1, 3)):
        out.insert(rng.randint(1, len(out)), _addition(rng, sheet))
    return out


def excerpt(rng: random.Random, source: list[Line]) -> list[Line]:
    size = max(2, round(len(source) * rng.uniform(0.4, 0.7)))
    start = rng.randint(0, max(0, len(source) - size))
    return source[start : start + size]


# -- articles ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PileArticle:
    id: str
    story: int
    kind: str  # "first", "independent" or one of DERIVED_KINDS
    source: str | None  # the version it was made from (derived kinds only)
    outlet: Outlet
    title: str
    published: datetime
    lines: tuple[Line, ...]

    @property
    def url(self) -> str:
        slug = _SLUG_JUNK.sub("-", self.title.lower()).strip("-")[:60].rstrip("-")
        return f"https://www.{self.outlet.domain}/{self.published:%Y/%m/%d}/{slug}-{self.id}"

    @property
    def text(self) -> str:
        texts = [line.text for line in self.lines]
        return "\n\n".join(" ".join(texts[i : i + 2]) for i in range(0, len(texts), 2))

    def record(self) -> dict[str, str]:
        return {"id": self.id, "url": self.url, "title": self.title, "outlet": self.outlet.name,
                "published": self.published.isoformat(), "text": self.text}


def story_size(rng: random.Random) -> int:
    if rng.random() < SINGLE_SHARE:
        return 1
    return min(MAX_STORY, 1 + int(rng.paretovariate(PARETO_ALPHA)))


def make_story(seed: int, story: int, first_index: int) -> list[PileArticle]:
    """Story `story` of the pile for `seed`; its articles are numbered from `first_index`."""
    rng = random.Random(f"pile:{seed}:{story}")
    sheet = _sheet(rng)
    size = story_size(rng)
    began = _EPOCH + timedelta(minutes=rng.randrange(_SPAN_MINUTES))
    made: list[PileArticle] = []
    kinds, weights = zip(*KIND_WEIGHTS.items(), strict=True)
    for n in range(size):
        identifier = f"p{seed}-{first_index + n:08d}"
        outlet = rng.choice(OUTLETS)
        if n == 0:
            kind, source, lines = "first", None, first_report(rng, sheet)
            title, published = sheet.headline, began
        else:
            kind = rng.choices(kinds, weights)[0]
            parent = rng.choice(made)
            published = parent.published + timedelta(minutes=rng.randint(20, 72 * 60))
            source, title = parent.id, parent.title
            base = list(parent.lines)
            if kind == "independent":
                source, lines = None, independent_report(rng, sheet, list(made[0].lines))
                title = _headline(rng, sheet.topic, sheet.values)
                published = began + timedelta(minutes=rng.randint(10, 48 * 60))
            elif kind == "duplicate":
                lines = [*base, Line(None, 0, f"This article first appeared in "
                                             f"{parent.outlet.name}.")]
            elif kind == "excerpt":
                lines = excerpt(rng, base)
            elif kind == "spin":
                lines = spin(rng, sheet, base)
                title = _reword(rng, title, 0.8)
            else:
                lines = rewrite(rng, sheet, base)
        if rng.random() < 0.25:
            lines = [*lines, Line(None, 0, rng.choice(STOCK).format_map(sheet.values))]
        made.append(PileArticle(identifier, story, kind, source, outlet, title, published,
                                tuple(lines)))
    return made


def articles(count: int, seed: int = 0) -> Iterator[PileArticle]:
    """The first `count` articles of the pile for `seed` (the last story may be cut short)."""
    index = 0
    for story in itertools.count():
        for article in make_story(seed, story, index):
            if index == count:
                return
            yield article
            index += 1


def write_jsonl(path: Path, count: int, seed: int = 0) -> Path:
    """The pile as JSON lines at `path`, and beside it (`truth_path`) what each article is:
    its story, kind and source, one tab-separated line an article."""
    with path.open("w", encoding="utf-8") as out, \
            truth_path(path).open("w", encoding="utf-8") as truth:
        for article in articles(count, seed):
            out.write(json.dumps(article.record()) + "\n")
            truth.write(f"{article.url}\t{article.story}\t{article.kind}\t"
                        f"{article.source or ''}\t{article.id}\n")
    return path


def truth_path(jsonl: Path) -> Path:
    return jsonl.with_suffix(".truth.tsv")


COLLECTIONS = ("pile", "synthetic")


def write_collection(name: str, path: Path, count: int, seed: int) -> Path:
    """`count` articles of the named collection as JSON lines: this pile, or bench/synthetic.py's
    unrelated articles (the scale benches' collection before the pile)."""
    if name == "pile":
        return write_jsonl(path, count, seed)
    if name == "synthetic":
        return synthetic.write_jsonl(path, count, seed)
    raise SystemExit(f"unknown collection {name!r}: use one of {', '.join(COLLECTIONS)}")


# -- quality in the same run ---------------------------------------------------------------------


@dataclass(slots=True)
class Quality:
    """The relations newstrace stored for a pile, against what was planted.

    `planted`/`found` count each copy with its direct source by kind (found: the pair's verdict
    is a derived one). Among pairs that newstrace related, `independent_pairs` are of one story
    where neither article descends from the other and they share no source (an independent
    report against any other version), `crossed_pairs` are of two stories; `*_derived` counts
    those called derived. Siblings (two copies of one source) are counted apart: their texts
    do follow each other."""

    planted: dict[str, int] = field(default_factory=dict)
    found: dict[str, int] = field(default_factory=dict)
    independent_pairs: int = 0
    independent_derived: int = 0
    crossed_pairs: int = 0
    crossed_derived: int = 0
    sibling_pairs: int = 0
    sibling_derived: int = 0

    @property
    def recall(self) -> float:
        return sum(self.found.values()) / max(sum(self.planted.values()), 1)

    @property
    def false_derived(self) -> float:
        """Share of unrelated-by-truth pairs newstrace related that it called derived."""
        return ((self.independent_derived + self.crossed_derived)
                / max(self.independent_pairs + self.crossed_pairs, 1))


@dataclass(frozen=True, slots=True)
class Truth:
    """What the pile planted, by pile id: each article's story and kind, and each copy's
    direct source."""

    story: dict[str, int]
    kind: dict[str, str]
    source: dict[str, str]

    @classmethod
    def read(cls, jsonl: Path) -> Truth:
        """The truth written beside the pile at `jsonl` (`truth_path`)."""
        story: dict[str, int] = {}
        kind: dict[str, str] = {}
        source: dict[str, str] = {}
        with truth_path(jsonl).open(encoding="utf-8") as lines:
            for line in lines:
                _url, number, made, parent, identifier = line.rstrip("\n").split("\t")
                story[identifier], kind[identifier] = int(number), made
                if parent:
                    source[identifier] = parent
        return cls(story, kind, source)

    def ancestors(self, identifier: str) -> list[str]:
        chain = [identifier]
        while chain[-1] in self.source:
            chain.append(self.source[chain[-1]])
        return chain

    def pair(self, a: str, b: str) -> str:
        """What two articles are to each other: "copy" (one made from the other),
        "descendant" (through other copies), "sibling" (copies of one source), "independent"
        (one story, no copy between them) or "crossed" (two stories)."""
        if self.story[a] != self.story[b]:
            return "crossed"
        if self.source.get(a) == b or self.source.get(b) == a:
            return "copy"
        up_a, up_b = self.ancestors(a), self.ancestors(b)
        if a in up_b or b in up_a:
            return "descendant"
        return "sibling" if set(up_a) & set(up_b) else "independent"


def score(db: Path, jsonl: Path) -> Quality:
    """Compare the relations of the store `db` (a run over `jsonl`) with the pile's truth."""
    return score_verdicts(stored_verdicts(db), jsonl)


Verdicts = dict[frozenset[str], bool]


def stored_verdicts(db: Path) -> Verdicts:
    """Each related pair of the store `db` by the pile's ids, and whether its verdict is a
    derived one; two articles with the same text count as derived."""
    connection = sqlite3.connect(db)
    try:
        pile_id = dict(connection.execute("SELECT id, source_id FROM articles"))
        verdicts = {frozenset((pile_id[a], pile_id[b])): relation in DERIVED for a, b, relation
                    in connection.execute("SELECT a, b, relation FROM relations")}
        for kept, dropped in connection.execute(
                "SELECT duplicate_of, id FROM articles WHERE duplicate_of IS NOT NULL"):
            verdicts[frozenset((pile_id[kept], pile_id[dropped]))] = True  # the same text
    finally:
        connection.close()
    return verdicts


def score_verdicts(verdicts: Verdicts, jsonl: Path) -> Quality:
    """Compare verdicts on pairs of pile ids (a pair in `verdicts` was related; True: called
    derived) with the truth of the pile written at `jsonl`."""
    truth = Truth.read(jsonl)
    quality = Quality()
    for copy, parent in truth.source.items():
        made = truth.kind[copy]
        quality.planted[made] = quality.planted.get(made, 0) + 1
        if verdicts.get(frozenset((copy, parent))):
            quality.found[made] = quality.found.get(made, 0) + 1
    for pair, derived in verdicts.items():
        if len(pair) != 2:
            continue
        what = truth.pair(*sorted(pair))
        if what == "crossed":
            quality.crossed_pairs += 1
            quality.crossed_derived += derived
        elif what == "sibling":
            quality.sibling_pairs += 1
            quality.sibling_derived += derived
        elif what == "independent":
            quality.independent_pairs += 1
            quality.independent_derived += derived
    return quality


def quality_rows(quality: Quality) -> list[str]:
    rows = ["| planted copies | found derived |", "|---|---|"]
    for made in DERIVED_KINDS:
        planted, found = quality.planted.get(made, 0), quality.found.get(made, 0)
        rows.append(f"| {made} | {found:,} of {planted:,} ({found / max(planted, 1):.3f}) |")
    rows.append(f"| **all** | **{sum(quality.found.values()):,} of "
                f"{sum(quality.planted.values()):,} ({quality.recall:.3f})** |")
    return [*rows, "",
            f"Pairs related but not copied: of one story with no copy between them "
            f"{quality.independent_derived:,} of {quality.independent_pairs:,} called derived; "
            f"of two stories {quality.crossed_derived:,} of {quality.crossed_pairs:,}; "
            f"together {quality.false_derived:.3f}. Siblings (two copies of one source): "
            f"{quality.sibling_derived:,} of {quality.sibling_pairs:,} called derived."]
