"""qa.ingest.facts: every figure of a report becomes a labelled Fact with exact spans."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qa.domain.numbers import find_figures
from qa.ingest.chunk import chunk_document
from qa.ingest.clauses import SENTENCE_MAX, clean_label, qualifiers_of, sentence_span
from qa.ingest.facts import extract_facts
from qa.ingest.load import load_file
from qa.records import Chunk, Document, Fact

SEED = Path(__file__).resolve().parents[1] / "corpus" / "2018年度冷水滩高科园部门整体支出绩效自评报告.txt"


@pytest.fixture(scope="module")
def seed() -> Document:
    return load_file(SEED)


@pytest.fixture(scope="module")
def seed_chunks(seed: Document) -> list[Chunk]:
    return chunk_document(seed)


@pytest.fixture(scope="module")
def seed_facts(seed: Document, seed_chunks: list[Chunk]) -> list[Fact]:
    return extract_facts(seed, seed_chunks)


def only(facts: list[Fact], raw: str) -> Fact:
    found = [f for f in facts if f.raw == raw]
    assert len(found) == 1, (raw, found)
    return found[0]


@pytest.mark.parametrize(
    ("raw", "label"),
    [
        ("2.97万元", "公务接待费"),
        ("715.98万元", "人员经费"),
        ("33.19万元", "日常公用经费"),
        ("3514.69万元", "部门整体支出"),
        ("86人", "人员编制数"),
        ("3台", "车辆编制数"),
    ],
)
def test_seed_labels_exact(seed_facts: list[Fact], raw: str, label: str) -> None:
    assert only(seed_facts, raw).label == label


@pytest.mark.parametrize(
    ("raw", "part"),
    [("2.88万元", "公务用车购置及运行费"), ("0元", "因公出国"), ("65批", "接待"), ("216人次", "接待")],
)
def test_seed_labels_contain(seed_facts: list[Fact], raw: str, part: str) -> None:
    assert part in only(seed_facts, raw).label


def test_seed_back_to_back_figures_share_label(seed_facts: list[Fact]) -> None:
    assert only(seed_facts, "65批").label == only(seed_facts, "216人次").label


def test_seed_values_and_units(seed_facts: list[Fact]) -> None:
    fact = only(seed_facts, "2.97万元")
    assert (fact.value, fact.unit, fact.norm_value, fact.norm_unit) == (Decimal("2.97"), "万元", Decimal(29700), "元")
    fact = only(seed_facts, "216人次")
    assert (fact.value, fact.unit, fact.norm_value, fact.norm_unit) == (Decimal(216), "人次", Decimal(216), "人次")
    fact = only(seed_facts, "14万平方米")
    assert (fact.norm_value, fact.norm_unit) == (Decimal(140000), "平方米")


def test_seed_every_figure_becomes_a_fact(seed: Document, seed_facts: list[Fact]) -> None:
    assert [(f.start, f.end) for f in seed_facts] == [(f.start, f.end) for f in find_figures(seed.text)]


def test_seed_spans_are_exact(seed: Document, seed_chunks: list[Chunk], seed_facts: list[Fact]) -> None:
    by_id = {c.chunk_id: c for c in seed_chunks}
    assert len(seed_facts) > 50
    for f in seed_facts:
        assert f.doc_id == seed.doc_id
        assert seed.text[f.start : f.end] == f.raw
        assert f.sentence_start <= f.start < f.end <= f.sentence_end
        assert f.raw in seed.text[f.sentence_start : f.sentence_end]
        c = by_id[f.chunk_id]
        assert c.start <= f.start and f.end <= c.end


def test_seed_sentence_of_reception_fee(seed: Document, seed_facts: list[Fact]) -> None:
    f = only(seed_facts, "2.97万元")
    assert seed.text[f.sentence_start : f.sentence_end] == "2、公务接待费2.97万元，共接待65批216人次；"


def test_facts_skip_chunks_of_other_documents(seed: Document, seed_chunks: list[Chunk]) -> None:
    foreign = [Chunk(c.chunk_id, "other", c.start, c.end, c.text, c.section) for c in seed_chunks]
    assert extract_facts(seed, foreign) == []


def test_label_after_when_nothing_before() -> None:
    text = "62名入党积极分子得到了培训。"
    doc = Document(doc_id="d", path="p", title="t", text=text, sha256="s", encoding="utf-8")
    [fact] = extract_facts(doc, chunk_document(doc))
    assert fact.raw == "62名"
    assert fact.label == "入党积极分子得到了培训"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("2、公务接待费", "公务接待费"),
        ("其中人员经费为", "人员经费"),
        ("2018年部门整体支出为", "部门整体支出"),
        ("（三）办公费共计", "办公费"),
        ("公务 接待 费", "公务接待费"),  # a PDF's letter-spaced cell
        ("事业     收入", "事业收入"),  # fold() blanks a mirror's pinyin: 事業(yè)收入
        ("Part A 接待费", "Part A 接待费"),  # spaces between words that are not Chinese stay
    ],
)
def test_clean_label(raw: str, clean: str) -> None:
    assert clean_label(raw) == clean


def test_sentence_span() -> None:
    text = "第一句。\n  公务接待费2.97万元，共接待65批；第三句"
    start = text.index("2.97")
    assert text[slice(*sentence_span(text, start, start + 6))] == "公务接待费2.97万元，共接待65批；"
    start = text.index("第三")
    assert sentence_span(text, start, start + 2) == (start, len(text))


# --- property -----------------------------------------------------------------------

ALPHABET = list("0123456789.,-，。；：、！？\n \u3000万元亿人次批%％３５．（）()①一二、")
ALPHABET += list("公务接待费其中为共计余多平方米个年月日")
texts = st.one_of(st.text(), st.text(alphabet=st.sampled_from(ALPHABET)))


@settings(max_examples=200, deadline=None)
@given(texts)
def test_property_extract_facts_on_random_text(text: str) -> None:
    doc = Document(doc_id="rand", path="rand.txt", title="标题", text=text, sha256="0" * 64, encoding="utf-8")
    chunks = chunk_document(doc)
    for c in chunks:
        assert text[c.start : c.end] == c.text
    facts = extract_facts(doc, chunks)
    for f in facts:
        assert text[f.start : f.end] == f.raw
        assert 0 <= f.sentence_start <= f.start < f.end <= f.sentence_end <= len(text)
        assert isinstance(f.label, str)


def test_an_empty_cell_in_a_pipe_row_keeps_the_columns_in_place() -> None:
    from qa.ingest.tables import table_facts

    text = "单位：万元\n项目 | 年初预算数 | 决算数\n公务接待费 | 2.00 | 2.05\n公务用车运行费 |  | 1.10\n"
    doc = Document(doc_id="t", path="t.txt", title="t", text=text, sha256="0" * 64, encoding="utf-8")
    facts = {(f.label, f.column): f for f in table_facts(doc, None)}
    assert facts[("公务用车运行费", "决算数")].raw == "1.10"
    assert ("公务用车运行费", "年初预算数") not in facts
    assert facts[("公务接待费", "年初预算数")].display == "2.00万元"
    one = facts[("公务用车运行费", "决算数")]
    assert text[one.start : one.end] == "1.10"


def test_a_cell_printing_its_own_unit_keeps_its_column() -> None:
    from qa.ingest.tables import table_facts

    text = "绩效指标\t年度指标值\t实际完成值\t分值\n演出场次\t200场\t216场\t20\n抽查合格率\t≥95%\t100%\t10\n"
    doc = Document(doc_id="t", path="t.txt", title="t", text=text, sha256="0" * 64, encoding="utf-8")
    facts = {(f.label, f.column): f for f in table_facts(doc, "2017")}
    assert facts[("演出场次", "实际完成值")].display == "216场"
    target = facts[("抽查合格率", "年度指标值")]
    assert target.raw == "95%" and text[target.start : target.end] == "95%"


def facts_of_text(title: str, text: str) -> dict[str, Fact]:
    doc = Document(doc_id="t", path="t.txt", title=title, text=text, sha256="0" * 64, encoding="utf-8")
    return {f.raw: f for f in extract_facts(doc, chunk_document(doc))}


def test_last_years_amount_in_an_aside_and_the_changes_after_it() -> None:
    facts = facts_of_text(
        "2020年度白沙区农业农村局部门整体支出绩效自评报告",
        "2020年“三公”经费年初预算8.00万元，实际支出5.62万元，较年初预算节约2.38万元；"
        "比上年（5.81万元）减少0.19万元，减少-3.27%。",
    )
    prior = facts["5.81万元"]
    assert (prior.label, prior.qualifiers, prior.year) == ("“三公”经费", ("上年",), "2019")
    assert facts["2.38万元"].label == "“三公”经费"  # 节约 is not "节" + 约 (about)
    assert "比预算" in facts["2.38万元"].qualifiers
    for raw in ("0.19万元", "-3.27%"):
        assert {"比上年", "下降"} <= set(facts[raw].qualifiers) and facts[raw].year == "2020"


def test_a_last_year_column_belongs_to_the_year_before_the_table() -> None:
    from qa.ingest.tables import table_facts

    text = (
        "表1 2021年“三公”经费支出表\n单位：万元\n项目 | 预算数 | 决算数 | 上年决算数\n公务接待费 | 5.00 | 4.29 | 4.95\n"
    )
    doc = Document(doc_id="t", path="t.txt", title="t", text=text, sha256="0" * 64, encoding="utf-8")
    years = {f.column: f.year for f in table_facts(doc, "2021")}
    assert years == {"预算数": "2021", "决算数": "2021", "上年决算数": "2020"}


def test_a_list_closed_by_deng_is_one_label_and_the_next_figure_is_not_glued_to_it() -> None:
    facts = facts_of_text(
        "2017年度翠泽县自然资源局部门决算", "共接待上级检查指导、兄弟县市考察交流等45批次150人次，均按规定标准执行。"
    )
    assert "接待" in facts["45批次"].label and "150" not in facts["45批次"].label


def test_a_rate_per_unit_is_marked() -> None:
    facts = facts_of_text(
        "2020年度白沙区农业农村局", "对种植面积50亩以上的种粮大户按每亩40元发放稻谷生产补贴，共发放38万元。"
    )
    assert "单价" in facts["40元"].qualifiers and "单价" not in facts["38万元"].qualifiers


def test_a_level_reached_is_not_a_change() -> None:
    assert not {"增长", "下降"} & set(qualifiers_of("计划将演出场次目标提高至"))
    assert not {"增长", "下降"} & set(qualifiers_of("公用经费压减到"))
    assert "增长" in qualifiers_of("比上年提高")
    assert {"下降", "比预算"} <= set(qualifiers_of("减少", "公务接待费支出0.27万元, 与2021年度预算相比,减少"))
    # "决算数大于预算数55.93万元" (h_09 of tests/data/real): a change against the budget
    assert {"增长", "比预算"} <= set(qualifiers_of("决算数大于预算数"))
    assert {"下降", "比上年"} <= set(qualifiers_of("支出低于上年"))
    assert not {"增长", "下降"} & set(qualifiers_of("满意度大于"))  # a floor, not a change


STACKED = """收入支出决算总表

