"""Facts of tables printed one cell per line (saved web pages, the 部门决算 公开表): rows rebuilt from a label
cell and the value cells after it, their width picking the header cells above; blank cells kept."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from qa.domain.numbers import fold, parse_cell
from qa.ingest.clauses import HEADER_UNIT, UNIT_DECL, clean_label
from qa.ingest.tables import Cell, cell_fact, cell_figure, cells_of, joined
from qa.records import Document, Fact

# Tables printed one cell per line (web pages copied to text, the 部门决算 公开表): a run of short
# single-cell lines where a label cell is followed by its value cells.  The row's width says how many
# of the label cells just before it are the header ("项目 / 行次 / 金额"); 行次/栏次 cells number the
# rows and are not figures; "其中:" spans columns in a two-level header and stands over none.
STACK_CELL_CHARS = 40
EMPTY_CELL = re.compile(r"[-－—–/／]+")
SPANNING = re.compile(r"其中\s*[:：]?")
ROW_NUMBERS = re.compile(r"行次|栏次|序号|编号")
MAX_HEADER_CELL = 24
ORDINAL_CELL = re.compile(r"\d{1,3}")
MIN_ORDINAL_RUN = 4  # 1, 2, 3, 4 … down a 序号 column; three bare integers in a row may be counts


def row_numbers(cells: Sequence[Cell]) -> set[int]:
    """Starts of the cells that number a table's rows: bare integers counting up by one from 1
    (1, 2, 3 … with the row's other cells between them), which the cell-per-line copy of a 序号
    column leaves among the values ("516.39 |", "2 |" — 2 is the next row's number, not 2万元)."""
    runs: list[list[Cell]] = []
    for cell in cells:
        text = fold(cell.text).strip()
        if not ORDINAL_CELL.fullmatch(text):
            continue
        number = int(text)
        run = next((r for r in reversed(runs) if int(fold(r[-1].text).strip()) == number - 1), None)
        if run is not None:
            run.append(cell)
        elif number == 1:
            runs.append([cell])
    return {c.start for r in runs if len(r) >= MIN_ORDINAL_RUN for c in r}


def single_cell(line: str, offset: int) -> Cell | None:
    """The line's one cell ("团区委 |", "440.55"), or None for prose and rows of several cells."""
    parts = [c for c in cells_of(line, offset) if c[2]]
    if len(parts) != 1 or len(parts[0][2]) > STACK_CELL_CHARS or re.search(r"[。；]", line):
        return None
    return Cell(*parts[0])


def stacked_regions(text: str) -> list[list[Cell]]:
    """Runs of single-cell lines (blank lines between them allowed), in document order.

    A line of one pipe ends a row where such lines follow values ("0 |", "0 |", "|"); in a table
    where none does, the ones after a label are its blank cells ("因公出国(境)费 |", "|", "|",
    "公务接待费 |"), kept so that the label reads as a row and not as one more header cell."""
    regions: list[list[Cell]] = []
    current: list[Cell | int] = []  # an int: the start of a one-pipe line
    offset = 0
    for line in text.split("\n"):
        line_start, offset = offset, offset + len(line) + 1
        if not line.strip():
            continue  # a blank line: the run goes on
        if not [c for c in cells_of(line, line_start) if c[2]]:
            if line.strip() == "|" and current:
                current.append(line_start)
            continue  # only pipes: the run goes on
        cell = single_cell(line, line_start)
        if cell is None:
            if current:
                regions.append(_with_blank_cells(current))
            current = []
        else:
            current.append(cell)
    if current:
        regions.append(_with_blank_cells(current))
    return regions


def _with_blank_cells(run: Sequence[Cell | int]) -> list[Cell]:
    """The run's cells, one-pipe lines as blank cells unless they end rows (see stacked_regions)."""
    ends_rows = any(isinstance(b, int) and isinstance(a, Cell) and _is_value(a) for a, b in itertools.pairwise(run))
    out: list[Cell] = []
    for item in run:
        if isinstance(item, Cell):
            out.append(item)
        elif not ends_rows and out and (not out[-1].text or not _is_value(out[-1])):
            out.append(Cell(item, item, ""))
    return out


def _is_value(cell: Cell) -> bool:
    return (
        not cell.text
        or EMPTY_CELL.fullmatch(cell.text) is not None
        or parse_cell(cell.text) is not None
        or (cell_figure(cell.text) is not None)
    )


def stacked_rows(cells: Sequence[Cell]) -> list[tuple[list[Cell], list[Cell]]]:
    """(label cells, value cells) pairs: each run of label cells with the run of values after it."""
    pairs = []
    i = 0
    while i < len(cells):
        labels = []
        while i < len(cells) and not _is_value(cells[i]):
            labels.append(cells[i])
            i += 1
        values = []
        while i < len(cells) and _is_value(cells[i]):
            values.append(cells[i])
            i += 1
        if labels and values:
            pairs.append((labels, values))
    return pairs


@dataclass(frozen=True, slots=True)
class StackedRow:
    """One row of a one-cell-per-line table, with what stands above it."""

    label: Cell
    values: list[Cell]
    header: tuple[str, ...]  # the table's header cells, label column first when printed
    title: str
    unit: str | None


def stacked_table_rows(pairs: Sequence[tuple[list[Cell], list[Cell]]]) -> list[StackedRow]:
    """Rows with their header, title and unit; label cells before a row's own label start a new header."""
    rows = []
    unit: str | None = None
    title = ""
    pool: tuple[str, ...] = ()
    for labels, values in pairs:
        row_label, before = labels[-1], labels[:-1]
        for cell in before:
            declared = UNIT_DECL.search(fold(cell.text))
            unit = declared.group(1) if declared else unit
        heads = [joined(c.text) for c in before if not (UNIT_DECL.search(fold(c.text)) or SPANNING.fullmatch(c.text))]
        if heads:  # new header cells: a new table (or its second level)
            above = heads[: -len(values) - 1]  # cells above the header: the table's title
            title = next((h for h in reversed(above) if len(h) > MAX_HEADER_CELL // 2), title)
            captioned = next((m for h in above if (m := HEADER_UNIT.search(fold(h)))), None)
            unit = captioned.group(1) if captioned else unit  # "年度收入情况(万元)"
            pool = tuple(heads)
        if not ROW_NUMBERS.fullmatch(row_label.text.strip()):  # not the 栏次 line under the header
            rows.append(StackedRow(row_label, values, pool, title, unit))
    return rows


def stacked_columns(row: StackedRow, widest: int) -> list[str]:
    """The header cell over each value of the row; none when the row is narrower than the widest
    row under its header (a blank cell was dropped: which column lost it cannot be told)."""
    width = 1 + len(row.values)
    pool = list(row.header)
    if width < widest or any(len(h) > MAX_HEADER_CELL for h in pool[-width:]):
        return [""] * len(row.values)
    if len(pool) >= width:
        return pool[-width + 1 :]
    return pool if len(pool) == width - 1 else [""] * len(row.values)


def stacked_facts(doc: Document, doc_year: str | None) -> list[Fact]:
    """Facts of tables printed one cell per line (see STACK_CELL_CHARS); chunk_id -1 as in table_facts."""
    facts: list[Fact] = []
    for region in stacked_regions(doc.text):
        pairs = stacked_rows(region)
        if len(pairs) < 2 and not (pairs and len(pairs[0][1]) >= 2):
            continue  # one label and one number is not yet a table
        rows = stacked_table_rows(pairs)
        numbering = row_numbers(region)
        widest: dict[tuple[str, ...], int] = {}
        for row in rows:
            widest[row.header] = max(widest.get(row.header, 0), 1 + len(row.values))
        for row in rows:
            label = clean_label(fold(joined(row.label.text))) or joined(row.label.text)  # 合计 is a row
            span = (row.label.start, row.values[-1].end)
            for cell, column in zip(row.values, stacked_columns(row, widest[row.header]), strict=True):
                if ROW_NUMBERS.search(column) or EMPTY_CELL.fullmatch(cell.text) or cell.start in numbering:
                    continue
                bare, printed = parse_cell(cell.text), cell_figure(cell.text)
                parsed = bare or ((printed.value, printed.unit) if printed else None)
                if parsed is None:
                    continue
                fact = cell_fact(
                    doc,
                    cell,
                    parsed,
                    printed if bare is None else None,
                    label=label,
                    column=column,
                    table=(row.title, row.unit),
                    row=span,
                    doc_year=doc_year,
                )
                if fact is not None:
                    facts.append(fact)
    return facts
