"""Real public reports (tests/data/real): the data set's shape, and what the product does on them.

The documents are excerpts of public report pages copied exactly; the questions were written by
people who had not read the answering code.  Fast tests use the fake embedder; the evaluation of
both halves runs the real offline model.
"""

from __future__ import annotations

import importlib.util
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from qa.api import ReportQA
from qa.ingest.facets import facets_of
from qa.ingest.load import load_file
from qa.quality.evaluate import evaluate, format_report, read_questions

REAL = Path(__file__).parent / "data" / "real"
DOCS = REAL / "docs"


def real_docs() -> list[Path]:
    return sorted(DOCS.glob("*.txt"))


def questions() -> list[dict[str, object]]:
    return [json.loads(line) for f in sorted((REAL / "questions").glob("*.jsonl")) for line in f.open(encoding="utf-8")]


def test_the_real_set_is_large_and_every_gold_string_is_printed() -> None:
    docs, qs = real_docs(), questions()
    assert len(docs) >= 40 and len(qs) >= 400
    kinds = Counter(str(q["kind"]) for q in qs)
    assert set(kinds) == {"literal", "paraphrase", "qualifier", "text", "unanswerable"}
    assert kinds["unanswerable"] >= 0.08 * len(qs) and kinds["text"] >= 0.04 * len(qs)
    texts = {d.name: d.read_text(encoding="utf-8") for d in docs}
    for d, text in texts.items():
        assert re.match(r"source: https?://\S+\ntitle:", text), d  # where the excerpt was copied from
    for q in qs:
        assert q["doc"] in texts, q["id"]
        if q["answer"] is not None:
            assert str(q["answer"]) in texts[str(q["doc"])], q["id"]
    assert len({q["id"] for q in qs}) == len(qs)


def test_halves_are_split_by_document_and_match_the_split_script() -> None:
    tuning, check = read_questions(REAL / "tuning.jsonl"), read_questions(REAL / "check.jsonl")
    assert len(tuning) + len(check) == len(questions())
    assert not {q.doc for q in tuning} & {q.doc for q in check}
    assert len({q.doc for q in check}) >= 18
    spec = importlib.util.spec_from_file_location("split", REAL / "split.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for half, lines in module.split().items():  # the committed halves are what split.py makes
        assert (REAL / f"{half}.jsonl").read_text(encoding="utf-8") == "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("name", "department", "also"),
    [
        ("a_09.txt", "许镇镇", ()),  # no title: the town that opens the first line
        ("c_01.txt", "梁平区本级", ("梁平区财政局",)),  # "[ 发布机构 ] 梁平区财政局"
        ("b_02.txt", "岳阳市城市管理监督指挥中心", ()),  # a title run together with its topic
        ("d_03.txt", "临沧市永德县明朗中学", ("永德县教育体育局",)),  # "部门:…" and "主管部门 | …" cells
        ("c_08.txt", "", ()),  # "2020年度全区…": no name anywhere in the text, so none
        ("k_05.txt", "渝中区", ()),  # no title; a table's "单位:万元" line is no name; the place the body repeats
        ("j_07.txt", "焦石镇", ()),  # no title line: the first sentence "按照…要求,现将焦石镇2020年度…"
        ("m_01.txt", "广东省财政厅", ()),  # "…广东省财政厅一般公共预算财政拨款“三公”经费…": the book paid is no name
        ("m_03.txt", "三亚市财政局", ()),  # "…日在市七届人大常委会…": who the report is made to is not who makes it
    ],
)
def test_report_names_come_from_the_text(name: str, department: str, also: tuple[str, ...]) -> None:
    facets = facets_of(load_file(DOCS / name))
    assert facets.department == department
    assert set(also) <= set(facets.names)
    assert not any(re.search(r"第.部分|欢迎|网站|^\d", n) for n in facets.names)


def test_title_lines_of_saved_pages_are_the_title() -> None:
    doc = load_file(DOCS / "c_01.txt")
    assert doc.title == "梁平区本级 2021年度 “三公”经费决算汇总说明"
    assert load_file(DOCS / "b_04.txt").title != "source: " and not load_file(DOCS / "b_04.txt").title.startswith(
        "http"
    )


def cited(qa: ReportQA, question: str) -> tuple[str | None, str | None]:
    answer = qa.ask(question)
    return answer.answer, Path(answer.sources[0].path).name if answer.sources else None


def test_scope_by_partial_names_and_names_found_only_in_the_text(real_hash_qa: ReportQA) -> None:
    # 巢湖法院 for 巢湖市人民法院; 许镇镇 named only in its first sentence; 金罗镇中心校 only in the body
    assert cited(real_hash_qa, "巢湖法院2021年接待花了多少钱?") == ("2.26万元", "a_07.txt")
    assert cited(real_hash_qa, "许镇镇2020年接待花了多少钱?") == ("15.5万元", "a_09.txt")
    assert cited(real_hash_qa, "金罗镇中心校退休人员多少?") == ("111人", "e_09.txt")
    # a town in the question that no report covers is not answered from another town's report
    answer = real_hash_qa.ask("许家镇2020年接待花了多少钱?")
    assert not answer.found or Path(answer.sources[0].path).name != "a_09.txt"


def test_a_floor_printed_with_its_sign_keeps_it(real_hash_qa: ReportQA) -> None:
    answer = real_hash_qa.ask("抚远市农村饮水维修养护项目解决贫困人口饮水安全问题人数指标是多少？")
    assert answer.answer == "≥27人"
    src = answer.sources[0]
    assert real_hash_qa.data.docs[src.doc_id].text[src.start : src.end] == "≥27人"