金额单位：万元

项目

行次

金额

项目

行次

金额

栏次

1

栏次

2

一、财政拨款收入

1

812.40

一、一般公共服务支出

21

790.15

二、事业收入

2

12.00

二、教育支出

22

-

“三公”经费情况表（万元）

项 目

预 算 数

决 算 数

合 计

9.60

7.35

公务接待费

3.20

因公出国（境）费

0

0

该局2021年度严格控制支出，全年支出合计802.15万元。
"""


def test_tables_printed_one_cell_per_line_are_read_row_by_row() -> None:
    """A report written here with known figures, laid out as saved web pages print tables."""
    doc = Document(
        doc_id="s", path="s.txt", title="2021年度某局部门决算", text=STACKED, sha256="0" * 64, encoding="utf-8"
    )
    facts = [f for f in extract_facts(doc, chunk_document(doc)) if f.unit_source == "header"]
    got = {(f.label, f.raw, f.column): f for f in facts}
    assert set(got) == {
        ("财政拨款收入", "812.40", "金额"),
        ("一般公共服务支出", "790.15", "金额"),
        ("事业收入", "12.00", "金额"),
        ("合计", "9.60", "预算数"),
        ("合计", "7.35", "决算数"),
        ("因公出国(境)费", "0", "预算数"),
        ("因公出国(境)费", "0", "决算数"),
        # one value under two columns: which cell is blank cannot be told, so no column is guessed
        ("公务接待费", "3.20", ""),
    }  # 行次 (1, 21, 2, 22) and 栏次 are no figures; "-" is an empty cell
    for fact in facts:
        assert STACKED[fact.start : fact.end] == fact.raw and fact.unit == "万元"
    # the column's stage wins over the table's: "预 算 数" in a 决算 report is a budget
    assert "预算" in got[("合计", "9.60", "预算数")].qualifiers
    assert "预算" not in got[("合计", "7.35", "决算数")].qualifiers
    assert got[("公务接待费", "3.20", "")].sentence_start == STACKED.index("公务接待费")


def test_after_a_classifier_the_noun_counted_is_the_label() -> None:
    """16个 in "…等16个科室及东区服务队、…等13个队" counts 科室, and 科室 is no part of 13个's label."""
    facts = facts_of_text(
        "某公园管理处2024年度部门决算",
        "管理处下设党委办公室、计划财务科、园林科技科等16个科室及东区服务队、西区服务队、园艺队等13个队。",
    )
    assert facts["16个"].label == "科室"
    assert "科室" not in facts["13个"].label


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="收支。；;！？!?\n 万元12", max_size=3000), at=st.integers(min_value=0, max_value=3000))
def test_property_sentence_start_found_backwards_equals_a_scan_from_the_start(text: str, at: int) -> None:
    """The backwards search (linear ingest) finds the same sentence start as scanning from 0."""
    import re

    start = min(at, len(text))
    reference = max((m.end() for m in re.finditer(r"[。；;！？!?\n]", text[:start])), default=0)
    while reference < start and text[reference].isspace():
        reference += 1
    assert sentence_span(text, start, start)[0] == reference


