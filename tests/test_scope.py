"""Scope a user picks (--dept/--year/--doc), a report's own year by default, and questions across reports."""

from __future__ import annotations

import json

import pytest

from qa.answering.context import Filters
from qa.answering.intent import read_question
from qa.api import ReportQA
from qa.interfaces.cli import format_answer

pytestmark = pytest.mark.model  # corpus_qa: the seed and six reports, indexed with the offline model


def test_filters_pick_the_reports(corpus_qa: ReportQA) -> None:
    answer = corpus_qa.ask("公务接待费多少", filters=Filters(department="卫健局"))
    assert answer.answer == "4.41万元"  # the 2019 report's own year, not its 2018 comparison (5.37万元)
    assert "云岭县卫生健康局" in answer.sources[0].title
    answer = corpus_qa.ask("公务接待费多少", filters=Filters(year="2021"))
    assert answer.answer == "4.29万元" and "澧江市" in answer.sources[0].title
    seed = next(d for d in corpus_qa.data.docs.values() if "冷水滩" in d.title)
    assert corpus_qa.ask("公务接待费多少", filters=Filters(doc=seed.doc_id)).answer == "2.97万元"
    none = corpus_qa.ask("公务接待费多少", filters=Filters(department="卫健局", year="2018"))
    assert not none.found and "没有符合所选范围（部门：卫健局，年份：2018）的报告" in none.message


def test_without_a_pick_an_unscoped_question_over_many_reports_is_declined(corpus_qa: ReportQA) -> None:
    assert not corpus_qa.ask("公务接待费多少").found  # six reports print six different figures


def test_year_ranges_and_across_words() -> None:
    q = read_question("2017到2019年公务用车运行费变化")
    assert q.years == ("2017", "2018", "2019") and q.across
    assert read_question("2017年至2019年三公经费").years == ("2017", "2018", "2019")
    assert read_question("各部门公务接待费对比").across
    assert not read_question("园区升级会战专项资金每年安排多少").across
    assert not read_question("2019年公务接待费比2018年增加多少").across


def test_a_question_across_reports_lists_each_reports_figure(corpus_qa: ReportQA) -> None:
    answer = corpus_qa.ask("各部门公务接待费对比")
    rows = {(r.department, r.year): r.answer for r in answer.rows}
    assert rows[("冷水滩高科园", "2018")] == "2.97万元"
    assert rows[("云岭县卫生健康局", "2019")] == "4.41万元"
    assert rows[("澧江市生态环境局", "2021")] == "4.29万元"
    for row in answer.rows:  # every figure cites its own report, at offsets that slice it
        doc = corpus_qa.data.docs[row.doc_id]
        assert row.source.doc_id == row.doc_id
        assert doc.text[row.source.start : row.source.end] in row.answer or row.derived
    assert json.loads(json.dumps(answer.to_json(), ensure_ascii=False))["rows"][0]["source"]["doc_id"]
    text = format_answer(answer)
    assert "逐份报告列出" in text and "冷水滩高科园 2018年：2.97万元" in text


def test_a_listing_by_year_range_keeps_to_the_range(corpus_qa: ReportQA) -> None:
    answer = corpus_qa.ask("2019到2020年公务接待费变化")
    assert {r.year for r in answer.rows} <= {"2019", "2020"} and len(answer.rows) >= 2


def test_a_derived_figure_in_a_listing_is_marked(corpus_qa: ReportQA) -> None:
    answer = corpus_qa.ask("各部门三公经费分别是多少")
    seed_row = next(r for r in answer.rows if r.department == "冷水滩高科园")
    assert seed_row.answer == "5.85万元" and seed_row.derived and "2.97万元" in seed_row.derived


@pytest.mark.parametrize("dept", ["卫生健康局", "云岭县卫生健康局", "卫健局"])
def test_department_names_and_short_forms(corpus_qa: ReportQA, dept: str) -> None:
    assert corpus_qa.ask("人员经费是多少", filters=Filters(department=dept)).answer == "912.48万元"