def test_text_answers_are_the_reports_clause_with_offsets(real_hash_qa: ReportQA) -> None:
    answer = real_hash_qa.ask("梁平区本级2021年公务接待费为什么上升？")
    assert answer.found and answer.value is None and answer.message.startswith("文字回答")
    assert "招商引资、成渝美食工业博览会" in (answer.answer or "")
    src = answer.sources[0]
    assert real_hash_qa.data.docs[src.doc_id].text[src.start : src.end] == answer.answer
    assert Path(src.path).name == "c_01.txt"
    no = real_hash_qa.ask("金罗镇中心校有没有下属单位?")
    assert no.answer is not None and "无下属单位" in no.answer


def test_eval_groups_misses_by_cause(real_hash_qa: ReportQA) -> None:
    report = evaluate(real_hash_qa, read_questions(REAL / "tuning.jsonl")[:60])
    text = format_report(report)
    assert "misses by cause:" in text
    assert "FAIL " in text
    quiet = format_report(report, misses=False)
    assert "misses by cause:" in quiet and "FAIL " not in quiet and quiet in text
    assert sum(report.causes.values()) == len(report.failures) > 0
    assert {f["cause"] for f in report.failures} <= {
        "scope",
        "kind",
        "stage",
        "table",
        "extraction",
        "text",
        "threshold",
        "unanswerable",
    }


@pytest.mark.model
def test_both_halves_with_the_offline_model(tmp_path: Path) -> None:
    """The figures README states (regression floors a little under them; the check half is never tuned on)."""
    from qa.interfaces.cli import main

    assert main(["ingest", str(DOCS), "--index", str(tmp_path / "idx")]) == 0
    qa = ReportQA(tmp_path / "idx")
    tuning = evaluate(qa, read_questions(REAL / "tuning.jsonl")).summary()
    check = evaluate(qa, read_questions(REAL / "check.jsonl")).summary()
    assert tuning["exact_accuracy"] >= 0.76 and tuning["precision_of_given_figures"] >= 0.97
    assert check["exact_accuracy"] >= 0.60 and check["precision_of_given_figures"] >= 0.89
    assert tuning["offsets_exact"] == check["offsets_exact"] == 1.0
    assert tuning["declined_share"] >= 0.9 and check["declined_share"] >= 0.85


def fact_in(qa: ReportQA, name: str, raw: str) -> tuple[str, ...]:
    """The qualifiers of the figure printed as raw in the named real report."""
    doc_id = next(d for d, doc in qa.data.docs.items() if Path(doc.path).name == name)
    return next(f.qualifiers for f in qa.context.by_doc[doc_id] if f.raw == raw)


def test_changes_are_read_as_changes_and_levels_as_levels(real_hash_qa: ReportQA) -> None:
    # "与2021年度预算相比，减少0.57万元": the comparison is the clause before the figure
    assert {"下降", "比预算"} <= set(fact_in(real_hash_qa, "a_05.txt", "0.57万元"))
    # "较上年减少1.5万元" is a change; 公务接待费预算多少 in a 部门预算 report takes 2.30万元, not it
    assert {"下降", "比上年"} <= set(fact_in(real_hash_qa, "c_09.txt", "1.5万元"))
    assert cited(real_hash_qa, "新城区卫生和计划生育局2019年公务接待费预算多少？") == ("2.30万元", "c_09.txt")
    # a change without a comparison base is not a budget either
    assert real_hash_qa.ask("渝中区2017年“三公”经费年初预算数是多少？").answer is None


def test_the_figure_asked_is_the_head_the_part_and_the_earned_score(real_hash_qa: ReportQA) -> None:
    # 总编制中行政编: the part, not the whole printed before it
    assert cited(real_hash_qa, "南县住建局总编制中行政编有几个?") == ("13个", "b_03.txt")
    # "一般公共预算财政拨款开支的公务接待费": who paid only modifies; the 三公经费 total is not it.
    # 渝中区 has two 2017 reports (c_05 决算, k_05 预算) and the question names no stage: both are listed
    both = real_hash_qa.ask("2017年渝中区一般公共预算财政拨款开支的公务接待费是多少？")
    assert both.message.startswith("同年有几份报告")
    listed = {(r.answer, Path(r.source.path).name) for r in both.rows}
    assert listed == {("183.19万元", "c_05.txt"), ("430万元", "k_05.txt")}
    # "预算执行情况(万元)(20分)" is what the indicator can earn, not what it earned
    scored = real_hash_qa.ask("施甸新型农业经营主体扶持项目预算执行情况得了多少分？")
    assert scored.answer != "20分"
    assert not scored.found or Path(scored.sources[0].path).name == "d_07.txt"
    # a total score is never a sum of money (部门整体支出 = 基本支出 + 项目支出)
    total = real_hash_qa.ask("儋州市人民法院2018年部门整体支出绩效评价总得分是多少?")
    assert total.unit != "万元" and total.derived is None
    # 满意度 is a rate: "确保每一个学生" holds no figure
    assert real_hash_qa.ask("明朗中学营养改善计划学生满意度怎么样？").answer != "一个"


def test_a_printed_total_is_preferred_to_its_sum(real_hash_qa: ReportQA) -> None:
    # 1094.65万元 printed; 869.08 + 225.58 computes 1094.66: the report's own figure is given
    answer = real_hash_qa.ask("南宫检察院2019年一共花了多少钱?")
    assert (answer.answer, answer.derived) == ("1094.65万元", None)
    src = answer.sources[0]
    assert real_hash_qa.data.docs[src.doc_id].text[src.start : src.end] == "1094.65万元"


def test_the_name_index_picks_the_scope_trying_every_report_picks(real_hash_qa: ReportQA) -> None:
    """Context.named_by only narrows which reports are tried: the scope is the same as when every
    report's names are scored, on every real question."""
    from qa.answering.intent import read_question
    from qa.answering.scope import scope_of

    ctx = real_hash_qa.context
    every = set(ctx.data.docs)
    for q in questions():
        intent = read_question(str(q["question"]))
        fast = scope_of(intent, ctx)
        ctx.named_by = lambda question, orgs: every  # type: ignore[method-assign]
        try:
            slow = scope_of(intent, ctx)
        finally:
            del ctx.named_by
        assert fast == slow, q["id"]


