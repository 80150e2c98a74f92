"""Computed answers (labelled, every input cited) and the identity checks, on the seed and on
a small report written here with one identity broken on purpose."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from qa.answering.check import check_facts
from qa.api import ReportQA
from qa.index.embed import HashEmbedder
from qa.index.store import build, save
from qa.ingest.chunk import chunk_document
from qa.ingest.facts import extract_facts
from qa.interfaces.cli import main
from qa.records import Document

BROKEN = """2019年度某县教育局部门整体支出绩效自评报告
一、部门整体支出情况
2019年部门整体支出为1200.50万元，其中基本支出为800.20万元、项目支出为400.31万元。
2019年基本支出800.20万元，其中人员经费为700.00万元、日常公用经费为100.20万元。
二、“三公”经费情况
因公出国（境）费用0元，公务用车购置及运行维护费3.50万元，公务接待费1.25万元。
"""


def doc_of(text: str) -> Document:
    return Document(
        doc_id="broken", path="broken.txt", title=text.split("\n")[0], text=text, sha256="0" * 64, encoding="utf-8"
    )


def test_seed_three_public_total_is_computed_and_cited(hash_qa: ReportQA) -> None:
    answer = hash_qa.ask("三公经费合计多少")
    assert answer.found and answer.answer == "5.85万元" and answer.value == Decimal("5.85")
    assert answer.derived == (
        "三公经费 = 因公出国（境）费用 0元 + 公务用车购置及运行费 2.88万元 + 公务接待费 2.97万元 = 5.85万元"
    )
    text = hash_qa.data.docs[answer.sources[0].doc_id].text
    assert [text[s.start : s.end] for s in answer.sources] == ["0元", "2.88万元", "2.97万元"]


def test_seed_share_is_computed(hash_qa: ReportQA) -> None:
    answer = hash_qa.ask("项目支出占总支出的比例是多少")
    assert answer.answer == "78.68%" and answer.unit == "%"
    assert answer.derived is not None and "2765.52万元 ÷ 3514.69万元" in answer.derived


def test_part_of_a_printed_total_is_not_answered_with_the_total(hash_qa: ReportQA) -> None:
    answer = hash_qa.ask("公务用车运行维护费多少")
    # the seed prints 公务用车购置及运行费 2.88万元 only: its 运行维护 part is not printed, so a decline
    assert not answer.found and answer.answer != "2.88万元"


def test_seed_identities_pass(seed_doc: Document) -> None:
    results = {r.identity: r for r in check_facts(extract_facts(seed_doc, chunk_document(seed_doc))) if not r.group}
    assert results["部门整体支出"].status == "pass"
    assert results["部门整体支出"].line() == (
        "部门整体支出 3514.69万元 = 基本支出 749.17万元 + 项目支出 2765.52万元  → 通过"
    )
    assert results["基本支出"].status == "pass"
    assert results["三公经费"].status == "not enough data"


def test_broken_identity_is_reported_with_difference_not_fixed() -> None:
    doc = doc_of(BROKEN)
    results = {r.identity: r for r in check_facts(extract_facts(doc, chunk_document(doc))) if not r.group}
    total = results["部门整体支出"]
    assert total.status == "fail" and total.difference == Decimal("-0.01") and total.unit == "万元"
    assert "相差 -0.01万元" in total.line()
    assert results["基本支出"].status == "pass"


def test_check_and_facts_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    save(tmp_path, build([doc_of(BROKEN)], HashEmbedder()))
    assert main(["check", "--index", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "部门整体支出 1200.50万元 = 基本支出 800.20万元 + 项目支出 400.31万元  → 不符：相差 -0.01万元" in out
    assert main(["facts", "--index", str(tmp_path), "--format", "csv"]) == 0
    csv_out = capsys.readouterr().out.splitlines()
    assert csv_out[0].startswith("doc_id,label,figure,raw,value,unit")
    assert any(",公务接待费,1.25万元,1.25万元,1.25,万元," in line for line in csv_out)
    assert main(["facts", "--index", str(tmp_path), "--doc", "nope"]) == 2
    err = capsys.readouterr().err
    assert "no document 'nope'" in err and "files: broken.txt" in err  # what may be named instead
    for named in ("broken", "broken.txt"):  # the id or the file name an auditor knows, as `ask --doc` takes
        assert main(["facts", "--index", str(tmp_path), "--doc", named]) == 0
        assert "公务接待费" in capsys.readouterr().out


SCOPES = """2018年度某县水利局部门决算说明
三、支出决算情况说明
2018年度本年支出合计12,108.67万元，其中：基本支出1,528.94万元，项目支出10,579.73万元。
六、一般公共预算财政拨款基本支出决算情况说明
2018年度一般公共预算财政拨款基本支出1,436.58万元，其中：
人员经费1,251.03万元，主要包括基本工资、津贴补贴、奖金、伙食补助费、绩效工资、机关事业单位基本养老保险缴费、职业年金缴费、其他社会保障缴费、退休费、抚恤金、生活补助、医疗费补助、住房公积金等。
日常公用经费185.55万元，主要包括办公费、印刷费、咨询费、手续费、水费、电费、邮电费、物业管理费、维修（护）费、专用材料费、劳务费、委托业务费、工会经费、福利费、其他商品和服务支出等。
"""


def test_parts_are_checked_against_the_total_they_follow() -> None:
    """All-funds 基本支出 and 财政拨款 基本支出 differ; the parts printed after the latter add up to it."""
    doc = doc_of(SCOPES)
    results = {r.identity: r for r in check_facts(extract_facts(doc, chunk_document(doc))) if not r.group}
    basic = results["基本支出"]
    assert basic.status == "pass" and basic.total is not None and basic.total.raw == "1,436.58万元"


def test_a_difference_of_two_items_is_computed_never_one_of_them(hash_qa: ReportQA) -> None:
    answer = hash_qa.ask("项目支出比基本支出多多少")
    assert (answer.answer, answer.derived is not None) == ("2016.35万元", True)
    assert sorted(s.text[s.start - s.sentence_start : s.end - s.sentence_start] for s in answer.sources) == [
        "2765.52万元",
        "749.17万元",
    ]
    assert hash_qa.ask("基本支出比项目支出少多少").answer == "2016.35万元"
    ratio = hash_qa.ask("项目支出比基本支出多几倍")  # a ratio: declined, not answered with an input
    assert not ratio.found and ratio.answer is None


def test_mixed_money_units_compute_in_the_larger_on_a_tie() -> None:
    from qa.answering.derive import combine

    doc = Document(
        doc_id="d",
        path="mem.txt",
        title="报告",
        text="公务接待费预算0.99万元。公务接待费支出9,200.00元。",
        sha256="0" * 64,
        encoding="utf-8",
    )
    budget, spent = extract_facts(doc, chunk_document(doc))
    derived = combine("差", [(1, budget, ""), (-1, spent, "")])
    assert derived is not None and derived.answer == "0.07万元"  # the same whatever the hash seed
