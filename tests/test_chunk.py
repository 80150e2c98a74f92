"""qa.ingest.chunk: exact spans, heading paths, heading detection and long-paragraph splitting."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.domain.numbers import find_figures
from qa.ingest import chunk
from qa.ingest.chunk import chunk_document, heading_level, split_lines, split_long
from qa.ingest.load import load_file
from qa.records import Chunk, Document

SEED = Path(__file__).resolve().parents[1] / "corpus" / "2018年度冷水滩高科园部门整体支出绩效自评报告.txt"
SEED_HEADINGS = [
    "一、部门概况",
    "（一）部门基本情况。",
    "（二）2018年的重点工作",
    "部门整体支出情况",
    "二、部门整体支出管理及使用情况",
    "（一）基本支出情况。",
    "项目支出情况。",
    "（三）“三公”经费情况",
    "三、部门整体支出绩效情况",
    "四、存在的问题",
    "五、改进措施和有关建议",
]


@pytest.fixture(scope="module")
def seed() -> Document:
    return load_file(SEED)


@pytest.fixture(scope="module")
def seed_chunks(seed: Document) -> list[Chunk]:
    return chunk_document(seed)


def make_doc(text: str, title: str = "测试报告") -> Document:
    return Document(doc_id="doc0", path="mem.txt", title=title, text=text, sha256="0" * 64, encoding="utf-8")


# --- the seed -----------------------------------------------------------------------


def test_seed_chunks_slice_exactly(seed: Document, seed_chunks: list[Chunk]) -> None:
    assert len(seed_chunks) > 10
    for c in seed_chunks:
        assert seed.text[c.start : c.end] == c.text
        assert c.doc_id == seed.doc_id
        assert c.text.strip() == c.text  # spans exclude blanks at both ends


def test_seed_chunks_ordered_ids_and_no_overlap(seed_chunks: list[Chunk]) -> None:
    assert [c.chunk_id for c in seed_chunks] == list(range(len(seed_chunks)))
    for a, b in zip(seed_chunks, seed_chunks[1:], strict=False):
        assert a.end <= b.start


def test_seed_first_id_offset(seed: Document) -> None:
    assert [c.chunk_id for c in chunk_document(seed, first_id=100)][:3] == [100, 101, 102]


def test_seed_all_body_text_is_covered(seed: Document, seed_chunks: list[Chunk]) -> None:
    """Every non-heading line of the report lies inside some chunk."""
    headings = set(SEED_HEADINGS) | {seed.title}
    covered = {i for c in seed_chunks for i in range(c.start, c.end)}
    for line in split_lines(seed.text):
        if line.text in headings:
            continue
        assert set(range(line.start, line.end)) <= covered, line.text


@pytest.mark.parametrize("heading", SEED_HEADINGS)
def test_seed_headings_are_context_not_chunks(seed_chunks: list[Chunk], heading: str) -> None:
    for c in seed_chunks:
        assert c.text != heading
        assert heading not in [line.strip() for line in c.text.split("\n")]
    assert any(heading in c.section for c in seed_chunks)


def test_seed_title_is_neither_chunk_nor_section(seed: Document, seed_chunks: list[Chunk]) -> None:
    assert seed.title == "2018年度冷水滩高科园部门整体支出绩效自评报告"
    assert all(seed.title not in c.text for c in seed_chunks)
    assert all(seed.title not in c.section for c in seed_chunks)


def test_seed_three_public_expenses_section(seed_chunks: list[Chunk]) -> None:
    [hit] = [c for c in seed_chunks if "公务接待费2.97万元" in c.text]
    assert hit.section == ("二、部门整体支出管理及使用情况", "（三）“三公”经费情况")
    assert "因公出国（境）费用0元" in hit.text  # the short lines of one section are merged


def test_seed_unnumbered_heading_section(seed_chunks: list[Chunk]) -> None:
    [hit] = [c for c in seed_chunks if "部门整体支出为3514.69万元" in c.text]
    assert hit.section == ("一、部门概况", "部门整体支出情况")


def test_seed_lead_title_joins_section(seed_chunks: list[Chunk]) -> None:
    hits = [c for c in seed_chunks if "引进项目质量高" in c.text or "2.引进项目质量高" in c.section]
    assert hits
    for c in hits:
        assert c.section == ("三、部门整体支出绩效情况", "2.引进项目质量高")


def test_seed_numbered_content_lines_are_body(seed_chunks: list[Chunk]) -> None:
    assert any("2、人员编制数86人。" in c.text for c in seed_chunks)
    assert all("2、人员编制数86人。" not in c.section for c in seed_chunks)


def test_seed_chunk_length_bound(seed_chunks: list[Chunk]) -> None:
    assert max(len(c.text) for c in seed_chunks) <= chunk.MAX_CHUNK_CHARS + chunk.MIN_PIECE_CHARS


def test_seed_figures_not_cut(seed: Document, seed_chunks: list[Chunk]) -> None:
    for fig in find_figures(seed.text):
        assert any(c.start <= fig.start and fig.end <= c.end for c in seed_chunks), fig.raw


def test_indexed_text_contains_section_path(seed_chunks: list[Chunk]) -> None:
    [hit] = [c for c in seed_chunks if "公务接待费2.97万元" in c.text]
    assert hit.indexed_text == "二、部门整体支出管理及使用情况 / （三）“三公”经费情况\n" + hit.text
    for c in seed_chunks:
        for part in c.section:
            assert part in c.indexed_text
        assert c.indexed_text.endswith(c.text)


def test_indexed_text_without_section_is_text() -> None:
    c = Chunk(0, "d", 0, 4, "正文内容", ())
    assert c.indexed_text == "正文内容"


# --- heading_level ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "level"),
    [
        ("一、部门概况", 1),
        ("十二、其他事项", 1),
        ("二．部门整体支出管理", 1),
        ("（一）部门基本情况。", 2),
        ("(二)重点工作", 2),
        ("（三）“三公”经费情况", 2),
        ("（二）2018年的重点工作", 2),
        ("部门整体支出情况", 2),
        ("项目支出情况。", 2),
        ("1.组织领导保障全", 3),
        ("1、基本支出", 3),
        ("12．项目支出", 3),
        ("(1)人员经费", 4),
        ("（2）公用经费", 4),
        ("①人员经费", 4),
        ("⑳其他", 4),
    ],
)
def test_heading_level_headings(line: str, level: int) -> None:
    assert heading_level(line) == level


@pytest.mark.parametrize(
    "line",
    [
        "1、因公出国（境）费用0元；",
        "1、因公出国（境）费用0元",
        "2、人员编制数86人。",
        "3、公务用车购置及运行费2.88万元。",
        "2.引进项目质量高。今年以来，园区紧扣省、市、区的“五个100”、“五个10”、“五个5”招商引资目标。",
        "2018年部门整体支出为3514.69万元，其中基本支出为749.17万元。",
        "1.5万元",
        "2018年",
        "一、",
        "短句",
        "部门整体支出情况，以及其他需要说明的事项",
        "这是一行超过二十四个字符但没有任何标点符号的正文内容用来测试",
    ],
)
def test_heading_level_body_lines(line: str) -> None:
    assert heading_level(line) is None


# --- split_long ---------------------------------------------------------------------

ITEMS = ["办公费", "印刷费", "差旅费", "维修费", "培训费", "会议费", "公务接待费", "专用材料费", "劳务费"]


def money_paragraph(n: int, thousands: bool = False) -> str:
    parts = []
    for i in range(n):
        whole = 1000 + (i * 7919) % 900000 if thousands else 1 + (i * 37) % 999
        number = f"{whole:,}" if thousands else str(whole)
        parts.append(f"{ITEMS[i % len(ITEMS)]}{number}.{(i * 13) % 90 + 10}万元，")
    return "本年度支出明细如下：" + "".join(parts) + "以上均按规定列支。"


def assert_pieces_ok(text: str, offset: int, spans: list[tuple[int, int]]) -> None:
    assert spans
    assert spans[0][0] == offset and spans[-1][1] == offset + len(text)
    for (_, b), (c, _) in zip(spans, spans[1:], strict=False):
        assert b == c  # contiguous, nothing lost
    for a, b in spans:
        assert 0 < b - a <= chunk.MAX_CHUNK_CHARS + chunk.MIN_PIECE_CHARS


@pytest.mark.parametrize("offset", [0, 1234])
def test_split_long_never_cuts_a_figure(offset: int) -> None:
    text = money_paragraph(80)
    assert len(text) > 4 * chunk.MAX_CHUNK_CHARS
    spans = split_long(offset, text)
    assert len(spans) >= 4
    assert_pieces_ok(text, offset, spans)
    figures = find_figures(text)
    assert len(figures) == 80
    for fig in figures:
        inside = [(a, b) for a, b in spans if a <= offset + fig.start and offset + fig.end <= b]
        assert len(inside) == 1, fig.raw


def test_split_long_prefers_sentence_ends() -> None:
    sentence = "园区规模工业总产值达到230亿元，增长26%以上，规模工业增加值达到50亿元。"
    text = sentence * 12
    spans = split_long(0, text)
    assert_pieces_ok(text, 0, spans)
    for _, b in spans:
        assert text[b - 1] == "。"


def test_split_long_short_text_is_one_piece() -> None:
    assert split_long(7, "公务接待费2.97万元。") == [(7, 7 + len("公务接待费2.97万元。"))]


def test_split_long_joins_short_lead() -> None:
    text = "1.组织领导保障全。" + "进一步调整增加了领导力量，成立了工作班子，" * 12 + "统筹部署各项工作。"
    spans = split_long(0, text)
    assert_pieces_ok(text, 0, spans)
    assert spans[0][1] - spans[0][0] >= chunk.MIN_PIECE_CHARS  # the lead is not a piece alone


def test_split_long_never_cuts_a_figure_with_thousands_separators() -> None:
    text = "支出明细：" + "".join(f"{ITEMS[i % len(ITEMS)]}1,234.56万元，" for i in range(20)) + "以上合计。"
    spans = split_long(0, text)
    for fig in find_figures(text):
        assert any(a <= fig.start and fig.end <= b for a, b in spans), fig.raw


# --- a document of my own, loaded from CRLF bytes -----------------------------------

CRLF_REPORT = (
    "测试单位2019年度部门决算说明\r\n"
    "\r\n"
    "一、收入支出情况\r\n"
    "（一）收入情况\r\n"
    "1.财政拨款\r\n"
    "本年财政拨款收入120.5万元，比上年增加10万元。\r\n"
    "(1)基本支出\r\n"
    "基本支出80万元。\r\n"
    "①人员经费\r\n"
    "人员经费60万元。\r\n"
    "②公用经费\r\n"
    "公用经费20万元。\r\n"
    "（二）支出情况\r\n"
    "本年支出合计118万元。\r\n"
    "二、存在问题\r\n"
    "部分项目进度偏慢，资金支付率为85%。\r\n"
)


def test_crlf_document_with_heading_levels(tmp_path: Path) -> None:
    path = tmp_path / "决算说明.txt"
    path.write_bytes(CRLF_REPORT.encode("utf-8"))
    doc = load_file(path)
    chunks = chunk_document(doc)
    for c in chunks:
        assert doc.text[c.start : c.end] == c.text
        assert "\r" not in c.text
    sections = {c.text: c.section for c in chunks}
    assert sections == {
        "本年财政拨款收入120.5万元，比上年增加10万元。": ("一、收入支出情况", "（一）收入情况", "1.财政拨款"),
        "基本支出80万元。": ("一、收入支出情况", "（一）收入情况", "1.财政拨款", "(1)基本支出"),
        "人员经费60万元。": ("一、收入支出情况", "（一）收入情况", "1.财政拨款", "①人员经费"),
        "公用经费20万元。": ("一、收入支出情况", "（一）收入情况", "1.财政拨款", "②公用经费"),
        "本年支出合计118万元。": ("一、收入支出情况", "（二）支出情况"),
        "部分项目进度偏慢，资金支付率为85%。": ("二、存在问题",),
    }
    # offsets are those of the LF text: the CRLF file has one more char per line before it
    target = "人员经费60万元。"
    [c] = [c for c in chunks if c.text == target]
    assert c.start == doc.text.index(target)
    assert c.start == CRLF_REPORT.index(target) - CRLF_REPORT[: CRLF_REPORT.index(target)].count("\r")


def test_same_section_short_lines_merge_and_sections_split() -> None:
    text = "报告\n一、概况\n人员编制数86人。\n车辆编制数为3台。\n二、支出\n公务接待费2.97万元。\n"
    doc = make_doc(text, title="报告")
    chunks = chunk_document(doc)
    assert [(c.text, c.section) for c in chunks] == [
        ("人员编制数86人。\n车辆编制数为3台。", ("一、概况",)),
        ("公务接待费2.97万元。", ("二、支出",)),
    ]


def test_long_line_is_split_with_the_same_section() -> None:
    text = "三、绩效情况\n" + money_paragraph(40) + "\n"
    doc = make_doc(text, title="不是首行")
    chunks = chunk_document(doc)
    assert len(chunks) > 1
    assert {c.section for c in chunks} == {("三、绩效情况",)}
    assert all(len(c.text) <= chunk.MAX_CHUNK_CHARS + chunk.MIN_PIECE_CHARS for c in chunks)
    assert "".join(c.text for c in chunks) == money_paragraph(40)


def test_short_last_sentence_is_not_lost() -> None:
    text = (
        "部门决算说明\n四、存在问题\n部分项目资金支付率为85%，进度偏慢。\n"
        "五、其他需要说明的情况\n本部门无其他需要说明的情况。\n"
    )
    chunks = chunk_document(make_doc(text, title="部门决算说明"))
    assert any("本部门无其他需要说明的情况" in c.text for c in chunks)


def test_a_table_row_is_its_own_passage_with_title_unit_and_headers() -> None:
    text = (
        "三、“三公”经费情况\n"
        "2021年“三公”经费支出情况如下。\n"
        "表2  “三公”经费支出决算表\n"
        "单位：万元\n"
        "项目 | 年初预算数 | 决算数\n"
        "公务接待费 | 2.00 | 2.05\n"
        "因公出国（境）费 | 0.00 | 0.00\n"
        "以上数据为决算数。\n"
    )
    doc = Document(doc_id="t", path="t.txt", title="t", text=text, sha256="0" * 64, encoding="utf-8")
    chunks = chunk_document(doc)
    row = next(c for c in chunks if c.text.startswith("公务接待费"))
    assert row.text == "公务接待费 | 2.00 | 2.05" and doc.text[row.start : row.end] == row.text
    assert row.context == "表2  “三公”经费支出决算表 单位：万元\n项目 | 年初预算数 | 决算数"
    assert "年初预算数" in row.indexed_text and "单位：万元" in row.indexed_text
    assert next(c for c in chunks if c.text.startswith("因公出国")).context == row.context
    assert not any(c.context for c in chunks if "以上数据" in c.text or "如下" in c.text)


def test_a_table_of_contents_is_not_a_table() -> None:
    text = "目  录\n第一部分  部门概况\n第二部分  决算情况\n\n第一部分  部门概况\n\n本部门共有人员12人。\n"
    chunks = chunk_document(Document(doc_id="t", path="t.txt", title="t", text=text, sha256="0" * 64, encoding="utf-8"))
    assert not any(c.context for c in chunks)
