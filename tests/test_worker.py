"""The answering engine in its own process (qa/interfaces/worker.py), as `reportqa serve` runs it."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.api import ReportQA
from qa.interfaces.worker import EngineProblem, LocalEngine, WorkerEngine


def test_the_worker_answers_as_the_engine_in_this_process(hash_index: Path) -> None:
    local = LocalEngine(ReportQA(hash_index))
    worker = WorkerEngine(hash_index)
    try:
        for question in ("公务接待费多少？", "出国花了多少钱", "会议费多少"):
            here, there = local.ask(question, None, None, None), worker.ask(question, None, None, None)
            assert (there.answer, there.sources, there.message) == (here.answer, here.sources, here.message)
        assert worker.choices() == local.choices() and worker.choices().reports == 1
        picked = worker.ask("公务接待费多少？", None, "1999", None)  # a year no report has
        assert not picked.found and "1999" in picked.message
        assert worker.upload("/no/such/file.exe").startswith("file.exe")  # refused with a reason, not a crash
    finally:
        worker.close()
    assert not worker.process.is_alive()


def test_an_index_the_worker_cannot_open_is_reported_with_its_reason(tmp_path: Path) -> None:
    worker = WorkerEngine(tmp_path / "missing")
    try:
        with pytest.raises(EngineProblem, match="no index here yet"):
            worker.choices()
    finally:
        worker.close()
