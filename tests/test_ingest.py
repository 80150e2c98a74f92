"""Incremental, crash-safe ingest: add / change / delete files, facets set by the user, `remove`."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from qa.api import ReportQA
from qa.index.embed import HashEmbedder, ModelSpec
from qa.index.store import load
from qa.ingest.facets import facets_of
from qa.ingest.plan import ingest, plan, remove
from qa.interfaces.cli import main
from qa.records import Document

from .conftest import ROOT, SEED, lock_held_elsewhere

REPORTS = ROOT / "tests" / "data" / "reports"
FENGLIN = REPORTS / "2019年度枫林县市场监督管理局部门整体支出绩效自评报告.txt"
XIANGYUAN = REPORTS / "2018年度湘源县水利局部门决算说明.txt"
HASH = ModelSpec("hash", "", "")


class CountingEmbedder(HashEmbedder):
    """The fake embedder, recording every text it is asked to embed."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []

    def encode_batch(self, texts: Sequence[str]) -> np.ndarray:
        self.texts.extend(texts)
        return super().encode_batch(texts)


def _folder(tmp_path: Path, *files: Path) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir(exist_ok=True)
    for f in files:
        (folder / f.name).write_bytes(f.read_bytes())
    return folder


def test_unchanged_documents_are_never_re_embedded(tmp_path: Path) -> None:
    folder = _folder(tmp_path, SEED, FENGLIN)
    index = tmp_path / "index"
    first = CountingEmbedder()
    out = ingest([folder], index, HASH, first)
    assert out.data is not None and len(out.plan.added) == 2
    assert len(first.texts) == len(out.data.dense.vectors) > 0

    # nothing changed: no model is even loaded
    def no_model() -> HashEmbedder:
        raise AssertionError("the model was loaded for an unchanged folder")

    assert ingest([folder], index, HASH, no_model).data is None

    # one file added, one edited: only their texts meet the model
    (folder / XIANGYUAN.name).write_bytes(XIANGYUAN.read_bytes())
    seed_copy = folder / SEED.name
    seed_copy.write_text(seed_copy.read_text(encoding="utf-8") + "\n附：本报告新增一句说明。\n", encoding="utf-8")
    second = CountingEmbedder()
    out = ingest([folder], index, HASH, second)
    assert out.data is not None
    assert (len(out.plan.added), len(out.plan.replaced), len(out.plan.unchanged)) == (1, 1, 1)
    fenglin_text = FENGLIN.read_text(encoding="utf-8")
    assert not any("枫林" in t for t in second.texts if "枫林" not in XIANGYUAN.read_text(encoding="utf-8"))
    assert all(t.split("\n")[-1] not in fenglin_text for t in second.texts if len(t.split("\n")[-1]) > 30)
    assert any("湘源" in t for t in second.texts)
    # the edited seed shares most sentences with its old version: those vectors are reused too
    assert out.data.stats is not None and out.data.stats.reused_units > len(second.texts)

    # the result equals a build from scratch
    fresh = tmp_path / "fresh"
    ingest([folder], fresh, HASH, HashEmbedder())
    a, b = load(index), load(fresh)
    assert [c.text for c in a.chunks] == [c.text for c in b.chunks]
    assert [(f.label, f.raw, f.start) for f in a.facts] == [(f.label, f.raw, f.start) for f in b.facts]
    assert np.allclose(a.dense.vectors, b.dense.vectors)
    query = ["公务接待费", "人员经费"]
    assert b.bm25.vocab and np.allclose(a.bm25.scores(query), b.bm25.scores(query), atol=1e-5)


def test_deleted_file_is_removed_and_other_folders_stay(tmp_path: Path) -> None:
    folder = _folder(tmp_path, SEED, FENGLIN)
    other = tmp_path / "other"
    other.mkdir()
    (other / XIANGYUAN.name).write_bytes(XIANGYUAN.read_bytes())
    index = tmp_path / "index"
    ingest([folder], index, HASH, HashEmbedder())
    ingest([other], index, HASH, HashEmbedder())
    assert len(load(index).docs) == 3
    (folder / FENGLIN.name).unlink()
    out = ingest([folder], index, HASH, HashEmbedder())
    assert len(out.plan.removed) == 1
    titles = {d.title for d in load(index).docs.values()}
    assert not any("枫林" in t for t in titles) and any("湘源" in t for t in titles)
    answer = ReportQA(index, embedder=HashEmbedder()).ask("2018年冷水滩高科园公务接待费多少")
    assert answer.answer == "2.97万元"


def test_a_file_that_turns_bad_keeps_its_indexed_version(tmp_path: Path) -> None:
    folder = _folder(tmp_path, SEED, FENGLIN)
    index = tmp_path / "index"
    ingest([folder], index, HASH, HashEmbedder())
    before = load(index)
    (folder / FENGLIN.name).write_bytes(b"\x00\x01\x02 truncated")
    out = ingest([folder], index, HASH, HashEmbedder())
    assert any(FENGLIN.name in s.path and "binary" in s.reason for s in out.skipped)
    assert set(load(index).docs) == set(before.docs)


