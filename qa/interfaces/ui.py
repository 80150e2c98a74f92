"""The chat page (Gradio): a conversation whose every answer is a card — the figure large, what it
is (column, stage), its sentence with the figure highlighted, the document, section, page and
offsets, and a citation line to paste; a decline shows the nearest passages, each naming its
report.  Follow-ups ("那上年呢？") are completed from the question before (followup.py) and the
page shows the question it answered; the conversation downloads as CSV or Excel.  A click on an answer
opens its report's text at the figure, highlighted (the source view).

Pickers limit the reports a question is asked of (department, year, document); a question
across reports shows one row per report; a report can be uploaded, checked and indexed
from the page (kept in `<index>/uploads/`).
"""

from __future__ import annotations

import csv
import html
import os
import shutil
import sys
import tempfile
import uuid
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from qa.answering.followup import complete, is_follow_up
from qa.ingest.load import SUPPORTED_SUFFIXES
from qa.interfaces.worker import ANY, Checked, Choices, Engine, EngineProblem, Listed
from qa.records import Answer, Excerpt, Fact, Hit, Row, Source

if TYPE_CHECKING:
    from qa.answering.check import Check
    from qa.api import ReportQA
MAX_UPLOAD_MB = 30
UPLOAD_TYPES = SUPPORTED_SUFFIXES  # one list: what the page accepts is what ingest reads

EXAMPLES = ["公务接待费多少？", "2018年人员经费是多少", "出国花了多少钱", "车辆编制数是多少", "会议费多少"]
CSS = """
.rq-figure { font-size: 2.2em; font-weight: 700; color: #b42318; }
.rq-related { color: #555; margin-left: .6em; }
.rq-sentence { font-size: 1.1em; margin: .6em 0; line-height: 1.7; }
.rq-sentence mark { background: #ffe08a; font-weight: 700; padding: 0 .1em; }
.rq-where { color: #555; font-size: .9em; }
.rq-none { font-size: 1.2em; font-weight: 600; }
.rq-derived { color: #1d4ed8; margin: .4em 0; }
.rq-passage { border-left: 3px solid #ccc; padding: .2em .8em; margin: .6em 0; }
.rq-passage small { color: #666; }
.rq-rows { border-collapse: collapse; width: 100%; }
.rq-rows td, .rq-rows th { border: 1px solid #ddd; padding: .3em .5em; vertical-align: top; }
.rq-cell-figure { font-weight: 700; color: #b42318; white-space: nowrap; }
.rq-quals { color: #1d4ed8; font-size: .95em; }
.rq-cite { color: #333; font-size: .85em; margin-top: .4em; user-select: all; }
.rq-pass { color: #067647; font-weight: 600; }
.rq-fail { color: #b42318; font-weight: 700; }
.rq-missing { color: #777; }
#source-view .rq-doc { white-space: pre-wrap; line-height: 1.7; max-height: 28em; overflow-y: auto;
  border: 1px solid #ddd; padding: .6em .8em; font-size: .95em; }
#source-view mark { background: #ffe08a; font-weight: 700; outline: 2px solid #b42318; }
/* gradio words its drop zone in the browser's language ("Drop File Here - or - Click to Upload"):
   the page says it in Chinese whatever the browser's locale */
#upload [data-testid="upload-text"] { font-size: 0; }
#upload [data-testid="upload-text"] > * { font-size: 1rem; }
#upload [data-testid="upload-text"] .or { display: none; }
#upload [data-testid="upload-text"]::after { content: "将报告文件拖放到此处，或点击选择（可多选）"; font-size: 1rem; }
"""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _lines(text: str) -> str:
    """Escaped text with its line breaks kept (a table row copied one cell per line)."""
    return _e(text).replace("\n", "<br>")


def where_html(src: Source) -> str:
    """Document · section · page · offsets of a citation."""
    return (
        f'<div class="rq-where">{_e(src.title)} · {_e(src.section or "（无小节）")} · '
        f"{f'第 {src.page} 页 · ' if src.page else ''}字符 {src.start}–{src.end} · {_e(src.path)}</div>"
    )