def test_tables_printed_one_cell_per_line(real_hash_qa: ReportQA) -> None:
    """Saved web pages print a table's cells on lines of their own: the row is rebuilt from them,
    the unit comes from 金额单位 or a caption, and the 行次 column is no figure."""
    answer = real_hash_qa.ask("南漳县招商服务中心2019年部门决算中,一般公共预算财政拨款收入是多少?")
    assert (answer.answer, Path(answer.sources[0].path).name) == ("440.55万元", "a_01.txt")
    src = answer.sources[0]
    doc = real_hash_qa.data.docs[src.doc_id].text
    assert doc[src.start : src.end] == "440.55" and src.text.startswith("一、一般公共预算财政拨款收入")
    # a row across the columns of a two-level header ("其中:" spans them): 其他收入 is the last cell
    assert cited(real_hash_qa, "岳阳楼区团区委2021年其他收入是多少?") == ("1.5万元", "b_09.txt")
    # "预 算 数" over the cell in a 决算 table: the cell is a budget
    assert cited(real_hash_qa, "黄山交通局2021年公务接待费预算数是多少?") == ("0.84万元", "a_05.txt")
    assert "预算" in fact_in(real_hash_qa, "a_05.txt", "0.84") and "决算" not in fact_in(
        real_hash_qa, "a_05.txt", "0.84"
    )


def test_how_a_department_is_organised_asked_in_everyday_words(real_hash_qa: ReportQA) -> None:
    """内设机构 / 下属单位 / 在职 / 离退休, as an auditor says them (科室, 二级单位, 在岗, 退下来的)."""
    assert cited(real_hash_qa, "寻甸统战部下设几个内设机构?") == ("4个", "b_01.txt")
    assert cited(real_hash_qa, "南县住建局下面管着几个二级单位?") == ("8个", "b_03.txt")
    assert cited(real_hash_qa, "南县住建局退下来的老同志有多少?") == ("85人", "b_03.txt")
    assert cited(real_hash_qa, "北京文旅局综合事务中心里面分了几个部门?") == ("9个", "e_07.txt")
    # "在职人员编制12人" is a 编制 (its head), not the 在职实有10人 asked
    assert cited(real_hash_qa, "寻甸统战部实际在岗的干部有几个人?") == ("10人", "b_01.txt")


def test_a_figure_the_question_states_is_not_its_answer(real_hash_qa: ReportQA) -> None:
    # "编制63人，…实际在职的是多少人": 63 人 is what the question starts from; 实际有 asks 实有人数
    assert cited(real_hash_qa, "茂名发改局编制63人,2021年末实际在职的是多少人?") == ("57 人", "b_05.txt")
    assert cited(real_hash_qa, "文旅局综合事务中心实际有多少人?") == ("55人", "e_07.txt")


def test_what_a_question_asks_for_decides_the_kind(real_hash_qa: ReportQA) -> None:
    # "决算完成年初预算的多少" asks a rate, not the budget in 元
    assert cited(real_hash_qa, "寻甸县农业农村局2022年“三公”经费决算完成年初预算的多少?") == ("268%", "f_03.txt")
    # the vehicles held (保有量), not those bought this year; and the other way round
    assert cited(real_hash_qa, "寻甸县农业农村局现在有几辆公车?") == ("14辆", "f_03.txt")
    assert cited(real_hash_qa, "寻甸县农业农村局2022年买了几辆车?") == ("0辆", "f_03.txt")
    # "…这一项得了几分" asks points, never the indicator's 100%
    points = real_hash_qa.ask("银川六中2021年初中公用经费自评中“预算执行率”这一项得了几分?")
    assert points.answer is None or points.unit == "分"
    # "归哪里管辖", "由谁统筹安排使用" ask for words: no figure, even with an item named
    assert real_hash_qa.ask("河西务镇人民政府归哪里管辖?").value is None
    assert real_hash_qa.ask("黄山风景区交通局的因公出国(境)经费由谁统筹安排使用?").value is None


def test_a_text_answer_is_a_clause_not_a_table_run_together(real_hash_qa: ReportQA) -> None:
    answer = real_hash_qa.ask("银川市第六中学2021年初中公用经费项目的年初目标是什么?")
    assert answer.answer is None or len(answer.answer) <= 150


def test_收支总计_is_an_item_and_its_change_an_amount(real_hash_qa: ReportQA) -> None:
    assert cited(real_hash_qa, "陶然亭公园管理处2024年收支总计比上年减少了多少?") == ("2147.76万元", "e_05.txt")


def fact_of(qa: ReportQA, name: str, raw: str):  # type: ignore[no-untyped-def]
    doc_id = next(d for d, doc in qa.data.docs.items() if Path(doc.path).name == name)
    return next(f for f in qa.context.by_doc[doc_id] if f.raw == raw)


def test_a_mirror_sites_traditional_characters_and_pinyin(real_hash_qa: ReportQA) -> None:
    # h_09: "本單位收入為1687.45萬元 … 事業(yè)收入170.81萬元": read in simplified, printed as the page prints it
    assert fact_of(real_hash_qa, "h_09.txt", "170.81萬元").label == "事业收入"
    assert cited(real_hash_qa, "天水市幼儿园2017年度基本支出是多少?") == ("1121.09萬元", "h_09.txt")
    # "決算數(shù)大於預(yù)算數(shù)55.93萬元": a comparison with the budget; the amount itself is no change
    assert "比预算" not in fact_of(real_hash_qa, "h_09.txt", "1741.75萬元").qualifiers
    more = real_hash_qa.ask("天水市幼儿园2017年一般公共预算财政拨款支出决算数比预算数多出多少?")
    assert more.answer != "1741.75萬元"  # declined today; its passages hold the 55.93萬元 that answers
    assert not more.found and any("55.93萬元" in h.chunk.text for h in more.passages[:3])


