from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newstrace.stages.clean.furniture import FurnitureRemover, normalised_line

BODY = [
    "KELLSWORTH, May 2 (Harbour Wire) – The town council approved a new harbour wall on "
    "Thursday after two winters of flooding damaged more than 40 homes along the seafront.",
    "The wall will cost 6.1 million pounds and take about 18 months to build, the council said "
    "in a statement after a vote of nine to three.",
    "Work starts in June",
    "“We have waited long enough, and the families on Marine Parade deserve an answer,” said "
    "councillor Ruth Ashby, who led the campaign for the project.",
    "Opponents argued that the money should go to the town's two primary schools instead, "
    "and said they would ask the regional government to review the decision.",
]
MENU = ["Harbour Daily", "Home", "News", "Sport", "Weather", "Subscribe", "Sign in",
        "We use cookies to improve your experience on our site.", "Accept cookies"]
HEADER = ["Council approves new harbour wall after winter floods", "2 May 2026, 16:05",
          "By Tom Hale"]
FOOTER = ["Share this article", "This article first appeared on Harbour Wire.",
          "Related Articles", "Storm damage bill rises to record high", "1 May 2026",
          "Ferry timetable changes announced for summer", "29 April 2026",
          "© 2026 Harbour Daily. All rights reserved.", "Privacy Policy", "Terms of Use"]
DUMP = "\n".join(MENU + HEADER + BODY + FOOTER)
REMOVER = FurnitureRemover()


def test_body_is_kept_whole_and_furniture_removed() -> None:
    cleaned = REMOVER.clean(DUMP)
    assert cleaned.text.split("\n") == BODY
    removed = {line.line for line in cleaned.removed}
    assert removed == set(MENU + HEADER + FOOTER)


def test_header_and_footer_give_metadata() -> None:
    cleaned = REMOVER.clean(DUMP)
    assert cleaned.title == HEADER[0]
    assert cleaned.published == "2026-05-02T16:05"
    assert cleaned.author == "Tom Hale"
    assert cleaned.outlet == "Harbour Daily"
    assert cleaned.language == "English"


def test_removed_lines_say_why() -> None:
    reasons = {line.line: line.reason for line in REMOVER.clean(DUMP).removed}
    assert reasons["Accept cookies"] == "cookie or consent prompt"
    assert reasons["This article first appeared on Harbour Wire."] == "attribution line"
    assert reasons["© 2026 Harbour Daily. All rights reserved."] == "footer"
    assert reasons["1 May 2026"] == "date line"
    assert reasons[HEADER[0]] == "title"
    assert reasons["By Tom Hale"] == "byline"


def test_attribution_and_dateline_are_kept_as_cues() -> None:
    cues = REMOVER.clean(DUMP).cues
    assert [(cue.kind, cue.outlet) for cue in cues] == [
        ("dateline", "Harbour Wire"), ("attribution", "Harbour Wire")]


def test_lines_repeated_across_a_sites_pages_are_furniture() -> None:
    dump = "\n".join(["Weekend offers from our partners", *BODY, "Our partners and you"])
    repeated = {normalised_line("Weekend offers from our partners"),
                normalised_line("Our partners and you")}
    cleaned = REMOVER.clean(dump, lambda line: 5 if line in repeated else 0)
    assert cleaned.text.split("\n") == BODY
    assert any(line.reason.startswith("repeated on 5 other pages") for line in cleaned.removed)


def test_repetition_never_removes_prose() -> None:
    # Reprints of one wire story share whole sentences; those must stay.
    cleaned = REMOVER.clean("\n".join(BODY), lambda _line: 10)
    assert cleaned.text.split("\n") == [line for line in BODY if line != "Work starts in June"]


def test_light_mode_keeps_a_short_body_without_menus() -> None:
    short = "Council meets on Friday.\nRead the full article here: https://wire.example/a/1"
    cleaned = REMOVER.clean(short, find_body=False)
    assert cleaned.text == "Council meets on Friday."
    assert cleaned.cues[0].url == "https://wire.example/a/1"


def test_unspaced_scripts_are_measured_in_characters() -> None:
    body = "東京都は二十日、新しい防災計画を発表し、沿岸部の住民に避難経路の確認を呼びかけた。" * 3
    dump = "\n".join(["ホーム", "ニュース", body, "プライバシーポリシー"])
    assert REMOVER.clean(dump).text == body


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(MENU + HEADER + BODY + FOOTER + ["  ", "", "\t x  y "]),
                max_size=40))
def test_raw_map_points_back_into_the_raw_text(lines: list[str]) -> None:
    raw = "\n".join(lines)
    cleaned = REMOVER.clean(raw)
    for segment in cleaned.raw_map:
        clean_piece = cleaned.text[segment.start : segment.start + segment.length]
        raw_piece = raw[segment.raw_start : segment.raw_start + segment.raw_length]
        assert clean_piece == " ".join(raw_piece.split())