def test_plan_is_pure_and_names_each_change() -> None:
    def doc(doc_id: str, path: str, sha: str) -> Document:
        return Document(doc_id=doc_id, path=path, title="t", text="x", sha256=sha, encoding="utf-8")

    previous = {"a": doc("a", "/r/a.txt", "1"), "b": doc("b", "/r/b.txt", "2"), "c": doc("c", "/elsewhere/c.txt", "3")}
    loaded = [doc("a", "/r/a.txt", "1"), doc("b2", "/r/b.txt", "9"), doc("d", "/r/d.txt", "4")]
    result = plan(previous, loaded, [Path("/r")])
    assert (result.added, result.replaced, result.removed, result.unchanged) == (["d"], ["b"], [], ["a"])
    assert [d.doc_id for d in result.docs] == ["c", "a", "b2", "d"]  # by path
    gone = plan(previous, [doc("a", "/r/a.txt", "1")], [Path("/r")])
    assert gone.removed == ["b"] and {d.doc_id for d in gone.docs} == {"a", "c"}
    kept = plan(previous, [doc("a", "/r/a.txt", "1")], [Path("/r")], failed=["/r/b.txt"])
    assert kept.removed == [] and {d.doc_id for d in kept.docs} == {"a", "b", "c"}


def test_remove_by_id_and_by_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _folder(tmp_path, SEED, FENGLIN, XIANGYUAN)
    index = tmp_path / "index"
    ingest([folder], index, HASH, HashEmbedder())
    data = load(index)
    fenglin = next(d for d in data.docs.values() if "枫林" in d.title)
    remove(index, [fenglin.doc_id])
    assert fenglin.doc_id not in load(index).docs
    assert main(["remove", str(folder / XIANGYUAN.name), "--index", str(index)]) == 0
    assert "1 documents left" in capsys.readouterr().out
    assert main(["remove", "nope", "--index", str(index)]) == 2
    assert "no document 'nope'" in capsys.readouterr().err
    left = load(index)
    assert len(left.docs) == 1 and len(left.dense.slot) == len(left.dense.owner)
    assert ReportQA(index, embedder=HashEmbedder()).ask("公务接待费多少").answer == "2.97万元"


