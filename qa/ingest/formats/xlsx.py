""".xlsx: each sheet's rows with every cell rendered by its number format, as Excel shows it."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from qa.ingest.formats.common import LoadError, Read, Writer, clean_cell, reason_of, zip_check

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
    zip_check(data, "XLSX")
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