def test_every_part_of_a_其中_list_has_the_wholes_stage(real_hash_qa: ReportQA) -> None:
    # j_09, a 决算 report: "“三公”经费预算为20万元,其中:因公出国(境)费0万元,公务接待费9万元,…"
    assert fact_of(real_hash_qa, "j_09.txt", "9万元").qualifiers == ("预算",)
    assert cited(real_hash_qa, "安居镇2021年预算里招待费安排了多少?") == ("9万元", "j_09.txt")
    # the page prints no actual 公务接待费: the budget is not the answer
    assert real_hash_qa.ask("铜梁区安居镇2021年公务接待费实际支出了多少?").answer is None
    # c_03: "决算支出785万元,较年初预算减少28%其中:公务用车购置费274万元": the whole is 785万元, not the change
    assert fact_of(real_hash_qa, "c_03.txt", "274万元").qualifiers == ("决算",)


def test_two_items_added_up_are_the_item_the_report_prints_for_both() -> None:
    from qa.answering.intent import read_question

    intent = read_question("新城区卫计局2019年养车和买车一共安排了多少？")
    assert [i.name for i in intent.items][:1] == ["公务用车购置及运行费"] and intent.added == ()


def test_a_publishers_line_names_the_report(real_hash_qa: ReportQA) -> None:
    # l_03: "发布日期: 2025-09-09 09:30      来源: 中新天津生态城" (no organisation ending, after other metadata)
    assert "中新天津生态城" in facets_of(load_file(DOCS / "l_03.txt")).names


def test_a_district_the_report_never_prints_is_not_its_place(real_hash_qa: ReportQA) -> None:
    # i_01 is 宣城市直工委's report; 宣州区's 直属机关工作委员会 is another body
    answer = real_hash_qa.ask("中共宣城市宣州区直属机关工作委员会2018年公务接待费是多少?")
    assert answer.answer is None or all(Path(s.path).name != "i_01.txt" for s in answer.sources)
    assert cited(real_hash_qa, "2018年宣城市直工委国内公务接待共多少批次?") == ("5批次", "i_01.txt")


def test_a_printed_share_is_the_answer_not_a_computed_one(real_hash_qa: ReportQA) -> None:
    # m_09 prints the share; the computation divided a budget part by an actual whole (188.89%)
    answer = real_hash_qa.ask("庐江县第二中学2020年度公务接待费支出决算占“三公”经费的比例是多少?")
    assert answer.answer == "100.0%" and not answer.derived


def test_labels_books_and_vehicles(real_hash_qa: ReportQA) -> None:
    # the row that says exactly what is asked (支出), not 基本支出 beside it
    assert cited(real_hash_qa, "儋州市人民法院2018年度支出是多少?") == ("5560.46万元", "b_07.txt")
    # "全镇政府性基金收入…收入总计0万元" is another budget book's 收入总计
    assert cited(real_hash_qa, "小林镇2022年一般公共预算收入总计是多少?") == ("1,867.48万元", "g_07.txt")
    # "公务用车购置数0辆,公务用车保有量11辆": the cars held, not those bought
    assert cited(real_hash_qa, "焦石镇2020年公车一共有几辆?") == ("11辆", "j_07.txt")
    # 涨了多少 with no unit word asks a rate, as 增长了多少 does
    assert cited(real_hash_qa, "湛江2020年一般公共预算支出比上年涨了多少?") == ("7.1%", "h_05.txt")


def test_the_report_of_the_year_asked_among_those_naming_the_department(real_hash_qa: ReportQA) -> None:
    # l_02 (2021) prints 朝阳区财政局 itself; the 2022 question is l_01's, 北京市朝阳区财政局's 部门决算
    assert cited(real_hash_qa, "朝阳区财政局2022年实际有多少人?") == ("155人", "l_01.txt")
    # …but a report of that year sharing only 服务中心 is not 南漳县招商服务中心's (whose report is of 2019)
    assert real_hash_qa.ask("南漳招商服务中心2020年一般公共预算财政拨款收入是多少?").answer is None
    # a clause the name pattern ran through is no name: "就业专项资金是由县级以上人民政府设立"
    assert not any("是由" in n for n in facets_of(load_file(DOCS / "k_01.txt")).names)


def test_points_and_stages_are_not_given_for_what_was_not_asked(real_hash_qa: ReportQA) -> None:
    # "本次部门整体支出绩效评价共涉及2个": a count of units is no score
    assert not real_hash_qa.ask("阳高县能源局部门整体支出绩效评价得了多少分?").found  # no score printed; never "2个"
    # m_05 is a 预算 table: its cells do not add up to a 决算
    assert real_hash_qa.ask("宣州区直工委2020年“三公”经费实际支出决算是多少?").answer is None


def test_what_a_named_attribute_is(real_hash_qa: ReportQA) -> None:
    # h_09: "辦學(xué)形式為日托制": the clause printing the attribute asked, then 为 (through the mirror's pinyin)
    answer = real_hash_qa.ask("天水市幼儿园的办学形式是什么?")
    assert answer.answer == "辦學(xué)形式為日托制" and answer.message.startswith("文字回答")
    # the subject of the question is no attribute: "…服务中心是什么经费性质的单位" is not "…服务中心属于…"
    from qa.answering.textanswer import attribute_ask

    assert attribute_ask("南漳县招商服务中心是什么经费性质的单位?") is None


def test_what_the_question_says_it_does_not_ask_is_not_the_answer(real_hash_qa: ReportQA) -> None:
    # o_01 prints 收入总计 4045.51万元 and 收入合计 3748.25万元
    assert cited(real_hash_qa, "十堰市退役军人事务局2019年收入合计(不是收入总计)是多少?") == ("3748.25万元", "o_01.txt")
    answer = real_hash_qa.ask("十堰市退役军人事务局2019年当年实际花掉多少钱(本年支出,不是支出总计)?")
    assert answer.answer == "2773.48万元"  # "支出合计2773.48万元", not the 支出总计 4045.51万元


