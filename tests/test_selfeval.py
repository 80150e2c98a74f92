"""项目支出绩效自评表 read by its template (qa/ingest/selfeval.py), on real self-evaluation tables."""

from __future__ import annotations

from pathlib import Path

from qa.api import ReportQA
from qa.ingest.facts import extract_facts
from qa.ingest.load import load_file
from qa.ingest.selfeval import repeated, selfeval_facts, split_points
from qa.records import Fact

DOCS = Path(__file__).parent / "data" / "real" / "docs"


def rows(name: str) -> dict[tuple[str, str], str]:
    """(label, column) → the figure as an auditor reads it, for the named real report."""
    doc = load_file(DOCS / name)
    facts = selfeval_facts(doc, "2022")
    for f in facts:
        assert doc.text[f.start : f.end] == f.raw  # every figure is a span of the report
    return {(f.label, f.column): f.display for f in facts}


def test_glued_cells_split_where_the_target_was_met() -> None:
    # "项目计划总投资1020万元20万元10": 分值 10, 年度指标值 20万元, 全年实际值 20万元, 得分 10
    got = rows("d_01.txt")
    assert got[("项目计划总投资", "年度指标值")] == got[("项目计划总投资", "实际完成值")] == "20万元"
    assert got[("项目计划总投资", "分值")] == "10分"
    assert got[("安装坡面水标尺", "年度指标值")] == "≥266米"  # the comparator stays with the figure
    assert got[("项目(工程)验收合格率", "得分")] == "20分"
    # "年度资金总额:202010100.00%10": 全年预算数 20, 全年执行数 20, 分值 10, 执行率 100.00%, 得分 10
    assert got[("年度资金总额", "全年执行数")] == "20万元" and got[("年度资金总额", "执行率")] == "100.00%"
    assert got[("总分", "得分")] == "100分"


def test_glued_cells_of_an_ocr_page_without_a_readable_header() -> None:
    # "考值参分" (OCR for 分值): the 分值 glued before most targets says the template
    got = rows("f_05.txt")
    assert got[("保障人数", "实际完成值")] == "2370人"
    assert got[("办公所需成本", "分值")] == "4分" and got[("办公所需成本", "年度指标值")] == "15万元"
    assert ("绿化、水电费等成本", "实际完成值") not in got  # "3M.8万元14.8万元": not split, not guessed


def test_pipe_cells_with_rowspans_are_read_by_the_template() -> None:
    got = rows("d_03.txt")
    # "| 质量指标 | 营养改善计划覆盖率 | ≧ | 100 | % | 100% | 10 | 10 |": the name is not the first cell
    assert got[("营养改善计划覆盖率", "年度指标值")] == "100%"
    assert got[("政策知晓率", "实际完成值")] == "98%" and got[("政策知晓率", "得分")] == "9分"
    assert got[("学生受资助人数", "实际完成值")] == "735人次"  # the unit cell after the target
    # "| 387664.62 | 387664.62 | 10 | 100% | 10 |" under six columns: 年初预算数 is the blank one
    assert got[("年度资金总额", "全年执行数")] == "387664.62元" and got[("年度资金总额", "得分")] == "10分"
    assert got[("其中:当年财政拨款", "全年预算数")] == "387664.62元"
    assert got[("总分", "分值")] == "100分" and got[("总分", "得分")] == "96分"


def test_the_older_template_without_a_weight_column() -> None:
    # 年初目标值(A) | 实际完成值(B) | 得分, the unit in the name ("带动贫困户(人)")
    got = rows("d_07.txt")
    assert got[("带动贫困户(人)", "年度指标值")] == "11442人" and got[("带动贫困户(人)", "实际完成值")] == "4164人"
    assert got[("总分", "得分")] == "71.7分"
    assert got[("年度财政资金总额", "全年执行数")] == "94万元"
    assert ("年度财政资金总额", "执行率") not in got  # "0.1" is a ratio, not 0.1%