def source_html(src: Source) -> str:
    a, b = src.start - src.sentence_start, src.end - src.sentence_start
    return (
        f'<div class="rq-sentence">{_lines(src.text[:a])}<mark>{_e(src.text[a:b])}</mark>{_lines(src.text[b:])}</div>'
        + where_html(src)
    )


def qualifiers_html(src: Source) -> str:
    """What the figure is, beyond its row: the column it stands under and its stage/year words."""
    said = [f"栏目：{src.column}"] if src.column else []
    said += [q for q in src.qualifiers if q not in src.column]
    return f'<div class="rq-quals">{_e(" · ".join(said))}</div>' if said else ""


SOURCE_HINT = "点击对话中的一条回答，这里显示它所引报告的原文，并定位、高亮到该数字。"


def excerpt_html(ex: Excerpt) -> str:
    """A report's text around a cited figure, the figure highlighted (the page scrolls to it)."""
    a, b = ex.start - ex.window_start, ex.end - ex.window_start
    shown = f"字符 {ex.window_start}–{ex.window_start + len(ex.text)}（全文 {ex.length} 字符）"
    return (
        f'<div class="rq-where">{_e(ex.title)} · 数字在字符 {ex.start}–{ex.end} · {shown} · {_e(ex.path)}</div>'
        f'<div class="rq-doc">{_e(ex.text[:a])}<mark id="rq-source-hit">{_e(ex.text[a:b])}</mark>'
        f"{_e(ex.text[b:])}</div>"
    )


def cited_at(answer: Answer) -> list[str | int] | None:
    """What the source view needs of an answer: its first citation's report and offsets."""
    if not (answer.found and answer.sources):
        return None
    src = answer.sources[0]
    return [src.doc_id, src.start, src.end]


def turn_of(index: object) -> int | None:
    """The conversation turn of a selected chat message (two messages per turn), or None."""
    first = index[0] if isinstance(index, (list, tuple)) and index else index
    return first // 2 if isinstance(first, int) and first >= 0 else None


def citation_text(answer: Answer) -> str:
    """One line to paste into a working paper: the figure and where it is printed."""
    if not (answer.found and answer.sources):
        return f"{answer.question}：报告中未找到"
    src = answer.sources[0]
    page = f"，第{src.page}页" if src.page else ""
    derived = f"（计算所得：{answer.derived}）" if answer.derived else ""
    return f"{answer.answer}{derived}（{src.title}，{src.section or '无小节'}{page}，字符{src.start}–{src.end}）"


def rows_html(answer: Answer) -> str:
    """A question across reports: one row per report, each figure with its sentence and place."""
    body = "".join(_row_html(row) for row in answer.rows)
    return (
        f'<div class="rq-where rq-rows-note">{_e(answer.message)}</div>'
        '<table class="rq-rows"><thead><tr><th>单位</th><th>年度</th><th>数字</th><th>原文与出处</th>'
        f"</tr></thead><tbody>{body}</tbody></table>"
        f'<div class="rq-where">{answer.latency_ms:.0f} ms</div>'
    )


def _row_html(row: Row) -> str:
    derived = f'<div class="rq-derived">计算所得：{_e(row.derived)}</div>' if row.derived else ""
    return (
        f"<tr><td>{_e(row.department or row.doc_id)}</td><td>{_e(row.year or '')}</td>"
        f'<td class="rq-cell-figure">{_e(row.answer)}</td><td>{derived}{source_html(row.source)}</td></tr>'
    )


