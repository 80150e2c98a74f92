"""The seed dev set: its own sanity, and the retrieval floor the issue sets (recall@3 ≥ 0.95)."""

from __future__ import annotations

import json

import pytest

from qa.interfaces.cli import main
from qa.quality.evaluate import evaluate, read_questions, same_figure

from .conftest import DEV_REPORTS, DEV_SEED, REPORTS, SEED


def test_dev_set_is_well_formed() -> None:
    text = SEED.read_text(encoding="utf-8")
    rows = [json.loads(line) for line in DEV_SEED.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) >= 40
    assert sum(r["kind"] == "paraphrase" for r in rows) / len(rows) >= 0.4
    assert len({r["id"] for r in rows}) == len(rows)
    for r in rows:
        if r["answer"] is not None:
            assert r["answer"] in text and r["evidence"] in text


def test_same_figure_normalises_units() -> None:
    assert same_figure("2.97万元", "29700元")
    assert same_figure(None, None)
    assert not same_figure("2.97万元", "2.97元")
    assert not same_figure(None, "2.97万元")
    assert not same_figure("65批", "65人次")
    assert same_figure("7分", "7") and same_figure("1,599个", "1,599")  # a bare cell: the unit is ours
    assert not same_figure("10分", "7") and not same_figure(None, "7")
    assert same_figure("20000平方米", "约20000平方米") and same_figure("10个", "≥10")  # the figure as printed


def test_an_empty_gold_answer_is_an_unanswerable_question(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A question file that says "not in the reports" with "" counts the question as unanswerable, as null does."""
    path = tmp_path / "q.jsonl"
    rows = [{"id": "1", "question": "出国费多少", "answer": ""}, {"id": "2", "question": "接待费", "answer": None}]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    assert [q.answer for q in read_questions(path)] == [None, None]


@pytest.mark.model
def test_dev_set_retrieval_and_answers(model_qa) -> None:  # type: ignore[no-untyped-def]
    report = evaluate(model_qa, read_questions(DEV_SEED))
    s = report.summary()
    assert s["recall@3"] >= 0.95, s
    assert s["offsets_exact"] == 1.0, s
    assert s["declined_share"] == 1.0, s
    # Floors at the figures measured when this test was written (README "Measured"); the
    # fact-engine issue's targets (95% exact, 99% precision) are higher and not met yet.
    assert s["exact_accuracy"] >= 0.86, s
    assert s["precision_of_given_figures"] >= 0.98, s


def test_report_dev_set_is_well_formed() -> None:
    from qa.ingest.load import load_file

    files = [SEED, *REPORTS.glob("*.txt")]
    texts = {p.name: load_file(p).text for p in files}
    rows = [json.loads(line) for line in DEV_REPORTS.read_text(encoding="utf-8").splitlines() if line.strip()]
    kinds = [r["kind"] for r in rows]
    assert len(rows) >= 120
    assert kinds.count("unanswerable") >= 10 and kinds.count("derived") >= 10 and kinds.count("scoped") >= 15
    assert kinds.count("paraphrase") / len(rows) >= 0.3
    for r in rows:
        if r["answer"] is not None and r["kind"] != "derived":
            assert r["answer"] in texts[r["doc"]], r["id"]


@pytest.mark.model
def test_report_dev_set_floors(corpus_qa) -> None:  # type: ignore[no-untyped-def]
    s = evaluate(corpus_qa, read_questions(DEV_REPORTS)).summary()
    assert s["offsets_exact"] == 1.0, s
    assert s["declined_share"] >= 0.9, s
    assert s["recall@3"] >= 0.9, s
    # the fact-engine issue's targets; measured 0.960 exact and 0.990 precision (199 of 201) with the real model
    assert s["exact_accuracy"] >= 0.95, s
    assert s["precision_of_given_figures"] >= 0.99, s


@pytest.mark.model
def test_eval_command_prints_figures(model_index, capsys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out_json = tmp_path / "report.json"
    assert main(["eval", str(DEV_SEED), "--index", str(model_index), "--report", str(out_json)]) == 0
    out = capsys.readouterr().out
    for field in ("exact-answer accuracy", "recall@1", "recall@3", "latency ms p50"):
        assert field in out
    assert json.loads(out_json.read_text())["summary"]["questions"] >= 40


def test_baseline_scores_a_plain_top_passage(hash_qa) -> None:  # type: ignore[no-untyped-def]
    from qa.quality.evaluate import Question, evaluate_baseline

    questions = [
        Question("a", "公务接待费多少", "2.97万元", None),
        Question("b", "人员经费是多少", "715.98万元", None),
        Question("c", "会议费多少", None, None),
    ]
    result = evaluate_baseline(hash_qa, questions, "bm25")
    assert result["top_passage_has_gold"] == 1.0  # both literal questions hit their passage
    assert result["accuracy_all_questions"] == round(2 / 3, 4)  # a retriever cannot decline
