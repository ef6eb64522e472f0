"""The cleaner's structural limits are config fields: each bound moves what it decides, and
the line model carries the feature design it was fitted with."""

from __future__ import annotations

from tests.pages import crawled_dump, story

from newstrace.stages.clean.bylines import read_byline
from newstrace.stages.clean.cues import line_cue
from newstrace.stages.clean.furniture import FurnitureConfig, FurnitureRemover, shapes
from newstrace.stages.clean.linemodel import LineModel, line_features, shipped_line_model
from newstrace.stages.clean.masthead import site_name
from newstrace.stages.clean.teasers import teaser_headline

LONG_BYLINE = ("By Mara Quist and Tobias Lind of the Port Ellery Post city desk with "
               "additional reporting from Carrow March 3, 2026")


def test_byline_length_is_a_bound_the_caller_sets() -> None:
    assert 16 < len(LONG_BYLINE.split()) <= 24
    assert read_byline(LONG_BYLINE) is None
    byline = read_byline(LONG_BYLINE, max_words=24)
    assert byline is not None and byline.author == "Mara Quist and Tobias"


def test_teaser_and_credit_lengths_are_bounds_the_caller_sets() -> None:
    teaser = "READ MORE: " + " ".join(["word"] * 12)
    assert teaser_headline(teaser) is not None
    assert teaser_headline(teaser, max_words=10) is None
    credit = "This article originally appeared on Alpine Press"
    assert line_cue(credit) is not None
    assert line_cue(credit, max_words=5) is None


def test_masthead_bounds_decide_the_site_name() -> None:
    lines = ["Home", "News", "Alpine Press", "A story.",
             "© 2026 Alpine Press. All rights reserved."]
    assert site_name(lines) == "Alpine Press"
    # The copyright line longer than the bound: no owner, so no name.
    assert site_name(lines, copyright_max_words=3) is None


def test_furniture_config_headline_bound_moves_the_title() -> None:
    dump = crawled_dump(story(5))
    title = FurnitureRemover().clean(dump).title
    assert title is not None
    words = len(title.split())
    shorter = FurnitureRemover(FurnitureConfig(headline_max_words=words - 1)).clean(dump)
    assert shorter.title != title


def test_date_line_bound_decides_a_date_line() -> None:
    dump = "Published on Tuesday 14 March 2026 at 09:12 GMT\n" + crawled_dump(story(6))
    strict = FurnitureRemover(FurnitureConfig(date_line_max_words=4)).shape(dump)
    loose = FurnitureRemover(FurnitureConfig(date_line_max_words=16)).shape(dump)
    assert strict.lines[0].reason != "date line"
    assert loose.lines[0].reason == "date line"


def test_date_line_length_bound_decides_a_date_line() -> None:
    line = "Published on Tuesday 14 March 2026 at 09:12 GMT"
    dump = f"{line}\n" + crawled_dump(story(6))
    strict = FurnitureRemover(FurnitureConfig(date_line_max_words=16,
                                              date_line_max_chars=len(line) - 1)).shape(dump)
    usual = FurnitureRemover(FurnitureConfig(date_line_max_words=16,
                                             date_line_max_chars=len(line))).shape(dump)
    assert strict.lines[0].reason != "date line"
    assert usual.lines[0].reason == "date line"


def test_logit_clip_bounds_each_line() -> None:
    model = shipped_line_model()
    rows = model.features_of(shapes(FurnitureRemover().shape(crawled_dump(story(7)))))
    free = LineModel.from_dict({**model.as_dict(), "design": {"logit_clip": 100}}).logits(rows)
    clipped = LineModel.from_dict({**model.as_dict(), "design": {"logit_clip": 2}}).logits(rows)
    assert max(abs(z) for z in free) > 2
    assert max(abs(z) for z in clipped) == 2
    assert clipped == [max(-2.0, min(2.0, z)) for z in free]


def test_line_model_records_its_feature_design() -> None:
    model = shipped_line_model()
    assert (model.window, model.length_cap) == (3, 80)
    data = model.as_dict()
    assert data["design"] == {"window": 3, "length_cap": 80, "logit_clip": 12.0,
                              "bin_edges": [2, 5, 9, 14, 24, 39, 79]}
    wider = LineModel.from_dict({**data, "design": {"window": 6, "length_cap": 40,
                                                    "logit_clip": 6}})
    assert (wider.window, wider.length_cap, wider.logit_clip) == (6, 40, 6.0)
    del data["design"]  # a model written before the design was recorded
    assert LineModel.from_dict(data) == model


def test_feature_window_and_cap_change_the_features() -> None:
    lines = shapes(FurnitureRemover().shape(crawled_dump(story(7))))
    usual = line_features(lines)
    narrow = line_features(lines, window=1, length_cap=10)
    coarse = line_features(lines, bin_edges=(5, 14, 39, 79))
    assert "words_0_5" in coarse[0] and "words_0_2" not in coarse[0]
    assert all(sum(v for k, v in row.items() if k.startswith("words_") and k != "words_above")
               <= 1 for row in coarse)
    assert any(a["window_prose"] != b["window_prose"] for a, b in zip(usual, narrow,
                                                                       strict=True))
    assert max(row["log_words"] for row in narrow) <= max(row["log_words"] for row in usual)
    assert usual == shipped_line_model().features_of(lines)
