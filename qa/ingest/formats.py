"""Format readers: report bytes → (text, encoding, pages).

One function per format; `load.py` picks the reader by suffix and builds the Document.
Every citation is an offset into the text made here, so the text follows one convention
that the chunker and the fact extractor read:

- paragraphs in reading order, one per line; headings are lines like any other;
- a table is a blank line, one line per row with its cells joined by " | " (every cell
  position kept: an empty or merged-away cell is an empty string between separators),
  then a blank line.  A caption or "单位：万元" line above a table stays a line of its own;
- inside a cell, line breaks are joined without a space and blank padding between two
  Chinese characters ("项  目") is dropped; a "|" inside a cell becomes "/";
- numbers as the user sees them (xlsx cells rendered with their number format).

`pages` is, for a PDF, the offset where each page starts; () for other formats.

Each library is imported inside its reader, so starting the program does not pay for
formats it is not asked to read.  Whatever a library raises on a bad file becomes a
LoadError with a one-line reason.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import logging
import re
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

Read = tuple[str, str, tuple[int, ...]]


class LoadError(Exception):
    """A file that cannot become a Document; the message names the reason."""


# --- plain text ----------------------------------------------------------------------

BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def decode(data: bytes) -> tuple[str, str]:
    """Decode report bytes: by BOM when there is one, else UTF-8, else GB18030 (a superset of GBK).

    The BOM is dropped.  Raises LoadError for empty, binary or undecodable content.
    """
    if not data.strip():
        raise LoadError("empty file")
    bom = next((name for mark, name in BOMS if data.startswith(mark)), None)
    if bom is None and b"\x00" in data[:8192]:
        bom = utf16_without_bom(data)  # Windows "Unicode" text saved without its BOM
        if bom is None:
            raise LoadError("binary file (NUL bytes), not a text report")
    for name in [bom] if bom else ["utf-8", "gb18030"]:
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        if not text.strip():
            raise LoadError("empty file")
        if _looks_binary(text):
            raise LoadError("binary file (control characters), not a text report")
        return text, name
    raise LoadError("not valid UTF-8 or GB18030/GBK text" if bom is None else f"not valid {bom} text")


def utf16_without_bom(data: bytes) -> str | None:
    """"utf-16-le"/"utf-16-be" when nearly all NUL bytes stand at the odd (little-endian) or even
    (big-endian) offsets, as the high bytes of ASCII characters do, and the text decodes; else None.
    Nearly: a Chinese character whose code ends in 00 (一 U+4E00, 开 U+5F00, 最 U+6700, 退 U+9000) puts
    its NUL at the other parity, and "一、" opens half the sections of a report."""
    sample = data[:8192] if len(data) % 2 == 0 else b""  # UTF-16 text has an even length
    nuls = [i for i, b in enumerate(sample) if b == 0]
    if len(nuls) < max(2, len(sample) // 200):
        return None
    for name, parity in (("utf-16-le", 1), ("utf-16-be", 0)):
        if sum(i % 2 == parity for i in nuls) >= 0.9 * len(nuls):
            try:
                text = data.decode(name)
            except UnicodeDecodeError:
                return None
            return name if not _looks_binary(text) else None
    return None


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f")
    return controls > max(2, len(sample) // 100)


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n")


def read_text(data: bytes) -> Read:
    """.txt/.md: the decoded text; only a leading BOM is dropped and CRLF becomes LF."""
    text, encoding = decode(data)
    return normalise_newlines(text), encoding, ()


# --- the text convention -------------------------------------------------------------

CJK = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"  # ideographs, CJK punctuation, full-width forms
_PAD_BETWEEN_CJK = re.compile(rf"(?<=[{CJK}])\s+(?=[{CJK}])")
_SPACES = re.compile(r"\s+")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean_cell(text: str | None) -> str:
    """One table cell as one string: line breaks joined without a space, padding dropped."""
    if not text:
        return ""
    joined = "".join(part.strip() for part in re.split(r"[\r\n\v]+", text))
    joined = _PAD_BETWEEN_CJK.sub("", joined)
    return _SPACES.sub(" ", joined).replace("|", "/").replace("｜", "／")


def clean_line(text: str) -> str:
    """A paragraph line: control characters dropped, ends stripped (tabs and inner spaces kept)."""
    return _CONTROLS.sub("", text).strip()


class Writer:
    """Collects lines; tables get a blank line before and after (none at the very start or end)."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.length = 0  # len("\n".join(self.lines)) + 1 when lines exist: the next line's offset

    def _put(self, line: str) -> None:
        self.lines.append(line)
        self.length += len(line) + 1

    @property
    def offset(self) -> int:
        """Where the next line will start."""
        return self.length

    def paragraph(self, text: str) -> None:
        for part in re.split(r"\r\n|[\r\n\v\f\u2028\u2029]", text):
            line = clean_line(part)
            if line:
                self._put(line)

    def blank(self) -> None:
        if self.lines and self.lines[-1] != "":
            self._put("")

    def table(self, rows: Iterable[Sequence[str | None]]) -> None:
        body = [[clean_cell(cell) for cell in row] for row in rows]
        body = [row for row in body if any(row)]
        if not body:
            return
        self.blank()
        for row in body:
            self._put(" | ".join(row))
        self.blank()

    def text(self) -> str:
        lines = self.lines[:-1] if self.lines and self.lines[-1] == "" else self.lines
        return "\n".join(lines)


