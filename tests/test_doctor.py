"""`reportqa doctor`: a sound index passes; each kind of damage is named with what to do."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from qa.index.doctor import examine
from qa.index.embed import HashEmbedder, ModelSpec
from qa.index.store import read_manifest
from qa.ingest.plan import ingest
from qa.interfaces.cli import main

from .conftest import SEED, lock_held_elsewhere

HASH = ModelSpec("hash", "", "")


def _index(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / SEED.name).write_bytes(SEED.read_bytes())
    index = tmp_path / "index"
    ingest([folder], index, HASH, HashEmbedder())
    return folder, index


def _levels(index: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for f in examine(index):
        found.setdefault(f.level, []).append(f.what)
    return found


def test_a_sound_index_passes_and_a_changed_source_is_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder, index = _index(tmp_path)
    assert main(["doctor", "--index", str(index)]) == 0
    out = capsys.readouterr().out
    assert "0 errors, 0 warnings: the index answers as built" in out and "figures slice their report's text" in out
    (folder / SEED.name).write_text(SEED.read_text(encoding="utf-8") + "\n补充说明。", encoding="utf-8")
    found = _levels(index)
    assert "error" not in found and any("changed since they were indexed" in w for w in found["warn"])
    (folder / SEED.name).unlink()
    assert any("source files are gone" in w for w in _levels(index)["warn"])


def test_a_figure_whose_span_no_longer_slices_its_text_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, index = _index(tmp_path)
    database = index / read_manifest(index)["generation"] / "facts.sqlite"
    with sqlite3.connect(database) as con:
        con.execute("UPDATE facts SET raw = '9.99万元' WHERE raw = '2.97万元'")
    assert main(["doctor", "--index", str(index)]) == 1
    out = capsys.readouterr().out
    assert "ERROR spans: 0 passages and 1 figures do not slice their report's text" in out and "'9.99万元'" in out
    assert "→ rebuild it: reportqa ingest" in out


def test_damaged_files_and_a_writer_at_work_are_named(tmp_path: Path) -> None:
    _, index = _index(tmp_path)
    with lock_held_elsewhere(index) as holder:
        assert any(f"being written now by pid {holder.pid}" in w for w in _levels(index)["warn"])
    assert "warn" not in _levels(index)
    owners = index / read_manifest(index)["generation"] / "dense_owner.npy"
    owners.write_bytes(owners.read_bytes()[:-64])  # a truncated file: the index cannot be opened
    found = examine(index)
    assert [f.level for f in found] == ["error"] and "rebuild it" in found[0].fix
