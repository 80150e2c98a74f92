"""The “三公”经费支出表 read by its template: a two-level header over one row of six figures.

Budget and final-accounts pages print the same table: "“三公”经费合计 | 因公出国(境)费 |
公务用车购置及运行费 (小计 | 公务用车购置费 | 公务用车运行费) | 公务接待费", then one row of six figures
in that order — 合计, 出国, the 公务用车 小计, 购置费, 运行费, 接待费 — because the second header level
(小计, 购置费, 运行费) sits under the third top-level cell. Copied to text the header comes out one
cell per line or between pipes, the top level first, and the generic readers give every figure the
last header cell ("公务用车运行费") or none. Here the header is recognised by its cells and each of the
six figures gets its column's name; a table that does not show all seven header cells, or not six
figures after them, gives no facts.
"""

from __future__ import annotations

import re

from qa.domain.numbers import fold, normalise, parse_number
from qa.ingest.selfeval import Token as Cell
from qa.ingest.selfeval import cell_tokens
from qa.records import Document, Fact

# The header cells in reading order (top level, then the second level under 公务用车购置及运行费).
HEADER = (
    ("合计", re.compile(r"三公.{0,3}经费合计|^合计$")),
    ("出国", re.compile(r"因公出国")),
    ("车", re.compile(r"公务用车购置及运行")),
    ("接待", re.compile(r"接待费|^公务$")),
    ("小计", re.compile(r"^小计$")),
    ("购置", re.compile(r"公务用车购置费|^购置费$")),
    ("运行", re.compile(r"公务用车运行(?:维护)?费|^运行(?:维护)?费$")),
)
# The six figures of the row, in the order the two-level header puts them.
COLUMNS = ("合计", "出国", "车", "购置", "运行", "接待")
TITLE = re.compile(r"[“\"]?三公[”\"]?经费(?:支出)?(?:预算|决算)?(?:情况)?表")
UNIT = re.compile(r"单位\s*[:：]\s*(万元|元)")
NUMBER = re.compile(r"\d+(?:\.\d+)?")
LOOK_AHEAD = 400  # characters after the table title where the header and row stand


def read_row(cells: list[Cell]) -> tuple[dict[str, Cell], list[Cell]] | None:
    """The header cells by key, and the six figures after them; None unless the template is whole."""
    header: dict[str, Cell] = {}
    i = 0
    for key, pattern in HEADER:
        while i < len(cells) and not pattern.search(re.sub(r"\s+", "", fold(cells[i].text))):
            if NUMBER.fullmatch(fold(cells[i].text)):
                return None  # a figure before the header is whole: another layout
            i += 1
        if i == len(cells):
            return None
        header[key] = cells[i]
        i += 1
        if key == "接待" and cells[i - 1].text.strip() == "公务" and i < len(cells) and "接待" in cells[i].text:
            header[key] = Cell(cells[i - 1].start, cells[i].end, "公务接待费")  # "公务 / 接待费" split over two cells
            i += 1
    figures = [c for c in cells[i : i + 6] if NUMBER.fullmatch(fold(c.text))]
    return (header, figures) if len(figures) == 6 and len(cells[i : i + 6]) == 6 else None


LABELS = {
    "合计": "“三公”经费合计",
    "出国": "因公出国(境)费",
    "车": "公务用车购置及运行费",
    "购置": "公务用车购置费",
    "运行": "公务用车运行费",
    "接待": "公务接待费",
}


def sangong_facts(doc: Document, doc_year: str | None) -> list[Fact]:
    """The six figures of every “三公”经费支出表 in the document (chunk_id -1, as facts.table_facts)."""
    from qa.ingest.clauses import year_of
    from qa.ingest.tables import cell_qualifiers

    text = doc.text
    if "三公" not in text or "小计" not in text:
        return []
    facts = []
    for title in TITLE.finditer(text):
        line_start = text.rfind("\n", 0, title.start()) + 1
        line_end = text.find("\n", title.end())
        caption = text[line_start : line_end if line_end >= 0 else len(text)].strip()
        window = text[title.end() : title.end() + LOOK_AHEAD]
        declared = UNIT.search(fold(window))
        if declared is None:
            continue
        start = title.end() + declared.end()
        row = read_row(cell_tokens(text, start, min(len(text), start + LOOK_AHEAD)))
        if row is None:
            continue
        header, figures = row
        unit = declared.group(1)
        quals = cell_qualifiers("", caption)
        year = year_of(fold(caption), quals, doc_year)
        for key, cell in zip(COLUMNS, figures, strict=True):
            value = parse_number(cell.text)
            norm_value, norm_unit = normalise(value, unit)
            facts.append(
                Fact(
                    doc_id=doc.doc_id,
                    chunk_id=-1,
                    label=LABELS[key],
                    raw=cell.text,
                    value=value,
                    unit=unit,
                    norm_value=norm_value,
                    norm_unit=norm_unit,
                    start=cell.start,
                    end=cell.end,
                    sentence_start=header["合计"].start,
                    sentence_end=figures[-1].end,
                    qualifiers=quals,
                    year=year,
                    section="",
                    column="",  # the label is the column's own name
                    unit_source="header",
                )
            )
    return facts
