"""The cleaner's line model: the shipped coefficients, its calls on a dump, its errors."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from tests.pages import LAST_WITHOUT_STOP, crawled_dump, story

from newstrace.errors import NewstraceError
from newstrace.stages.clean.furniture import FurnitureConfig, FurnitureRemover, shapes
from newstrace.stages.clean.linemodel import (
    MODEL_FILE,
    LineModel,
    line_features,
    load_line_model,
    shipped_line_model,
)

SHIPPED = Path(__file__).resolve().parents[1] / "src/newstrace/stages/clean" / MODEL_FILE


def test_shipped_model_loads_and_says_what_it_was_fitted_on() -> None:
    model = shipped_line_model()
    assert model.features and len(model.weights) == len(model.features)
    assert 0 <= model.word_power <= 1
    record = json.loads(SHIPPED.read_text(encoding="utf-8"))
    fitted = record["fitted"]
    assert {"command", "date", "data", "figures"} <= set(fitted)
    assert "cv_f1" in fitted["figures"]["aeb"]
    assert load_line_model(SHIPPED) == model


def test_the_rules_settings_are_the_ones_the_fit_chose() -> None:
    """FurnitureConfig's defaults are the rule settings the nested CV chose (line_model.json
    "rules"), and each outer fold's model and rules are there for bench.wild's CV figures."""
    record = json.loads(SHIPPED.read_text(encoding="utf-8"))
    defaults = FurnitureConfig()
    assert record["rules"] and {name: getattr(defaults, name) for name in record["rules"]} \
        == record["rules"]
    assert len(record["folds"]) == 5
    for fold in record["folds"]:
        assert fold["held_out"] and set(fold["rules"]) == set(record["rules"])
        assert LineModel.from_dict(fold["model"]).features == shipped_line_model().features


def test_a_phrase_family_left_out_gives_no_reason() -> None:
    """The fit's ablation: a family in `without_phrases` no longer names a line's reason."""
    dump = "Share this article on Facebook\n" + crawled_dump(story(3))
    kept = FurnitureRemover().shape(dump)
    left_out = FurnitureRemover(FurnitureConfig(without_phrases=frozenset({"share bar"}))
                                ).shape(dump)
    assert kept.lines[0].phrase == "share bar"
    assert left_out.lines[0].phrase is None


def test_model_reads_every_feature_the_cleaner_computes() -> None:
    remover = FurnitureRemover()
    rows = line_features(shapes(remover.shape(crawled_dump(story(1)))))
    assert set(shipped_line_model().features) == set(rows[0])


def test_furniture_line_dropped_and_body_line_kept() -> None:
    paragraphs = story(2)
    menu = ("Home", "World", "Business", "Markets", "Opinion", "Weather")
    dump = crawled_dump(paragraphs, masthead_noise=menu)
    remover = FurnitureRemover()
    classified = remover.classify(dump)
    logit = {line.text: line.logit for line in classified.lines}
    assert all(logit[p] > 0 for p in paragraphs)
    assert all(logit[item] < 0 for item in menu)
    kept = remover.clean(dump).text.split("\n")
    assert kept == paragraphs
    assert "Ferry fares to rise in May" not in kept


def test_a_one_line_subheading_inside_the_body_is_kept() -> None:
    paragraphs = story(3)
    body = [*paragraphs[:2], "Costs", *paragraphs[2:]]
    cleaned = FurnitureRemover().clean(crawled_dump(body))
    assert cleaned.text.split("\n") == body


def test_the_model_decides_the_body(tmp_path: Path) -> None:
    """The same dump with every weight turned round: prose is judged furniture, so the body
    is no longer found (the model is the verdict, not a rule beside it)."""
    model = shipped_line_model()
    turned = replace(model, weights=tuple(-w for w in model.weights),
                     intercept=-model.intercept)
    paragraphs = story(4)
    cleaned = FurnitureRemover(model=turned).clean(crawled_dump(paragraphs))
    assert paragraphs[1] not in cleaned.text.split("\n")


def _write(path: Path, content: object) -> Path:
    path.write_text(json.dumps(content) if not isinstance(content, str) else content,
                    encoding="utf-8")
    return path


@pytest.mark.parametrize("content", [
    "{not json",
    {"fitted": {}},
    {"model": {"features": ["a"], "means": [0.0], "scales": [1.0]}},
    {"model": {"features": ["a", "b"], "means": [0.0], "scales": [1.0], "weights": [1.0],
               "intercept": 0.0, "body_finder": {"barrier_fraction": 0.1,
                                                 "furniture_score": 1.0,
                                                 "word_power": 1.0, "bias": 0.0}}},
])
def test_a_bad_coefficients_file_names_the_file_and_the_fix(tmp_path: Path,
                                                             content: object) -> None:
    path = _write(tmp_path / "line_model.json", content)
    with pytest.raises(NewstraceError) as error:
        load_line_model(path)
    assert str(path) in str(error.value)
    assert "make train" in str(error.value)


def test_a_model_round_trips_through_its_dict() -> None:
    model = shipped_line_model()
    assert LineModel.from_dict(model.as_dict()) == model


def test_lines_passed_over_are_nobodys_neighbour() -> None:
    """A teaser inside the body is read past: the paragraphs around it are each other's
    neighbours, exactly as on the page without it."""
    paragraphs = story(5)
    remover = FurnitureRemover()
    with_teaser = shapes(remover.shape(crawled_dump(
        paragraphs, teaser=["READ MORE: Ferry fares to rise in May"], teaser_at=1)))
    without = shapes(remover.shape(crawled_dump(paragraphs)))
    assert [s.text for s in with_teaser if s.passed_over] == [
        "READ MORE: Ferry fares to rise in May"]
    neighbourly = ("prev_prose", "next_prose", "prev_log_words", "next_log_words",
                   "prev_furniture", "next_furniture", "window_prose", "window_log_words")
    rows = {s.text: row for s, row in zip(with_teaser, line_features(with_teaser), strict=True)}
    plain = {s.text: row for s, row in zip(without, line_features(without), strict=True)}
    for paragraph in paragraphs:
        assert {k: rows[paragraph][k] for k in neighbourly} == {
            k: plain[paragraph][k] for k in neighbourly}


def test_a_teaser_costs_the_paragraph_after_it_nothing() -> None:
    """The model's call on a last paragraph (no full stop, dense in names and figures) is
    the same whether or not a teaser stands before it."""
    paragraphs = [*story(6)[:3], LAST_WITHOUT_STOP]
    remover = FurnitureRemover()

    def logit(teaser: list[str] | None) -> float:
        classified = remover.classify(crawled_dump(paragraphs, teaser=teaser))
        return next(line.logit for line in classified.lines if line.text == LAST_WITHOUT_STOP)

    assert abs(logit(["Recommended:", "Ferry fares to rise in May"]) - logit(None)) < 0.3
