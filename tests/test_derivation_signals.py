"""Two derivation signals read off a pair's prose (stages/reuse/features.py): whether the
texts open alike (`lede_matched`) and whether they keep the same names and numbers together in
a sentence (`facts_grouped`). Fixtures are written here about an invented town."""

from __future__ import annotations

from newstrace.stages.clean.sentences import SentenceSplitter
from newstrace.stages.reuse.features import Quotations, Side, follow_signals
from newstrace.stages.reuse.tokens import Tokenizer, token_spans

SOURCE = ("Dunmore orders electric buses\n\nMayor Ana Kell said on Monday that Dunmore will buy "
          "40 electric buses for 12 million euros. The council in Dunmore voted 31 to 9 for the "
          "plan. Depots in Westgate and Carrow will be rebuilt by 2028.")
# Sentence by sentence from the source: each keeps the source's facts together.
COPY = ("Dunmore to buy electric buses\n\nDunmore will purchase 40 electric buses for 12 "
        "million euros, Mayor Ana Kell announced on Monday. Councillors in Dunmore backed the "
        "plan 31 to 9. Westgate and Carrow depots will be rebuilt by 2028.")
# The same facts, opened with its own angle and regrouped into sentences of its own.
OWN = ("Westgate depot to be rebuilt\n\nWork on the depots at Westgate and Carrow will finish "
       "by 2028. The vote in Dunmore was 31 to 9. Dunmore's order is for 40 buses. They will "
       "cost 12 million euros. Mayor Ana Kell spoke on Monday.")


def side(text: str) -> Side:
    spans = [(s.start, s.end) for s in SentenceSplitter().split(text)]
    return Side.of(text, spans, Quotations.of(text), Tokenizer().hashes(text),
                   token_spans(text))


def test_a_copy_opens_as_its_source_and_keeps_its_facts_together() -> None:
    signals = follow_signals(side(SOURCE), side(COPY),
                             [(0, 0, 0.8), (1, 1, 0.9), (2, 2, 0.85), (3, 3, 0.9)], [])
    assert signals["lede_matched"] == 1.0
    assert signals["facts_grouped_max"] == 1.0
    # The copy merged nothing, but its first sentence kept only some of the source's pairs.
    assert 0.5 < signals["facts_grouped_min"] < 1.0


def test_a_report_with_its_own_opening_and_grouping() -> None:
    # Matched sentences, but none among either text's headline and first two sentences.
    signals = follow_signals(side(SOURCE), side(OWN), [(3, 1, 0.72), (1, 5, 0.7)], [])
    assert signals["lede_matched"] == 0.0
    # The source tells 16 pairs of shared facts in one sentence; the report keeps 7 of them
    # together (every pair the report groups, the source groups too).
    assert signals["facts_grouped_min"] == 7 / 16
    assert signals["facts_grouped_max"] == 1.0
    copy = follow_signals(side(SOURCE), side(COPY), [(1, 1, 0.9)], [])
    assert copy["facts_grouped_min"] > signals["facts_grouped_min"]


def test_too_few_facts_together_say_nothing() -> None:
    short = "Bus order\n\nThe council met. Ana Kell spoke. Buses were ordered."
    signals = follow_signals(side(short), side(OWN), [(1, 2, 0.7)], [])
    assert signals["facts_grouped_max"] == 0.0
    assert signals["facts_grouped_min"] == 0.0
