"""A disk that fills up while an ingest or an upload writes: a small tmpfs holds a seed index, a filler file
leaves it ~60 KB, and a larger ingest is made to write there. The write is refused with one line naming the
index and the reason (no traceback), no half-written generation stays behind, and the index answers as before.

Mounting needs root, as `.ci/run` and these machines run; without it the test fails saying so (a fault test
that cannot run must not pass).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from qa.api import ReportQA
from qa.index.doctor import examine
from qa.index.embed import HashEmbedder
from qa.index.store import MANIFEST
from qa.interfaces.uploads import index_upload

from ..conftest import ROOT, SEED

pytestmark = pytest.mark.slow
DISK_KB = 4096
LEFT_BYTES = 60_000


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 4 MB tmpfs mounted for this test and unmounted after it."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={DISK_KB}k", "tmpfs", str(disk)], capture_output=True, text=True
    )
    if mounted.returncode != 0:
        pytest.fail(f"cannot mount a tmpfs for the disk-full test (needs root): {mounted.stderr.strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def reportqa(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    return subprocess.run(
        [sys.executable, "-m", "qa", *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=300
    )


def fill(disk: Path, leave: int) -> None:
    """Write a filler file so that only `leave` bytes stay free on the disk."""
    free = shutil.disk_usage(disk).free
    with (disk / "filler").open("wb") as fh:
        fh.write(b"\0" * max(0, free - leave))


def test_a_full_disk_refuses_the_write_and_keeps_the_index(small_disk: Path, tmp_path: Path) -> None:
    index = small_disk / "idx"
    first = reportqa("ingest", str(SEED.parent), "--index", str(index), "--model", "hash")
    assert first.returncode == 0, first.stderr
    manifest = (index / MANIFEST).read_text(encoding="utf-8")
    fill(small_disk, LEFT_BYTES)

    reports = str(ROOT / "tests/data/reports")
    full = reportqa("ingest", str(SEED.parent), reports, "--index", str(index), "--model", "hash")
    assert full.returncode != 0
    assert "Traceback" not in full.stderr
    assert f"cannot write the index {index}: No space left on device; it is as it was before" in full.stderr
    assert (index / MANIFEST).read_text(encoding="utf-8") == manifest
    assert len(list(index.glob("gen-*"))) == 1  # the half-written generation was removed
    assert [f for f in examine(index) if f.level == "error"] == []

    qa = ReportQA(index, embedder=HashEmbedder())
    report = tmp_path / "upload.txt"
    report.write_text("2020年度示例局公务接待费3.21万元。\n" * 400, encoding="utf-8")
    said = index_upload(qa, report)
    assert said.startswith("upload.txt: 无法写入索引") and "索引未改动" in said
    assert not (index / "uploads" / "upload.txt").exists()
    assert (index / MANIFEST).read_text(encoding="utf-8") == manifest
    assert qa.ask("公务接待费多少？").answer == "2.97万元"
    assert len(qa.data.docs) == 1