def test_a_序号_column_copied_cell_per_line_numbers_rows_not_amounts() -> None:
    # p_09: "八、社会保障和就业支出 |", "98.25 |", "9 |" — 9 is the next row's 序号, not 9万元
    from qa.ingest.chunk import chunk_document
    from qa.ingest.facts import extract_facts

    doc = load_file(DOCS / "p_09.txt")
    facts = extract_facts(doc, chunk_document(doc))
    by_label: dict[str, list[str]] = {}
    for f in facts:
        by_label.setdefault(f.label, []).append(f.display)
    assert by_label["社会保障和就业支出"] == ["98.25万元"]
    assert by_label["一般公共服务支出"] == ["516.39万元"]
    assert not any(f.display == "2万元" for f in facts)


def test_a_figure_after_剔除_answers_only_a_question_that_asks_it(real_hash_qa: ReportQA) -> None:
    # r_09: "完成年度预算94.5%(…若剔除该项因素,则完成年度预算101.3%)"
    asked = "湛江市2022年全市一般公共预算收入若剔除土地指标调剂因素,完成年度预算的比例是多少?"
    assert cited(real_hash_qa, asked) == ("101.3%", "r_09.txt")
    plain = "湛江市2022年全市一般公共预算收入完成年度预算的比例是多少?"
    assert cited(real_hash_qa, plain) == ("94.5%", "r_09.txt")


def test_the_head_noun_of_two_counts_is_asked(real_hash_qa: ReportQA) -> None:
    # q_03: "新购入公务用车一辆 … 实际保有量为12辆": 公务用车实际保有量 asks the 保有量, not the cars bought
    answer = real_hash_qa.ask("青岛市政协2015年公务用车实际保有量是多少辆（不是账面数）？")
    # declined today (the 账面数 56辆 and the 12辆 stand in one sentence), never with the cars bought,
    # and the sentence that answers is the first passage shown
    assert not answer.found and "实际保有量为12辆" in answer.passages[0].chunk.text


def test_names_of_mirror_pages_and_of_titles_with_the_year_inside(real_hash_qa: ReportQA) -> None:
    """A mirror's 九華山風(fēng)景區(qū)宗教事務(wù)局 is one name once its pinyin is dropped; 嶽陽縣2015年度移民局
    names 岳阳县移民局; 乌力吉苏木 is a place (Inner Mongolia's township)."""
    assert facets_of(load_file(DOCS / "v_05.txt")).department == "九华山风景区宗教事务局"
    assert facets_of(load_file(DOCS / "v_07.txt")).department == "岳阳县移民局"
    assert facets_of(load_file(DOCS / "v_09.txt")).department == "武汉市第一商业学校"
    assert cited(real_hash_qa, "九华山风景区宗教事务局2019年国内公务接待共多少批次？") == ("139批次", "v_05.txt")
    assert cited(real_hash_qa, "武汉市第一商业学校2013年结余分配是多少？") == ("73萬元", "v_09.txt")
    assert cited(real_hash_qa, "乌力吉苏木2023年边境地区转移支付中央一线边民补助完成预算的比例是多少？") == (
        "100%",
        "t_05.txt",
    )
    from qa.answering.intent import read_question
    from qa.answering.scope import scope_of

    scope = scope_of(read_question("岳阳县移民局2015年度公务接待批次是多少？"), real_hash_qa.context)
    assert [Path(real_hash_qa.data.docs[d].path).name for d in scope.docs or ()] == ["v_07.txt"]


def test_an_organisation_printed_at_its_own_level_in_a_report_of_its_place(real_hash_qa: ReportQA) -> None:
    """ "市财政下达市交通运输局…" in a 保山市 report is 保山市交通运输局's; a question that rules out one
    dated payment ("不是9月1日那笔") is not answered by the sentence's 9月1日 figure."""
    asked = "保山市交通运输局2021年市财政下达的保山站房规模扩大工程建设经费是多少?"
    assert cited(real_hash_qa, asked) == ("260万元", "u_03.txt")
    assert cited(real_hash_qa, "保山市交通运输局2021年9月1日拨给滇西铁路公司多少钱?") == ("160万元", "u_03.txt")
    ruled_out = real_hash_qa.ask("保山市交通运输局2021年9月7日拨给滇西铁路公司多少钱(不是9月1日那笔)?")
    assert ruled_out.answer != "160万元"
    # no report of 楚雄州 prints a 交通运输局: still declined
    assert not real_hash_qa.ask("楚雄州交通运输局2021年保山站房规模扩大工程建设经费是多少?").found


def test_blank_cells_printed_as_pipe_lines_keep_the_header(real_hash_qa: ReportQA) -> None:
    """ "因公出国(境)费 |", "|", "|": a row of blank cells, not a header cell over the rows after it,
    so 公务接待费 keeps its 预算数 / 决算数 columns; 车辆方面 asks for the 公务用车 figure."""
    assert cited(real_hash_qa, "寿县文物保护中心2023年公务接待费预算数是多少？") == ("1万元", "v_03.txt")
    assert "预算" in fact_in(real_hash_qa, "v_03.txt", "2") and "决算" in fact_in(real_hash_qa, "v_03.txt", "1.18")
    assert cited(real_hash_qa, "寿县文保中心2023年车辆方面花了多少钱？") == ("1.18万元", "v_03.txt")


def test_items_listed_under_a_staged_total_share_its_stage(real_hash_qa: ReportQA) -> None:
    """ "年初预算项目73个,预算项目经费15690.38万元,具体包括:…拆除违章建筑9.45万元": each item is a budget
    figure too, so 拆违建这块预算 is not answered with the whole 15690.38万元."""
    assert "预算" in fact_in(real_hash_qa, "u_01.txt", "9.45万元")
    assert "预算" in fact_in(real_hash_qa, "u_01.txt", "155.85万元")
    assert real_hash_qa.ask("双桥经开区建设局2021年拆违建这块预算有多少?").answer != "15690.38万元"


