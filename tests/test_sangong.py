"""The “三公”经费支出表 read by its template (qa/ingest/sangong.py)."""

from __future__ import annotations

from pathlib import Path

from qa.ingest.load import load_file
from qa.ingest.sangong import sangong_facts
from qa.records import Document

DOCS = Path(__file__).parent / "data" / "real" / "docs"


def figures(doc: Document) -> dict[str, str]:
    facts = sangong_facts(doc, None)
    for f in facts:
        assert doc.text[f.start : f.end] == f.raw
    return {f.label: f.display for f in facts}


def test_a_two_level_header_printed_one_cell_per_line() -> None:
    # 合计 | 出国 | 公务用车购置及运行费 (小计 | 购置费 | 运行费) | 公务 / 接待费, then 328.7 10 78.7 43 35.7 240
    doc = load_file(DOCS / "g_05.txt")
    assert figures(doc) == {
        "“三公”经费合计": "328.7万元",
        "因公出国(境)费": "10万元",
        "公务用车购置及运行费": "78.7万元",
        "公务用车购置费": "43万元",
        "公务用车运行费": "35.7万元",
        "公务接待费": "240万元",
    }
    assert {f.qualifiers for f in sangong_facts(doc, None)} == {("预算",)}  # "…“三公”经费支出预算表"


def test_pipes_and_an_incomplete_table(tmp_path: Path) -> None:
    text = (
        "2021年“三公”经费支出决算表\n单位：万元\n"
        "“三公”经费合计 | 因公出国（境）费 | 公务用车购置及运行费 | 公务接待费 |\n"
        "小计 | 公务用车购置费 | 公务用车运行维护费 |\n"
        "12.5 | 0 | 8.3 | 0 | 8.3 | 4.2 |\n"
    )
    path = tmp_path / "a.txt"
    path.write_text(text, encoding="utf-8")
    got = figures(load_file(path))
    assert got["公务用车运行费"] == "8.3万元" and got["公务接待费"] == "4.2万元" and got["“三公”经费合计"] == "12.5万元"
    path.write_text(text.replace("12.5 | 0 | 8.3 | 0 | 8.3 | 4.2 |", "12.5 | 0 | 8.3 |"), encoding="utf-8")
    assert figures(load_file(path)) == {}  # three figures for six columns: nothing guessed