def reason_of(exc: BaseException) -> str:
    """A short, one-line reason from a library's exception."""
    inner = exc.args[0] if len(exc.args) == 1 and isinstance(exc.args[0], BaseException) else exc
    message = " ".join(str(inner).split()) or type(inner).__name__
    if type(inner).__name__ not in message and not isinstance(inner, (OSError, ValueError, KeyError)):
        message = f"{type(inner).__name__}: {message}"
    return message if len(message) <= 120 else message[:117] + "..."


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_UNZIPPED = 256 * 2**20  # a real report's package is a few MB unzipped; a 30 MB upload may not hold 40 GiB


def _zip_check(data: bytes, kind: str) -> None:
    """Office Open XML files are zip packages; say why when this one is not."""
    if data.startswith(OLE_MAGIC):
        raise LoadError(
            f"password-protected {kind} file, or an old binary .doc/.xls saved under a new name; "
            f"save it as an unprotected .{kind.lower()}"
        )
    if not data.startswith(b"PK"):
        raise LoadError(f"damaged {kind} file: not a zip package")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            inflated = sum(member.file_size for member in package.infolist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise LoadError(f"damaged {kind} file: {reason_of(exc)}") from exc
    if inflated > MAX_UNZIPPED:
        # zipfile reads a member only up to its declared size, so the declared total bounds the work
        raise LoadError(
            f"{kind} file would inflate to {inflated / 2**20:,.0f} MB (limit {MAX_UNZIPPED // 2**20} MB): "
            "refused, it may be a zip bomb"
        )


# --- docx --------------------------------------------------------------------------


def read_docx(data: bytes) -> Read:
    """Body paragraphs and tables in document order (headers, footers and text boxes left out)."""
    _zip_check(data, "DOCX")
    try:
        import docx
        from docx.oxml.ns import qn
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(data))
        writer = Writer()
        p_tag, tbl_tag = qn("w:p"), qn("w:tbl")
        containers = {qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")}

        def paragraph_text(p: Any) -> str:
            return str(Paragraph(p, document).text)

        def cell_text(tc: Any) -> str:
            return "\n".join(paragraph_text(p) for p in tc.iter(p_tag))

        def table_rows(tbl: Any) -> Iterator[list[str]]:
            for tr in tbl.iterchildren(qn("w:tr")):
                row = [""] * tr.grid_before
                for tc in tr.iterchildren(qn("w:tc")):
                    # A vertically merged cell holds its text in the first row only.
                    row.append("" if tc.vMerge == "continue" else cell_text(tc))
                    row.extend([""] * (tc.grid_span - 1))
                row.extend([""] * tr.grid_after)
                yield row

        def walk(parent: Any) -> None:
            for child in parent.iterchildren():
                if child.tag == p_tag:
                    writer.paragraph(paragraph_text(child))
                elif child.tag == tbl_tag:
                    writer.table(table_rows(child))
                elif child.tag in containers:
                    walk(child)  # content controls (cover pages, forms) hold paragraphs too

        walk(document.element.body)
    except LoadError:
        raise
    except Exception as exc:  # any library failure on a bad file is a load error
        raise LoadError(f"damaged DOCX file: {reason_of(exc)}") from exc
    text = writer.text()
    if not text.strip():
        raise LoadError("empty document (no text in the DOCX body)")
    return text, "docx", ()


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


# --- xlsx --------------------------------------------------------------------------


def _sections(fmt: str) -> list[str]:
    """Split a number format at ';' outside quotes, brackets and escapes."""
    parts, current, i = [], "", 0
    while i < len(fmt):
        ch = fmt[i]
        if ch == '"':
            end = fmt.find('"', i + 1)
            end = len(fmt) if end < 0 else end + 1
            current += fmt[i:end]
            i = end
            continue
        if ch in "\\_*" and i + 1 < len(fmt):
            current += fmt[i : i + 2]
            i += 2
            continue
        if ch == "[":
            end = fmt.find("]", i)
            end = len(fmt) if end < 0 else end + 1
            current += fmt[i:end]
            i = end
            continue
        if ch == ";":
            parts.append(current)
            current = ""
        else:
            current += ch
        i += 1
    parts.append(current)
    return parts


def _tokens(section: str) -> list[tuple[str, str]]:
    """(kind, text) tokens: 'lit' literal text, 'ph' a number placeholder or '.', ',', '%', 'E'; '@' text."""
    tokens: list[tuple[str, str]] = []
    i = 0
    while i < len(section):
        ch = section[i]
        if ch == '"':
            end = section.find('"', i + 1)
            end = len(section) if end < 0 else end
            tokens.append(("lit", section[i + 1 : end]))
            i = end + 1
        elif ch == "\\" and i + 1 < len(section):
            tokens.append(("lit", section[i + 1]))
            i += 2
        elif ch == "_" and i + 1 < len(section):
            tokens.append(("lit", " "))  # padding the width of the next character
            i += 2
        elif ch == "*" and i + 1 < len(section):
            i += 2  # fill character: nothing to show in text
        elif ch == "[":
            end = section.find("]", i)
            i = len(section) if end < 0 else end + 1  # colour, locale or condition
        elif ch in "0#?.,%":
            tokens.append(("ph", ch))
            i += 1
        elif ch in "Ee" and i + 1 < len(section) and section[i + 1] in "+-":
            tokens.append(("ph", "E" + section[i + 1]))
            i += 2
        elif ch == "@":
            tokens.append(("@", ch))
            i += 1
        else:
            tokens.append(("lit", ch))
            i += 1
    return tokens


def _excel_decimal(value: float | int | Decimal) -> Decimal:
    """The value as Excel keeps it: 15 significant digits (no binary float noise)."""
    if isinstance(value, int):
        return Decimal(value)
    return Decimal(f"{float(value):.15g}")


def format_general(value: float | int | Decimal) -> str:
    """General format: the shortest decimal, no trailing '.0', no exponent."""
    number = _excel_decimal(value)
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")


GENERAL_TOKEN = re.compile(r"G/通用格式|General", re.IGNORECASE)  # Chinese Excel names General "G/通用格式"


def format_number(value: float | int | Decimal, number_format: str | None) -> str:
    """A number as Excel shows it under `number_format` (the common numeric formats; General otherwise)."""
    fmt = (number_format or "General").strip()
    if not fmt or GENERAL_TOKEN.fullmatch(fmt) or fmt == "@":
        return format_general(value)
    sections = _sections(fmt)
    if any(re.match(r"\[[<>=]", s) for s in sections):
        return format_general(value)  # conditional sections: rare in reports
    number = _excel_decimal(value)
    negative = number < 0
    if len(sections) >= 3 and number == 0:
        section, number, negative = sections[2], Decimal(0), False
    elif len(sections) >= 2 and negative:
        section, number, negative = sections[1], -number, False  # the section shows the sign itself
    else:
        section = sections[0]
    general = GENERAL_TOKEN.search(section)
    if general:  # 'G/通用格式"万元"': the General number inside literal text
        around = [
            "".join(t for k, t in _tokens(part) if k == "lit")
            for part in (section[: general.start()], section[general.end() :])
        ]
        return (("-" if negative else "") + around[0] + format_general(abs(number)) + around[1]).strip()
    tokens = _tokens(section)
    placeholders = [t for k, t in tokens if k == "ph"]
    if not any(t in ("0", "#", "?") for t in placeholders):
        if any(k == "@" for k, _ in tokens):
            return format_general(value)
        return "".join(t for k, t in tokens if k == "lit").strip()  # e.g. the accounting zero "-"
    if any(t.startswith("E") for t in placeholders):
        mantissa_pattern, _, exponent_pattern = "".join(placeholders).partition("E")
        digits = sum(1 for ch in mantissa_pattern.partition(".")[2] if ch in "0#?")
        exponent_digits = max(1, exponent_pattern.count("0"))
        mantissa, exponent = f"{abs(number):.{digits}E}".split("E")
        exp_sign = "-" if exponent.startswith("-") else "+"
        shown = f"{mantissa}E{exp_sign}{abs(int(exponent)):0{exponent_digits}d}"
        return ("-" if negative else "") + shown
    first = next(i for i, (k, t) in enumerate(tokens) if k == "ph" and t in "0#?.")
    last = max(i for i, (k, t) in enumerate(tokens) if k == "ph" and t in "0#?.,")
    prefix = "".join(t if k == "lit" else ("%" if t == "%" else "") for k, t in tokens[:first])
    suffix = "".join(t if k == "lit" else ("%" if t == "%" else "") for k, t in tokens[last + 1 :])
    body = "".join(t for k, t in tokens[first : last + 1] if k == "ph" and t != "%")
    percent = "%" in placeholders
    if percent:
        number *= 100
    scale = len(body) - len(body.rstrip(","))  # "#,##0," shows thousands
    body = body.rstrip(",")
    number /= Decimal(1000) ** scale
    int_pattern, point, dec_pattern = body.partition(".")
    dec_places = [ch for ch in dec_pattern if ch in "0#?"]
    max_dec = len(dec_places)
    min_dec = max((i + 1 for i, ch in enumerate(dec_places) if ch == "0"), default=0)  # "0.0#": 1
    try:
        rounded = abs(number).quantize(Decimal(1).scaleb(-max_dec), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return format_general(value)
    int_part, _, dec_part = format(rounded, "f").partition(".")
    dec_part = dec_part.ljust(max_dec, "0")
    while len(dec_part) > min_dec and dec_part.endswith("0"):
        dec_part = dec_part[:-1]
    min_int = int_pattern.count("0")
    if int_part == "0" and min_int == 0:
        int_part = ""  # "#.00" shows 0.5 as ".50"
    int_part = int_part.rjust(min_int, "0")
    if "," in int_pattern and int_part:
        int_part = f"{int(int_part):,}"
    shown = f"{int_part}{point}{dec_part}"  # Excel keeps the point of "0.##" even with no decimals
    text = f"{prefix}{shown}{suffix}"
    if negative and rounded != 0:
        text = "-" + text
    return text.strip()


_DATE_TOKEN = re.compile(
    r'"[^"]*"|\\.|yyyy|yy|mmmm|mmm|mm|m|dddd|ddd|aaaa|aaa|dd|d|hh|h|ss|s|am/pm|a/p|\[[^\]]*\]|.', re.IGNORECASE
)
WEEKDAYS = "一二三四五六日"


def format_datetime(value: dt.datetime | dt.date | dt.time, number_format: str | None) -> str:
    """A date or time under its format: years, months, days, hours, minutes, seconds; ISO otherwise."""
    fmt = _sections(number_format or "")[0]
    if isinstance(value, dt.time):
        value = dt.datetime.combine(dt.date(1900, 1, 1), value)
    elif not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    tokens = _DATE_TOKEN.findall(fmt)
    lowered = [t.lower() for t in tokens]
    if not any(t in ("yyyy", "yy", "m", "mm", "d", "dd", "h", "hh") for t in lowered):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    out = []
    for i, (token, low) in enumerate(zip(tokens, lowered, strict=True)):
        after_hour = any(t in ("h", "hh") for t in lowered[max(0, i - 2) : i])
        before_second = any(t in ("s", "ss") for t in lowered[i + 1 : i + 3])
        if low == "yyyy":
            out.append(f"{value.year:04d}")
        elif low == "yy":
            out.append(f"{value.year % 100:02d}")
        elif low in ("m", "mm") and (after_hour or before_second):
            out.append(f"{value.minute:02d}" if low == "mm" else str(value.minute))
        elif low == "mm":
            out.append(f"{value.month:02d}")
        elif low == "m":
            out.append(str(value.month))
        elif low in ("mmm", "mmmm"):
            out.append(f"{value.month}月")
        elif low in ("dddd", "aaaa"):
            out.append("星期" + WEEKDAYS[value.weekday()])
        elif low in ("ddd", "aaa"):
            out.append(("周" if low == "ddd" else "") + WEEKDAYS[value.weekday()])
        elif low == "dd":
            out.append(f"{value.day:02d}")
        elif low == "d":
            out.append(str(value.day))
        elif low in ("hh", "h"):
            out.append(f"{value.hour:02d}" if low == "hh" else str(value.hour))
        elif low in ("ss", "s"):
            out.append(f"{value.second:02d}" if low == "ss" else str(value.second))
        elif low in ("am/pm", "a/p"):
            out.append("AM" if value.hour < 12 else "PM")
        elif token.startswith('"'):
            out.append(token[1:-1])
        elif token.startswith("\\"):
            out.append(token[1:])
        elif token.startswith("[") or token in ("_", "*"):
            continue
        else:
            out.append(token)
    return "".join(out).strip()


def render_cell(value: Any, number_format: str | None) -> str:
    """An xlsx cell's value as the user sees it in Excel."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float, Decimal)):
        return format_number(value, number_format)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return format_datetime(value, number_format)
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value)


def read_xlsx(data: bytes) -> Read:
    """Each visible sheet: its name as a line, then its rows as table lines (cached formula values)."""
    _zip_check(data, "XLSX")
    try:
        import openpyxl

        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except LoadError:
        raise
    except Exception as exc:  # zipfile, XML and openpyxl errors alike
        raise LoadError(f"damaged XLSX file: {reason_of(exc)}") from exc
    writer = Writer()
    try:
        for sheet in workbook.worksheets:
            if getattr(sheet, "sheet_state", "visible") != "visible":
                continue  # hidden sheets are not what the user reads
            if hasattr(sheet, "reset_dimensions"):
                sheet.reset_dimensions()  # some writers store a wrong used range
            rows = []
            for row in sheet.iter_rows():
                cells = [render_cell(cell.value, getattr(cell, "number_format", None)) for cell in row]
                cells = [clean_cell(cell) for cell in cells]
                while cells and not cells[-1]:
                    cells.pop()
                if cells:
                    rows.append(cells)
            if not rows:
                continue
            # Columns left of the sheet's content (a table drawn from column B) are not cells of it.
            lead = min(next(i for i, cell in enumerate(row) if cell) for row in rows)
            writer.paragraph(sheet.title)
            writer.table(row[lead:] for row in rows)
    except Exception as exc:  # noqa: BLE001
        raise LoadError(f"damaged XLSX file: {reason_of(exc)}") from exc
    finally:
        workbook.close()
    text = writer.text()
    if not text.strip():
        raise LoadError("empty workbook (no cell holds a value)")
    return text, "xlsx", ()


# --- html --------------------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([-\w.:]+)""", re.IGNORECASE)
_GB = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "936", "euc-cn", "hz-gb-2312", "csgb2312", "windows-936"}


