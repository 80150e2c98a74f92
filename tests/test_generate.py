"""The report generator: deterministic bytes, a truth file that matches the reports, questions
whose gold answers stand in their documents, and an end-to-end run through ingest and eval."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from qa.api import ReportQA
from qa.index.embed import HashEmbedder
from qa.index.store import build, save
from qa.ingest.load import decode, load_paths, normalise_newlines
from qa.quality.evaluate import evaluate, read_questions
from qatools.generate import DEPARTMENTS, STEMS, GeneratedCorpus, plan, write_corpus

SCALE = {"元": Decimal(1), "万元": Decimal(10000), "亿元": Decimal(100000000)}


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(path.relative_to(folder).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def texts(corpus: GeneratedCorpus) -> dict[str, str]:
    """Each report as the product reads it: decoded, BOM dropped, CRLF → LF."""
    return {name: normalise_newlines(decode((corpus.reports_dir / name).read_bytes())[0]) for name in corpus.files}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> GeneratedCorpus:
    return write_corpus(tmp_path_factory.mktemp("gen") / "corpus", 40, seed=7)


def test_same_seed_same_bytes_other_seed_other_corpus(tmp_path: Path) -> None:
    a = write_corpus(tmp_path / "a", 12, seed=3)
    b = write_corpus(tmp_path / "b", 12, seed=3)
    c = write_corpus(tmp_path / "c", 12, seed=4)
    assert digest(a.folder) == digest(b.folder)
    assert a.files == b.files and a.questions == b.questions
    assert digest(a.folder) != digest(c.folder)
    assert set(a.files) != set(c.files)


def test_rewriting_a_corpus_folder_replaces_it(tmp_path: Path) -> None:
    first = write_corpus(tmp_path / "out", 9, seed=1)
    again = write_corpus(tmp_path / "out", 5, seed=2)
    assert sorted(p.name for p in again.reports_dir.iterdir()) == sorted(again.files)
    assert len(rows(again.truth_file)) == 5 and first.reports == 9
    (again.reports_dir / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(FileExistsError):
        write_corpus(tmp_path / "out", 3, seed=3)


def test_corpus_spread(corpus: GeneratedCorpus) -> None:
    truth = rows(corpus.truth_file)
    assert corpus.reports == len(truth) == len(corpus.files) == 40
    assert corpus.departments >= 6 and len(corpus.years) >= 3
    assert {t["report_type"] for t in truth} == {"部门整体支出绩效自评报告", "部门决算说明", "三公经费说明"}
    assert len({t["place"] for t in truth}) >= 6
    assert len({(t["organisation"], t["year"]) for t in truth}) == len(truth)  # one report per department-year
    # within the plan of a larger corpus: every department and year, places never reused as stems
    slots = plan(500, seed=0)
    assert {s.dept.name for s in slots} == {d.name for d in DEPARTMENTS}
    assert len({(s.place.name, s.dept.name, s.year) for s in slots}) == 500
    stems = {s.place.short[:-1] for s in slots}
    assert stems <= set(STEMS) and "云岭" not in STEMS and "湘源" not in STEMS


def test_every_truth_figure_is_printed_and_identities_hold(corpus: GeneratedCorpus) -> None:
    reports = texts(corpus)
    for t in rows(corpus.truth_file):
        text = reports[t["file"]]
        assert t["title"] == text.splitlines()[0]
        for fig in t["figures"]:
            assert fig["text"] in text, (t["file"], fig)
        # the same item, stage and year is the same amount wherever and in whatever unit it is printed
        seen: dict[tuple[str, str, int], Decimal] = {}
        actual: dict[str, Decimal] = {}
        for fig in t["figures"]:
            if fig["unit"] not in SCALE:
                continue
            value = Decimal(fig["value"]) * SCALE[fig["unit"]]
            slot = (fig["key"], fig["stage"], fig["year"])
            assert seen.setdefault(slot, value) == value, (t["file"], fig)
            if fig["stage"] == "决算" and fig["year"] == t["year"]:
                actual.setdefault(fig["key"], value)
        for lhs, parts in (
            ("整体支出", ("基本支出", "项目支出")),
            ("基本支出", ("人员经费", "日常公用经费")),
            ("三公经费", ("因公出国（境）费", "公务用车购置及运行维护费", "公务接待费")),
            ("公务用车购置及运行维护费", ("公务用车购置费", "公务用车运行维护费")),
        ):
            if lhs in actual and all(p in actual for p in parts):
                assert actual[lhs] == sum(actual[p] for p in parts), (t["file"], lhs)
        assert all(i["holds"] for i in t["identities"])
    kinds = Counter(i["identity"].split(" =")[0] for t in rows(corpus.truth_file) for i in t["identities"])
    assert kinds["整体支出"] >= 20 and kinds["基本支出"] >= 20 and kinds["三公经费"] >= 5


def test_questions_point_at_their_documents(corpus: GeneratedCorpus) -> None:
    reports = texts(corpus)
    questions = rows(corpus.questions_file)
    assert len(questions) == corpus.questions == 4 * corpus.reports
    assert len({q["id"] for q in questions}) == len(questions)
    kinds = Counter(q["kind"] for q in questions)
    assert set(kinds) == {"literal", "paraphrase", "scoped", "derived", "unanswerable"}
    assert 0.05 <= kinds["unanswerable"] / len(questions) <= 0.2
    assert kinds["derived"] >= 8 and sum(1 for q in questions if q.get("unit")) >= 8
    truth = {t["file"]: t for t in rows(corpus.truth_file)}
    for q in questions:
        if q["answer"] is None:
            assert q["doc"] is None and q["evidence"] is None
            continue
        text = reports[q["doc"]]
        assert q["evidence"] in text, q
        assert str(truth[q["doc"]]["year"] - 1) in q["question"] or str(truth[q["doc"]]["year"]) in q["question"], q
        if q["kind"] == "derived":
            assert q["answer"] not in q["inputs"] and q["formula"]
        else:
            assert q["answer"] in text, q
            assert q["answer"] in q["evidence"], q
        if q.get("unit"):
            assert not q["answer"].endswith(q["unit"])
    read_questions(corpus.questions_file)  # the evaluator reads the file


def test_encodings(corpus: GeneratedCorpus) -> None:
    truth = rows(corpus.truth_file)
    encodings = Counter(t["encoding"] for t in truth)
    assert encodings["gb18030"] >= 3 and encodings["utf-8"] >= 20
    for t in truth:
        data = (corpus.reports_dir / t["file"]).read_bytes()
        if t["encoding"] == "gb18030":
            with pytest.raises(UnicodeDecodeError):
                data.decode("utf-8")
            assert data.decode("gb18030").encode("gbk") == data  # plain GBK, as old tools write it
        elif t["encoding"] == "utf-8-sig":
            assert data.startswith(b"\xef\xbb\xbf")
        else:
            data.decode("utf-8")
    plain = write_corpus(corpus.folder.parent / "plain", 6, seed=7, encodings=False)
    assert {t["encoding"] for t in rows(plain.truth_file)} == {"utf-8"}


def test_ingest_and_evaluate_a_generated_corpus(tmp_path: Path) -> None:
    """End to end with the fake embedder; the floors sit a little under what was measured
    (8 reports, seed 11: exact 0.8125, precision 1.0 of 22 answered, 4/4 unanswerable declined).
    A 30-report corpus scores lower (0.675 / 0.88): more departments of one place to mix up."""
    generated = write_corpus(tmp_path / "gen", 8, seed=11)
    docs, skipped = load_paths([generated.reports_dir])
    assert not skipped and len(docs) == 8
    index = tmp_path / "index"
    save(index, build(docs, HashEmbedder()))
    qa = ReportQA(index, embedder=HashEmbedder())
    summary = evaluate(qa, read_questions(generated.questions_file)).summary()
    assert summary["questions"] == 32
    assert summary["offsets_exact"] == 1.0, summary
    assert summary["exact_accuracy"] >= 0.78, summary
    assert summary["precision_of_given_figures"] >= 0.95, summary
    assert summary["declined_share"] >= 0.75, summary
