"""The fact engine on a report written here with known figures: table cells with header
units, qualifiers, years, labels, and questions scoped by department and year."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from qa.api import ReportQA
from qa.index.embed import HashEmbedder
from qa.index.store import build, save
from qa.ingest.chunk import chunk_document
from qa.ingest.facts import extract_facts
from qa.records import Answer, Document, Fact

REPORT = """某县教育局2019年度部门决算说明
一、收入支出决算总体情况
2019年度收入总计2,345.60万元，与2018年度相比增加120.50万元，增长5.42%。
二、“三公”经费情况
2019年度“三公”经费预算8.00万元，决算6.50万元，比预算减少1.50万元；比上年决算7.20万元减少0.70万元，下降9.72%。
1、公务接待费：2.10万元，共接待21批次150人次。
2、公务用车购置及运行维护费4.40万元（2018年为5.00万元），其中：公务用车购置费0元，公务用车运行维护费4.40万元。
3、因公出国（境）费用0元。
预算执行率未达100%，主要是部分项目年底才完成招标。
表1 “三公”经费支出情况表（单位：万元）
项目\t年初预算数\t决算数\t增减
公务接待费\t2.50\t2.10\t-0.40
公务用车运行维护费  4.50  4.40  -0.10
项目名称\t年度预算数(万元)\t执行数(万元)\t执行率
校舍维修\t100\t95.5\t95.5%
以上数据来自财务决算系统，经单位负责人审核后报送县财政局，并在县政府门户网站公开。
"""
OTHER = """某县卫生健康局2020年度部门整体支出绩效自评报告
一、“三公”经费
2020年公务接待费3.30万元，共接待40批次260人次。
2020年“三公”经费支出9.36万元，比上年减少3.05万元，下降24.58%。
"""


def make(doc_id: str, text: str) -> Document:
    return Document(
        doc_id=doc_id, path=f"{doc_id}.txt", title=text.split("\n")[0], text=text, sha256=doc_id * 8, encoding="utf-8"
    )


@pytest.fixture(scope="module")
def facts() -> list[Fact]:
    doc = make("edu", REPORT)
    return extract_facts(doc, chunk_document(doc))


def find(facts: list[Fact], raw: str, nth: int = 0) -> Fact:
    return [f for f in facts if f.raw == raw][nth]


def test_every_span_is_exact(facts: list[Fact]) -> None:
    for fact in facts:
        assert REPORT[fact.start : fact.end] == fact.raw


def test_comparison_year_is_not_the_figures_year(facts: list[Fact]) -> None:
    change = find(facts, "120.50万元")
    assert change.year == "2019" and "比上年" in change.qualifiers and "增长" in change.qualifiers


def test_budget_actual_and_changes(facts: list[Fact]) -> None:
    assert find(facts, "8.00万元").qualifiers == ("预算",)
    assert "决算" in find(facts, "6.50万元").qualifiers
    budget_gap = find(facts, "1.50万元")
    assert "比预算" in budget_gap.qualifiers and "比上年" not in budget_gap.qualifiers
    last_year = find(facts, "7.20万元")  # after "；" the subject carries on
    assert "三公" in last_year.label and "上年" in last_year.qualifiers and last_year.year == "2018"


def test_colon_and_parenthesis_labels(facts: list[Fact]) -> None:
    assert find(facts, "2.10万元").label == "公务接待费"
    aside = find(facts, "5.00万元")
    assert aside.label.startswith("公务用车购置及运行维护费") and aside.year == "2018"
    assert find(facts, "21批次").year == "2019"  # the year inside the closed aside does not leak


def test_threshold_is_marked(facts: list[Fact]) -> None:
    assert "阈值" in find(facts, "100%").qualifiers


def test_table_cells_take_header_units(facts: list[Fact]) -> None:
    cell = next(f for f in facts if f.raw == "2.50")
    assert (cell.label, cell.column, cell.unit, cell.display) == ("公务接待费", "年初预算数", "万元", "2.50万元")
    assert cell.qualifiers == ("预算",) and cell.unit_source == "header"
    spaced = next(f for f in facts if f.raw == "4.50")
    assert spaced.label == "公务用车运行维护费" and spaced.unit == "万元"
    own = next(f for f in facts if f.raw == "95.5" and f.column.startswith("执行数"))
    assert own.unit == "万元" and "实际" in own.qualifiers
    rate = next(f for f in facts if f.raw == "95.5%")
    assert rate.column == "执行率" and rate.unit == "%" and rate.norm_value == Decimal("95.5")


@pytest.fixture(scope="module")
def qa(tmp_path_factory: pytest.TempPathFactory) -> ReportQA:
    folder: Path = tmp_path_factory.mktemp("engine")
    save(folder, build([make("edu", REPORT), make("hea", OTHER)], HashEmbedder()))
    return ReportQA(folder, embedder=HashEmbedder())


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("某县教育局2019年公务接待费多少", "2.10万元"),
        ("某县卫生健康局2020年公务接待费多少", "3.30万元"),
        ("教育局2019年公务接待费年初预算数", "2.50万元"),
        ("教育局2019年三公经费预算是多少", "8.00万元"),
        ("教育局2019年三公经费决算", "6.50万元"),
        ("教育局2018年三公经费决算是多少", "7.20万元"),
        ("教育局2019年三公经费比上年减少了多少", "0.70万元"),
        ("教育局三公经费比预算节约了多少", "1.50万元"),
        ("卫健局2020年接待了多少批次", "40批次"),
    ],
)
def test_scoped_questions(qa: ReportQA, question: str, answer: str) -> None:
    assert qa.ask(question).answer == answer


@pytest.mark.parametrize(
    "question", ["某县农业农村局2019年公务接待费多少", "教育局2021年公务接待费多少", "卫健局2020年会议费多少"]
)
def test_out_of_scope_is_declined(qa: ReportQA, question: str) -> None:
    answer = qa.ask(question)
    assert not answer.found and answer.passages


def test_change_question_never_answered_with_the_amount(qa: ReportQA) -> None:
    answer = qa.ask("卫健局2020年公务接待费比上年增加了多少")
    assert answer.answer != "3.30万元"


def test_last_years_figure_from_this_year_and_the_change(qa: ReportQA) -> None:
    answer = qa.ask("卫健局2019年三公经费是多少")
    assert answer.answer == "12.41万元"
    assert answer.derived == "三公经费上年 = 9.36万元 + 3.05万元 = 12.41万元"


def test_decrease_between_two_printed_years(qa: ReportQA) -> None:
    answer = qa.ask("教育局2019年公务用车购置及运行维护费比上年少花了多少")
    assert answer.answer == "0.60万元"
    assert answer.derived is not None and "5.00万元 − 4.40万元" in answer.derived


PROJECT = """2020年度某县农业农村局部门整体支出绩效自评报告
一、部门预算情况
2020年部门年初预算1,856.30万元，年中追加后调整后预算2,402.16万元。
二、项目情况
对种植面积50亩以上的种粮大户按每亩40元发放稻谷生产补贴，共发放38万元。
中央补助资金600,000.00元，省级补助资金300,000.00元，县本级配套资金300,000.00元。
三、“三公”经费
2020年公务用车购置及运行维护费2.88万元，公务接待费1.20万元。
2021年，我局将加强预算管理，“三公”经费预算安排按照只减不增的原则，控制在10.00万元以内。
四、绩效情况
计划完成送戏下乡演出200场，实际完成送戏下乡演出216场，观看演出群众13.4万人次。
立案查处各类违法案件156件，局机关内设科室8个。
空气质量优良天数比例91.2%，较上年提高1.8个百分点。
"""


@pytest.fixture(scope="module")
def project_qa(tmp_path_factory: pytest.TempPathFactory) -> ReportQA:
    folder: Path = tmp_path_factory.mktemp("project")
    save(folder, build([make("agr", PROJECT)], HashEmbedder()))
    return ReportQA(folder, embedder=HashEmbedder())


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("2020年年初安排了多少预算", "1,856.30万元"),
        ("2020年年中追加以后预算一共是多少", "2,402.16万元"),
        ("2021年三公经费最多打算花多少", "10.00万元"),  # "…，控制在10.00万元": the subject is clauses back
        ("2020年立了多少个违法案子", "156件"),  # 个 counts anything
        ("2020年空气好的天数占比多少", "91.2%"),
        ("2020年大概有多少人看演出", "13.4万人次"),
    ],
)
def test_budget_questions(project_qa: ReportQA, question: str, answer: str) -> None:
    assert project_qa.ask(question).answer == answer


def test_a_rate_per_mu_does_not_answer_how_much_was_paid(project_qa: ReportQA) -> None:
    answer = project_qa.ask("给种粮大户的稻谷补贴发了多少")
    assert answer.answer in (None, "38万元")  # "共发放38万元" names nothing itself; never the 40元 per 亩
    if answer.answer is None:
        assert any("共发放38万元" in hit.chunk.text for hit in answer.passages[:3])


def cited(answer: Answer) -> list[str]:
    """The figures a computed answer cites, as printed in their sentences."""
    return [s.text[s.start - s.sentence_start : s.end - s.sentence_start] for s in answer.sources]


def test_a_total_of_two_parts_is_computed_not_one_part(project_qa: ReportQA) -> None:
    answer = project_qa.ask("中央和省级补助合计多少")
    assert answer.answer == "900000.00元" and answer.derived
    assert cited(answer) == ["600,000.00元", "300,000.00元"]


def test_a_wider_item_does_not_answer_a_narrower_one(project_qa: ReportQA) -> None:
    assert not project_qa.ask("公务用车购置费是多少").found  # only 购置及运行维护费 is printed


def test_actual_against_target_is_computed_from_both_figures(project_qa: ReportQA) -> None:
    answer = project_qa.ask("2020年实际演出比目标多了几场")
    assert answer.answer == "16场" and answer.derived
    assert cited(answer) == ["216场", "200场"]


def test_an_organisation_no_report_is_about_is_declined(project_qa: ReportQA) -> None:
    answer = project_qa.ask("2020年某县应急管理局公务接待费多少")
    assert not answer.found and "应急管理局" in answer.message