def answer_html(answer: Answer, titles: Mapping[str, str] | None = None) -> str:
    """The answer card: figure, what it is, the highlighted sentence(s) and where each stands; a
    decline says why and shows the nearest passages open, each naming its report."""
    if answer.rows:
        return rows_html(answer)
    if not (answer.found and answer.sources):
        reason = answer.message if answer.message.startswith("报告中未找到：") else ""
        return (
            f'<div class="rq-none">报告中未找到“{_e(answer.question)}”对应的数字。{_e(reason)}</div>'
            '<div class="rq-where">下面是最接近的段落，请核对原文：</div>'
            + passages_html(answer.passages[:NEAREST_SHOWN], titles or {})
        )
    related = f'<span class="rq-related">同句：{_e("、".join(answer.related))}</span>' if answer.related else ""
    derived = (
        f'<div class="rq-derived">计算所得（非报告原文数字）：{_e(answer.derived)}</div>' if answer.derived else ""
    )
    return (
        f'<div><span class="rq-figure">{_e(answer.answer or "")}</span>{related}</div>'
        + (qualifiers_html(answer.sources[0]) if not answer.derived else "")
        + derived
        + "".join(source_html(src) for src in answer.sources)
        + f'<div class="rq-cite">引用：{_e(citation_text(answer))}</div>'
        + f'<div class="rq-where">{answer.latency_ms:.0f} ms · 点击此回答查看原文</div>'
    )


# Requests handled at once by an event (gradio's default is one): the answering process still takes
# one question at a time, but the page's work around it (queueing, rendering the card, streaming
# the result) overlaps; measured with `reportqa bench --load` (README)
ANSWERING_THREADS = 8
SESSIONS_KEPT = 200  # conversations whose state the page keeps in memory (see launch)
NEAREST_SHOWN = 3  # passages a decline shows in its card; the rest stay under 其他段落


def passages_html(hits: Sequence[Hit], titles: Mapping[str, str]) -> str:
    """Retrieved passages, best first, each naming its report, section and offsets."""
    parts = []
    for i, hit in enumerate(hits, start=1):
        c = hit.chunk
        parts.append(
            f'<div class="rq-passage"><small>[{i}] {_e(titles.get(c.doc_id, c.doc_id))} · '
            f"{_e(' / '.join(c.section) or '（无小节）')} · 字符 {c.start}–{c.end}</small><br>{_lines(c.text)}</div>"
        )
    return "".join(parts) or "<p>（无）</p>"


def picker_lists(choices: Choices) -> tuple[list[str], list[str], list[tuple[str, str]]]:
    """Departments, years and documents of the index, each list led by 全部 (any)."""
    return [ANY, *choices.departments], [ANY, *choices.years], [(ANY, ANY), *choices.docs]


def picked(value: str | None) -> str | None:
    """A picker's value as a filter: None for 全部 (any) or nothing picked."""
    return None if not value or value == ANY else value


def check_upload(path: Path) -> str | None:
    """Why an uploaded file is refused, or None when it may be indexed."""
    if path.suffix.lower() not in UPLOAD_TYPES:
        return f"{path.name}: 不支持的文件类型 {path.suffix or '（无扩展名）'}；可上传 {'、'.join(UPLOAD_TYPES)}"
    size = path.stat().st_size
    if size > MAX_UPLOAD_MB * 1024 * 1024:
        return f"{path.name}: 文件 {size / 1024 / 1024:.1f} MB，超过上限 {MAX_UPLOAD_MB} MB"
    if size == 0:
        return f"{path.name}: 空文件"
    return None


def kept_path(folder: Path, uploaded: Path) -> Path:
    """Where an upload is kept: its bare file name inside `folder` (never a path out of it); another
    report uploaded under a name already kept gets "-2", "-3" …, so it never replaces the first."""
    name = Path(uploaded.name).name
    kept = folder / name
    number = 2
    content = uploaded.read_bytes() if kept.exists() else b""  # read once, only when the name is taken
    while kept.exists() and kept.read_bytes() != content:
        kept = folder / f"{Path(name).stem}-{number}{Path(name).suffix}"
        number += 1
    return kept


