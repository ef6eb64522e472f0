"""Who acts in a lead, read with spaCy's parse (`bench/lead_actors.py`): sentences
written for these tests, and the comparison of two leads' actors."""

from __future__ import annotations

import pytest

from bench.lead_actors import (
    actors_agree,
    actors_available,
    actors_conflict,
    lead_actors,
    lead_lines,
    many_lead_actors,
)

needs_parser = pytest.mark.skipif(not actors_available(),
                                  reason="reading actors needs the `nlp` extra")


@needs_parser
@pytest.mark.parametrize(("lead", "actors"), [
    # the subject of the root verb, as its entity span
    ("The Harbour Authority approved a new ferry timetable on Monday.",
     {"@harbour authority"}),
    # a common noun's proper-name modifier: the administration is the president's
    ("The Marlowe administration on Tuesday withdrew a rule on river dredging.",
     {"@marlowe"}),
    # a passive verb: the agent acts, not the subject
    ("Delgado was offered a four-year contract by the Riverton Hawks, his agent said.",
     {"@riverton hawks"}),
    # a reporting verb: who acts is in the clause it reports
    ("Officials said the Riverton Hawks made an offer to the pitcher.", {"@riverton hawks"}),
    # conjoined subjects
    ("Mayor Okafor and Governor Lindqvist signed the agreement.", {"@okafor", "@lindqvist"}),
    # no name acts: a pronoun, a common noun
    ("He checked into a clinic on Tuesday.", set()),
    ("Police arrested a man on Friday.", set()),
])
def test_the_actor_is_the_subject_of_the_leads_main_verb(lead: str, actors: set[str]) -> None:
    assert lead_actors(lead) == actors


@needs_parser
def test_a_dateline_and_a_verbless_headline_are_skipped_and_the_lead_ends() -> None:
    text = ("Flood barrier plan\nMay 3, 2013\nThe Harbour Authority approved the barrier.\n"
            "Residents welcomed it.\nThe council said it would pay half.\n"
            "Later, Governor Lindqvist praised the plan.")
    # three sentences with a verb are read; the fourth is past the lead
    assert lead_actors(text) == {"@harbour authority"}
    assert many_lead_actors([text, "Police arrested a man."]) == [
        frozenset({"@harbour authority"}), frozenset()]


@needs_parser
def test_a_title_is_read_before_the_text() -> None:
    assert lead_actors("The barrier will cost more.", title="Governor Lindqvist vetoes barrier"
                       ) == {"@lindqvist"}


def test_the_lead_is_the_title_and_the_first_lines() -> None:
    assert lead_lines("Title\nBody one.\n\nBody two.", title="Title") == [
        "Title", "Body one.", "Body two."]
    assert lead_lines("Body.", title="Title") == ["Title", "Body."]
    assert sum(map(len, lead_lines("word " * 1000))) <= 800


def test_actors_agree_on_a_shared_name_word_and_conflict_on_none() -> None:
    bush, george = frozenset({"@bush"}), frozenset({"@george bush", "@cheney"})
    hawks, owls = frozenset({"@riverton hawks"}), frozenset({"@easton owls"})
    assert actors_agree(bush, george) and not actors_conflict(bush, george)
    assert actors_conflict(hawks, owls) and not actors_agree(hawks, owls)
    # a lead that names no actor neither agrees nor conflicts
    assert not actors_conflict(hawks, frozenset()) and not actors_agree(hawks, frozenset())