def test_a_sentence_longer_than_the_search_window_keeps_its_start() -> None:
    text = "前文。" + "收" * 5000 + "支出1万元"
    assert sentence_span(text, len(text) - 4, len(text))[0] == 3
    assert sentence_span("收" * 3000, 2999, 3000)[0] == 0
    # text with no break at all is cut SENTENCE_MAX either side of the figure (it made ingest quadratic)
    endless = "收" * 30_000 + "支出1万元" + "支" * 30_000
    at = endless.index("1万元")
    assert sentence_span(endless, at, at + 3) == (at - SENTENCE_MAX, at + 3 + SENTENCE_MAX)


def test_a_list_of_classifier_counts_labels_each_by_its_own_noun() -> None:
    facts = facts_of_text(
        "某县2023年基本公共卫生服务项目绩效自评报告",
        "主要依靠全县15家乡镇卫生院、5家政府办社区服务机构、190家村卫生室全面实施。",
    )
    assert (facts["15家"].label, facts["5家"].label) == ("乡镇卫生院", "政府办社区服务机构")
    assert facts["190家"].label != "乡镇卫生院"  # its noun runs into the verb: at least not the first one's


def test_real_tables_two_level_headers_blank_rows_and_spaced_headers() -> None:
    from qa.ingest.load import load_file
    from qa.ingest.tables import table_facts, two_level

    real = Path(__file__).parent / "data" / "real" / "docs"
    # "项目 | 预算数 | 决算数" over "合计 | 一般公共预算 | 政府性基金" twice: each cell under its own pair
    cells = {(f.label, f.column): (f.display, f.qualifiers) for f in table_facts(load_file(real / "a_07.txt"), "2021")}
    assert cells[("公务用车购置费", "决算数 合计")] == ("12.51万元", ("决算",))
    assert cells[("公务用车购置费", "预算数 合计")] == ("13.2万元", ("预算",))
    assert cells[("公务接待费", "决算数 政府性基金")][0] == "0万元"
    funds = ["合计", "一般公共预算", "政府性基金"]
    composed = ["项目", *(f"预算数 {c}" for c in funds), *(f"决算数 {c}" for c in funds)]
    assert two_level(["项目", "预算数", "决算数"], funds * 2) == composed
    assert two_level(["项目", "预算数", "决算数"], funds) is None  # three under two: not a two-level header
    # "因公出国(境)费 | ||" is a blank row, not a new header; "预 算 数" is a 预算数 (the title says 决算表)
    stages = {(f.label, f.display): f.qualifiers for f in table_facts(load_file(real / "a_03.txt"), "2021")}
    assert stages[("公务接待费", "1.8万元")] == ("预算",) and stages[("公务接待费", "1.52万元")] == ("决算",)


def test_a_self_evaluation_page_is_its_projects_year() -> None:
    from qa.ingest.facets import facets_of
    from qa.ingest.load import load_file

    # published 2022, "项目名称 | 2019年新型农业经营主体扶持项目", a title without a year
    assert facets_of(load_file(Path(__file__).parent / "data" / "real" / "docs" / "d_07.txt")).year == "2019"