def index_upload(qa: ReportQA, uploaded: Path) -> str:
    """Check, keep and index one uploaded report; the index is untouched when it is refused."""
    from qa.index.store import IndexBusy
    from qa.ingest.plan import ingest

    problem = check_upload(uploaded)
    if problem:
        return problem
    folder = qa.index_dir / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    kept = kept_path(folder, uploaded)
    existed = kept.exists()  # the same report uploaded before: kept already, never deleted here
    shutil.copyfile(uploaded, kept)
    try:
        outcome = ingest([kept], qa.index_dir, qa.spec, lambda: qa.embedder)
    except IndexBusy as exc:
        if not existed:
            kept.unlink(missing_ok=True)
        return f"{uploaded.name}: 索引正在被另一个进程写入，请稍后再试；索引未改动（{exc}）"
    if outcome.skipped and not outcome.plan.added and not outcome.plan.replaced:
        kept.unlink(missing_ok=True)
        return "；".join(f"{Path(s.path).name}: {s.reason}" for s in outcome.skipped)
    qa.reload()
    doc = next((d for d in qa.data.docs.values() if Path(d.path) == kept), None)
    title = doc.title if doc else kept.name
    return f"已索引：{title}（共 {len(qa.data.docs)} 份报告）"


EXPORT_COLUMNS = (
    *("序号", "问题", "按此问题回答", "答案", "计算方式", "报告", "小节"),
    *("页", "字符起", "字符止", "原文", "文件", "说明"),
)


def upload_report(files: Sequence[str], index_one: Callable[[str], str]) -> str:
    """Each chosen file indexed in turn, one status line per file (已索引 / 已跳过：原因): a refused
    file leaves the others, and what was already indexed, as they are."""
    if not files:
        return "请选择文件"
    lines = []
    for number, file in enumerate(files, start=1):
        name = Path(file).name
        try:
            said = index_one(file)
        except EngineProblem as exc:  # the answering process failed on this file: say so, go on
            said = f"{name}: {exc}"
        if said.startswith("已索引"):
            lines.append(f"{number}. {name} — {said}")
        else:
            reason = said.removeprefix(f"{name}: ").removeprefix(f"{name}：")
            lines.append(f"{number}. {name} — 已跳过：{reason}")
    return "\n".join(lines)


def turn_record(number: int, typed: str, asked: str, answer: Answer) -> dict[str, str]:
    """One exported row of the conversation: the question, the answer and its citation."""
    src = answer.sources[0] if answer.found and answer.sources else None
    return {
        "序号": str(number),
        "问题": typed,
        "按此问题回答": asked,
        "答案": (answer.answer or "") if answer.found else "",
        "计算方式": answer.derived or "",
        "报告": src.title if src else "",
        "小节": src.section if src else "",
        "页": str(src.page) if src and src.page else "",
        "字符起": str(src.start) if src else "",
        "字符止": str(src.end) if src else "",
        "原文": src.text if src else "",
        "文件": src.path if src else "",
        "说明": answer.message or ("" if answer.found else "报告中未找到"),
    }


