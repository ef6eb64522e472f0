"""The derivation corpus loader (bench/derivation_data.py): the group shapes it accepts (one
base, one to three independent reports of one fact sheet, any of the base's derivatives) and
the groups it drops, with the file and the fix named. Fixtures are written here."""

from __future__ import annotations

import json
from pathlib import Path

from bench.derivation_data import INDEPENDENT_ROLES, load_corpus

# Project-written texts about an invented event; each body is over the loader's minimum length.
TEXTS = {
    "base": "Ferry service to Holm Island resumes\n\nThe Holm Island ferry returned to service on "
            "Tuesday after nine days in dry dock, the operator Sundline said. Repairs to the "
            "bow door cost 180,000 crowns. \"We are sorry for the disruption,\" said Sundline's "
            "director Maren Oddvik.",
    "spin": "Holm Island ferry back in operation\n\nAfter a nine-day stay in dry dock, the ferry "
            "serving Holm Island went back into service on Tuesday, according to operator "
            "Sundline. Fixing the bow door came to 180,000 crowns. \"We are sorry for the "
            "disruption,\" said Maren Oddvik, who directs Sundline.",
    "excerpt": "Holm ferry sails again\n\nThe Holm Island ferry returned to service on Tuesday "
               "after nine days in dry dock, the operator Sundline said, ending a week and more "
               "of detours for the island's commuters and its two schools.",
    "independent": "Islanders welcome ferry's return\n\nCommuters on Holm Island can again take "
                   "the direct crossing: Sundline's ferry is back after its bow door was "
                   "repaired for 180,000 crowns. \"We are sorry for the disruption,\" Maren "
                   "Oddvik told reporters at the harbour.",
    "independent2": "Bow door repaired, Holm crossing reopens\n\nSundline reopened the Holm "
                    "Island route on Tuesday. The vessel had spent nine days out of the water. "
                    "Director Maren Oddvik put the bill at 180,000 crowns and said the company "
                    "would refund season tickets for the lost days.",
    "independent3": "Holm route open\n\nNine days of dry dock ended on Tuesday for the Holm "
                    "Island ferry. The company, Sundline, said the repair bill reached 180,000 "
                    "crowns. Passengers queued from six in the morning for the first sailing of "
                    "the reopened route.",
}
FACTS = {"kind": "transport", "event": "Holm ferry returns", "facts": ["nine days in dry dock"],
         "quotes": [{"speaker": "Maren Oddvik", "text": "We are sorry for the disruption."}]}


def write_group(folder: Path, group: str, roles: list[str],
                pairs: list[dict[str, object]] | None = None) -> None:
    """A group of the given roles; its labels, unless given, name each derivative against the
    base and each independent report against every other member."""
    for role in roles:
        (folder / f"{group}.{role}.txt").write_text(TEXTS[role], encoding="utf-8")
    (folder / f"{group}.facts.json").write_text(json.dumps(FACTS), encoding="utf-8")
    if pairs is None:
        independents = [r for r in roles if r in INDEPENDENT_ROLES]
        pairs = [{"a": r, "b": "base", "label": r, "derived": True}
                 for r in roles if r not in independents and r != "base"]
        pairs += [{"a": i, "b": other, "label": "independent", "derived": False}
                  for n, i in enumerate(independents) for other in roles
                  if other != i and other not in independents[:n]]
    (folder / f"{group}.labels.json").write_text(json.dumps({"group": group, "pairs": pairs}),
                                                 encoding="utf-8")


def test_a_group_with_several_independents_and_one_derivative_loads(tmp_path: Path) -> None:
    write_group(tmp_path, "c-001", ["base", "spin", "independent", "independent2",
                                    "independent3"])
    loaded = load_corpus(tmp_path)
    assert not loaded.dropped
    assert loaded.groups == ["c-001"]
    kinds = sorted((p.a, p.b, p.label) for p in loaded.pairs)
    assert ("independent", "independent2", "independent") in kinds
    assert ("independent2", "independent3", "independent") in kinds
    assert ("spin", "base", "spin") in kinds
    # 1 derived pair; 3 independents against base and spin (6) and against each other (3).
    assert len(loaded.pairs) == 10
    assert sum(p.label == "independent" for p in loaded.pairs) == 9
    # Every pair of this group is labelled, so none is left as a sibling.
    assert len(loaded.with_siblings()) == len(loaded.pairs)