def decode_html(data: bytes) -> tuple[str, str]:
    """HTML bytes to text: by BOM; else UTF-8 when the bytes are valid UTF-8 (GBK text almost never
    is, and pages re-encoded by a CMS often keep a stale <meta charset>); else the <meta> charset
    (GB2312/GBK read as their superset GB18030); else GB18030."""
    if not data.strip():
        raise LoadError("empty file")
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LoadError("binary file (NUL bytes), not an HTML page")
    for mark, name in BOMS:
        if data.startswith(mark):
            return data.decode(name, errors="replace"), name
    candidates = ["utf-8"]
    match = _META_CHARSET.search(data[:8192])
    if match:
        label = match.group(1).decode("ascii", "ignore").lower()
        try:
            candidates.append("gb18030" if label in _GB else codecs.lookup(label).name)
        except LookupError:
            pass
    candidates.append("gb18030")
    for name in dict.fromkeys(candidates):
        try:
            return data.decode(name), name
        except UnicodeDecodeError:
            continue
    return data.decode("gb18030", errors="replace"), "gb18030"


# A source line break between two Chinese characters shows as nothing (CSS Text: segment breaks
# between East Asian wide characters are removed); any other run of white space shows as one space.
_HTML_BREAK_IN_CJK = re.compile(rf"(?<=[{CJK}])[ \t\r\f]*\n[ \t\n\r\f]*(?=[{CJK}])")
BLOCK_TAGS = frozenset(
    "address article aside blockquote body center dd details dialog dir div dl dt fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hgroup hr html li main menu nav ol p pre section summary ul "
    "caption title".split()
)
DROP_TAGS = frozenset("script style noscript template head iframe object embed svg math select button".split())
CELL_TAGS = ("td", "th")


