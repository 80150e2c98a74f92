"""Facts of tables printed as rows of " | " cells: the header rows above name each cell's column (one or two
levels), the caption and "单位：万元" its unit, the column's stage and year its qualifiers."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from qa.domain.numbers import PINYIN, Figure, find_figures, fold, normalise, parse_cell
from qa.ingest.chunk import CELL_SEP
from qa.ingest.clauses import HEADER_UNIT, UNIT_DECL, clean_label, qualifiers_of, year_of
from qa.ingest.facets import YEAR_RE
from qa.records import Document, Fact

PIPE = re.compile(r"[|｜]")


def cells_of(line: str, offset: int) -> list[tuple[int, int, str]]:
    """Cells of a flattened table row: (start, end, text) with document offsets.

    In a pipe-separated row ("公务用车运行费 |  | 1.10") an empty cell keeps its place, so
    every figure stands under its own column header; rows split by spaces cannot say.
    """
    if PIPE.search(line):
        cells = []
        pos = 0
        for part in PIPE.split(line):
            lead = len(part) - len(part.lstrip())
            start = offset + pos + lead
            cells.append((start, start + len(part.strip()), part.strip()))
            pos += len(part) + 1
        return cells if any(text for _, _, text in cells) else []
    cells = []
    pos = 0
    for sep in [*CELL_SEP.finditer(line), None]:
        stop = sep.start() if sep else len(line)
        text = line[pos:stop]
        if text.strip():
            lead = len(text) - len(text.lstrip())
            cells.append((offset + pos + lead, offset + pos + lead + len(text.strip()), text.strip()))
        pos = sep.end() if sep else len(line)
    return cells


def table_facts(doc: Document, doc_year: str | None) -> list[Fact]:
    """Facts for bare numbers in table rows whose unit is given by a header or caption.

    chunk_id is -1 here; extract_facts assigns the chunk that holds each cell.
    """
    facts: list[Fact] = []
    unit: str | None = None
    title = ""
    header: list[str] = []
    composed = False  # header is a two-level header composed (two_level), aligned cell by cell
    previous_header: list[str] | None = None  # the header row just above, when the last line was one
    offset = 0
    for line in doc.text.split("\n"):
        line_start, offset = offset, offset + len(line) + 1
        folded = fold(line)
        declared = UNIT_DECL.search(folded)
        cells = cells_of(line, line_start)
        if declared:
            # "单位：万元" alone under "…“三公”经费支出决算表": the caption above stays the table's title
            only_unit = len(cells) < 2 and len(folded.strip()) <= len(declared.group(0)) + 2
            unit, header, composed = declared.group(1), [], False
            title = title if only_unit and title else line.strip()
            if len(cells) < 2:
                continue
        if len(cells) < 2:
            if len(line.strip()) > 40 or re.search(r"[。；]", line):
                unit, title, header = None, "", []  # prose resumes: the table is over
            elif line.strip():
                title = line.strip()
            continue
        bare = [parse_cell(text) for _, _, text in cells]
        printed = [cell_figure(text) for _, _, text in cells]  # "280000人次", "≥95%": unit in the cell
        if all(v is None for v in bare) and all(f is None for f in printed[1:]):
            row_texts = [text for _, _, text in cells]
            if not any(row_texts[1:]):
                continue  # "因公出国(境)费 | ||": a row left blank, not a header
            both = two_level(previous_header, row_texts) if previous_header else None
            header, composed = (both, True) if both else (row_texts, False)
            previous_header = row_texts
            continue
        previous_header = None
        if bare[0] is not None:
            continue  # a row without a label cell
        values = [v if v is not None or f is None else (f.value, f.unit) for v, f in zip(bare, printed, strict=True)]
        label = clean_label(fold(cells[0][2]))
        for index, ((start, end, text), parsed) in enumerate(zip(cells, values, strict=True)):
            if parsed is None or index == 0:
                continue
            fact = cell_fact(
                doc,
                Cell(start, end, text),
                parsed,
                printed[index] if bare[index] is None else None,
                label=label,
                column=_column(header, index, _filled(cells) if composed else len(cells)),
                table=(title, unit),
                row=(line_start, line_start + len(line)),
                doc_year=doc_year,
            )
            if fact is not None:
                facts.append(fact)
    return facts


@dataclass(frozen=True, slots=True)
class Cell:
    """A table cell's text and where it stands in the document."""

    start: int
    end: int
    text: str