def test_user_facets_from_sidecar_and_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    untitled = folder / "report.txt"  # a title that names neither department nor year
    untitled.write_text("情况说明\n\n一、“三公”经费\n\n公务接待费3.10万元。\n", encoding="utf-8")
    index = tmp_path / "index"
    assert main(["ingest", str(untitled), "--index", str(index), "--model", "hash", "--year", "2021"]) == 0
    capsys.readouterr()
    doc = next(iter(load(index).docs.values()))
    assert facets_of(doc).year == "2021" and facets_of(doc).department == ""
    (folder / "report.txt.facets.json").write_text(json.dumps({"department": "白石县档案馆"}), encoding="utf-8")
    assert main(["ingest", str(folder), "--index", str(index), "--model", "hash", "--year", "2021"]) == 0
    out, err = capsys.readouterr()
    assert "1 changed" in out and "facets.json" not in err  # the sidecar is not a report
    assert main(["list", "--index", str(index), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["department"] == "白石县档案馆" and rows[0]["year"] == "2021"
    assert rows[0]["set_by_user"] == "department,year"
    qa = ReportQA(index, embedder=HashEmbedder())
    assert qa.ask("白石县档案馆2021年公务接待费多少").answer == "3.10万元"
    assert not qa.ask("白石县档案馆2019年公务接待费多少").found
    (folder / "report.txt.facets.json").write_text("{not json", encoding="utf-8")
    assert main(["ingest", str(folder), "--index", str(index), "--model", "hash"]) == 0
    assert "report.txt.facets.json: unreadable facets file" in capsys.readouterr().err
    kept = next(iter(load(index).docs.values()))  # the indexed version stays as it was
    assert facets_of(kept).department == "白石县档案馆"


def test_a_killed_ingest_leaves_a_consistent_index(tmp_path: Path) -> None:
    """SIGKILL an ingest at several moments: the index is always the old one or the new one, whole."""
    small = _folder(tmp_path, SEED)
    index = tmp_path / "index"
    ingest([small], index, HASH, HashEmbedder())
    old_ids = set(load(index).docs)
    big = tmp_path / "big"
    big.mkdir()
    text = FENGLIN.read_text(encoding="utf-8")
    for i in range(60):
        (big / f"r{i:02}.txt").write_text(text + f"\n附{i}：编号{i}的抄送单位。\n", encoding="utf-8")
    command = [sys.executable, "-m", "qa", "ingest", str(big), "--index", str(index), "--model", "hash"]
    outcomes = set()
    for delay in (0.4, 0.9, 1.5, 2.5, 4.0):
        proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        data = load(index)  # never raises: the manifest names a complete generation
        ids = set(data.docs)
        assert ids == old_ids or len(ids) == 61
        assert len(data.dense.slot) == len(data.dense.owner) and data.bm25.n_docs == len(data.chunks)
        outcomes.add("old" if ids == old_ids else "new")
        if ids != old_ids:
            break
    assert "old" in outcomes  # at least one kill landed midway
    assert subprocess.run(command, cwd=ROOT, capture_output=True, timeout=600).returncode == 0
    assert len(load(index).docs) == 61
    assert len(list(index.glob("gen-*"))) == 1  # leftovers of killed runs are cleared


def test_upload_is_checked_then_indexed(tmp_path: Path) -> None:
    from qa.interfaces.uploads import check_upload, index_upload

    index = tmp_path / "index"
    ingest([_folder(tmp_path, SEED)], index, HASH, HashEmbedder())
    qa = ReportQA(index, embedder=HashEmbedder())
    exe = tmp_path / "x.exe"
    exe.write_bytes(b"MZ")
    assert "不支持的文件类型 .exe" in (check_upload(exe) or "")
    empty = tmp_path / "e.txt"
    empty.write_bytes(b"")
    assert "空文件" in (check_upload(empty) or "")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj")
    before = (index / "manifest.json").read_text()
    assert "damaged PDF" in index_upload(qa, broken)
    assert (index / "manifest.json").read_text() == before and not (index / "uploads" / "broken.pdf").exists()
    good = tmp_path / "2019年度枫林县市场监督管理局部门整体支出绩效自评报告.txt"
    good.write_bytes(FENGLIN.read_bytes())
    assert index_upload(qa, good).startswith("已索引：枫林县市场监督管理局2019年度部门整体支出绩效自评报告")
    assert len(qa.data.docs) == 2 and (index / "uploads" / good.name).is_file()
    assert qa.ask("枫林县2019年公务接待费多少").found


def test_an_upload_never_replaces_another_report_kept_under_its_name(tmp_path: Path) -> None:
    from qa.interfaces.uploads import index_upload, kept_path

    index = tmp_path / "index"
    ingest([_folder(tmp_path, SEED)], index, HASH, HashEmbedder())
    qa = ReportQA(index, embedder=HashEmbedder())
    first, second = tmp_path / "a" / "报告.txt", tmp_path / "b" / "报告.txt"
    for path, fee in ((first, "3.20"), (second, "2.75")):
        path.parent.mkdir()
        path.write_text(f"2020年岚溪县卫生健康局“三公”经费决算情况说明\n\n公务接待费{fee}万元。\n", encoding="utf-8")
    assert index_upload(qa, first).startswith("已索引") and index_upload(qa, second).startswith("已索引")
    assert sorted(p.name for p in (index / "uploads").iterdir()) == ["报告-2.txt", "报告.txt"]
    assert len(qa.data.docs) == 3
    assert kept_path(index / "uploads", first) == index / "uploads" / "报告.txt"  # the same bytes again: same file
    # a name is only ever a bare file name inside the uploads folder
    assert kept_path(index / "uploads", Path("/tmp/x/../../etc/passwd.txt")).parent == index / "uploads"


def test_a_second_writer_is_refused_while_one_holds_the_index(tmp_path: Path) -> None:
    """An ingest, a removal or an upload while another process writes the index: refused with who
    holds it, nothing changed; once the holder is gone (even killed) the next write goes through."""
    from qa.index.store import LOCK_FILE, IndexBusy
    from qa.interfaces.uploads import index_upload

    index = tmp_path / "index"
    ingest([_folder(tmp_path, SEED)], index, HASH, HashEmbedder())
    before = (index / "manifest.json").read_text()
    with lock_held_elsewhere(index) as holder:  # another process takes the lock and keeps it
        with pytest.raises(IndexBusy, match=rf"being written by pid {holder.pid} "):
            ingest([_folder(tmp_path, SEED, FENGLIN)], index, HASH, HashEmbedder())
        with pytest.raises(IndexBusy):
            remove(index, [str(next(iter(load(index).docs)))])
        good = tmp_path / FENGLIN.name
        good.write_bytes(FENGLIN.read_bytes())
        said = index_upload(ReportQA(index, embedder=HashEmbedder()), good)
        assert (
            said.startswith(f"{FENGLIN.name}: 索引正在被另一个进程写入")
            and not (index / "uploads" / good.name).exists()
        )
        assert (index / "manifest.json").read_text() == before
        assert main(["ingest", str(_folder(tmp_path, SEED, FENGLIN)), "--index", str(index), "--model", "hash"]) == 2
    outcome = ingest([_folder(tmp_path, SEED, FENGLIN)], index, HASH, HashEmbedder())
    assert outcome.data is not None and len(outcome.data.docs) == 2 and (index / LOCK_FILE).is_file()


@pytest.mark.slow
def test_kills_at_random_moments_leave_the_index_old_or_new_never_broken() -> None:
    """A few seeded random kill points in `make test`; `python -m qatools.killtest --runs 50` is the
    long run (README)."""
    from qatools.killtest import run_kills

    kills = run_kills(6, seed=3)
    assert kills.broken == [] and kills.old + kills.new == 6, kills.summary()
    assert len(kills.delays) == 6 and kills.whole_ingest_s > 0