def _html_rows(table: Any) -> list[list[str]]:
    """Rows of one <table> (not of tables nested in it), colspan/rowspan laid out on a grid."""
    rows: list[list[str]] = []
    spans: dict[int, int] = {}  # column → rows still covered by a rowspan from above
    for tr in table.find_all("tr"):
        if tr.find_parent("table") is not table:
            continue
        row: list[str] = []
        for cell in tr.find_all(CELL_TAGS, recursive=False):
            _skip_spanned(row, spans)
            colspan, rowspan = _span(cell.get("colspan")), _span(cell.get("rowspan"))
            if rowspan > 1:
                spans.update((c, rowspan - 1) for c in range(len(row), len(row) + colspan))
            row.append(_cell_text(cell))
            row.extend([""] * (colspan - 1))
        _skip_spanned(row, spans)
        pending = [c for c, left in spans.items() if left > 0 and c >= len(row)]
        while pending and len(row) <= max(pending):  # spanned columns right of this row's last cell
            spans[len(row)] = max(0, spans.get(len(row), 0) - 1)
            row.append("")
        rows.append(row)
    return rows


def _skip_spanned(row: list[str], spans: dict[int, int]) -> None:
    """Leave empty the positions a rowspan from above covers."""
    while spans.get(len(row), 0) > 0:
        spans[len(row)] -= 1
        row.append("")


