"""The chat page's pieces that need no browser: the source view's excerpt and which turn a click names."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.api import ReportQA
from qa.interfaces.cards import cited_at, excerpt_html, turn_of
from qa.interfaces.worker import EXCERPT_CHARS, LocalEngine, WorkerEngine, excerpt_of


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

    from qa.interfaces.exports import EXPORT_COLUMNS, turn_record, write_export, write_export_xlsx

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
    from qa.interfaces.uploads import upload_report
    from qa.interfaces.worker import EngineProblem

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


def test_the_facts_tab_lists_every_figure_of_the_scope_and_filters_by_words(hash_index: Path) -> None:
    from qa.interfaces.cards import FACT_COLUMNS, fact_rows, listed_note

    qa = ReportQA(hash_index)
    engine = LocalEngine(qa)
    listed = engine.facts(None, None, None)
    rows = fact_rows(listed)
    assert len(rows) == len(qa.context.by_doc.get(next(iter(qa.data.docs)), [])) > 50
    assert all(len(r) == len(FACT_COLUMNS) for r in rows)
    reception = fact_rows(listed, "公务接待费 2.97")
    assert [(r[2], r[3], r[8], r[9]) for r in reception] == [("公务接待费", "2.97万元", "1024", "1030")]
    assert fact_rows(listed, "公务接待费 1999") == []  # every word must appear
    assert "1 份报告" in listed_note(listed, len(reception)) and f"筛选后 {len(reception)} 个" in listed_note(
        listed, len(reception)
    )
    assert engine.facts(None, "1999", None).facts == ()  # a year no report has: nothing listed
    worker = WorkerEngine(hash_index)
    try:
        assert worker.facts(None, None, None) == listed
        assert worker.checks(None, None, None) == engine.checks(None, None, None)
    finally:
        worker.close()


def test_the_checks_tab_says_pass_or_differs_with_each_figure_cited(hash_index: Path) -> None:
    from decimal import Decimal

    from qa.answering.check import Check
    from qa.interfaces.cards import checks_html
    from qa.interfaces.worker import Checked

    checked = LocalEngine(ReportQA(hash_index)).checks(None, None, None)
    page = checks_html(checked)
    assert "部门整体支出" in page and '<td class="rq-pass">通过</td>' in page
    assert "3514.69万元</span> <small>字符" in page
    seed = checked[0].results[0]
    broken = Checked(
        "b",
        "某局2020年度部门决算",
        (Check("部门整体支出", "", "fail", seed.total, seed.parts, seed.part_names, Decimal("-0.01"), "万元"),),
    )
    nothing = Check("某空核对项", "", "not enough data", None, (None, None), ("甲", "乙"))
    both = checks_html([Checked(checked[0].doc_id, checked[0].title, (*checked[0].results, nothing)), broken])
    assert both.index("某局2020年度部门决算") < both.index(checked[0].title)  # a report that differs comes first
    assert "不符：相差 -0.01万元" in both and "不符 1 项" in both
    assert "某空核对项" not in both  # an identity with no figure found at all is not listed
    assert checks_html([]) == '<div class="rq-none">所选范围内没有报告。</div>'


def test_report_text_is_shown_escaped_never_as_markup(tmp_path: Path) -> None:
    """A report that carries markup: every place the page shows its text (card, passages, source
    view, checks) shows the characters, never a live <script> or <img onerror>."""
    from qa.index.embed import HashEmbedder
    from qa.index.store import build, save
    from qa.interfaces.cards import answer_html, checks_html, passages_html
    from qa.records import Document

    text = (
        "某局2021年度部门决算说明\n一、“三公”经费\n"
        '公务接待费<img src=x onerror="alert(1)">2.50万元，<script>alert(2)</script>共接待10批次。\n'
    )
    doc = Document(
        doc_id="x1", path="x.txt", title="某局<b>2021</b>年度部门决算说明", text=text, sha256="1" * 64, encoding="utf-8"
    )
    save(tmp_path, build([doc], HashEmbedder()))
    qa = ReportQA(tmp_path, embedder=HashEmbedder())
    answer = qa.ask("公务接待费多少")
    engine = LocalEngine(qa)
    pages = [answer_html(answer, {"x1": doc.title}), passages_html(answer.passages, {"x1": doc.title})]
    where = cited_at(answer)
    if where is not None:
        pages.append(excerpt_html(engine.excerpt(str(where[0]), int(where[1]), int(where[2]))))
    pages.append(checks_html(engine.checks(None, None, None)))
    for page in pages:
        assert "<img" not in page and "<script" not in page and "<b>" not in page
    assert any("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page for page in pages)
    assert any("&lt;script&gt;alert(2)&lt;/script&gt;" in page for page in pages)


def test_the_question_box_is_cleared_only_of_the_question_answered() -> None:
    """The box is emptied after the answer is shown; a next question typed meanwhile stays (the clear
    used to wipe it, and a quick user's or the browser test's next question was lost)."""
    from qa.interfaces.ui import KEEP, emptied

    turns = [{"问题": "公务用车呢？", "按此问题回答": "公务用车多少？"}]
    assert emptied("公务用车呢？", turns) == "" and emptied(" 公务用车呢？ ", turns) == ""
    assert emptied("会议费多少", turns) is KEEP
    assert emptied("", turns) is KEEP and emptied("会议费多少", []) is KEEP


def test_uploads_past_the_limit_are_refused_with_the_wait_and_never_indexed(tmp_path: Path) -> None:
    """Three files per 60 s (and 1 MB): the fourth file of a batch is refused, naming the wait, and is not
    indexed; a file over the bytes left is refused too; once the window has passed uploads go through."""
    from qa.interfaces.uploads import UploadLimit, upload_report

    now = [1000.0]
    limit = UploadLimit(files=3, megabytes=1, window_s=60, clock=lambda: now[0])
    files = []
    for name, size in (("a.txt", 10), ("b.txt", 10), ("c.txt", 10), ("d.txt", 10)):
        (tmp_path / name).write_bytes(b"x" * size)
        files.append(str(tmp_path / name))
    indexed: list[str] = []

    def index_one(path: str) -> str:
        indexed.append(Path(path).name)
        return "已索引：某局（共 1 份报告）"

    said = upload_report(files, index_one, limit).splitlines()
    assert said[3] == "4. d.txt — 已跳过：上传过于频繁，请 60 秒后再试" and indexed == ["a.txt", "b.txt", "c.txt"]
    now[0] += 30
    assert "请 30 秒后再试" in upload_report(files[3:], index_one, limit)
    now[0] += 31
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * (1024 * 1024 + 1))
    assert "已跳过：上传过于频繁" in upload_report([str(big)], index_one, limit)
    assert upload_report(files[3:], index_one, limit) == "1. d.txt — 已索引：某局（共 1 份报告）"
    assert indexed == ["a.txt", "b.txt", "c.txt", "d.txt"]
