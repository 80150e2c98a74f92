"""The chat page's pieces that need no browser: the source view's excerpt and which turn a click names."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.api import ReportQA
from qa.ui import cited_at, excerpt_html, turn_of
from qa.worker import EXCERPT_CHARS, LocalEngine, WorkerEngine, excerpt_of


def test_the_source_view_shows_the_report_at_the_cited_figure(hash_index: Path) -> None:
    qa = ReportQA(hash_index)
    answer = qa.ask("公务接待费多少？")
    where = cited_at(answer)
    assert where is not None and answer.answer == "2.97万元"
    doc_id, start, end = str(where[0]), int(where[1]), int(where[2])
    shown = LocalEngine(qa).excerpt(doc_id, start, end)
    text = qa.data.docs[doc_id].text
    # the window is whole lines of the report around the figure, the figure inside it at its offsets
    assert shown.text == text[shown.window_start : shown.window_start + len(shown.text)]
    assert shown.text[start - shown.window_start : end - shown.window_start] == "2.97万元"
    assert shown.window_start == 0 or text[shown.window_start - 1] == "\n"
    assert start - shown.window_start <= EXCERPT_CHARS + 200 and len(shown.text) < len(text)
    page = excerpt_html(shown)
    assert '<mark id="rq-source-hit">2.97万元</mark>' in page and f"数字在字符 {start}–{end}" in page
    assert shown.title in page
    # the worker process gives the same excerpt
    worker = WorkerEngine(hash_index)
    try:
        assert worker.excerpt(doc_id, start, end) == shown
    finally:
        worker.close()


def test_offsets_outside_the_report_are_refused_not_shown_shifted() -> None:
    with pytest.raises(ValueError, match="not in this report"):
        excerpt_of("d", "某报告", "a.txt", "短文本", 2, 40)
    with pytest.raises(ValueError, match="not in this report"):
        excerpt_of("d", "某报告", "a.txt", "短文本", 2, 2)
    shown = excerpt_of("d", "某报告", "a.txt", "第一行\n公务接待费2.97万元。\n第三行", 9, 15)
    assert shown.text == "第一行\n公务接待费2.97万元。\n第三行" and shown.text[9:15] == "2.97万元"


def test_a_click_names_the_turn_of_its_message_and_a_decline_cites_nothing(hash_index: Path) -> None:
    assert [turn_of(i) for i in (0, 1, 2, 3, [5, 0], (4,), -1, None, "x")] == [0, 0, 1, 1, 2, 2, None, None, None]
    declined = ReportQA(hash_index).ask("会议费多少")
    assert not declined.found and cited_at(declined) is None


def test_the_conversation_exports_as_csv_and_excel_as_printed(hash_index: Path, tmp_path: Path) -> None:
    import csv

    import openpyxl

    from qa.ui import EXPORT_COLUMNS, turn_record, write_export, write_export_xlsx

    qa = ReportQA(hash_index)
    turns = [
        turn_record(1, "公务接待费多少？", "公务接待费多少？", qa.ask("公务接待费多少？")),
        turn_record(2, "会议费多少", "会议费多少", qa.ask("会议费多少")),
    ]
    rows = list(csv.DictReader(write_export(turns, tmp_path).open(encoding="utf-8-sig")))
    sheet = openpyxl.load_workbook(write_export_xlsx(turns, tmp_path)).active
    cells = [[c.value or "" for c in row] for row in sheet.iter_rows()]
    assert cells[0] == list(EXPORT_COLUMNS)
    assert [dict(zip(EXPORT_COLUMNS, row, strict=True)) for row in cells[1:]] == rows == turns
    assert rows[0]["答案"] == "2.97万元" and rows[0]["字符起"] == "1024" and rows[1]["说明"].startswith("报告中未找到")
    assert sheet["I2"].number_format == "@"  # offsets stay text, as printed


def test_several_uploads_get_one_status_line_each_and_a_refusal_stops_none() -> None:
    from qa.ui import upload_report
    from qa.worker import EngineProblem

    def index_one(path: str) -> str:
        name = Path(path).name
        if name == "broken.docx":
            raise EngineProblem("BadZipFile: not a zip package")
        return "已索引：某局2020年度部门决算（共 3 份报告）" if name.endswith(".txt") else f"{name}: 空文件"

    said = upload_report(["/up/a.txt", "/up/empty.pdf", "/up/broken.docx", "/up/b.txt"], index_one)
    assert said.splitlines() == [
        "1. a.txt — 已索引：某局2020年度部门决算（共 3 份报告）",
        "2. empty.pdf — 已跳过：空文件",
        "3. broken.docx — 已跳过：BadZipFile: not a zip package",
        "4. b.txt — 已索引：某局2020年度部门决算（共 3 份报告）",
    ]
    assert upload_report([], index_one) == "请选择文件"
