"""bench.spark_equality compares discrepancies by content: a generated id (a discrepancy's
number within its story) is left out, so one row more on one side counts once; rows are
also compared grouped by that id, so the same rows grouped otherwise count too."""

from __future__ import annotations

from typing import Any

from bench.spark_equality import story_named, table_differences
from newstrace.tables import discrepancy_rows


def _addition(article: str, text: str, start: int) -> dict[str, Any]:
    return {"article": article, "source": ["a1"], "text": text, "span": [start, start + 9]}


def _conflict(subject: str, values: list[tuple[str, list[str]]]) -> dict[str, Any]:
    return {"subject": subject, "values": [{"value": value, "texts": [value],
                                            "articles": articles} for value, articles in values]}


def _rows(story: str, **facts: Any) -> list[dict[str, Any]]:
    return list(discrepancy_rows({"story": story, **facts}))


ADDITIONS = [_addition("a2", "one more.", 10), _addition("a3", "and this.", 40)]


def test_one_extra_discrepancy_counts_once() -> None:
    local = _rows("s1", additions=ADDITIONS)
    # The Spark side numbers its stories otherwise, and has one addition more, listed first:
    # every later addition's number shifts.
    spark = _rows("s9", additions=[_addition("a2", "extra one", 0), *ADDITIONS])
    assert [row["discrepancy"] for row in spark][1:] != [row["discrepancy"] for row in local]
    members = {"s1": ["a1", "a2", "a3"], "s9": ["a3", "a1", "a2"]}
    found = table_differences(story_named({"discrepancies": local}, members),
                              story_named({"discrepancies": spark}, members))
    rows = found["discrepancies"]
    assert (rows["rows_local"], rows["rows_spark"]) == (2, 3)
    assert (rows["only_local_count"], rows["only_spark_count"]) == (0, 1)
    assert rows["only_spark"][0]["text"] == "extra one"
    assert rows["only_spark"][0]["story"] == "a1"  # the story named by its first article
    grouped = found["discrepancies grouped"]
    assert (grouped["only_local_count"], grouped["only_spark_count"]) == (0, 1)


def test_the_same_rows_grouped_otherwise_differ_as_groups_only() -> None:
    # One conflict over three values against two conflicts splitting them: the same rows.
    together = _rows("s1", conflicts=[_conflict("toll", [("3", ["a1"]), ("4", ["a2"])]),
                                      _conflict("toll", [("5", ["a3"])])])
    apart = _rows("s1", conflicts=[_conflict("toll", [("3", ["a1"])]),
                                   _conflict("toll", [("4", ["a2"]), ("5", ["a3"])])])
    members = {"s1": ["a1", "a2", "a3"]}
    found = table_differences(story_named({"discrepancies": together}, members),
                              story_named({"discrepancies": apart}, members))
    assert found["discrepancies"]["only_local_count"] == 0
    assert found["discrepancies"]["only_spark_count"] == 0
    assert found["discrepancies grouped"]["only_local_count"] == 2
    assert found["discrepancies grouped"]["only_spark_count"] == 2


def test_other_tables_keep_every_field() -> None:
    members = {"s1": ["a1", "a2"]}
    claim = {"story": "s1", "article": "a2", "kind": "quantity", "text": "3 dead"}
    found = story_named({"claims": [claim]}, members)
    assert set(found) == {"claims"}
    assert '"text": "3 dead"' in next(iter(found["claims"]))
