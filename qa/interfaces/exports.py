"""A conversation's answers as a table to take away: one row per turn (question, figure, document, section,
offsets, sentence), written as CSV (UTF-8 with BOM, for Excel) and as .xlsx."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

from qa.records import Answer

EXPORT_COLUMNS = (
    *("序号", "问题", "按此问题回答", "答案", "计算方式", "报告", "小节"),
    *("页", "字符起", "字符止", "原文", "文件", "说明"),
)


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
