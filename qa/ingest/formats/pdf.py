""".pdf: pdfplumber's lines per page, wrapped lines joined, columns of figures kept apart; `pages`
holds where each page starts."""

from __future__ import annotations

import io
import logging
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

from qa.ingest.formats.common import LoadError, Read, Writer, reason_of

# --- pdf ---------------------------------------------------------------------------

_NUMBERED = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}[、.．](?!\d)|[①-⑳])"
)
_CID = re.compile(r"\(cid:\d+\)")


def _numbers_side_by_side(text: str) -> bool:
    """A row of an unruled table ("公务接待费 2.00 2.05"), not a wrapped sentence."""
    return len(re.findall(r"(?:^|\s)[-+]?[\d,]+(?:\.\d+)?%?(?=\s|$)", text)) >= 2


@dataclass
class _PdfLine:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


@dataclass
class _PdfPage:
    width: float
    lines: list[_PdfLine]
    tables: list[tuple[float, list[list[str | None]]]]  # (top, rows)


def _usual(values: list[float], lowest: bool) -> float:
    """The margin most pages share (rounded to 2 pt); the outermost one on a tie."""
    counts = Counter(round(v / 2) * 2 for v in values)
    best = max(counts.values())
    tied = [v for v, n in counts.items() if n == best]
    return min(tied) if lowest else max(tied)


def _join_wrapped(page: _PdfPage, left_usual: float, right_usual: float) -> list[_PdfLine]:
    """Join a paragraph's visual lines: a line that runs to the right margin goes on in the next
    line when that one starts at the left margin (not indented, no numbered heading after a
    full stop, not a row of figures).  The margins are the ones most pages share, unless this
    page's own lines are near them (mirrored margins)."""
    lines = page.lines
    if len(lines) < 2:
        return list(lines)
    slack = 0.1 * page.width
    own_left, own_right = min(line.x0 for line in lines), max(line.x1 for line in lines)
    left = own_left if abs(own_left - left_usual) <= slack else left_usual
    right = own_right if abs(own_right - right_usual) <= slack else right_usual
    out = [replace(lines[0])]
    for line in lines[1:]:
        prev = out[-1]
        size = max(prev.size, 1.0)
        joins = (
            prev.x1 >= right - 1.5 * size
            and line.x0 <= left + 0.5 * size
            and 0 <= line.top - prev.bottom < 1.2 * size
            and abs(line.size - prev.size) < 1.0
            and not _numbers_side_by_side(prev.text)
            and not _numbers_side_by_side(line.text)
            and not (prev.text.endswith(("。", "：", ":")) and _NUMBERED.match(line.text))
        )
        if joins:
            glue = " " if re.match(r"[A-Za-z0-9]", line.text) and re.search(r"[A-Za-z]$", prev.text) else ""
            prev.text += glue + line.text
            prev.x1, prev.bottom = line.x1, line.bottom
        else:
            out.append(replace(line))
    return out


# A gap between two characters becomes a space only when wider than 0.4 of the font size, not
# pdfplumber's fixed 3 pt: letter-spaced or justified Chinese ("公 务 接 待 费 2 . 9 7") stays whole.
TEXT_SETTINGS: dict[str, Any] = {"x_tolerance_ratio": 0.4}


def _read_page(page: Any) -> _PdfPage:
    """The text lines outside ruled tables (with their geometry) and the tables of one page."""
    # A ruled box of one column (a frame round the page or a text box) is not a table.
    tables = [t for t in page.find_tables() if max((len(r.cells) for r in t.rows), default=0) >= 2]
    boxes = [t.bbox for t in tables]

    def outside(obj: dict[str, Any]) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    text_page = page.filter(outside) if boxes else page
    lines = []
    for line in text_page.extract_text_lines(strip=True, return_chars=True, **TEXT_SETTINGS):
        sizes = [float(c.get("size", 0.0)) for c in line.get("chars", ())]
        lines.append(
            _PdfLine(line["text"], line["x0"], line["x1"], line["top"], line["bottom"], max(sizes, default=10.0))
        )
    return _PdfPage(float(page.width), lines, [(t.bbox[1], t.extract(**TEXT_SETTINGS)) for t in tables])


def _write_pdf(pages: list[_PdfPage]) -> tuple[str, tuple[int, ...]]:
    texted = [p for p in pages if p.lines]
    left_usual = _usual([min(line.x0 for line in p.lines) for p in texted], lowest=True) if texted else 0.0
    right_usual = _usual([max(line.x1 for line in p.lines) for p in texted], lowest=False) if texted else 0.0
    writer = Writer()
    starts = []
    for page in pages:
        starts.append(writer.offset)
        items: list[tuple[float, int, Any]] = [(t, 0, rows) for t, rows in page.tables]
        items += [(line.top, 1, line.text) for line in _join_wrapped(page, left_usual, right_usual)]
        for _, kind, payload in sorted(items, key=lambda item: (item[0], item[1])):
            if kind == 0:
                writer.table(payload)
            else:
                writer.paragraph(payload)
    text = writer.text()
    # A page with no text after the last line starts at the end of the text, not beyond it.
    return text, tuple(min(start, len(text)) for start in starts)


def _pdfium_page_count(data: bytes) -> int | None:
    """The page count PDFium (installed with pdfplumber) reads, to catch a page tree pdfminer
    only half recovered; None when PDFium cannot say."""
    try:
        import pypdfium2

        document = pypdfium2.PdfDocument(data)
        try:
            return len(document)
        finally:
            document.close()
    except Exception:  # a second opinion only
        return None


@contextmanager
def _quiet(*names: str) -> Iterator[None]:
    """Keep a library's warnings about odd but readable files ("Invalid MediaBox …") off stderr."""
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def read_pdf(data: bytes) -> Read:
    """Text layer per page with pdfplumber; ruled tables become " | " rows at their place on the page."""
    if b"%PDF-" not in data[:1024]:
        raise LoadError("damaged PDF: no %PDF header (not a PDF file)")
    if b"%%EOF" not in data[-1024:]:
        raise LoadError("damaged PDF: truncated (no %%EOF at the end)")
    pages: list[_PdfPage] = []
    chars = 0
    try:
        import pdfplumber

        with _quiet("pdfminer", "pdfplumber"), pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                chars += len(page.chars)
                pages.append(_read_page(page))
                page.close()  # frees the page's parsed objects: long reports stay small in memory
    except Exception as exc:  # pdfminer raises many kinds on bad input
        inner = exc.args[0] if len(exc.args) == 1 and isinstance(exc.args[0], BaseException) else exc
        reason = reason_of(exc)
        if type(inner).__name__ == "PDFPasswordIncorrect" or "password" in reason.lower():
            raise LoadError("password-protected PDF") from exc
        if type(inner).__name__ == "PDFEncryptionError":
            raise LoadError(f"encrypted PDF that cannot be opened: {reason}") from exc
        raise LoadError(f"damaged PDF: {reason}") from exc
    expected = _pdfium_page_count(data)
    if not pages or (expected is not None and expected != len(pages)):
        raise LoadError(f"damaged PDF: {len(pages)} of {expected or '?'} pages readable")
    text, starts = _write_pdf(pages)
    if chars == 0 or not text.strip():
        raise LoadError("no text layer (scanned?); needs OCR")
    if len(_CID.findall(text)) * 10 > chars:
        raise LoadError("no usable text layer (fonts without a Unicode map print as (cid:N)); needs OCR")
    return text, "pdf", starts
