"""The CLI's conventions: listing commands share one set of output options, -q/-v work after
a command, --help groups commands by job, exit codes as documented; `export` and `doctor`."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import tomllib
from pathlib import Path

import click
import pytest

from conftest import ROOT, run_cli
from newstrace.capabilities import java_version
from newstrace.cli.group import SECTIONS
from newstrace.cli.main import cli
from newstrace.tables import TABLES

LISTINGS = ("articles", "relations", "stories", "check", "trace", "facts", "doctor", "export")
OUTPUT_FLAGS = {"--json", "--nl", "--csv", "--table"}


def _flags(command: click.Command) -> set[str]:
    return {opt for param in command.params for opt in getattr(param, "opts", [])}


def test_listing_commands_take_every_output_format() -> None:
    for name in LISTINGS:
        assert _flags(cli.commands[name]) >= OUTPUT_FLAGS, name


def test_every_command_takes_quiet_and_verbose() -> None:
    for name, command in cli.commands.items():
        assert {"-q", "--quiet", "-v", "--verbose"} <= _flags(command), name


def test_help_lists_every_command_once_main_job_first() -> None:
    shown = run_cli("--help").output
    assert shown.index(SECTIONS[0][0]) < shown.index(SECTIONS[1][0])
    assert shown.index("analyze") < shown.index("ingest")
    listed = [line.split()[0] for line in shown.splitlines()
              if line.startswith("  ") and line.split()[0] in cli.commands]
    assert sorted(listed) == sorted(cli.commands)
    assert "Exit codes" in shown


def test_docs_describe_every_command_and_exit_code() -> None:
    docs = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for name in cli.commands:
        assert f"`newstrace {name}" in docs, name
    assert "## Exit codes" in docs


def test_quiet_after_the_command(example_db: Path) -> None:
    result = run_cli("stories", "--db", str(example_db), "--csv", "-q")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert rows and rows[0]["id"].startswith("s-")


def test_trace_and_facts_as_csv(example_db: Path) -> None:
    edges = run_cli("trace", "alpinepress-original.html", "--db", str(example_db), "--csv")
    assert edges.exit_code == 0, edges.output
    found = list(csv.DictReader(io.StringIO(edges.output)))
    assert found and all(row["story"].startswith("s-") for row in found)
    facts = run_cli("facts", "alpinepress-original.html", "--db", str(example_db), "--csv")
    assert facts.exit_code == 0, facts.output
    kinds = {row["kind"] for row in csv.DictReader(io.StringIO(facts.output))}
    assert "addition" in kinds


@pytest.mark.parametrize("file_format", ["parquet", "csv", "jsonl"])
def test_export_writes_every_table(example_db: Path, tmp_path: Path, file_format: str) -> None:
    result = run_cli("export", str(tmp_path / "out"), "--db", str(example_db), "--format",
                     file_format, "--json")
    assert result.exit_code == 0, result.output
    written = {item["table"]: item for item in json.loads(result.output)}
    # a Parquet export, which `newstrace import` reads, also carries the code's stamps
    assert list(written) == [*TABLES, *(["stamps"] if file_format == "parquet" else [])]
    for name, item in written.items():
        path = Path(item["path"])
        assert path.name == f"{name}.{file_format}"
        if file_format == "parquet":
            import pyarrow.parquet as pq

            assert pq.read_table(path).num_rows == item["rows"]
        elif file_format == "csv":
            with path.open(encoding="utf-8", newline="") as handle:
                assert len(list(csv.DictReader(handle))) == item["rows"]
        else:
            lines = path.read_text(encoding="utf-8").splitlines()
            assert len(lines) == item["rows"]
            assert all(isinstance(json.loads(line), dict) for line in lines)


def test_export_only_some_tables(example_db: Path, tmp_path: Path) -> None:
    result = run_cli("export", str(tmp_path), "--db", str(example_db), "--format", "csv",
                     "--only", "stories", "--only", "edges", "--nl")
    assert [json.loads(line)["table"] for line in result.output.splitlines()] == [
        "stories", "edges"]


def test_export_without_a_collection_says_how_to_make_one(tmp_path: Path) -> None:
    result = run_cli("export", str(tmp_path / "out"), "--db", str(tmp_path / "none.db"))
    assert result.exit_code == 1
    assert "newstrace analyze" in result.output
    assert not (tmp_path / "none.db").exists()


def test_doctor_names_an_existing_extra_for_every_capability() -> None:
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))[
        "project"]["optional-dependencies"]
    result = run_cli("doctor", "--json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert {item["extra"] for item in found} <= set(extras)
    everything = extras["all"][0]
    for item in found:
        assert item["extra"] in everything, item
        assert item["on"] or f"newstrace[{item['extra']}]" in item["how"] or "Java" in item["how"]


def test_doctor_as_a_table_tells_how_to_install_everything() -> None:
    shown = run_cli("doctor").output
    assert "paraphrase" in shown and "Spark" in shown
    if "no " in shown:
        assert "pip install 'newstrace[all]'" in shown


def _fake_java(tmp_path: Path, says: str) -> str:
    path = tmp_path / "java"
    path.write_text(f"#!/bin/sh\necho '{says}' >&2\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def test_java_versions_old_and_new(tmp_path: Path) -> None:
    assert java_version(_fake_java(tmp_path, 'openjdk version "1.8.0_392"')) == 8
    assert java_version(_fake_java(tmp_path, 'openjdk version "17.0.15" 2025-04-15')) == 17
    assert java_version(_fake_java(tmp_path, "something else")) is None
    assert java_version(os.fspath(tmp_path / "missing")) is None


def test_spark_driver_memory_is_checked_before_spark_starts(tmp_path: Path) -> None:
    result = run_cli("spark", "analyze", str(tmp_path), "--out", str(tmp_path / "out"),
                     "--driver-memory", "lots")
    assert result.exit_code == 2
    assert "'lots' is not a memory size" in result.output and "4g" in result.output
    assert not (tmp_path / "out").exists()