def test_derivatives_without_labels_between_them_are_siblings(tmp_path: Path) -> None:
    write_group(tmp_path, "c-002", ["base", "spin", "excerpt", "independent", "independent2"])
    loaded = load_corpus(tmp_path)
    assert not loaded.dropped
    siblings = [p for p in loaded.with_siblings() if p.label == "sibling"]
    assert [(p.a, p.b) for p in siblings] == [("excerpt", "spin")]


def test_a_group_missing_a_labelled_independent_pair_is_dropped(tmp_path: Path) -> None:
    roles = ["base", "spin", "independent", "independent2"]
    pairs: list[dict[str, object]] = [
        {"a": "spin", "b": "base", "label": "spin", "derived": True},
        {"a": "independent", "b": "base", "label": "independent", "derived": False},
        {"a": "independent", "b": "spin", "label": "independent", "derived": False},
        {"a": "independent2", "b": "base", "label": "independent", "derived": False},
        {"a": "independent2", "b": "spin", "label": "independent", "derived": False}]
    write_group(tmp_path, "c-003", roles, pairs)
    loaded = load_corpus(tmp_path)
    assert loaded.groups == []
    assert "independent-independent2" in loaded.dropped["c-003"]
    assert "labels.json" in loaded.dropped["c-003"]


def test_two_independents_labelled_derived_is_an_error(tmp_path: Path) -> None:
    write_group(tmp_path, "c-004", ["base", "spin", "independent", "independent2"])
    path = tmp_path / "c-004.labels.json"
    labels = json.loads(path.read_text(encoding="utf-8"))
    for pair in labels["pairs"]:
        if {pair["a"], pair["b"]} == {"independent", "independent2"}:
            pair.update(label="spin", derived=True)
    path.write_text(json.dumps(labels), encoding="utf-8")
    dropped = load_corpus(tmp_path).dropped["c-004"]
    assert "independent exactly when one side is an independent report" in dropped


def test_a_group_of_independents_only_is_dropped(tmp_path: Path) -> None:
    write_group(tmp_path, "c-005", ["base", "independent", "independent2"])
    assert "no derivative of the base" in load_corpus(tmp_path).dropped["c-005"]


def test_a_group_without_its_first_independent_is_dropped(tmp_path: Path) -> None:
    write_group(tmp_path, "c-006", ["base", "spin", "independent2"])
    dropped = load_corpus(tmp_path).dropped["c-006"]
    assert dropped.startswith("c-006.independent.txt: missing")


def test_a_file_of_an_unknown_role_is_named(tmp_path: Path) -> None:
    write_group(tmp_path, "c-007", ["base", "spin", "independent"])
    (tmp_path / "c-007.independent4.txt").write_text(TEXTS["independent3"], encoding="utf-8")
    dropped = load_corpus(tmp_path).dropped["c-007"]
    assert dropped.startswith("c-007.independent4.txt: not a corpus role")


def test_the_full_six_role_group_loads_as_before(tmp_path: Path) -> None:
    """The a- and b- groups' shape: all four derivatives and one independent report."""
    texts = dict(TEXTS, rewrite=TEXTS["spin"].replace("Tuesday", "Monday"),
                 partial=TEXTS["excerpt"] + " The council will review the timetable.")
    roles = ["base", "spin", "rewrite", "excerpt", "partial", "independent"]
    for role in roles:
        (tmp_path / f"a-001.{role}.txt").write_text(texts[role], encoding="utf-8")
    write_group(tmp_path, "a-001", [])
    pairs = [{"a": r, "b": "base", "label": r, "derived": True}
             for r in ("spin", "rewrite", "excerpt", "partial")]
    pairs += [{"a": "independent", "b": r, "label": "independent", "derived": False}
              for r in roles if r != "independent"]
    (tmp_path / "a-001.labels.json").write_text(json.dumps({"pairs": pairs}), encoding="utf-8")
    loaded = load_corpus(tmp_path)
    assert not loaded.dropped
    assert len(loaded.pairs) == 9
    assert len(loaded.with_siblings()) == 15