def write_csv(columns: Sequence[str], rows: Sequence[Sequence[str]], path: Path) -> Path:
    """A table as CSV in UTF-8 with BOM, so Excel reads the Chinese."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(columns)
        writer.writerows(rows)
    return path


def write_xlsx(columns: Sequence[str], rows: Sequence[Sequence[str]], path: Path, sheet_name: str) -> Path:
    """A table as an Excel workbook; every cell is text, so "0.50" stays "0.50" (a working paper
    must show the figure as printed) and offsets are not turned into dates or numbers."""
    import openpyxl
    from openpyxl.utils import get_column_letter

    path.parent.mkdir(parents=True, exist_ok=True)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = sheet_name
    sheet.append(list(columns))
    for row in rows:
        sheet.append(list(row))
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            cell.number_format = "@"
    for number, column in enumerate(columns, start=1):
        longest = max((len(str(r[number - 1])) for r in rows[:200]), default=0)
        sheet.column_dimensions[get_column_letter(number)].width = min(40, max(6, len(column) * 2, longest * 1.6))
    book.save(path)
    return path


def write_export(turns: Sequence[dict[str, str]], folder: Path) -> Path:
    """The conversation as CSV, one row per question."""
    rows = [[t.get(c, "") for c in EXPORT_COLUMNS] for t in turns]
    return write_csv(EXPORT_COLUMNS, rows, folder / "reportqa-对话.csv")


def write_export_xlsx(turns: Sequence[dict[str, str]], folder: Path) -> Path:
    """The same rows as an Excel workbook."""
    rows = [[t.get(c, "") for c in EXPORT_COLUMNS] for t in turns]
    return write_xlsx(EXPORT_COLUMNS, rows, folder / "reportqa-对话.xlsx", "对话")


FACT_COLUMNS = ("报告", "文件", "项目", "数字", "栏目", "限定词", "年度", "小节", "字符起", "字符止", "原文数字")
FACT_WIDTHS = ("16%", "8%", "16%", "9%", "9%", "8%", "5%", "13%", "5%", "5%", "6%")


def fact_rows(listed: Listed, wanted: str = "") -> list[list[str]]:
    """The facts tab's table: one row per figure, as printed, with where it stands; with `wanted`,
    the rows holding each of its words (split on spaces) in some cell."""
    rows = [_fact_row(f, listed.titles.get(f.doc_id, f.doc_id), listed.files.get(f.doc_id, "")) for f in listed.facts]
    words = wanted.split()
    return [r for r in rows if all(any(w in cell for cell in r) for w in words)] if words else rows


def _fact_row(fact: Fact, title: str, file: str) -> list[str]:
    return [
        title,
        file,
        fact.label,
        fact.display,
        fact.column,
        "、".join(fact.qualifiers),
        fact.year or "",
        fact.section,
        str(fact.start),
        str(fact.end),
        fact.raw,
    ]


def listed_note(listed: Listed, shown: int) -> str:
    cut = f"；只读了前 {len(listed.facts)} 个，请用单位、年度或文档缩小范围" if listed.cut else ""
    picked = f"，筛选后 {shown} 个" if shown != len(listed.facts) else ""
    return f"{listed.reports} 份报告，{len(listed.facts)} 个数字{picked}{cut}。点击表头可排序；下载的是表中各行。"


def checks_html(checked: Sequence[Checked]) -> str:
    """Each report's accounting identities: the printed total, its parts, 通过 / 不符 / 数据不足,
    every figure with its offsets in the report."""
    if not checked:
        return '<div class="rq-none">所选范围内没有报告。</div>'
    counts = Counter(c.status for report in checked for c in report.results if _anything_found(c))
    parts = [
        f'<div class="rq-where">{len(checked)} 份报告：通过 {counts["pass"]} 项，不符 {counts["fail"]} 项，'
        f"数据不足 {counts['not enough data']} 项；有不符的报告列在前面，一个数字也没找到的核对项不列出。</div>"
    ]
    failing = sorted(checked, key=lambda r: not any(c.status == "fail" for c in r.results))
    for report in failing:
        body = "".join(_check_row(c) for c in report.results if _anything_found(c))
        parts.append(
            f'<h4 class="rq-check-title">{_e(report.title)}</h4><table class="rq-rows rq-checks"><thead><tr>'
            "<th>核对项</th><th>报告数</th><th>分项</th><th>结果</th></tr></thead>"
            f"<tbody>{body or '<tr><td colspan=4>（无可核对的恒等式）</td></tr>'}</tbody></table>"
        )
    return "".join(parts)


def _anything_found(check: Check) -> bool:
    return check.total is not None or any(p is not None for p in check.parts)


def _cited(fact: Fact | None) -> str:
    if fact is None:
        return '<span class="rq-missing">（未找到）</span>'
    return f'<span class="rq-cell-figure">{_e(fact.display)}</span> <small>字符 {fact.start}–{fact.end}</small>'


def _check_row(check: Check) -> str:
    group = f"（{check.group}）" if check.group else ""
    items = "<br>".join(f"{_e(n)} {_cited(f)}" for n, f in zip(check.part_names, check.parts, strict=True))
    css = {"pass": "rq-pass", "fail": "rq-fail"}.get(check.status, "rq-missing")
    return (
        f"<tr><td>{_e(check.identity + group)}</td><td>{_cited(check.total)}</td><td>{items}</td>"
        f'<td class="{css}">{_e(check.verdict())}</td></tr>'
    )


def header_text(choices: Choices) -> str:
    return (
        f"## reportqa · 报告问答\n答案均为报告原文数字，附出处。已索引 {choices.reports} 份报告；"
        "可按单位、年度、文档限定范围，可接着问“那上年呢？”“公务用车呢？”，或问“各部门公务接待费对比”。"
    )


def build_app(engine: Engine):  # -> gr.Blocks
    try:
        import gradio as gr
    except ImportError as exc:  # pragma: no cover - install problem
        raise RuntimeError("the chat page needs gradio: pip install gradio") from exc

    export_dir = Path(tempfile.mkdtemp(prefix="reportqa-export-"))

    titles: dict[str, str] = {}  # doc_id → title, for passages; refreshed with the pickers

    def turn(
        question: str,
        history: list[dict[str, str]],
        turns: list[dict[str, str]],
        department: str,
        year: str,
        doc: str,
        session: str,
        cited: list[list[str | int] | None],
    ) -> tuple[object, ...]:
        history, turns, cited = list(history or []), list(turns or []), list(cited or [])
        if not question or not question.strip():
            return history, turns, "", gr.update(), gr.update(), session, cited
        asked = question.strip()
        if turns and is_follow_up(asked):
            asked = complete(turns[-1]["按此问题回答"], asked)
        answer = engine.ask(asked, picked(department), picked(year), picked(doc))
        shown = question.strip() if asked == question.strip() else f"{question.strip()}（按“{asked}”回答）"
        history += [
            {"role": "user", "content": _e(shown)},
            {"role": "assistant", "content": answer_html(answer, titles)},
        ]
        turns.append(turn_record(len(turns) + 1, question.strip(), asked, answer))
        cited.append(cited_at(answer))
        session = session or uuid.uuid4().hex  # one export file per conversation, rewritten as it grows
        exported = write_export(turns, export_dir / session)
        workbook = write_export_xlsx(turns, export_dir / session)
        return history, turns, passages_html(answer.other_passages(), titles), exported, workbook, session, cited

    def source(cited: list[list[str | int] | None], evt: gr.SelectData) -> str:
        """The report's text at the figure of the answer clicked in the conversation."""
        number = turn_of(evt.index)
        where = cited[number] if number is not None and number < len(cited or []) else None
        if not where:
            return f'<div class="rq-where">这条回答没有引用原文数字（未找到时请看卡片里的段落）。{SOURCE_HINT}</div>'
        doc_id, start, end = str(where[0]), int(where[1]), int(where[2])
        try:
            return excerpt_html(engine.excerpt(doc_id, start, end))
        except (EngineProblem, ValueError) as exc:
            return f'<div class="rq-none">无法显示原文：{_e(str(exc))}</div>'

    # gradio passes the click's SelectData by the parameter's type, read at run time: this module's
    # annotations are strings (postponed), and gr is imported here, not at the module's top
    source.__annotations__ = {"cited": list, "evt": gr.SelectData, "return": str}

    def ask_once(question: str, department: str, year: str, doc: str) -> str:
        """One question outside any conversation: its answer card (the API for scripts and `bench`)."""
        if not question or not question.strip():
            return "<div class='rq-none'>请输入问题，例如：公务接待费多少？</div>"
        return answer_html(engine.ask(question.strip(), picked(department), picked(year), picked(doc)), titles)

    def clear() -> tuple[object, ...]:
        return [], [], "", None, None, "", []

    def refreshed() -> tuple[object, ...]:
        choices = engine.choices()
        known = {doc_id: title for title, doc_id in choices.docs}
        titles.update(known)  # in place, never emptied: questions answered meanwhile still name their reports
        for gone in set(titles) - set(known):
            titles.pop(gone, None)
        departments, years, docs = picker_lists(choices)
        return (
            header_text(choices),
            gr.Dropdown(choices=departments),
            gr.Dropdown(choices=years),
            gr.Dropdown(choices=docs),
        )

    def list_facts(department: str, year: str, doc: str, wanted: str) -> tuple[object, ...]:
        listed = engine.facts(picked(department), picked(year), picked(doc))
        rows = fact_rows(listed, wanted or "")
        folder = export_dir / uuid.uuid4().hex
        return (
            listed_note(listed, len(rows)),
            rows,
            write_csv(FACT_COLUMNS, rows, folder / "reportqa-数字.csv"),
            write_xlsx(FACT_COLUMNS, rows, folder / "reportqa-数字.xlsx", "数字"),
        )

    def run_checks(department: str, year: str, doc: str) -> str:
        return checks_html(engine.checks(picked(department), picked(year), picked(doc)))

    def upload(files: list[str] | str | None) -> tuple[object, ...]:
        chosen = [files] if isinstance(files, str) else list(files or [])
        return (upload_report(chosen, engine.upload), *refreshed())

    choices = engine.choices()
    titles.update((doc_id, title) for title, doc_id in choices.docs)
    departments, years, docs = picker_lists(choices)
    with gr.Blocks(title="reportqa · 报告问答") as app:
        header = gr.Markdown(header_text(choices), elem_id="header")
        with gr.Row():
            department = gr.Dropdown(departments, value=ANY, label="单位", elem_id="pick-dept")
            year = gr.Dropdown(years, value=ANY, label="年度", elem_id="pick-year")
            document = gr.Dropdown(docs, value=ANY, label="文档", elem_id="pick-doc")
        with gr.Tabs():
            with gr.Tab("问答", elem_id="tab-chat"):
                chat = gr.Chatbot(
                    label="对话",
                    elem_id="chat",
                    height=560,
                    sanitize_html=False,
                    render_markdown=False,
                    buttons=["copy"],
                )
                turns, session, cited = gr.State([]), gr.State(""), gr.State([])
                with gr.Row():
                    question = gr.Textbox(label="问题", placeholder="公务接待费多少？", elem_id="question", scale=5)
                    button = gr.Button("提问", variant="primary", elem_id="ask", scale=1)
                with gr.Row():
                    clear_button = gr.Button("清空对话", elem_id="clear", size="sm")
                    export = gr.DownloadButton("导出对话（CSV）", value=None, elem_id="export", size="sm")
                    export_xlsx = gr.DownloadButton("导出对话（Excel）", value=None, elem_id="export-xlsx", size="sm")
                with gr.Accordion("原文（点击对话中的回答）", open=True):
                    source_view = gr.HTML(f'<div class="rq-where">{SOURCE_HINT}</div>', elem_id="source-view")
                with gr.Accordion("其他段落（最近一问）", open=False):
                    passages = gr.HTML(elem_id="passages")
                inputs = [question, chat, turns, department, year, document, session, cited]
                outputs = [chat, turns, passages, export, export_xlsx, session, cited]
                examples = gr.Examples(EXAMPLES, inputs=question, label="示例问题（点击即问）")
                with gr.Accordion("上传报告", open=False):
                    gr.Markdown(
                        f"支持 {'、'.join(UPLOAD_TYPES)}，单个文件不超过 {MAX_UPLOAD_MB} MB；"
                        "扫描件（无文字层）需先OCR。"
                    )
                    file = gr.File(
                        label="报告文件（可多选）",
                        file_types=list(UPLOAD_TYPES),
                        file_count="multiple",
                        type="filepath",
                        elem_id="upload",
                    )
                    upload_button = gr.Button("索引所选报告", elem_id="upload-index")
                    upload_status = gr.Markdown(elem_id="upload-status")

            with gr.Tab("数字一览", elem_id="tab-facts"):
                gr.Markdown("所选范围（上方的单位、年度、文档）内每份报告印出的每个数字，带出处；可排序、筛选、下载。")
                with gr.Row():
                    facts_filter = gr.Textbox(
                        label="筛选",
                        placeholder="如：公务接待 2021（空格分开的词都要出现）",
                        elem_id="facts-filter",
                        scale=4,
                    )
                    list_button = gr.Button("列出数字", variant="primary", elem_id="facts-list", scale=1)
                facts_note = gr.Markdown(elem_id="facts-note")
                facts_table = gr.Dataframe(
                    headers=list(FACT_COLUMNS),
                    datatype="str",
                    interactive=False,
                    wrap=True,
                    column_widths=list(FACT_WIDTHS),
                    max_height=640,
                    elem_id="facts-table",
                )
                with gr.Row():
                    facts_csv = gr.DownloadButton("下载（CSV）", value=None, elem_id="facts-csv", size="sm")
                    facts_xlsx = gr.DownloadButton("下载（Excel）", value=None, elem_id="facts-xlsx", size="sm")
            with gr.Tab("核对", elem_id="tab-checks"):
                gr.Markdown("所选范围内每份报告的勾稽关系：报告数与分项合计是否相等（通过 / 不符（差额）/ 数据不足）。")
                check_button = gr.Button("核对", variant="primary", elem_id="checks-run")
                checks_view = gr.HTML(elem_id="checks")

        def emptied() -> str:
            return ""

        many = ANSWERING_THREADS
        button.click(turn, inputs=inputs, outputs=outputs, api_name="chat", concurrency_limit=many).then(
            emptied, outputs=question, api_visibility="private"
        )
        question.submit(turn, inputs=inputs, outputs=outputs, api_visibility="private", concurrency_limit=many).then(
            emptied, outputs=question, api_visibility="private"
        )
        gr.api(ask_once, api_name="ask", concurrency_limit=ANSWERING_THREADS)
        examples.load_input_event.then(
            turn, inputs=inputs, outputs=outputs, api_visibility="private", concurrency_limit=many
        ).then(emptied, outputs=question, api_visibility="private")
        clear_button.click(clear, outputs=outputs, api_visibility="private")
        chat.select(source, inputs=cited, outputs=source_view, api_visibility="private").then(
            None, js=SCROLL_TO_FIGURE, api_visibility="private"
        )
        pickers = [header, department, year, document]
        upload_button.click(upload, inputs=file, outputs=[upload_status, *pickers])
        scope = [department, year, document]
        listing = [facts_note, facts_table, facts_csv, facts_xlsx]
        list_button.click(list_facts, inputs=[*scope, facts_filter], outputs=listing, api_visibility="private")
        facts_filter.submit(list_facts, inputs=[*scope, facts_filter], outputs=listing, api_visibility="private")
        check_button.click(run_checks, inputs=scope, outputs=checks_view, api_visibility="private")
        app.load(refreshed, outputs=pickers)  # a report uploaded since the server started is listed
    return app