def test_a_speech_date_is_not_the_year_of_the_决算_it_reports() -> None:
    """ "——2022年10月10日在市八届人大常委会…" then "一、2021年全市财政决算…": the report is 2021's;
    a title line that is only such a date leaves the year to the text."""
    assert facets_of(load_file(DOCS / "y_09.txt")).year == "2021"
    assert facets_of(load_file(DOCS / "r_05.txt")).year == "2021"
    assert facets_of(load_file(DOCS / "m_03.txt")).year == "2020"
    assert facets_of(load_file(DOCS / "b_04.txt")).year == "2024"  # 评价年度:2024, 填报日期:2025年10月29日


def test_short_names_of_people_s_organisations_and_autonomous_places(real_hash_qa: ReportQA) -> None:
    """民建北京市委 is 中国民主建国会北京市委员会 (not 北京市卫生健康委员会, whose name merely holds 北京市…委);
    彭水县 is 彭水苗族土家族自治县."""
    from qa.domain.orgnames import short_names

    assert short_names("黔东南苗族侗族自治州财政局") == ["黔东南州财政局"]
    assert short_names("宁夏回族自治区财政厅") == ["宁夏财政厅"]
    assert short_names("北京市财政局") == []
    assert "民建北京市委员会" in facets_of(load_file(DOCS / "z_01.txt")).names
    assert cited(real_hash_qa, "民建北京市委一共核了多少个行政编制?") == ("56人", "z_01.txt")
    assert cited(real_hash_qa, "彭水县2022年税收收入比上年下降了多少?") == ("1.9 %", "y_07.txt")


def test_the_area_s_figure_is_not_its_own_budget_s(real_hash_qa: ReportQA) -> None:
    """ "全旗一般公共预算收入安排290000万元(其中:旗本级257800万元…)": 旗本级 is never answered with the 全旗
    figure; a 市本级 figure the report does not print is declined, not taken from 全市."""
    assert real_hash_qa.ask("达拉特旗2022年调整预算里旗本级的一般公共预算收入是多少?").answer != "290000万元"
    assert cited(real_hash_qa, "达拉特旗2022年调整后全旗一般公共预算收入安排多少?") == ("290000万元", "z_03.txt")
    assert not real_hash_qa.ask("2019年龙岩市本级一般公共预算收入是多少?").found


def test_a_short_item_word_inside_another_word_is_not_asked(real_hash_qa: ReportQA) -> None:
    """个人所得税收入 holds 税收 across 所得税|收入: it asks 个人所得税, not the 税收 lines; 一般公共预算收入总计
    is one compound whose head is 收入总计; 一般公共财政预算收入 is the book's older name."""
    from qa.answering.intent import read_question

    assert [i.name for i in read_question("宝坻区2021年决算中个人所得税收入是多少?").items] == []
    assert cited(real_hash_qa, "宝坻区2021年决算中个人所得税收入是多少?") == ("5691万元", "p_01.txt")
    assert [i.name for i in read_question("汕尾市2018年市级一般公共预算收入总计是多少?").items][0] == "收入总计"
    assert not real_hash_qa.ask("平阳县2020年政府性基金预算收入是多少?").found  # only 一般公共财政预算收入 printed


def test_everyday_words_for_spending_income_and_the_books(real_hash_qa: ReportQA) -> None:
    """ "一般公共预算花了多少钱" asks the 支出 line, not the 收入 one beside it; 上面给的补助 is 上级补助收入,
    留到下年 is 结转下年; 降幅 is a fall; 预算稳定调节基金 and 政府性基金预算 name a fund and a book, not the
    预算 stage."""
    assert cited(real_hash_qa, "东昌府区2021年全区一般公共预算花了多少钱?") == ("60.07亿元", "x_05.txt")
    assert cited(real_hash_qa, "丰都2021年上面给的补助一共多少钱?") == ("318586万元", "y_01.txt")
    assert cited(real_hash_qa, "东昌府区2021年全区收支相抵后留到下年的钱有多少?") == ("3.7亿元", "x_05.txt")
    assert cited(real_hash_qa, "福建省2016年省级三公经费降幅是多少?") == ("38.7%", "x_07.txt")
    assert "预算" not in fact_in(real_hash_qa, "y_09.txt", "31.8亿元")


def test_a_standard_per_head_and_month_answers_whole(real_hash_qa: ReportQA) -> None:
    """ "2021年最低生活保障标准为1300元/人/月": the answer is the figure as printed, a rate (单价)."""
    assert cited(real_hash_qa, "深圳福田区2021年最低生活保障标准是多少?") == ("1300元/人/月", "aa_01.txt")
    assert "单价" in fact_in(real_hash_qa, "aa_01.txt", "1300元/人/月")


def test_a_title_s_topic_is_no_department_because_it_says_乡村() -> None:
    """ "谢家集区2024年度转移支付财政衔接推进乡村振兴补助资金绩效评价自评报告": 乡村振兴 names no place, so the
    department is the place before the year, not the topic after it."""
    assert facets_of(load_file(DOCS / "k_02.txt")).department == "谢家集区"
    assert facets_of(load_file(DOCS / "t_03.txt")).department == "海林市"


