"""The page's HTML, made from records alone (no gradio): an answer's card (figure, what it is, its sentence with
the figure marked, where it stands), a decline's nearest passages, the source view, the facts and checks tables.
Every report text is esc here."""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from qa.interfaces.worker import Checked, Choices, Listed
from qa.records import Answer, Excerpt, Fact, Hit, Row, Source

if TYPE_CHECKING:
    from qa.answering.check import Check


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def _lines(text: str) -> str:
    """Escaped text with its line breaks kept (a table row copied one cell per line)."""
    return esc(text).replace("\n", "<br>")


def where_html(src: Source) -> str:
    """Document · section · page · offsets of a citation."""
    return (
        f'<div class="rq-where">{esc(src.title)} · {esc(src.section or "（无小节）")} · '
        f"{f'第 {src.page} 页 · ' if src.page else ''}字符 {src.start}–{src.end} · {esc(src.path)}</div>"
    )


def source_html(src: Source) -> str:
    a, b = src.start - src.sentence_start, src.end - src.sentence_start
    return (
        f'<div class="rq-sentence">{_lines(src.text[:a])}<mark>{esc(src.text[a:b])}</mark>{_lines(src.text[b:])}</div>'
        + where_html(src)
    )


def qualifiers_html(src: Source) -> str:
    """What the figure is, beyond its row: the column it stands under and its stage/year words."""
    said = [f"栏目：{src.column}"] if src.column else []
    said += [q for q in src.qualifiers if q not in src.column]
    return f'<div class="rq-quals">{esc(" · ".join(said))}</div>' if said else ""


SOURCE_HINT = "点击对话中的一条回答，这里显示它所引报告的原文，并定位、高亮到该数字。"


def excerpt_html(ex: Excerpt) -> str:
    """A report's text around a cited figure, the figure highlighted (the page scrolls to it)."""
    a, b = ex.start - ex.window_start, ex.end - ex.window_start
    shown = f"字符 {ex.window_start}–{ex.window_start + len(ex.text)}（全文 {ex.length} 字符）"
    return (
        f'<div class="rq-where">{esc(ex.title)} · 数字在字符 {ex.start}–{ex.end} · {shown} · {esc(ex.path)}</div>'
        f'<div class="rq-doc">{esc(ex.text[:a])}<mark id="rq-source-hit">{esc(ex.text[a:b])}</mark>'
        f"{esc(ex.text[b:])}</div>"
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
        f'<div class="rq-where rq-rows-note">{esc(answer.message)}</div>'
        '<table class="rq-rows"><thead><tr><th>单位</th><th>年度</th><th>数字</th><th>原文与出处</th>'
        f"</tr></thead><tbody>{body}</tbody></table>"
        f'<div class="rq-where">{answer.latency_ms:.0f} ms</div>'
    )


def _row_html(row: Row) -> str:
    derived = f'<div class="rq-derived">计算所得：{esc(row.derived)}</div>' if row.derived else ""
    return (
        f"<tr><td>{esc(row.department or row.doc_id)}</td><td>{esc(row.year or '')}</td>"
        f'<td class="rq-cell-figure">{esc(row.answer)}</td><td>{derived}{source_html(row.source)}</td></tr>'
    )


def answer_html(answer: Answer, titles: Mapping[str, str] | None = None) -> str:
    """The answer card: figure, what it is, the highlighted sentence(s) and where each stands; a
    decline says why and shows the nearest passages open, each naming its report."""
    if answer.rows:
        return rows_html(answer)
    if not (answer.found and answer.sources):
        reason = answer.message if answer.message.startswith("报告中未找到：") else ""
        return (
            f'<div class="rq-none">报告中未找到“{esc(answer.question)}”对应的数字。{esc(reason)}</div>'
            '<div class="rq-where">下面是最接近的段落，请核对原文：</div>'
            + passages_html(answer.passages[:NEAREST_SHOWN], titles or {})
        )
    related = f'<span class="rq-related">同句：{esc("、".join(answer.related))}</span>' if answer.related else ""
    derived = (
        f'<div class="rq-derived">计算所得（非报告原文数字）：{esc(answer.derived)}</div>' if answer.derived else ""
    )
    return (
        f'<div><span class="rq-figure">{esc(answer.answer or "")}</span>{related}</div>'
        + (qualifiers_html(answer.sources[0]) if not answer.derived else "")
        + derived
        + "".join(source_html(src) for src in answer.sources)
        + f'<div class="rq-cite">引用：{esc(citation_text(answer))}</div>'
        + f'<div class="rq-where">{answer.latency_ms:.0f} ms · 点击此回答查看原文</div>'
    )
NEAREST_SHOWN = 3  # passages a decline shows in its card; the rest stay under 其他段落


def passages_html(hits: Sequence[Hit], titles: Mapping[str, str]) -> str:
    """Retrieved passages, best first, each naming its report, section and offsets."""
    parts = []
    for i, hit in enumerate(hits, start=1):
        c = hit.chunk
        parts.append(
            f'<div class="rq-passage"><small>[{i}] {esc(titles.get(c.doc_id, c.doc_id))} · '
            f"{esc(' / '.join(c.section) or '（无小节）')} · 字符 {c.start}–{c.end}</small><br>{_lines(c.text)}</div>"
        )
    return "".join(parts) or "<p>（无）</p>"


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
            f'<h4 class="rq-check-title">{esc(report.title)}</h4><table class="rq-rows rq-checks"><thead><tr>'
            "<th>核对项</th><th>报告数</th><th>分项</th><th>结果</th></tr></thead>"
            f"<tbody>{body or '<tr><td colspan=4>（无可核对的恒等式）</td></tr>'}</tbody></table>"
        )
    return "".join(parts)


def _anything_found(check: Check) -> bool:
    return check.total is not None or any(p is not None for p in check.parts)


def _cited(fact: Fact | None) -> str:
    if fact is None:
        return '<span class="rq-missing">（未找到）</span>'
    return f'<span class="rq-cell-figure">{esc(fact.display)}</span> <small>字符 {fact.start}–{fact.end}</small>'


def _check_row(check: Check) -> str:
    group = f"（{check.group}）" if check.group else ""
    items = "<br>".join(f"{esc(n)} {_cited(f)}" for n, f in zip(check.part_names, check.parts, strict=True))
    css = {"pass": "rq-pass", "fail": "rq-fail"}.get(check.status, "rq-missing")
    return (
        f"<tr><td>{esc(check.identity + group)}</td><td>{_cited(check.total)}</td><td>{items}</td>"
        f'<td class="{css}">{esc(check.verdict())}</td></tr>'
    )


def header_text(choices: Choices) -> str:
    return (
        f"## reportqa · 报告问答\n答案均为报告原文数字，附出处。已索引 {choices.reports} 份报告；"
        "可按单位、年度、文档限定范围，可接着问“那上年呢？”“公务用车呢？”，或问“各部门公务接待费对比”。"
    )
