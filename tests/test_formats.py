"""qa.ingest.formats: .docx, .pdf, .xlsx and .html reports become text in the table-row convention.

Every fixture is made here, in tmp_path: python-docx, reportlab (STSong-Light, a CID font
every PDF viewer has, so no font file is needed), openpyxl, and plain bytes for HTML.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from qa.ingest.formats import clean_cell, format_datetime, format_number
from qa.ingest.load import SUPPORTED_SUFFIXES, LoadError, Skipped, load_file, load_paths

docx = pytest.importorskip("docx")
openpyxl = pytest.importorskip("openpyxl")
reportlab = pytest.importorskip("reportlab")
pytest.importorskip("pdfplumber")
pytest.importorskip("bs4")

TITLE = "2023年度某某局部门整体支出绩效自评报告"
PROSE = "本部门2023年度公务接待费2.97万元，共接待65批216人次。"
CAPTION = "表1 “三公”经费支出情况"
ROWS = [
    ["项目", "年初预算数", "决算数"],
    ["公务接待费", "2.00", "2.05"],
    ["因公出国（境）费", "0.00", "0.00"],
    ["公务用车运行费", "", "1.10"],
]
ROW_LINES = [
    "项目 | 年初预算数 | 决算数",
    "公务接待费 | 2.00 | 2.05",
    "因公出国（境）费 | 0.00 | 0.00",
    "公务用车运行费 |  | 1.10",
]
AFTER = "以上为2023年度决算数，公务接待费决算数比年初预算增加0.05万元。"


# --- fixtures ------------------------------------------------------------------------


def make_docx(path: Path) -> Path:
    document = docx.Document()
    document.add_heading(TITLE, level=0)
    document.add_heading("一、部门概况", level=1)
    document.add_paragraph(PROSE)
    document.add_heading("二、“三公”经费情况", level=1)
    document.add_paragraph(CAPTION)
    document.add_paragraph("单位：万元")
    table = document.add_table(rows=len(ROWS), cols=3)
    table.style = "Table Grid"
    for r, row in enumerate(ROWS):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph(AFTER)
    document.sections[0].header.paragraphs[0].text = "页眉不进正文"
    document.save(str(path))
    return path


def cn_styles():  # type: ignore[no-untyped-def]
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("cn", fontName="STSong-Light", fontSize=11, leading=16, wordWrap="CJK", firstLineIndent=22)
    head = ParagraphStyle("cn-title", fontName="STSong-Light", fontSize=16, leading=24)
    return body, head


LONG_PROSE = PROSE * 3  # wraps over three lines of the page


def make_pdf(path: Path) -> Path:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

    body, head = cn_styles()
    table = Table(ROWS)
    table.setStyle(
        TableStyle([("FONTNAME", (0, 0), (-1, -1), "STSong-Light"), ("GRID", (0, 0), (-1, -1), 0.5, colors.black)])
    )
    story = [
        Paragraph(TITLE, head),
        Paragraph("一、部门概况", body),
        Paragraph(LONG_PROSE, body),
        PageBreak(),
        Paragraph("二、“三公”经费情况", body),
        Paragraph(CAPTION, body),
        Paragraph("单位：万元", body),
        table,
        Paragraph(AFTER, body),
    ]
    SimpleDocTemplate(str(path), pagesize=A4, title="t").build(story)
    return path


def make_image_pdf(path: Path) -> Path:
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path))
    pdf.rect(72, 400, 300, 200, fill=1)  # shapes only: what a scan looks like to a text extractor
    pdf.circle(300, 300, 50, fill=1)
    pdf.showPage()
    pdf.save()
    return path


def make_encrypted_pdf(path: Path) -> Path:
    from reportlab.pdfgen import canvas

    cn_styles()  # registers STSong-Light
    pdf = canvas.Canvas(str(path), encrypt="secret")
    pdf.setFont("STSong-Light", 12)
    pdf.drawString(72, 720, PROSE)
    pdf.save()
    return path


XLSX_CELLS = [
    # (value, number_format, shown)
    (2.0, "0.00", "2.00"),
    (2, "0.00", "2.00"),
    (1234.5, "#,##0.00", "1,234.50"),
    (0.125, "0.00%", "12.50%"),
    (0.12, "0%", "12%"),
    (2.0000000001, "0.00", "2.00"),
    (0.1 + 0.2, "General", "0.3"),
    (3.0, "General", "3"),
    (1234567.891, "#,##0", "1,234,568"),
    (-1234.5, "#,##0.00;[Red]-#,##0.00", "-1,234.50"),
    (-1234.5, "#,##0.00_);(#,##0.00)", "(1,234.50)"),
    (0, '_ * #,##0.00_ ;_ * -#,##0.00_ ;_ * "-"??_ ;_ @_ ', "-"),
    (3468.9, '_ * #,##0.00_ ;_ * -#,##0.00_ ;_ * "-"??_ ;_ @_ ', "3,468.90"),
    (2.675, "0.00", "2.68"),
    (95.5, '0.0"%"', "95.5%"),
    (86, '0"人"', "86人"),
    (12.5, 'G/通用格式"万元"', "12.5万元"),  # Chinese Excel's name for General
    (12345.678, "0.00E+00", "1.23E+04"),
    (0.5, "#.00", ".50"),
]


def make_xlsx(path: Path) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "三公经费"
    sheet["A1"] = CAPTION
    sheet.merge_cells("A1:C1")
    sheet["A2"] = "单位：万元"
    sheet.append(ROWS[0])
    sheet.append(["公务接待费", 2.0, 2.05])
    sheet.append(["因公出国（境）费", 0, 0])
    sheet.append(["公务用车运行费", None, 1.1])
    sheet.append([])  # an empty row is skipped
    sheet.append(["合计", 2, 3.15, None, None])  # trailing empty cells trimmed
    for row in sheet.iter_rows(min_row=4, max_row=9, min_col=2, max_col=3):
        for cell in row:
            cell.number_format = "0.00"
    formats = workbook.create_sheet("格式")
    for value, number_format, _ in XLSX_CELLS:
        formats.append([number_format, value])
        formats.cell(formats.max_row, 2).number_format = number_format
    hidden = workbook.create_sheet("隐藏")
    hidden["A1"] = "用户看不到的表"
    hidden.sheet_state = "hidden"
    workbook.save(str(path))
    return path


HTML = """<!DOCTYPE html>
<html><head><meta charset="{charset}"><title>网页标题</title>
<style>p {{ color: red; }}</style><script>var x = "脚本不进正文";</script></head>
<body>
<h1>{title}</h1>
<div class="nav"><p>一、部门概况</p></div>
<p>&nbsp;&nbsp;本部门2023年度公务接待费<b>2.97</b>万元，
共接待65批216人次。</p>
<h2>二、“三公”经费情况</h2>
<p>{caption}</p><p>单位：万元</p>
<table border="1">
  <tr><th>项  目</th><th>年初预算数</th><th>决算数</th></tr>
  <tr><td>公务接待费</td><td>2.00</td><td>2.05</td></tr>
  <tr><td>因公出国<br>（境）费</td><td>0.00</td><td>0.00</td></tr>
  <tr><td>公务用车运行费</td><td></td><td>1.10</td></tr>