def test_the_template_reading_replaces_the_generic_one() -> None:
    doc = load_file(DOCS / "d_01.txt")
    facts: list[Fact] = extract_facts(doc, [])  # no chunks: only the check that nothing overlaps matters
    assert not facts
    from qa.ingest.chunk import chunk_document

    chunks = chunk_document(doc)
    raws = {f.raw for f in extract_facts(doc, chunks)}
    assert "1020万元" not in raws and "20100%" not in raws  # glued cells no longer read as one number


def test_digit_splits_are_taken_only_when_unambiguous() -> None:
    assert split_points("1010") == ("10", "10") and split_points("109") == ("10", "9")
    assert split_points("55") == ("5", "5")
    assert split_points("1") is None and split_points("010") is None
    assert repeated("202010", 2) == "20" and repeated("64.864.864.8", 3) == "64.8"
    assert repeated("2010", 2) is None


def test_answers_from_self_evaluation_tables(real_hash_qa: ReportQA) -> None:
    def cited(question: str) -> tuple[str | None, str | None]:
        a = real_hash_qa.ask(question)
        return a.answer, Path(a.sources[0].path).name if a.found and a.sources else None

    assert cited("永德明朗中学营养改善计划的资金到位及时率得了几分？") == ("7分", "d_03.txt")
    assert cited("明朗中学营养改善计划政策知晓率实际完成值是多少？") == ("98%", "d_03.txt")
    assert cited("2022年中江县水利局水标尺项目的预算执行率是多少？") == ("100.00%", "d_01.txt")
    # the project's name (营养改善计划) is not a 计划 (target) qualifier, nor the row asked
    assert cited("临沧永德明朗中学营养改善计划绩效自评一共打了多少分？") == ("96分", "d_03.txt")


def test_a_department_table_with_the_rate_as_the_anchor_and_unitless_counts() -> None:
    # "年度资金总额 | 329.77 | 329.77 | 338.31 | 10 | 102.59% |": 得分 is the blank one, found by the rate
    got = rows("h_03.txt")
    assert got[("年度资金总额", "年初预算数")] == "329.77万元" and got[("年度资金总额", "全年执行数")] == "338.31万元"
    assert got[("年度资金总额", "执行率")] == "102.59%" and ("年度资金总额", "得分") not in got
    # "指标2:建设美丽宜居自然村庄数量 | ≥200 | 202": a count printed without a unit, its comparator kept
    assert got[("建设美丽宜居自然村庄数量", "年度指标值")] == "≥200"
    assert got[("建设美丽宜居自然村庄数量", "实际完成值")] == "202"


def test_targets_are_not_answered_by_points_nor_by_the_year(real_hash_qa: ReportQA) -> None:
    # 202 is not "stated" by 2023年; the row's 得分 (10分) is not its target
    a = real_hash_qa.ask("金寨县茶谷和美丽乡村建设服务中心2023年建设美丽宜居自然村庄数量的实际完成值是多少?")
    assert a.answer == "202"
    b = real_hash_qa.ask("金寨县茶谷和美丽乡村建设服务中心2023年新建省级中心村数量的年度指标值是多少?")
    assert b.answer in ("≥10", None)  # never the 10分 the row earned (the fake embedder may not retrieve it)
    assert not b.found or b.sources[0].text.find("≥10") >= 0


def test_a_table_reports_on_its_projects_year_not_the_pages() -> None:
    # published 2022-08-03, "项目名称 | 2019年新型农业经营主体扶持项目": the figures are 2019's
    doc = load_file(DOCS / "d_07.txt")
    assert {f.year for f in selfeval_facts(doc, "2022")} == {"2019"}
    assert {f.year for f in selfeval_facts(load_file(DOCS / "h_03.txt"), None)} == {"2023"}  # "(2023年度)"


def test_a_row_retrieval_missed_is_still_weighed_and_a_lookalike_row_not_given(real_hash_qa: ReportQA) -> None:
    # "扶持发展新型农业经营主体 (个) |" and its cells "15 | 6 | 8.0" stand on two lines; the row
    # "新型经营主体实现产值(%)" shares words with the question but is another indicator
    a = real_hash_qa.ask("施甸县2019年新型农业经营主体扶持项目扶持发展新型农业经营主体实际完成值是多少？")
    assert a.answer in ("6个", None)
