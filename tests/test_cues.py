from __future__ import annotations

import pytest

from newstrace.stages.clean.cues import canonical_cue, dateline_cue, line_cue, outlet_key


@pytest.mark.parametrize(
    ("line", "kind", "outlet"),
    [
        ("This article first appeared on Alpine Press Agency.", "attribution",
         "Alpine Press Agency"),
        ("Read the full article here: https://www.example.org/a/1", "attribution", "example.org"),
        ("Originally published by The Ledger at https://ledger.example/x", "attribution", "Ledger"),
        ("This story was originally published in Harbour Times.", "attribution", "Harbour Times"),
        ("Source: Reuters", "attribution", "Reuters"),
        ("Republished from The Conversation under a Creative Commons licence.", "attribution",
         "Conversation"),
        ("Follow BBC News on Twitter", "follow", "BBC News"),
        ("Reporting by Jan Novak; Editing by Kim Lee", "credit", None),
        # A date or a generic credit names no outlet.
        ("First published on October 4, 2024 / 9:30 AM", "attribution", None),
        ("Source: News agencies", "attribution", None),
        ("Source: Agencies", "attribution", None),
    ],
)
def test_attribution_lines_name_what_they_credit(line: str, kind: str, outlet: str | None) -> None:
    cue = line_cue(line)
    assert cue is not None
    assert cue.kind == kind
    assert cue.outlet == outlet


def test_generic_credit_words_can_be_left_out_for_the_ablation() -> None:
    """Without the generic credit words (bench.fit_cleaner --ablate), "Agencies" reads as an
    outlet; function words still name no one."""
    generic = line_cue("Source: Agencies", generic_credits=False)
    here = line_cue("Read the full article here", generic_credits=False)
    assert generic is not None and generic.outlet == "Agencies"
    assert here is not None and here.outlet is None


@pytest.mark.parametrize(
    "line",
    [
        "The report was originally published in 2019 by the ministry, which said the figures were "
        "checked twice before release and widely read by officials across the region.",
        "Read more about the storm",
        "Sources close to the minister declined to comment on Tuesday.",
        "",
    ],
)
def test_ordinary_lines_are_not_cues(line: str) -> None:
    assert line_cue(line) is None


def test_wire_datelines_credit_their_agency() -> None:
    cue = dateline_cue("VALDORNA, March 14 (Alpine Press) – A landslide buried the line.")
    assert cue is not None and cue.outlet == "Alpine Press"
    assert dateline_cue("LONDON (Reuters) - Shares fell.") is not None
    assert dateline_cue("The minister (who spoke to us) - said nothing.") is None


def test_canonical_on_another_site_is_a_cue() -> None:
    cue = canonical_cue("https://www.herald.example/a", "https://agency.example/b")
    assert cue is not None and cue.kind == "canonical" and cue.url == "https://agency.example/b"
    assert canonical_cue("https://www.herald.example/a", "https://herald.example/a") is None
    assert canonical_cue(None, "https://agency.example/b") is None


def test_outlet_keys_match_one_outlet_named_three_ways() -> None:
    keys = {outlet_key(name) for name in
            ("Alpine Press Agency", "Alpine Press", "https://www.alpinepress.example/news/1",
             "alpinepress.example")}
    assert keys == {"alpinepress"}
    assert outlet_key("The Northgate Herald") == "northgateherald"
    assert outlet_key(None) is None
