"""A question naming a department but no year, over several of its reports: each report's figure."""

from __future__ import annotations

from pathlib import Path

from qa.api import ReportQA
from qa.domain.lexicon import ITEM_BY_NAME, label_matches
from qa.domain.numbers import fold
from qa.index.embed import HashEmbedder
from qa.index.store import build, save
from qa.ingest.load import load_file

REPORT = """{year}年岚溪县卫生健康局“三公”经费决算情况说明

一、“三公”经费支出情况
{year}年岚溪县卫生健康局一般公共预算财政拨款“三公”经费支出{total}万元。其中：因公出国（境）费0万元；公务接待费{fee}万元，主要用于上级检查指导工作接待。
"""


def write(folder: Path, year: int, fee: str, total: str) -> Path:
    path = folder / f"{year}年岚溪县卫生健康局三公经费.txt"
    path.write_text(REPORT.format(year=year, fee=fee, total=total), encoding="utf-8")
    return path


def index_of(tmp_path: Path, reports: list[tuple[int, str, str]]) -> ReportQA:
    docs = [load_file(write(tmp_path, *r)) for r in reports]
    save(tmp_path / "idx", build(docs, HashEmbedder()))
    return ReportQA(tmp_path / "idx", embedder=HashEmbedder())


def test_each_years_figure_is_listed_when_they_differ(tmp_path: Path) -> None:
    qa = index_of(tmp_path, [(2019, "3.20", "5.10"), (2020, "2.75", "4.05")])
    answer = qa.ask("岚溪县卫生健康局公务接待费多少")
    assert [(r.year, r.answer) for r in answer.rows] == [("2019", "3.20万元"), ("2020", "2.75万元")]
    assert answer.message.startswith("问题未说年度") and answer.value is None
    for row in answer.rows:  # each figure cited in its own report
        doc = qa.data.docs[row.doc_id]
        assert doc.text[row.source.start : row.source.end] == row.answer.removesuffix("万元") + "万元"
    named = qa.ask("岚溪县卫生健康局2020年公务接待费多少")  # a year named: that report's figure alone
    assert named.answer == "2.75万元" and not named.rows


def test_one_figure_when_the_years_agree(tmp_path: Path) -> None:
    qa = index_of(tmp_path, [(2019, "3.20", "5.10"), (2020, "3.20", "4.05")])
    answer = qa.ask("岚溪县卫生健康局公务接待费多少")
    assert answer.answer == "3.20万元" and not answer.rows


def test_item_words_are_matched_folded() -> None:
    # "因公出国（境）费" in the lexicon, "因公出国(境)经费" in a folded label
    assert label_matches(ITEM_BY_NAME["因公出国（境）费用"], fold("因公出国(境)经费")) >= 6


STAGED = """2020年岚溪县卫生健康局“三公”经费{stage}情况说明

一、“三公”经费{stage}情况
2020年岚溪县卫生健康局一般公共预算财政拨款“三公”经费{stage}{total}万元。其中：因公出国（境）费0万元；公务接待费{fee}万元。
"""


def test_one_years_budget_and_final_accounts_are_both_listed_unless_the_stage_is_asked(tmp_path: Path) -> None:
    paths = []
    for stage, fee in (("预算", "3.00"), ("决算", "2.75")):
        path = tmp_path / f"2020年岚溪县卫生健康局三公经费{stage}.txt"
        path.write_text(STAGED.format(stage=stage, fee=fee, total="6.00"), encoding="utf-8")
        paths.append(path)
    save(tmp_path / "idx", build([load_file(p) for p in paths], HashEmbedder()))
    qa = ReportQA(tmp_path / "idx", embedder=HashEmbedder())
    both = qa.ask("岚溪县卫生健康局2020年公务接待费多少")
    assert both.message.startswith("同年有几份报告") and {r.answer for r in both.rows} == {"3.00万元", "2.75万元"}
    assert qa.ask("岚溪县卫生健康局2020年公务接待费决算多少").answer == "2.75万元"
    assert qa.ask("岚溪县卫生健康局2020年公务接待费预算多少").answer == "3.00万元"
    # eval: a listing is right when the gold report's row holds the gold figure, with exact offsets
    from qa.quality.evaluate import Question, evaluate

    asked = "岚溪县卫生健康局2020年公务接待费多少"
    right = Question("q1", asked, "2.75万元", None, paths[1].name, None, "literal")
    wrong = Question("q2", asked, "2.80万元", None, paths[1].name, None, "literal")
    summary = evaluate(qa, [right, wrong]).summary()
    assert summary["exact_accuracy"] == 0.5 and summary["offsets_exact"] == 1.0