def test_words_that_hold_a_stage_or_share_character_but_mean_neither(real_hash_qa: ReportQA) -> None:
    """耕地占用税 is a tax, not a share (占…多少); 一级预算部门 and 预算单位 are units a budget is made for,
    not the 预算 stage; a 预算盘子 "多大" asks a sum of money, not an area."""
    from qa.answering.intent import read_question

    tax = read_question("杭锦旗2020年耕地占用税是多少?")
    assert "占比" not in tax.qualifiers and tax.kind == "money"
    assert "占比" in read_question("杭锦旗2020年税收收入占一般公共预算收入的比重是多少?").qualifiers
    assert "预算" not in read_question("乌鲁木齐天山区2019年本级共有多少个一级预算部门？").qualifiers
    assert "预算" in read_question("乌鲁木齐天山区2019年部门预算中公务接待费是多少？").qualifiers
    assert read_question("平阳中医院2021年预算盘子收支加起来一共多大?").kind == "money"
    assert read_question("园区一共多大?").kind == "area"
    assert cited(real_hash_qa, "杭锦旗2020年耕地占用税是多少?") == ("8692万元", "p_07.txt")
    assert cited(real_hash_qa, "平阳中医院2021年预算盘子收支加起来一共多大?") == ("46621.39万元", "ab_11.txt")
    assert cited(real_hash_qa, "乌鲁木齐天山区2019年本级共有多少个一级预算部门？") == ("127个", "c_07.txt")


def test_the_上年_figure_of_the_year_asked_is_dated_the_year_before(real_hash_qa: ReportQA) -> None:
    """ "2020年…上年结余" asks the 2020 report's balance from 2019: printed as 上年, dated 2019, it is the
    answer; a 上年结转 listed among the parts of a total is no such question."""
    assert cited(real_hash_qa, "湛江市2020年待偿债置换一般债券上年结余多少?") == ("4364万元", "h_05.txt")
    listed = real_hash_qa.ask("小林镇2022年托底保障补助、结算补助、专项转移支付补助、上年结转等合计多少?")
    assert listed.answer in (None, "1,756.37万元")


def test_a_founding_year_dates_no_figure_after_it(real_hash_qa: ReportQA) -> None:
    """ "我局成立于 1958 年，属于国家行政单位，设 17 个内设 机构": the count is the 2021 report's, not 1958's."""
    from qa.ingest.clauses import year_of

    assert year_of("我局成立于 1958 年,属于国家行政单位,设 ", (), "2021") == "2021"
    assert year_of("2019年建成投用,2021年实有", (), "2022") == "2021"  # a later year still dates it
    doc_id = next(d for d, doc in real_hash_qa.data.docs.items() if Path(doc.path).name == "b_05.txt")
    assert next(f.year for f in real_hash_qa.context.by_doc[doc_id] if f.raw == "17 个") == "2021"
    assert cited(real_hash_qa, "茂名发改局下面有几个科室?") == ("17 个", "b_05.txt")


def test_more_or_less_with_a_verb_asks_the_change(real_hash_qa: ReportQA) -> None:
    """ "比上一年多拿了多少", "比年度计划多收了多少": 比上一年 compares with last year (it is not the 上年
    figure), and 多/少 + verb + 了多少 asks the rise or fall; "是多少了" asks no change."""
    from qa.answering.intent import read_question

    rise = read_question("綦江公路事务中心2023年一般公共财政拨款收入比上一年多拿了多少?")
    assert {"比上年", "增长"} <= set(rise.qualifiers) and "上年" not in rise.qualifiers and rise.change
    assert {"比上年", "下降"} <= set(read_question("招待费预算比上一年少安排了多少钱?").qualifiers)
    assert not {"增长", "下降"} & set(read_question("2021年公务接待费是多少了?").qualifiers)
    more = "綦江公路事务中心2023年一般公共财政拨款收入比上一年多拿了多少?"
    assert cited(real_hash_qa, more) == ("2296.45万元", "j_05.txt")
    # the printed 超收5,459万元 of the sentence the computation reads, not 540,459 − 535,000 computed
    assert cited(real_hash_qa, "越秀区2021年区本级收入比年度计划多收了多少?") == ("5,459万元", "r_05.txt")
    assert not real_hash_qa.ask("越秀区2021年区本级收入比年度计划多收了多少?").derived


def test_a_heading_s_year_dates_the_figures_under_it(real_hash_qa: ReportQA) -> None:
    """昌吉市's 2023 budget book reports "一、2022年财政收入预算执行情况": the figures under that heading whose
    sentence names no year (地方一般公共预算收入完成404633万元) are 2022's, not the book's 2023."""
    doc_id = next(d for d, doc in real_hash_qa.data.docs.items() if Path(doc.path).name == "ac_01.txt")
    assert next(f.year for f in real_hash_qa.context.by_doc[doc_id] if f.raw == "404633万元") == "2022"
    assert cited(real_hash_qa, "昌吉市2022年地方一般公共预算收入完成了多少?") == ("404633万元", "ac_01.txt")


def test_一般预算_is_a_book_not_the_budget_stage_and_上年同期_carries_no_subject(real_hash_qa: ReportQA) -> None:
    """秦安县's 月报 prints "一般预算支出完成167731万元,比上年同期169412万元下降0.99%": 一般预算 is the
    pre-2014 name of 一般公共预算 (no 预算 stage asked), and 比上年同期 labels the last year's figure with
    the subject before it."""
    from qa.answering.intent import read_question

    assert "预算" not in read_question("秦安县1-5月一般预算支出上年同期是多少?").qualifiers
    assert "预算" in read_question("秦安县年初预算支出是多少?").qualifiers
    assert cited(real_hash_qa, "秦安县1-5月一般预算支出上年同期是多少?") == ("169412万元", "ac_05.txt")