# after the source view is filled: bring the highlighted figure into view inside its scroll box
SCROLL_TO_FIGURE = "() => { document.getElementById('rq-source-hit')?.scrollIntoView({block: 'center'}); }"


def launch(engine: Engine, host: str = "127.0.0.1", port: int = 7860) -> None:
    """Serve the page; binding beyond loopback asks for REPORTQA_PASSWORD.  A WorkerEngine opens
    the index while gradio is imported here."""
    auth = None
    if host not in ("127.0.0.1", "localhost", "::1"):
        password = os.environ.get("REPORTQA_PASSWORD")
        if not password:
            raise ValueError(f"binding {host} exposes the reports beyond this machine: set REPORTQA_PASSWORD first")
        auth = ("reportqa", password)
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    # gradio wraps every request in a matplotlib backend switch, importing matplotlib (and pyplot, to
    # find the default backend) on the first one: 0.3–0.5 s of the first answer. The page draws no
    # plots; marked absent, the switch is skipped as gradio does when matplotlib is not installed.
    sys.modules.setdefault("matplotlib", None)  # type: ignore[arg-type]
    import gradio as gr

    theme = gr.themes.Default(font=["system-ui", "sans-serif"], font_mono=["monospace"])
    app = build_app(engine)  # waits for the engine: an index that cannot be opened stops here
    print(f"serving reportqa on http://{host}:{port}", file=sys.stderr, flush=True)
    app.launch(
        server_name=host,
        server_port=port,
        auth=auth,
        css=CSS,
        theme=theme,
        show_error=True,
        quiet=True,
        max_file_size=f"{MAX_UPLOAD_MB}mb",
        footer_links=[],  # no English "Use via API · Built with Gradio · Settings" under a Chinese page
        # gradio keeps each session's state (a conversation, its export) for this many sessions: 10,000 by
        # default, ~90 KB each here, so a script asking through the API grew the page by 286 MB in 3,233
        # questions; the oldest sessions beyond this are dropped
        state_session_capacity=SESSIONS_KEPT,
    )
