"""Split a report into passages along its heading structure.

Headings (一、 / （一） / 1. / 1、 / (1) / ①, and short unnumbered title lines) are
context, not passages: each chunk carries its heading path, which retrieval merges into
the indexed text.  Numbered lines that carry content ("2、公务接待费2.97万元…") are body
text.  Consecutive short lines of one section are merged; long paragraphs are split at
sentence ends so that no chunk exceeds what the embedding model reads (512 tokens).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qa.domain.numbers import find_figures
from qa.records import Chunk, Document

CN_NUM = "一二三四五六七八九十百"
HEADING_MARKERS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(rf"^[{CN_NUM}]+\s*[、.．]")),
    (2, re.compile(rf"^[（(]\s*[{CN_NUM}]+\s*[）)]")),
    (3, re.compile(r"^\d{1,2}\s*(?:[、．]|\.(?!\d))")),
    (4, re.compile(r"^(?:[（(]\s*\d{1,2}\s*[）)]|[①-⑳])")),
)
MAX_HEADING_CHARS = 24
MAX_CHUNK_CHARS = 200
MERGE_UNDER_CHARS = 120
MIN_PIECE_CHARS = 40
SENTENCE_END = re.compile(r"[。；;！？!?]")
CLAUSE_END = re.compile(r"[，、：]|[,:](?!\d)")  # not inside 1,234.56
# "2.引进项目质量高。今年以来…": a numbered paragraph whose first sentence is its own title.
LEAD_TITLE = re.compile(
    r"^(?:\d{1,2}\s*[、.．]|[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]+、)[^，。；：\d]{2,20}(?=。)"
)


# A flattened table row: cells split by tabs, runs of 2+ spaces or pipes ("项目 | 2.00 | 2.05").
CELL_SEP = re.compile(r"\t+|\s{2,}|[|｜]")
UNIT_LINE = re.compile(r"单位\s*[：:]")
TABLE_TITLE = re.compile(r"^(?:附?表\s*[\d一二三四五六七八九十]+(?:\s|$|[：:、.．])|.{2,30}表(?:[（(].*[）)])?$)")
MAX_TITLE_CHARS = 50


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    text: str  # stripped


def is_numbered(line: str) -> bool:
    return any(pattern.match(line) for _, pattern in HEADING_MARKERS)


def line_levels(lines: list[Line]) -> list[int | None]:
    """Heading level of each line (None = body).

    An unnumbered short line ("项目支出情况。") is a heading only when body text follows
    it; otherwise it is a sentence of its own ("本部门无其他需要说明的情况。") and is kept
    as body, so no text falls out of the index.
    """
    levels = [heading_level(line.text) for line in lines]
    following: int | None = None  # level of the next line; 0 = body, None = end of document
    for i in reversed(range(len(lines))):
        level = levels[i]
        if level is not None and not is_numbered(lines[i].text):
            if following is None or (following != 0 and following <= level):
                levels[i] = level = None
        following = level if level is not None else 0
    return levels


# "1.5万\n元": a line break inside a figure does not end the line.
BROKEN_FIGURE_END = re.compile(r"[\d０-９][万亿千]?$")
BROKEN_FIGURE_START = re.compile(r"^(?:元|万元|亿元|千元|%|％|人次|人|个|家|台|辆|亩|平方米)")


def split_lines(text: str) -> list[Line]:
    """Non-empty lines with their spans (leading/trailing blanks excluded from the span)."""
    lines: list[Line] = []
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            line = Line(pos + lead, pos + lead + len(stripped), stripped)
            if lines and BROKEN_FIGURE_END.search(lines[-1].text) and BROKEN_FIGURE_START.match(stripped):
                line = Line(lines[-1].start, line.end, text[lines[-1].start : line.end])
                lines.pop()
            lines.append(line)
        pos += len(raw) + 1
    return lines


def heading_level(line: str) -> int | None:
    """Level of a heading-only line (1 = 一、 … 4 = (1)), 2 for short unnumbered titles, else None."""
    body = line.rstrip("。：:")
    if re.search(r"\t|\S\s{2,}\S|[|｜]", body):
        return None  # a flattened table row
    if len(body) > MAX_HEADING_CHARS or re.search(r"[，,；;。：:！？]", body):
        return None
    for level, pattern in HEADING_MARKERS:
        match = pattern.match(body)
        if match:
            rest = body[match.end() :].strip()
            # A numbered line with a figure in it is content ("1、因公出国（境）费用0元").
            if not rest or re.search(r"\d", rest) and level >= 3:
                return None
            return level
    if re.search(r"\d", body) or len(body) < 4 or not re.search(r"[\u4e00-\u9fff]", body):
        return None  # "title: " (a saved page's empty title line) is no heading
    return 2


def cells(line: str) -> list[str]:
    """The non-empty cells of a flattened table row (one cell for a prose line)."""
    return [c.strip() for c in CELL_SEP.split(line) if c.strip()]


def _is_row(line: str) -> bool:
    """A table row, not prose, a caption ("表1  …（单位：千元）") or a unit line."""
    row = cells(line)
    return (
        len(row) >= 2
        and not re.search(r"[。；]", line)
        and not UNIT_LINE.search(line)
        and not TABLE_TITLE.match(row[0])
    )


def table_contexts(lines: list[Line]) -> dict[int, str]:
    """For each line that is a table row, what a reader of that row alone would miss.

    A table is 2+ consecutive row lines.  Its context is the caption or title line and
    the unit line just above it ("表1 “三公”经费支出决算表", "单位：万元") and, for data rows,
    the header row ("项目 | 年初预算数 | 决算数"), so that the row "公务接待费 | 2.00 |
    2.05" is found by "公务接待费年初预算" and read with its unit.
    """
    from qa.domain.numbers import parse_cell  # numbers is a leaf module; imported here to keep chunk light

    contexts: dict[int, str] = {}
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and _is_row(lines[j].text):
            j += 1
        figures = any(parse_cell(c) is not None for line in lines[i:j] for c in cells(line.text)[1:])
        if j - i < 2 or not figures:  # one row, or a table of contents: not a table
            i = j + 1 if j == i else j
            continue
        above = [
            line.text
            for line in lines[max(0, i - 2) : i]
            if len(line.text) <= MAX_TITLE_CHARS
            and (UNIT_LINE.search(line.text) or TABLE_TITLE.match(line.text))
            and not re.search(r"[。；]", line.text)
        ]
        head = " ".join(above)
        header = ""
        for k in range(i, j):
            row = cells(lines[k].text)
            if not header and all(parse_cell(c) is None for c in row[1:]):
                header = " | ".join(row)
                contexts[k] = head
                continue
            contexts[k] = f"{head}\n{header}".strip() if header else head
        i = j
    return contexts


def _greedy(text: str, lo: int, hi: int, pattern: re.Pattern[str], limit: int) -> list[tuple[int, int]]:
    """Cut text[lo:hi] after matches of pattern into pieces of at most limit chars where possible."""
    cuts = [m.end() for m in pattern.finditer(text, lo, hi) if m.end() < hi] + [hi]
    spans: list[tuple[int, int]] = []
    begin = last = lo
    for cut in cuts:
        if cut - begin > limit and last > begin:
            spans.append((begin, last))
            begin = last
        last = cut
    spans.append((begin, hi))
    return spans


def split_long(start: int, text: str, limit: int | None = None) -> list[tuple[int, int]]:
    """Spans (document offsets) of pieces of at most ~limit chars.

    Cuts at sentence ends first, then at clause breaks (，、：) inside an over-long
    sentence, and only then mid-clause, so a figure is never cut in two unless one
    clause alone exceeds the limit.
    """
    limit = limit or MAX_CHUNK_CHARS
    spans: list[tuple[int, int]] = []
    for a, b in _greedy(text, 0, len(text), SENTENCE_END, limit):
        for c, d in _greedy(text, a, b, CLAUSE_END, limit) if b - a > limit else [(a, b)]:
            spans.extend((x, min(x + limit, d)) for x in range(c, d, limit))
    merged: list[tuple[int, int]] = []
    for a, b in spans:  # a lone short lead ("1.组织领导保障全。") joins what follows
        if merged and merged[-1][1] - merged[-1][0] < MIN_PIECE_CHARS:
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return [(start + a, start + b) for a, b in merged if text[a:b].strip()]


def chunk_document(doc: Document, first_id: int = 0) -> list[Chunk]:
    """Chunks with heading paths and spans for one document; ids count up from first_id."""
    lines = split_lines(doc.text)
    rows = table_contexts(lines)
    path: dict[int, str] = {}
    pieces: list[tuple[int, int, tuple[str, ...]]] = []
    row_context: dict[int, str] = {}  # piece start → table context, for table rows
    for index, (line, level) in enumerate(zip(lines, line_levels(lines), strict=True)):
        if index == 0 and line.text == doc.title and not find_figures(line.text):
            # the title is document metadata, not a section; but a first line that prints figures (an
            # HTML page with no block breaks is one line, its title too) is the report's text
            continue
        if level is not None:
            path = {k: v for k, v in path.items() if k < level}
            path[level] = line.text
            continue
        section = tuple(path[k] for k in sorted(path))
        if index in rows:  # a table row is a passage of its own, read with its table's headers
            row_context[line.start] = rows[index]
            pieces.append((line.start, line.end, section))
            continue
        lead = LEAD_TITLE.match(line.text)
        if lead:
            section = (*section, lead.group(0))
        pieces.extend((a, b, section) for a, b in split_long(line.start, line.text))
    merged: list[tuple[int, int, tuple[str, ...]]] = []
    for a, b, section in pieces:
        if merged and a not in row_context and merged[-1][0] not in row_context:
            pa, pb, psec = merged[-1]
            if (
                psec == section
                and b - pa <= MAX_CHUNK_CHARS
                and (pb - pa < MERGE_UNDER_CHARS and b - a < MERGE_UNDER_CHARS)
            ):
                merged[-1] = (pa, b, section)
                continue
        merged.append((a, b, section))
    return [
        Chunk(first_id + i, doc.doc_id, a, b, doc.text[a:b], section, row_context.get(a, ""))
        for i, (a, b, section) in enumerate(merged)
    ]