def cell_fact(
    doc: Document,
    cell: Cell,
    parsed: tuple[Decimal, str],
    figure: Figure | None,
    *,
    label: str,
    column: str,
    table: tuple[str, str | None],
    row: tuple[int, int],
    doc_year: str | None,
) -> Fact | None:
    """The fact of one table cell: its unit printed in the cell, else its column header's
    ("2017年度支出 (万元)"), a rate column's %, or the table's; None when no unit is known.
    `figure` is the cell's printed figure when it holds more than a bare number ("≥95%")."""
    start, end, text = cell.start, cell.end, cell.text
    if figure is not None:  # the figure less any ≥/约 before it
        start, end, text = start + figure.start, start + figure.end, figure.raw
    title, table_unit = table
    column_unit = HEADER_UNIT.search(fold(column))
    unit = (
        parsed[1]
        or (column_unit.group(1) if column_unit else None)
        or ("%" if re.search(r"率|比例|比重|%", column) else table_unit)
    )
    if not unit:
        return None
    value = parsed[0]
    quals = cell_qualifiers(column, title)
    norm_value, norm_unit = normalise(value, unit)
    return Fact(
        doc_id=doc.doc_id,
        chunk_id=-1,
        label=label,
        raw=text,
        value=value,
        unit=unit,
        norm_value=norm_value,
        norm_unit=norm_unit,
        start=start,
        end=end,
        sentence_start=row[0],
        sentence_end=row[1],
        qualifiers=quals,
        year=cell_year(title, column, quals, doc_year),
        section="",
        column=column,
        unit_source="text" if parsed[1] else "header",
    )


def joined(text: str) -> str:
    """Cell text with the spaces between Chinese characters removed ("预 算 数" → "预算数"), and a
    mirror's glued pinyin with them ("預(yù) 算 數(shù)" → "預算數"): a cell's words, not its offsets."""
    return re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "", PINYIN.sub("", text).strip())


CELL_STAGES = frozenset({"预算", "调整后预算", "决算", "实际"})


def cell_qualifiers(column: str, title: str) -> tuple[str, ...]:
    """A cell's qualifiers: its column's, then the table title's; a stage the column names
    (预算数) overrides the title's (…“三公”经费支出决算表)."""
    own = qualifiers_of(fold(joined(column)))  # "预 算 数" is a 预算数
    table = qualifiers_of(fold(title))
    if CELL_STAGES & set(own):
        table = tuple(q for q in table if q not in CELL_STAGES)
    return tuple(dict.fromkeys([*own, *table]))


def cell_year(title: str, column: str, quals: tuple[str, ...], doc_year: str | None) -> str | None:
    """A cell's year: its column's ("2019年决算数"), else the table's, one less under a 上年 column."""
    year = year_of(fold(title + " " + column), quals, doc_year)
    if year and "上年" in quals and not YEAR_RE.search(fold(column)) and YEAR_RE.search(fold(title)):
        return str(int(year) - 1)  # "2021年…表" with a 上年决算数 column
    return year


def cell_figure(text: str) -> Figure | None:
    """The one figure a table cell prints with its unit ("216场", "≥95%", "13.4万人次"), else None."""
    found = find_figures(text)
    if len(found) != 1:
        return None
    rest = fold(text[: found[0].start] + text[found[0].end :]).strip()
    return found[0] if re.fullmatch(r"[≥≤>< 约近超过以上下左右余多]*", rest) else None


def two_level(top: list[str], sub: list[str]) -> list[str] | None:
    """A two-level header as one row: "项目 | 预算数 | 决算数" over "合计 | 一般公共预算 | 政府性基金" twice
    gives 项目, 预算数 合计, 预算数 一般公共预算, …, 决算数 政府性基金 — each top cell spans an equal share of
    the cells below it, and the label column (项目) stands in the top row only.  None when the rows do
    not divide so."""
    tops = [t for t in top[1:] if t]
    subs = [c for c in sub if c]
    if not top or not top[0] or len(tops) < 2 or len(subs) <= len(tops) or len(subs) % len(tops):
        return None
    span = len(subs) // len(tops)
    return [top[0], *(f"{tops[i // span]} {subs[i]}" for i in range(len(subs)))]


def _filled(cells: Sequence[tuple[int, int, str]]) -> int:
    """The number of cells up to the last non-empty one (a row's trailing pipes add empty cells)."""
    return max((i + 1 for i, (_, _, text) in enumerate(cells) if text), default=0)


def _column(header: list[str], index: int, n_cells: int) -> str:
    """The header cell above cell `index` of a row of n_cells (headers may omit the label column)."""
    if len(header) == n_cells:
        return header[index]
    if len(header) == n_cells - 1:
        return header[index - 1]
    return ""