def _span(value: Any) -> int:
    try:
        return max(1, min(int(str(value).strip()), 1000))
    except (TypeError, ValueError):
        return 1


def _cell_text(cell: Any) -> str:
    from bs4 import NavigableString, Tag

    parts: list[str] = []

    def walk(node: Any) -> None:
        for child in node.children:
            if isinstance(child, Tag):
                if child.name in DROP_TAGS:
                    continue
                block = child.name in BLOCK_TAGS or child.name in ("br", "tr", "table")
                if block:
                    parts.append("\n")
                walk(child)
                if block:
                    parts.append("\n")
            elif isinstance(child, NavigableString) and type(child) is NavigableString:
                parts.append(str(child))

    walk(cell)
    return clean_cell("".join(parts))


FLUSH = object()  # read_html's marker: a block element ends here


def read_html(data: bytes) -> Read:
    """Block elements as lines, <table> as rows; script and style dropped."""
    text_in, charset = decode_html(data)
    try:
        from bs4 import BeautifulSoup, NavigableString, Tag

        soup = BeautifulSoup(text_in, "html.parser")
        writer = Writer()
        buffer: list[str] = []

        def flush() -> None:
            line = _HTML_BREAK_IN_CJK.sub("", "".join(buffer))
            line = re.sub(r"[ \t\n\r\f\xa0]+", " ", line)
            buffer.clear()
            writer.paragraph(line)

        def walk(root: Any) -> None:
            # an explicit stack, not recursion: a page nested 100,000 deep is read, not a RecursionError
            stack: list[Any] = [iter(root.children)]
            while stack:
                child = next(stack[-1], None)
                if child is None:
                    stack.pop()
                elif child is FLUSH:
                    flush()
                elif isinstance(child, Tag):
                    name = child.name.lower()
                    if name in DROP_TAGS:
                        continue
                    if name == "br":
                        flush()
                    elif name == "table":
                        flush()
                        caption = child.find("caption")
                        if caption is not None and caption.find_parent("table") is child:
                            writer.paragraph(re.sub(r"\s+", " ", caption.get_text()))
                        writer.table(_html_rows(child))
                    elif name in BLOCK_TAGS:
                        flush()
                        stack.append(iter([*child.children, FLUSH]))
                    else:
                        stack.append(iter(child.children))
                elif isinstance(child, NavigableString) and type(child) is NavigableString:
                    buffer.append(str(child))

        walk(soup)
        flush()
    except Exception as exc:  # the parser is lenient; anything raised is unexpected
        raise LoadError(f"cannot read HTML: {reason_of(exc)}") from exc
    text = writer.text()
    if not text.strip():
        raise LoadError("empty document (no text in the HTML)")
    return text, f"html:{charset}", ()
