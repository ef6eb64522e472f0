"""The facts stage: extractors, comparisons, the example story, the `facts` command."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import EXAMPLES, articles_by_label, run_cli

from newstrace.collection import Collection
from newstrace.records import Claim
from newstrace.stages.facts.compare import altered_quotes, conflicts
from newstrace.stages.facts.dates import find_dates
from newstrace.stages.facts.entities import RuleEntities, canonical_names
from newstrace.stages.facts.quantities import find_quantities
from newstrace.stages.facts.quotes import find_quotes


def _quantities(text: str) -> list[tuple[str, object, str, str | None]]:
    return [(q.text, q.shown_value, q.key, q.approx) for q in find_quantities(text)]


@pytest.mark.parametrize(("text", "expected"), [
    ("more than 3,000 workers", ("more than 3,000 workers", 3000, "worker", ">=")),
    ("two million barrels a day", ("two million barrels a day", 2000000, "barrel/day", None)),
    ("about 450 delegates", ("about 450 delegates", 450, "delegate", "~")),
    ("it cost $3.2 billion", ("$3.2 billion", 3200000000, "USD", None)),
    ("46% of profit", ("46%", 46, "%", None)),
    ("five ethnic minority women", ("five ethnic minority women", 5, "woman", None)),
    ("a 19-strong panel", ("19-strong panel", 19, "panel", None)),
])
def test_quantities(text: str, expected: tuple[str, object, str, str | None]) -> None:
    assert _quantities(text) == [expected]


def test_quantity_wordings_normalise_alike() -> None:
    ten = find_quantities("closed for ten days")[0]
    digits = find_quantities("closed for 10 days")[0]
    assert (ten.value, ten.key) == (digits.value, digits.key)
    euros = find_quantities("around 3.2 million euros")[0]
    short = find_quantities("€3.2m")[0]
    assert (euros.value, euros.key) == (short.value, short.key) == (3_200_000, "EUR")
    km = find_quantities("about 4 kilometres south")[0]
    assert (km.value, km.key) == (4000, "m")


def test_years_times_and_codes_are_not_quantities() -> None:
    assert _quantities("opened in 1911, at 7:42 a.m. (0642 GMT), on an A320") == []


@pytest.mark.parametrize(("text", "published", "value", "precision"), [
    ("It happened last March.", "2024-11-20", "2024-03", "month"),
    ("The board met on Tuesday.", "2024-11-20", "2024-11-19", "day"),
    ("Experts will inspect it on Sunday.", "2026-03-14", "2026-03-15", "day"),
    ("He left yesterday.", "2024-11-20T09:00:00Z", "2024-11-19", "day"),
    ("in March 2023", None, "2023-03", "month"),
    ("on 8 December", "2004-12-20", "2004-12-08", "day"),
    ("at 7:42 a.m.", None, "07:42", "time"),
    ("at 3.45pm", None, "15:45", "time"),
    ("last week", "2024-11-20", "2024-W46", "week"),
    ("elected in 2004", None, "2004", "year"),
])
def test_dates(text: str, published: str | None, value: str, precision: str) -> None:
    found = find_dates(text, published)
    assert [(d.value, d.precision) for d in found] == [(value, precision)]


@pytest.mark.parametrize(("text", "shown"), [
    # a month ends a sentence; the next begins with a number: no day is named
    ("A ruling is pencilled in for January. 8,053 signatures were added.", ["January"]),
    ("A vote is due in May. 8 members object.", ["May"]),
    # a number on the next line, and the first digits of a larger number, are no day
    ("The toll reached 8\nJanuary was the coldest month.", ["January"]),
    ("Shares fell in March\n12 analysts agreed.", ["March"]),
    ("Dec. 8,053 people signed.", ["Dec"]),
    # a date's shape still reads: an abbreviation's dot, a year after a comma, "of"
    ("It opened on Jan. 8, 2024 in Elfield.", ["Jan. 8, 2024"]),
    ("It opened on the 8th of January 2020.", ["8th of January 2020"]),
    ("It opened on Sept. 11.", ["Sept. 11"]),
    ("Posted Fri., May. 3, 2013 11:45 AM", ["May. 3, 2013", "11:45 AM"]),
    # a day the month lacks is no day (the stories step once failed on "November 31")
    ("It ended on November 31 in Elfield.", ["November"]),
    ("On February 29, 2023 it rained.", ["February", "2023"]),
    ("On February 29, 2024 it rained.", ["February 29, 2024"]),
])
def test_a_month_joins_its_day_only_within_one_date(text: str, shown: list[str]) -> None:
    assert [d.text for d in find_dates(text, "2024-03-17")] == shown


def test_relative_dates_stay_unresolved_without_a_publication_date() -> None:
    found = find_dates("It happened last March.", None)
    assert [(d.value, d.resolved) for d in found] == [("XXXX-03", False)]


def test_entities_group_acronyms_and_surnames() -> None:
    text = ("The Federal Aviation Administration said on Monday it would act. The FAA "
            "grounded the jets. Tomas Reinholt, head of the agency, agreed. Reinholt said so.")
    mentions = RuleEntities().find(text, [])
    names = canonical_names(mentions, text)
    assert names["FAA"] == "Federal Aviation Administration"
    assert names["Reinholt"] == "Tomas Reinholt"


def test_a_differently_named_entity_is_reported() -> None:
    claims = [Claim("a", "entity", "Federal Aviation Administration",
                    "Federal Aviation Administration", (0, 31), (0, 40), "entity/organisation",
                    {"type": "organisation"}),
              Claim("b", "entity", "Federal Aviation Agency", "Federal Aviation Agency",
                    (0, 23), (0, 40), "entity/organisation", {"type": "organisation"})]
    found = conflicts(claims, {"a": "x" * 40, "b": "x" * 40})
    assert [c.kind for c in found] == ["name"]


def test_spacy_entities_when_the_nlp_extra_is_installed() -> None:
    pytest.importorskip("spacy")
    from newstrace.errors import MissingDependencyError
    from newstrace.stages.facts.entities import SpacyEntities

    try:
        finder = SpacyEntities()
    except MissingDependencyError:
        pytest.skip("no spaCy English pipeline installed (the nlp extra)")
    text = "The Federal Aviation Administration (FAA) said Tomas Reinholt was right."
    found = {(m.text, m.type) for m in finder.find(text, [(0, len(text))])}
    assert ("FAA", "organisation") in found
    names = canonical_names(finder.find(text, []), text)
    assert names["FAA"] == "Federal Aviation Administration"


def test_spacy_missing_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from newstrace.errors import MissingDependencyError
    from newstrace.stages.facts.entities import SpacyEntities

    monkeypatch.setitem(sys.modules, "spacy", None)  # as if not installed
    with pytest.raises(MissingDependencyError, match=r"newstrace\[nlp\]"):
        SpacyEntities()


def _quotes(text: str) -> list[tuple[str, str | None, bool]]:
    from newstrace.stages.clean.sentences import SentenceSplitter

    spans = [(s.start, s.end) for s in SentenceSplitter().split(text)]
    mentions = RuleEntities().find(text, spans)
    return [(q.text, q.speaker, q.partial) for q in find_quotes(text, spans, mentions)]


def test_quotes_and_their_speakers() -> None:
    assert _quotes("“We will not reopen the line today,” Tomas Reinholt said.") == [
        ("We will not reopen the line today,", "Tomas Reinholt", False)]
    assert _quotes("“We are ready to go now,” said Anna Berg.") == [
        ("We are ready to go now,", "Anna Berg", False)]
    assert _quotes("Anna Berg said: “We go now and we go fast.”") == [
        ("We go now and we go fast.", "Anna Berg", False)]
    text = ("Jonas Feldmann described the rumble. “It sounded like thunder on the hill,” he "
            "said. “Nobody panicked at all, really.”")
    assert [speaker for _, speaker, _ in _quotes(text)] == ["Jonas Feldmann", "Jonas Feldmann"]
    assert _quotes("The minister called the plan “a disgrace” and left.") == [
        ("a disgrace", None, True)]


def test_a_quote_that_lost_a_word_is_altered_but_an_excerpt_is_not() -> None:
    def quote(article: str, text: str) -> Claim:
        return Claim(article, "quote", text, text, (0, len(text)), (0, len(text)), "Reinholt",
                     {"speaker": "Reinholt", "partial": False})

    full = "We will not reopen the line until the geologists tell us the slope is safe"
    assert altered_quotes([quote("a", full), quote("b", full.replace(" not", ""))])
    excerpt = " ".join(full.split()[:8])
    assert not altered_quotes([quote("a", full), quote("b", excerpt)])


# -- the example story --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    db = tmp_path_factory.mktemp("facts") / "example.db"
    with Collection(db) as news:
        news.add([str(EXAMPLES / "articles")])
        keys = {article.id: key for key, article in articles_by_label(news.store).items()}
        found = news.facts(next(k for k, v in keys.items() if v == "alpinepress-original"))
        record = found.as_dict()
    return db, {"facts": record, "keys": keys}


def test_example_planted_changes_are_found(example: tuple[Path, dict[str, Any]],
                                           labels: dict[str, Any]) -> None:
    facts, keys = example[1]["facts"], example[1]["keys"]
    altered = [(keys[a["target"]], a["from"], a["to"]) for a in facts["altered_facts"]]
    assert ("buzzfeedly-rewrite", "about 4 kilometres", "about 14 kilometres") in altered
    assert all(target == "buzzfeedly-rewrite" for target, _, _ in altered)
    rewrite = next(a for a in labels["articles"] if a["key"] == "buzzfeedly-rewrite")
    added = {a["text"] for a in facts["additions"] if keys[a["article"]] == "buzzfeedly-rewrite"}
    assert set(rewrite["added_sentences"]) <= added
    quiet = {"northgate-reprint", "riverside-reprint", "aggregator-excerpt", "trendwire-spin",
             "mountain-independent", "radio-independent"}
    assert not [a for a in facts["additions"] if keys[a["article"]] in quiet]


def test_example_conflict_between_the_independent_reports(
        example: tuple[Path, dict[str, Any]]) -> None:
    facts, keys = example[1]["facts"], example[1]["keys"]
    residents = [c for c in facts["conflicts"] if c["subject"].startswith("resident")]
    assert len(residents) == 1
    sides = {tuple(keys[a] for a in value["articles"]): value["value"]
             for value in residents[0]["values"]}
    assert sides == {("mountain-independent",): 38, ("radio-independent",): 60}
    # "more than 200 people" fits "212 passengers", "ten days" is "10 days", "over 120
    # metres" fits "a 120-metre stretch": the only other conflict is the rewrite's change.
    others = [c for c in facts["conflicts"] if c is not residents[0]]
    assert [sorted(keys[a] for v in c["values"] for a in v["articles"]
                   if keys[a] == "buzzfeedly-rewrite") for c in others] == [
        ["buzzfeedly-rewrite"]] * len(others)
    assert len(others) == 1
    # subjects a reader can take in: the counted noun or the unit in words, and a phrase
    assert residents[0]["subject"] == "residents of Pralunga"
    assert others[0]["subject"] == "distance in km (south of Sankt Brennö)"


def test_example_descriptions_are_the_railway_company(
        example: tuple[Path, dict[str, Any]]) -> None:
    facts, keys = example[1]["facts"], example[1]["keys"]
    described = {(keys[c["article"]], c["text"].lower(), c["value"]) for c in facts["claims"]
                 if c.get("description")}
    assert ("alpinepress-original", "the company", "Valdorna Mountain Railways") in described
    assert ("trendwire-spin", "the operator", "Valdorna Mountain Railways") in described
    assert {value for _, _, value in described} == {"Valdorna Mountain Railways"}


def test_facts_command_json_shape(example: tuple[Path, dict[str, Any]]) -> None:
    db = example[0]
    result = run_cli("facts", "alpinepress-original.html", "--db", str(db), "--json")
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    for name in ("claims", "conflicts", "altered_facts", "additions", "altered_quotes",
                 "single_source", "summary"):
        assert name in record
    claim = record["claims"][0]
    assert {"article", "kind", "text", "value", "span", "sentence"} <= set(claim)
    change = record["altered_facts"][0]
    assert {"source", "target", "from", "to", "source_sentence", "target_sentence",
            "source_span", "target_span"} <= set(change)
    table = run_cli("facts", "alpinepress-original.html", "--db", str(db))
    assert table.exit_code == 0 and "Unsourced additions" in table.output
    missing = run_cli("facts", "no-such-article", "--db", str(db))
    assert missing.exit_code != 0


def _article(article_id: str, text: str, published: str | None = None) -> Any:
    from newstrace.records import Article, SourceKind
    from newstrace.stages.clean.sentences import SentenceSplitter

    return Article(article_id, f"{article_id}.txt", SourceKind.TEXT, text, article_id,
                   published=published, sentences=SentenceSplitter().split(text))


def test_conflicts_respect_approximations_and_bounds() -> None:
    from newstrace.stages.facts.extract import extract

    texts = {
        "a": "Rescuers evacuated 212 passengers from the stranded train near the tunnel.",
        "b": "Rescuers evacuated more than 200 passengers from the stranded train.",
        "c": "Rescuers evacuated 150 passengers from the stranded train on Saturday.",
    }
    claims = [c for key, text in texts.items() for c in extract(_article(key, text))[0]]
    found = conflicts(claims, texts)
    assert len(found) == 1
    values = {tuple(v.articles): v.value for v in found[0].values}
    # 212 and "more than 200" agree; 150 fits neither.
    assert values == {("a", "b"): 212, ("c",): 150}


def test_analyze_reports_facts_per_story(tmp_path: Path) -> None:
    db, out = tmp_path / "c.db", tmp_path / "out"
    result = run_cli("-q", "analyze", str(EXAMPLES / "articles"), "--db", str(db), "--out",
                     str(out), "--json", "--no-paraphrase")
    assert result.exit_code == 0, result.output
    first = json.loads(result.stdout)["story_list"][0]
    assert set(first["facts"]) >= {"claims", "conflicts", "altered_facts", "additions"}
    written = json.loads((out / "stories.json").read_text(encoding="utf-8"))
    assert written[0]["facts"]["story"] == written[0]["id"]
    assert all(s["facts"] is None for s in written if s["size"] == 1)
    residents = [c for s in written if s["facts"] for c in s["facts"]["conflicts"]
                 if c["subject"].startswith("resident")]
    assert len(residents) == 1  # the independent reports disagree, paraphrase or not
    text = run_cli("analyze", str(EXAMPLES / "articles"), "--db", str(db), "--no-paraphrase")
    assert "conflict: 38 residents vs Around 60 residents" in text.stdout


def test_analyze_keeps_facts_summaries_for_indexes_while_they_are_current(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from newstrace.report import ReportSource

    db = tmp_path / "c.db"
    result = run_cli("-q", "analyze", str(EXAMPLES / "articles"), "--db", str(db), "--json",
                     "--no-paraphrase")
    assert result.exit_code == 0, result.output
    story = next(s for s in json.loads(result.stdout)["story_list"] if s["size"] > 1)
    with Collection(db, paraphrase=False) as collection:
        kept = collection.facts_summaries([story["id"]])
        assert kept[story["id"]] == story["facts"]

        def no_facts(reference: str) -> None:
            raise AssertionError("an index should read the kept summary")

        monkeypatch.setattr(collection, "facts", no_facts)
        records = [record for record in collection.stories() if record["id"] == story["id"]]
        counts = ReportSource(collection).conflict_counts(records)
        assert counts == {story["id"]: story["facts"]["conflicts"]}
        # a changed verdict among the members makes the kept summary stale
        members = records[0]["articles"]
        collection.store.connection.execute(
            "UPDATE relations SET relation = 'unrelated' WHERE a IN (?, ?) AND b IN (?, ?)",
            (*members[:2], *members[:2]))
        assert collection.facts_summaries([story["id"]]) == {}


def test_rewordings_are_no_alteration_but_a_changed_number_is() -> None:
    from newstrace.stages.facts.compare import altered_facts
    from newstrace.stages.facts.extract import extract, sentence_spans

    source = _article("s", "The line stays closed for 10 days. Repairs cost around 3.2 million "
                           "euros. The slide came down about 4 kilometres south of the town.")
    spin = _article("p", "The route will be shut for ten days. Fixing it costs some €3.2m. "
                         "The slope collapsed roughly 4 km south of the resort.")
    rewrite = _article("r", "The line stays closed for 10 days. Repairs cost around 3.2 million "
                            "euros. The slide came down about 14 kilometres south of the town.")
    articles = {a.id: a for a in (source, spin, rewrite)}
    claims = {a.id: extract(a)[0] for a in articles.values()}
    texts = {a.id: a.text for a in articles.values()}
    spans = {a.id: sentence_spans(a) for a in articles.values()}
    whole = {a.id: (0, len(a.text)) for a in articles.values()}
    assert altered_facts("s", "p", [(whole["s"], whole["p"])], claims, texts, spans) == []
    changed = altered_facts("s", "r", [], claims, texts, spans)
    assert [(c.from_text, c.to_text) for c in changed] == [
        ("about 4 kilometres", "about 14 kilometres")]
    assert rewrite.text[slice(*changed[0].target_span)] == "about 14 kilometres"


# -- descriptions linked to names ---------------------------------------------------------------


def _linked(text: str, story: str = "") -> list[tuple[str, str]]:
    from newstrace.stages.facts.descriptions import link_descriptions, organisations
    from newstrace.stages.facts.entities import entity_types

    named = RuleEntities().find(story, [])
    elsewhere = organisations(canonical_names(named, story), entity_types(named))
    return [(d.text, name) for d, name in link_descriptions(
        text, RuleEntities().find(text, []), elsewhere)]


def test_a_description_sharing_a_stem_with_a_name_is_that_entity() -> None:
    text = ("The Federal Aviation Administration ordered checks on 40 jets on Monday. The "
            "aviation regulator said the planes would stay grounded. Brenmoor Rail Freight "
            "Company was not affected, the rail freight company said.")
    assert _linked(text) == [
        ("The aviation regulator", "Federal Aviation Administration"),
        ("the rail freight company", "Brenmoor Rail Freight Company")]
    # the head alone naming the organisation, and a stem shared across word forms
    assert _linked("Harlow Regional Broadcasting cut 30 jobs. The regional broadcaster said "
                   "more cuts were possible.") == [
        ("The regional broadcaster", "Harlow Regional Broadcasting")]


def test_a_head_of_the_only_organisation_of_its_kind_is_that_organisation() -> None:
    text = ("Ostrava Steelworks Ltd shut its second furnace on Friday, a spokeswoman for "
            "Ostrava City Council said. The company blamed energy prices.")
    assert _linked(text) == [("The company", "Ostrava Steelworks Ltd")]
    # two companies named: "the company" could be either, so it stays unlinked
    two = text + " Kessler Logistics Ltd, its largest customer, declined to comment."
    assert _linked(two) == []
    # the one bank named is not the bank meant when another name comes between
    text = ("Marlow Savings Bank raised its rates last week. Brenford Credit, the biggest bank "
            "in the region, said it would not follow. The bank expects lending to slow.")
    assert _linked(text) == []
    assert _linked("Marlow Savings Bank raised its rates last week. The bank expects lending "
                   "to slow.") == [("The bank", "Marlow Savings Bank")]


def test_descriptions_that_name_no_one_or_something_else_stay_unlinked() -> None:
    text = ("Valdorna Mountain Railways said the line would reopen on Monday. The rival "
            "company has run buses since the slide. The railway line was cleared overnight, "
            "and the council of Pralunga met at noon. The company spokesman said little.")
    # "the rival company" is another company; "the railway line" and "the company
    # spokesman" describe a line and a person; "the council of Pralunga" names its own.
    assert _linked(text) == []


def test_a_description_is_linked_to_a_name_given_elsewhere_in_the_story() -> None:
    named = "The Federal Aviation Administration grounded 40 jets on Monday."
    unnamed = "The aviation regulator said the jets would stay on the ground until March."
    assert _linked(unnamed, story=named) == [
        ("The aviation regulator", "Federal Aviation Administration")]
    # two organisations of the story share the stem: no way to choose
    both = named + " Officials at the European Aviation Safety Agency agreed."
    assert _linked(unnamed, story=both) == []


def test_descriptions_are_entity_claims_but_never_name_conflicts() -> None:
    from newstrace.stages.facts.extract import extract

    administration = _article("a", "The Federal Aviation Administration grounded 40 jets on "
                                   "Monday, the aviation regulator said.")
    agency = _article("b", "The Federal Aviation Agency grounded 40 jets on Monday, the "
                           "aviation regulator said.")
    claims = {a.id: extract(a)[0] for a in (administration, agency)}
    described = [(c.article, c.text, c.value) for found in claims.values() for c in found
                 if c.extra.get("description")]
    assert described == [("a", "the aviation regulator", "Federal Aviation Administration"),
                         ("b", "the aviation regulator", "Federal Aviation Agency")]
    every = [c for found in claims.values() for c in found]
    texts = {"a": administration.text, "b": agency.text}
    names = [c for c in conflicts(every, texts) if c.kind == "name"]
    assert [sorted(v.value for v in c.values) for c in names] == [
        ["Federal Aviation Administration", "Federal Aviation Agency"]]
    # b's description linked story-wide to a's name must not hide the naming difference...
    for claim in every:
        if claim.article == "b" and claim.extra.get("description"):
            claim.value = "Federal Aviation Administration"
    assert len([c for c in conflicts(every, texts) if c.kind == "name"]) == 1
    # ...and descriptions alone, whatever they stand for, make no name conflict
    only = [c for c in every if c.extra.get("description")]
    only[0].value = "Federal Aviation Authority"
    assert conflicts(only, texts) == []


def test_a_differently_named_entity_is_reported_in_a_story(tmp_path: Path) -> None:
    """An outlet that calls the regulator by another name: a name conflict and an altered
    fact along the copy, while its "the aviation regulator" is the same entity."""
    original = (
        "Regulator grounds 40 regional jets after engine fault\n\n"
        "WASHINGTON, March 3 – The Federal Aviation Administration (FAA) on Monday ordered 40 "
        "regional jets out of service after inspectors found cracked fan blades in two "
        "engines during routine checks at Denver airport.\n\n"
        "The aviation regulator said airlines must inspect every engine of the type within "
        "ten days and replace any blade showing wear, a task it put at about 8,000 hours of "
        "work.\n\n"
        "Carriers in the Midwest expect cancellations through the weekend, and passengers "
        "were told to check flights before travelling to the airport.\n\n"
        "The engine maker said it was cooperating fully and would send extra teams of "
        "engineers to the maintenance bases affected by the order.")
    copy = original.replace("The Federal Aviation Administration (FAA)",
                            "The Federal Aviation Agency")
    for name, text in (("wire.txt", original), ("copy.txt", copy)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    with Collection(tmp_path / "c.db", paraphrase=False) as news:
        news.add([str(tmp_path / "wire.txt"), str(tmp_path / "copy.txt")])
        ids = {Path(a.source_path).name: a.id for a in news.store.articles()}
        facts = news.facts(ids["wire.txt"]).as_dict()
    names = [c for c in facts["conflicts"] if c["kind"] == "name"]
    assert len(names) == 1
    sides = {v["value"]: v["articles"] for v in names[0]["values"]}
    assert sides == {"Federal Aviation Administration": [ids["wire.txt"]],
                     "Federal Aviation Agency": [ids["copy.txt"]]}
    regulator = {c["article"]: c["value"] for c in facts["claims"]
                 if c.get("description") and c["text"] == "The aviation regulator"}
    assert regulator == {ids["wire.txt"]: "Federal Aviation Administration",
                         ids["copy.txt"]: "Federal Aviation Agency"}
    assert not [c for c in facts["conflicts"] if c["kind"] != "name"]


# -- readable conflict subjects -----------------------------------------------------------------


def _subjects(texts: dict[str, str]) -> list[dict[str, Any]]:
    from newstrace.stages.facts.extract import extract

    claims = [c for key, text in texts.items() for c in extract(_article(key, text))[0]]
    return [conflict.as_dict() for conflict in conflicts(claims, texts)]


def test_conflict_subjects_name_the_measure_and_what_it_is_of() -> None:
    found = _subjects({
        "a": "The slide came down about 4 kilometres south of the resort town of Kellby, "
             "according to the operator, and 38 residents of Ardmoor were told to leave.",
        "b": "The slide came down some 14 kilometres south of Kellby, the operator said, "
             "and 60 residents of Ardmoor were told to leave.",
    })
    assert sorted(c["subject"] for c in found) == [
        "distance in km (south of Kellby)", "residents of Ardmoor"]
    distance = next(c for c in found if c["measure"] == "distance in km")
    assert distance["context"] == "south of Kellby" and distance["key"] == "m"


def test_conflict_subjects_without_a_phrase_after_the_value() -> None:
    found = _subjects({
        "a": "Repairs to the damaged bridge will cost 3.2 million euros, the ministry said.",
        "b": "Repairs to the damaged bridge will cost 5 million euros, the ministry said.",
        "c": "Rescuers evacuated 212 passengers from the stranded train near the tunnel.",
        "d": "Rescuers evacuated 150 passengers from the stranded train near the tunnel.",
    })
    assert sorted(c["subject"] for c in found) == [
        "amount in euros (damaged bridge will cost …)",
        "passengers from the stranded train near the tunnel"]


# -- relative dates, enumerations, name variants, weekdays (issue 20) ------------------------------


def _story_conflicts(articles: dict[str, tuple[str, str]]) -> list[dict[str, Any]]:
    """The conflicts among a few articles given as id -> (publication date, text)."""
    from newstrace.records import Trace
    from newstrace.stages.facts.runner import story_facts

    held = {key: _article(key, text, published) for key, (published, text) in articles.items()}
    trace = Trace("s", list(held), [], [], {}, list(held), [])
    return [conflict.as_dict() for conflict in story_facts(trace, held, []).conflicts]


def test_a_possessive_weekday_is_a_day_already_past() -> None:
    from newstrace.stages.facts.dates import find_dates

    # Tuesday 10 June 2025: "from Sunday's earthquake" is 8 June, not the 15th
    found = find_dates("Rubble from Sunday's earthquake still blocks the road.", "2025-06-10")
    assert [(d.text, d.value, d.basis) for d in found] == [
        ("from Sunday", "2025-06-08", "relative")]
    ahead = find_dates("The market will reopen on Sunday.", "2025-06-10")
    assert [d.value for d in ahead] == ["2025-06-15"]


def test_a_month_without_a_year_agrees_with_that_month_of_any_year() -> None:
    found = _story_conflicts({
        "a": ("2025-11-20", "The ferry company Salten Lines halted the late crossing in "
                            "April 2025 after a fire in the engine room."),
        "b": ("2025-11-21", "Salten Lines halted its late crossing in April after a fire "
                            "in the engine room."),
    })
    assert found == []


def test_a_resolved_relative_date_against_a_full_date_shows_its_resolution() -> None:
    found = _story_conflicts({
        "a": ("2025-06-12", "The river authority's review panel was formed in October 2023 "
                            "to study the floods."),
        "b": ("2025-06-13", "The river authority's review panel, formed last October to "
                            "study the floods, reported on Thursday."),
    })
    assert len(found) == 1 and found[0]["kind"] == "date"
    values = {v["value"]: v for v in found[0]["values"]}
    assert set(values) == {"2023-10", "2024-10"}
    assert values["2024-10"]["texts"] == ["last October"]
    assert values["2024-10"]["resolutions"] == [
        "last October (published 2025-06-13) = 2024-10"]


def test_yesterday_and_the_same_day_agree_but_another_day_conflicts() -> None:
    same = "Snow closed the mountain pass at Brenner Gap {when}, the road agency said."
    agree = _story_conflicts({"a": ("2025-01-08", same.format(when="yesterday")),
                              "b": ("2025-01-09", same.format(when="on 7 January"))})
    differ = _story_conflicts({"a": ("2025-01-08", same.format(when="yesterday")),
                               "b": ("2025-01-09", same.format(when="on 5 January"))})
    assert agree == [] and [c["kind"] for c in differ] == ["date"]


def test_an_enumeration_is_counted_against_a_number() -> None:
    from newstrace.stages.facts.counts import find_counts

    text = "The panel, made up of Chile, the UK, Kenya and five other countries, met."
    counts = find_counts(text)
    assert [(c.text, c.value, c.noun) for c in counts] == [
        ("Chile, the UK, Kenya and five other countries", 8, "country")]
    said = "The panel {what} will meet in Nairobi next spring to review the treaty."
    differ = _story_conflicts({
        "a": ("2025-04-01", said.format(what="has nine members and")),
        "b": ("2025-04-01", said.format(what="of Chile, the UK, Kenya and five other "
                                             "countries")),
    })
    agree = _story_conflicts({
        "a": ("2025-04-01", said.format(what="has eight members and")),
        "b": ("2025-04-01", said.format(what="of Chile, the UK, Kenya and five other "
                                             "countries")),
    })
    assert [c["kind"] for c in differ] == ["quantity"] and agree == []


@pytest.mark.parametrize(("one", "other", "conflict"), [
    ("Half of the village's homes", "50% of the village's homes", False),
    ("Half of the village's homes", "35% of the village's homes", True),
    ("A dozen homes", "12 homes", False),
    ("A dozen homes", "20 homes", True),
    ("More than 100 homes", "Over 100 homes", False),
    ("More than 100 homes", "Fewer than 50 homes", True),
])
def test_equivalent_forms_of_a_number_are_no_conflict(one: str, other: str,
                                                      conflict: bool) -> None:
    said = "{what} were flooded when the dyke near Osterby broke, the fire service said."
    found = _story_conflicts({"a": ("2025-02-02", said.format(what=one)),
                              "b": ("2025-02-02", said.format(what=other))})
    assert bool(found) is conflict, found


def test_names_of_one_body_differing_in_its_kind_word_are_a_name_variant() -> None:
    said = "The {name} published its findings on the dam on Friday."
    found = _story_conflicts({"a": ("2025-02-02", said.format(name="Upper Valley Water Group")),
                              "b": ("2025-02-02", said.format(name="Upper Valley Water Team"))})
    assert [(c["kind"], sorted(v["value"] for v in c["values"])) for c in found] == [
        ("name", ["Upper Valley Water Group", "Upper Valley Water Team"])]
    places = _story_conflicts({
        "a": ("2025-02-02", "Envoys from West Harlan met in Oslo on Friday."),
        "b": ("2025-02-02", "Envoys from East Harlan met in Oslo on Friday."),
    })
    assert places == []


def test_a_statement_dated_by_different_weekdays_is_flagged() -> None:
    said = "The harbour master said {when} that the quay would stay shut."
    found = _story_conflicts({"a": ("2025-06-10", said.format(when="on Sunday")),
                              "b": ("2025-06-10", said.format(when="on Sunday")),
                              "c": ("2025-06-10", said.format(when="on Monday"))})
    assert len(found) == 1
    assert sorted((v["texts"][0], v["articles"]) for v in found[0]["values"]) == [
        ("on Monday", ["c"]), ("on Sunday", ["a", "b"])]
    agree = _story_conflicts({"a": ("2025-06-10", said.format(when="on Sunday")),
                              "b": ("2025-06-11", said.format(when="on 8 June"))})
    assert agree == []


def test_facts_config_rejects_an_unknown_field() -> None:
    from newstrace.stages.facts.config import FactsConfig

    with pytest.raises(TypeError, match="lexical_support"):
        FactsConfig().with_values(lexical_suport=0.5)


def test_a_relative_date_worded_alike_is_no_alteration_a_day_later() -> None:
    from newstrace.stages.facts.compare import differs
    from newstrace.stages.facts.extract import extract

    said = "Ministers met the unions last week to discuss the pension plan."
    old = [c for c in extract(_article("a", said, "2025-03-07"))[0] if c.kind == "date"]
    new = [c for c in extract(_article("b", said, "2025-03-10"))[0] if c.kind == "date"]
    assert old[0].value != new[0].value  # read against two publication dates...
    assert not differs(old[0], new[0])  # ...but the same words: nothing was changed


def test_a_merge_of_two_far_apart_source_sentences_is_supported_when_the_bar_asks() -> None:
    from newstrace.stages.facts.additions import find_additions
    from newstrace.stages.facts.config import FactsConfig

    source = _article("s", "The council approved the new harbour wall on Monday. "
                           "Local crews had asked for it for years. "
                           "Storms damaged the fishing fleet last winter. "
                           "The treasurer said the cost would be shared.")
    merged = "The harbour wall approved by the council follows storms that damaged the " \
             "fishing fleet."
    target = _article("t", merged)
    spans = [(s.start, s.end) for s in target.sentences]
    strict = find_additions(target, ["s"], spans, [source])
    lenient = find_additions(target, ["s"], spans, [source],
                             config=FactsConfig(merged_support=0.8))
    assert [a.text for a in strict] == [merged]  # no one sentence, nor two adjacent, says it
    assert lenient == []  # the first and third sentence together do


def test_a_date_conflicts_resolution_reaches_the_tables_and_the_report() -> None:
    from newstrace.report.facts import facts_panel
    from newstrace.tables import discrepancy_rows

    conflict = {"subject": "month (set up …)", "kind": "date", "values": [
        {"value": "2023-10", "articles": ["a"], "texts": ["October 2023"]},
        {"value": "2024-10", "articles": ["b"], "texts": ["last October"],
         "resolutions": ["last October (published 2025-06-13) = 2024-10"]}]}
    rows = list(discrepancy_rows({"story": "s", "conflicts": [conflict]}))
    assert [r["text"] for r in rows] == [
        "October 2023", "last October (last October (published 2025-06-13) = 2024-10)"]
    panel = facts_panel({"conflicts": [conflict]}, str)
    assert panel.conflicts[0].values[1].resolutions == [
        "last October (published 2025-06-13) = 2024-10"]


@pytest.mark.parametrize(("first", "second", "conflict"), [
    ("in June", "on 9 July", True),  # a day inside another month
    ("in June", "on 9 June", False),
    ("on 2 March", "in February", True),
    ("on 2 March", "in early March", False),
])
def test_dates_of_different_precision_are_compared(first: str, second: str,
                                                   conflict: bool) -> None:
    said = ("The Tarrow lock gates were reopened {when} after the winter repairs, the canal "
            "trust said.")
    found = _story_conflicts({"a": ("2025-08-01", said.format(when=first)),
                              "b": ("2025-08-02", said.format(when=second))})
    assert [c["kind"] for c in found] == (["date"] if conflict else []), found
    if conflict:
        assert sorted(v["texts"][0] for v in found[0]["values"]) == sorted(
            when.split(" ", 1)[1] for when in (first, second))


def test_a_conflict_between_months_keeps_its_month_measure() -> None:
    said = "The Tarrow lock gates were reopened {when} after the winter repairs."
    found = _story_conflicts({"a": ("2025-08-01", said.format(when="in June")),
                              "b": ("2025-08-02", said.format(when="in May"))})
    assert [(c["key"], c["measure"]) for c in found] == [("date/month", "month")]


def test_a_bare_list_of_names_is_a_count_but_a_list_of_examples_is_not() -> None:
    from newstrace.stages.facts.counts import find_counts

    def counted(text: str) -> list[tuple[str, float, str | None]]:
        return [(c.text, c.value, c.noun) for c in find_counts(text)]

    assert counted("The talks, between South Korea, the US and Japan, failed.") == [
        ("South Korea, the US and Japan", 3, "member")]
    assert counted("The clubs Ashby Rovers, Dunmore, and Kelso were fined.") == [
        ("Ashby Rovers, Dunmore, and Kelso", 3, "club")]
    assert counted("In Paris, Rome and Berlin crowds gathered.")[0][:2] == (
        "Paris, Rome and Berlin", 3)
    # Tokenised text (a space before each comma, as corpora such as ECB+ give it): the piece
    # before the list ends in an ordinary word and a space, which names no one.
    assert counted("It was a long season .\nHowever , Chile, Peru and Japan objected .") == [
        ("Chile, Peru and Japan", 3, "member")]
    for examples in ("Countries such as South Korea, the US and Japan objected.",
                     "Six states, including South Korea, the US and Japan, objected.",
                     "Nations like South Korea, the US and Japan objected.",
                     "South Korea, the US and Japan, among others, objected.",
                     "The US and Japan objected.",  # two: a pair named, not a count
                     "However, Chile and Japan objected.",
                     "The office opens on Monday, Tuesday and Friday."):
        assert counted(examples) == [], examples


@pytest.mark.parametrize(("listed", "number", "conflict"), [
    ("made up of South Korea, the US and Japan,", "of four countries", True),
    ("made up of South Korea, the US and Japan,", "of three countries", False),
    ("with countries such as South Korea, the US and Japan,", "of four countries", False),
    ("of five countries, including South Korea, the US and Japan,", "of five countries",
     False),
])
def test_a_bare_list_is_counted_against_a_number(listed: str, number: str,
                                                 conflict: bool) -> None:
    said = "The monitoring group {what} will report to the Security Council twice a year."
    found = _story_conflicts({"a": ("2025-04-01", said.format(what=listed)),
                              "b": ("2025-04-01", said.format(what=number))})
    assert [c["kind"] for c in found] == (["quantity"] if conflict else []), found


def test_a_short_sentence_folded_into_its_neighbours_counterpart_is_compared() -> None:
    from newstrace.stages.facts.compare import altered_facts
    from newstrace.stages.facts.config import FactsConfig
    from newstrace.stages.facts.extract import extract, sentence_spans

    source = _article("s", "The Venlo harbour festival returns this summer with forty bands "
                           "on three stages. Tickets go on sale on 3 May.")
    rewrite = _article("r", "Forty bands on three stages will play the returning Venlo "
                            "harbour festival, with tickets on sale from 13 May.")
    articles = {a.id: a for a in (source, rewrite)}
    claims = {a.id: extract(a)[0] for a in articles.values()}
    texts = {a.id: a.text for a in articles.values()}
    spans = {a.id: sentence_spans(a) for a in articles.values()}
    changed = altered_facts("s", "r", [], claims, texts, spans)
    assert [(c.from_text, c.to_text) for c in changed] == [("3 May", "13 May")]
    off = altered_facts("s", "r", [], claims, texts, spans, FactsConfig(adjacent_shared=99))
    assert off == []  # the date's sentence has no pair of its own
