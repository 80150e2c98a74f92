"""Shared fixtures: the seed report, a fast index built with the fake embedder, and one
index built by the CLI with the real offline model (shared by the slower tests)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from qa.api import ReportQA  # noqa: E402
from qa.index.embed import HashEmbedder  # noqa: E402
from qa.index.store import build, save  # noqa: E402
from qa.ingest.load import load_file  # noqa: E402
from qa.records import Document  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpus" / "2018年度冷水滩高科园部门整体支出绩效自评报告.txt"
DEV_SEED = ROOT / "tests" / "data" / "dev_seed.jsonl"
DEV_REPORTS = ROOT / "tests" / "data" / "dev_reports.jsonl"
REPORTS = ROOT / "tests" / "data" / "reports"  # six reports written with known figures (truth.json)


@pytest.fixture(scope="session")
def seed_doc() -> Document:
    return load_file(SEED)


@pytest.fixture(scope="session")
def hash_index(tmp_path_factory: pytest.TempPathFactory, seed_doc: Document) -> Path:
    """The seed indexed with the deterministic fake embedder."""
    folder = tmp_path_factory.mktemp("hash-index")
    save(folder, build([seed_doc], HashEmbedder()))
    return folder


@pytest.fixture(scope="session")
def hash_qa(hash_index: Path) -> ReportQA:
    return ReportQA(hash_index, embedder=HashEmbedder())


@pytest.fixture(scope="session")
def model_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed indexed by `reportqa ingest` with the default offline model."""
    from qa.interfaces.cli import main

    folder = tmp_path_factory.mktemp("model-index")
    assert main(["ingest", str(SEED), "--index", str(folder)]) == 0
    return folder


@pytest.fixture(scope="session")
def model_qa(model_index: Path) -> ReportQA:
    return ReportQA(model_index)


@pytest.fixture(scope="session")
def corpus_qa(tmp_path_factory: pytest.TempPathFactory) -> ReportQA:
    """The seed and the six reports written for tests, indexed with the default offline model."""
    from qa.interfaces.cli import main

    folder = tmp_path_factory.mktemp("corpus-index")
    assert main(["ingest", str(ROOT / "corpus"), str(REPORTS), "--index", str(folder)]) == 0
    return ReportQA(folder)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def real_hash_qa(tmp_path_factory: pytest.TempPathFactory) -> ReportQA:
    """The real reports (tests/data/real/docs) indexed with the fake embedder."""
    folder = tmp_path_factory.mktemp("real-hash")
    docs = sorted((Path(__file__).parent / "data" / "real" / "docs").glob("*.txt"))
    save(folder, build([load_file(p) for p in docs], HashEmbedder()))
    return ReportQA(folder, embedder=HashEmbedder())


@contextmanager
def lock_held_elsewhere(index: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the index's write lock (as a running ingest does) until it is killed
    on leaving: a killed holder releases it, as a crashed ingest would."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from qa.index.store import writing\n"
            "with writing(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(60)",
            str(index),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        yield holder
    finally:
        holder.kill()
        holder.wait()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: starts servers or many processes (make test runs it, test-fast does not)")