def test_a_report_named_only_by_the_address_it_was_saved_from(real_hash_qa: ReportQA) -> None:
    """秦安县's 月报 says only 全县; its source line (www.qinan.gov.cn) names it. A question naming 秦安县 is
    its, answered or declined from it — not another county's 三公 figure."""
    from qa.domain.sites import site_labels, site_names

    assert site_labels("source: https://www.qinan.gov.cn/info/10882/375331.htm\ntitle: \n") == ("qinan",)
    assert site_names("秦安县", ("qinan",)) and site_names("彭水县", ("psx",)) and site_names("寿县", ("shouxian",))
    assert site_names("寻甸县", ("kmxd",)) and site_names("渝中区", ("cqyz",))  # a city's initials, then the county's
    assert not site_names("秦安县", ("psx",)) and not site_names("寿县", ("sx",)) and not site_names("渝中区", ("yz1",))
    assert cited(real_hash_qa, "秦安县1-5月一般预算财政收入完成多少?") == ("12655万元", "ac_05.txt")
    declined = real_hash_qa.ask("秦安县1-5月“三公”经费支出多少?")
    ac_05 = next(d for d, doc in real_hash_qa.data.docs.items() if Path(doc.path).name == "ac_05.txt")
    assert declined.answer is None and {h.chunk.doc_id for h in declined.passages} == {ac_05}


def test_a_budget_changed_from_one_figure_to_another(real_hash_qa: ReportQA) -> None:
    """巫溪县: "一般公共预算收入由年初的76138万元调整为89138万元": the first is the 年初 budget, the second the
    adjusted one, both of 一般公共预算收入; "其中:土地出让收入由年初预算的65000万元调整为35000万元" keeps its
    own stages. "收入88435元,完成调整预算的99.2 %,…其中:…非税收入49406万元": a rate, whose stage the
    parts listed after it do not take."""
    doc_id = next(d for d, doc in real_hash_qa.data.docs.items() if Path(doc.path).name == "ad_03.txt")
    facts = {(f.raw, f.start): f for f in real_hash_qa.context.by_doc[doc_id]}
    by_raw = {raw: f for (raw, _), f in sorted(facts.items(), key=lambda kv: kv[0][1])}
    assert (by_raw["89138万元"].label, by_raw["89138万元"].qualifiers) == ("一般公共预算收入", ("调整后预算",))
    assert by_raw["65000万元"].qualifiers == ("预算",) and by_raw["35000万元"].qualifiers == ("调整后预算",)
    assert by_raw["99.2 %"].qualifiers == ("执行率",) and by_raw["49406万元"].qualifiers == ()
    assert cited(real_hash_qa, "巫溪县2022年卖地收入的预算后来调成了多少?") == ("35000万元", "ad_03.txt")
    assert cited(real_hash_qa, "巫溪县2022年一般公共预算收入预算经县人大常委会调整后是多少?") == (
        "89138万元",
        "ad_03.txt",
    )


def test_lines_of_a_government_s_books_in_everyday_words(real_hash_qa: ReportQA) -> None:
    """中央给的补助 is 中央补助收入, 还债还了多少本金 债务还本支出; a question about 国有资本经营预算收入 is not
    answered by a sentence about the other books (地方财政收入…其中:一般公共预算收入…,政府性基金收入…)."""
    assert cited(real_hash_qa, "海南省2020年中央给的补助有多少钱?") == ("999.5亿元", "ad_01.txt")
    assert cited(real_hash_qa, "海南省财政厅报告里,2020年一般公共预算还债还了多少本金?") == ("127.8亿元", "ad_01.txt")
    assert real_hash_qa.ask("达拉特旗2022年国有资本经营预算收入调整为多少?").answer is None


def test_a_word_glued_to_the_figure_before_it_and_a_lead_s_stage(real_hash_qa: ReportQA) -> None:
    """ "事业编制27人实有37人": 实有 qualifies 事业编制, it names no subject of its own; "批准的年初预算为:
    一般公共预算收入76138万元(税收收入…、非税收入29130万元)": the lead's stage is every listed figure's, but
    "决算支出785万元,较年初预算减少28%其中:公务用车购置费274万元" is a comparison, not a stage."""
    doc_id = next(d for d, doc in real_hash_qa.data.docs.items() if Path(doc.path).name == "ad_07.txt")
    labels = {f.raw: f.label for f in real_hash_qa.context.by_doc[doc_id]}
    assert labels["37人"] == "事业编制实有" and labels["27人"] == "事业编制" and labels["19人"] == "行政编制实有"
    assert cited(real_hash_qa, "吉日嘎朗图镇事业编制实有多少人?") == ("37人", "ad_07.txt")
    assert "预算" in fact_in(real_hash_qa, "ad_03.txt", "29130万元")
    assert "预算" not in fact_in(real_hash_qa, "c_03.txt", "274万元")
    assert cited(real_hash_qa, "巫溪县2022年非税收入实际完成多少?") == ("49406万元", "ad_03.txt")


def test_a_short_name_before_the_year_names_the_report(real_hash_qa: ReportQA) -> None:
    """ "奉新2023年招待费…", "辽宁2021年全省…": two characters before the year are a short name; the reports
    printing them are the scope, not every report of that year (辽宁 was answered from 示范区's 110.07亿元)."""
    assert cited(real_hash_qa, "奉新2023年招待费预算安排了多少?") == ("989.86万元", "ad_05.txt")
    liaoning = real_hash_qa.ask("辽宁2021年全省还政府债务的本金花了多少?")
    assert liaoning.answer is None or Path(liaoning.sources[0].path).name == "p_05.txt"


def test_a_county_asked_of_a_city_s_report_is_not_another_county_s_figure(real_hash_qa: ReportQA) -> None:
    """宝鸡's 绩效管理 report: "太白县率先对…共11个项目开展绩效评价;眉县对…的427个项目开展事前绩效评估": 太白县's
    question is never answered with 眉县's 427个. 全县, 我县, 兄弟县市 name no county."""
    from qa.answering.score import places_in

    assert places_in("眉县对总额80126.57万元的") == ["眉县"] and places_in("宝鸡市太白县") == ["太白县"]
    assert places_in("2020年全县一般公共预算") == [] and places_in("是我县落实,覆盖全县16个乡镇") == []
    assert places_in("共接待上级检查指导、兄弟县市考察交流等") == []
    assert real_hash_qa.ask("太白县对多少个债券项目开展了绩效评价?").answer != "427个"
