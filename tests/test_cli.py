"""The `reportqa` command: help texts, ingest, ask (one question and stdin batch), errors."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import cast

import pytest

from qa.interfaces.cli import COMMANDS, main, parser

from .conftest import ROOT, SEED


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "qa", *args], input=stdin, capture_output=True, text=True, cwd=ROOT, timeout=600
    )


def test_every_command_has_help() -> None:
    top = parser()
    assert top.description and "reportqa ask" in (top.epilog or "")
    subparsers = cast(argparse._SubParsersAction, next(a for a in top._actions if a.dest == "command"))
    for name in COMMANDS:
        sub = subparsers.choices[name]
        assert sub.format_help().strip()
        assert name in {a.dest for a in subparsers._choices_actions}
        assert next(a for a in subparsers._choices_actions if a.dest == name).help


def test_ingest_reports_skips_and_is_idempotent(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "seed.txt").write_bytes(SEED.read_bytes())
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "scan.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    index = tmp_path / "index"
    assert main(["ingest", str(corpus), "--index", str(index), "--model", "hash"]) == 0
    out, err = capsys.readouterr()
    assert "indexed 1 documents (1 added, 0 changed, 0 removed, 0 unchanged; 2 files skipped)" in out
    assert f"skipped {corpus / 'empty.txt'}: empty file" in err
    assert f"skipped {corpus / 'scan.txt'}: binary file" in err
    assert "Traceback" not in err
    assert main(["ingest", str(corpus), "--index", str(index), "--model", "hash"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_ingest_of_nothing_readable_keeps_the_index(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    index = tmp_path / "index"
    assert main(["ingest", str(SEED), "--index", str(index), "--model", "hash"]) == 0
    manifest = (index / "manifest.json").read_text()
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\xfa\x00\x01garbage\x00")
    assert main(["ingest", str(bad), "--index", str(index), "--model", "hash"]) == 1
    err = capsys.readouterr().err
    assert str(bad) in err and "left as it was" in err
    assert (index / "manifest.json").read_text() == manifest


def test_ask_without_index_is_a_clear_error(tmp_path: Path) -> None:
    result = run_cli("ask", "公务接待费多少", "--index", str(tmp_path / "none"))
    assert result.returncode == 2
    assert "reportqa: error:" in result.stderr and "reportqa ingest" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.model
def test_ask_json_gives_exact_figure_and_offsets(model_index: Path) -> None:
    result = run_cli("ask", "--json", "公务接待费多少", "--index", str(model_index))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["found"] is True and data["answer"] == "2.97万元"
    assert data["value"] == 2.97 and data["unit"] == "万元"
    src = data["sources"][0]
    text = SEED.read_text(encoding="utf-8")
    assert text[src["start"] : src["end"]] == "2.97万元"
    assert "公务接待费2.97万元" in src["text"]
    assert data["passages"] and data["latency_ms"] > 0


@pytest.mark.model
def test_ask_stdin_batch_answers_in_order(model_index: Path) -> None:
    questions = ["公务接待费多少？", "人员经费是多少", "会议费多少", "车辆编制数是多少"]
    result = run_cli("ask", "-", "--index", str(model_index), stdin="\n".join(questions) + "\n\n")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["question"] for r in rows] == questions
    assert [r["answer"] for r in rows] == ["2.97万元", "715.98万元", None, "3台"]
