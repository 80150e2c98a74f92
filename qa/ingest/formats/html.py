""".html/.htm: a saved report page — charset from BOM, meta or GB/UTF-8 guess; blocks as lines,
tables as rows, scripts and styles dropped."""

from __future__ import annotations

import codecs
import re
from typing import Any

from qa.ingest.formats.common import CJK, LoadError, Read, Writer, clean_cell, reason_of
from qa.ingest.formats.text import BOMS

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