</table>
<p>{after}</p>
<!-- 注释不进正文 -->
</body></html>
"""


def make_html(path: Path, charset: str = "utf-8") -> Path:
    html = HTML.format(charset=charset, title=TITLE, caption=CAPTION, after=AFTER)
    path.write_bytes(html.encode("gbk" if charset == "gbk" else "utf-8"))
    return path


EXPECTED_BODY = "\n".join(
    ["二、“三公”经费情况", CAPTION, "单位：万元", "", *ROW_LINES, "", AFTER]
)  # what follows the prose in the docx, PDF and HTML fixtures


def offsets_of(text: str, needle: str) -> list[int]:
    found, start = [], text.find(needle)
    while start >= 0:
        found.append(start)
        start = text.find(needle, start + 1)
    return found


# --- docx ----------------------------------------------------------------------------


def test_docx_paragraphs_and_table_in_order(tmp_path: Path) -> None:
    doc = load_file(make_docx(tmp_path / "report.docx"))
    assert doc.text == "\n".join([TITLE, "一、部门概况", PROSE, EXPECTED_BODY])
    assert doc.encoding == "docx"
    assert doc.title == TITLE
    assert doc.pages == ()
    assert "页眉" not in doc.text  # headers and footers are not body text
    lines = doc.text.split("\n")
    assert lines.index(CAPTION) < lines.index("单位：万元") < lines.index(ROW_LINES[0]) < lines.index(AFTER)
    assert lines[lines.index(ROW_LINES[0]) - 1] == "" and lines[lines.index(ROW_LINES[-1]) + 1] == ""
    assert len("公务用车运行费 |  | 1.10".split(" | ")) == 3
    (start,) = offsets_of(doc.text, "2.05")
    assert doc.text[start : start + 4] == "2.05"
    row_start = doc.text.rfind("\n", 0, start) + 1
    assert doc.text[row_start : doc.text.index("\n", start)] == "公务接待费 | 2.00 | 2.05"


def test_docx_merged_cells_are_left_empty(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("合并单元格")
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "支出（万元）"  # horizontal merge
    table.cell(0, 2).text = "备注"
    table.cell(1, 0).merge(table.cell(2, 0)).text = "基本支出"  # vertical merge
    table.cell(1, 1).text = "1.00"
    table.cell(1, 2).text = "人员\n经费"  # a line break inside a cell
    table.cell(2, 1).text = "2.00"
    document.add_paragraph("完")
    path = tmp_path / "merged.docx"
    document.save(str(path))
    text = load_file(path).text
    assert text.split("\n") == [
        "合并单元格",
        "",
        "支出（万元） |  | 备注",
        "基本支出 | 1.00 | 人员经费",
        " | 2.00 | ",
        "",
        "完",
    ]


def test_docx_empty_document(tmp_path: Path) -> None:
    path = tmp_path / "empty.docx"
    docx.Document().save(str(path))
    with pytest.raises(LoadError, match="empty document"):
        load_file(path)


# --- pdf -----------------------------------------------------------------------------


def test_pdf_chinese_text_tables_and_pages(tmp_path: Path) -> None:
    doc = load_file(make_pdf(tmp_path / "report.pdf"))
    assert doc.encoding == "pdf"
    assert doc.title == TITLE
    assert len(doc.pages) == 2 and doc.pages[0] == 0
    page1, page2 = doc.text[: doc.pages[1]], doc.text[doc.pages[1] :]
    # STSong-Light comes back as the very characters written: no CJK compatibility or radical forms.
    assert page1 == "\n".join([TITLE, "一、部门概况", LONG_PROSE, ""])  # wrapped lines joined back
    assert not any(0x2E80 <= ord(ch) <= 0x2FDF or 0xF900 <= ord(ch) <= 0xFAFF for ch in doc.text)
    assert page2 == EXPECTED_BODY
    for line in ROW_LINES:
        assert line in page2.split("\n")
    start = doc.text.index("2.05")
    assert doc.page_at(start) == 2
    assert doc.page_at(doc.text.index("2.97")) == 1
    assert doc.pages[1] < doc.text.index(CAPTION)


def test_pdf_letter_spaced_text_stays_whole(tmp_path: Path) -> None:
    """Justified or letter-spaced Chinese leaves gaps between glyphs; they are not word breaks."""
    from reportlab.pdfgen import canvas

    cn_styles()
    path = tmp_path / "spaced.pdf"
    pdf = canvas.Canvas(str(path))
    text = pdf.beginText(72, 720)
    text.setFont("STSong-Light", 12)
    text.setCharSpace(4)
    text.textLine("公务接待费决算数为2.97万元。")
    pdf.drawText(text)
    pdf.setFont("STSong-Light", 12)
    pdf.drawString(72, 680, "Total 12.5%")  # a real space is kept
    pdf.save()
    assert load_file(path).text == "公务接待费决算数为2.97万元。\nTotal 12.5%"


def test_pdf_without_text_layer_needs_ocr(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="needs OCR"):
        load_file(make_image_pdf(tmp_path / "scan.pdf"))


def test_pdf_with_password(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="password"):
        load_file(make_encrypted_pdf(tmp_path / "locked.pdf"))


def test_pdf_not_a_pdf(tmp_path: Path) -> None:
    path = tmp_path / "fake.pdf"
    path.write_bytes("这不是PDF文件".encode())
    with pytest.raises(LoadError, match="damaged PDF"):
        load_file(path)


# --- damaged files -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("maker", "name", "reason"),
    [
        (make_docx, "half.docx", "damaged DOCX file"),
        (make_pdf, "half.pdf", "damaged PDF"),
        (make_xlsx, "half.xlsx", "damaged XLSX file"),
    ],
    ids=["docx", "pdf", "xlsx"],
)
def test_truncated_files(tmp_path: Path, maker, name: str, reason: str) -> None:  # type: ignore[no-untyped-def]
    good = maker(tmp_path / ("good" + Path(name).suffix))
    data = good.read_bytes()
    path = tmp_path / name
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(LoadError) as info:
        load_file(path)
    message = str(info.value)
    assert message.startswith(reason)
    assert "\n" not in message and len(message) < 200


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
def test_office_file_that_is_not_a_zip(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / ("r" + suffix)
    path.write_bytes("纯文本冒充的文件".encode())
    with pytest.raises(LoadError, match="damaged .* file: not a zip package"):
        load_file(path)


def test_encrypted_office_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "locked.xlsx"  # Office's password protection wraps the zip in an OLE container
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    with pytest.raises(LoadError, match="password-protected XLSX"):
        load_file(path)


# --- xlsx ----------------------------------------------------------------------------


def test_xlsx_sheets_rows_and_number_formats(tmp_path: Path) -> None:
    doc = load_file(make_xlsx(tmp_path / "report.xlsx"))
    assert doc.encoding == "xlsx"
    lines = doc.text.split("\n")
    assert lines[:8] == [
        "三公经费",
        "",
        CAPTION,
        "单位：万元",
        *ROW_LINES,
    ]
    assert lines[8] == "合计 | 2.00 | 3.15"
    assert doc.title == "三公经费"
    shown = {line.split(" | ")[0]: line.split(" | ")[1] for line in lines[lines.index("格式") + 2 :] if " | " in line}
    for value, number_format, expected in XLSX_CELLS:
        assert format_number(value, number_format) == expected, (value, number_format)
    assert shown["0.00%"] == "12.50%"
    assert shown["#,##0.00"] == "1,234.50"
    assert "用户看不到的表" not in doc.text  # hidden sheets are left out
    assert "2.0000000001" not in doc.text


def test_format_dates() -> None:
    assert format_datetime(dt.datetime(2023, 5, 1), "yyyy-mm-dd") == "2023-05-01"
    assert format_datetime(dt.datetime(2023, 5, 1), 'yyyy"年"m"月"d"日"') == "2023年5月1日"
    assert format_datetime(dt.datetime(2023, 5, 1, 9, 5), "yyyy/m/d h:mm") == "2023/5/1 9:05"
    assert format_datetime(dt.datetime(2023, 5, 1), "General") == "2023-05-01"
    assert format_datetime(dt.datetime(2023, 5, 1), 'yyyy"年"m"月"d"日" aaaa') == "2023年5月1日 星期一"


def test_clean_cell() -> None:
    assert clean_cell("  项    目 ") == "项目"
    assert clean_cell("因公出国\n（境）费") == "因公出国（境）费"
    assert clean_cell("Total  2023") == "Total 2023"
    assert clean_cell("a|b") == "a/b"
    assert clean_cell(None) == ""


def test_xlsx_empty_workbook(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    openpyxl.Workbook().save(str(path))
    with pytest.raises(LoadError, match="empty workbook"):
        load_file(path)


# --- html ----------------------------------------------------------------------------


@pytest.mark.parametrize(("charset", "encoding"), [("utf-8", "html:utf-8"), ("gbk", "html:gb18030")])
def test_html_text_and_table(tmp_path: Path, charset: str, encoding: str) -> None:
    doc = load_file(make_html(tmp_path / f"report-{charset}.html", charset))
    assert doc.encoding == encoding
    assert doc.text == "\n".join([TITLE, "一、部门概况", PROSE, EXPECTED_BODY])
    assert "脚本" not in doc.text and "color" not in doc.text and "注释" not in doc.text and "网页标题" not in doc.text


def test_html_utf8_bytes_under_a_stale_gbk_meta(tmp_path: Path) -> None:
    path = tmp_path / "stale.html"
    path.write_bytes(f'<meta charset="gb2312"><p>{PROSE}</p>'.encode())
    doc = load_file(path)
    assert (doc.text, doc.encoding) == (PROSE, "html:utf-8")


def test_html_gbk_without_meta_and_spans(tmp_path: Path) -> None:
    html = (
        "<p>表2 支出</p><table><caption>标题行</caption>"
        "<tr><td rowspan=2>基本支出</td><td colspan=2>金额</td></tr>"
        "<tr><td>1.00</td><td>2.00</td></tr>"
        "<tr><td>合计</td><td>3.00</td></tr></table>"
    )
    path = tmp_path / "spans.htm"
    path.write_bytes(html.encode("gbk"))
    doc = load_file(path)
    assert doc.encoding == "html:gb18030"
    assert doc.text.split("\n") == [
        "表2 支出",
        "标题行",
        "",
        "基本支出 | 金额 | ",
        " | 1.00 | 2.00",
        "合计 | 3.00",
    ]


# --- load_paths ----------------------------------------------------------------------


def test_supported_suffixes() -> None:
    assert set(SUPPORTED_SUFFIXES) >= {".txt", ".md", ".docx", ".pdf", ".xlsx", ".html", ".htm"}


def test_load_paths_folder_of_every_kind(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    good = [
        make_docx(folder / "a.docx"),
        make_pdf(folder / "b.pdf"),
        make_xlsx(folder / "c.xlsx"),
        make_html(folder / "d.html"),
        folder / "e.txt",
    ]
    good[-1].write_text(f"{TITLE}\n{PROSE}\n", encoding="utf-8")
    bad = folder / "f_scan.pdf"
    make_image_pdf(bad)
    docs, skipped = load_paths([folder])
    assert [d.path for d in docs] == [str(p) for p in good]
    assert [d.encoding for d in docs] == ["docx", "pdf", "xlsx", "html:utf-8", "utf-8"]
    assert skipped == [Skipped(str(bad), "no text layer (scanned?); needs OCR")]
    for doc in docs:
        for start in offsets_of(doc.text, "2.97"):
            assert doc.text[start : start + 4] == "2.97"


# --- end to end ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("maker", "name", "page"),
    [(make_docx, "r.docx", None), (make_pdf, "r.pdf", 2), (make_xlsx, "r.xlsx", None), (make_html, "r.html", None)],
    ids=["docx", "pdf", "xlsx", "html"],
)
def test_end_to_end_answer_from_a_table_row(tmp_path: Path, maker, name: str, page: int | None) -> None:  # type: ignore[no-untyped-def]
    from qa.api import ReportQA
    from qa.index.embed import HashEmbedder
    from qa.index.store import build, save

    doc = load_file(maker(tmp_path / name))
    index = tmp_path / "index"
    save(index, build([doc], HashEmbedder()))
    qa = ReportQA(index, embedder=HashEmbedder())
    for question, value in [("公务接待费决算数多少", "2.05"), ("公务用车运行费决算数多少", "1.10")]:
        answer = qa.ask(question)
        assert answer.found, (question, answer.message)
        assert answer.value == Decimal(value)
        assert answer.unit == "万元"
        source = answer.sources[0]
        assert doc.text[source.start : source.end] == value  # the citation points at the cell as printed
        assert source.page == page


def test_a_zip_bomb_is_refused_before_it_is_inflated(tmp_path: Path) -> None:
    import zipfile

    from qa.ingest.formats import MAX_UNZIPPED
    from qa.ingest.load import LoadError, load_file

    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        with z.open("word/document.xml", "w", force_zip64=True) as member:
            block = b"\0" * (1 << 20)
            for _ in range(MAX_UNZIPPED // len(block) + 16):  # just over the limit, ~0.3 MB on disk
                member.write(block)
    assert bomb.stat().st_size < 2 * 2**20
    # refused from the zip directory's declared sizes, before anything is inflated
    with pytest.raises(LoadError, match=r"would inflate to 272 MB \(limit 256 MB\): refused, it may be a zip bomb"):
        load_file(bomb)


def test_html_nested_100000_deep_is_read(tmp_path: Path) -> None:
    # a hostile page: the reader walks the tree with a stack, not recursion (it raised RecursionError before)
    path = tmp_path / "deep.html"
    path.write_text("<div>" * 100_000 + "<p>公务接待费2.97万元</p>" + "</div>" * 100_000, encoding="utf-8")
    assert load_file(path).text.strip() == "公务接待费2.97万元"
