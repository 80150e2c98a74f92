"""Ingest throughput per input format: the same generated reports as .txt, .docx, .html, .xlsx and .pdf.

`run(reports, seed, work)` generates a corpus (generate.py), converts every report into each
format (`convert`, timed on its own: making the files is not part of ingest), then for each
format

- reads every file with `load_file` (files/s, MB/s and, for PDF, pages/s), and
- ingests that format's folder into a fresh index of its own (chunks/s, total seconds, the
  seconds in "model load" + "embedding", and the share of everything else).

With the stand-in embedder (embed.StandInEmbedder, the default) the model's cost is next to
nothing, so the share of everything but the model is also estimated for the real model:
its seconds are the vectors embedded ÷ `model_texts_per_s` (the real model's passage rate,
measured on this machine by `reportqa bench`).  The target: everything but the model costs
under 20% of ingest time.

What each format is made of: a line of the .txt report is a paragraph; a run of lines the
chunker reads as table rows (`qa.ingest.chunk.table_contexts`: 2+ consecutive rows holding figures)
is a real table whose cells are `qa.ingest.chunk.cells` of each line.  The PDF is A4 in STSong-Light
(a CID font every viewer has) with wrapped paragraphs and ruled tables, which pdfplumber finds
by their lines; the .xlsx is one sheet, one row per line, with table lines split into cells
(as text, so each cell shows exactly what the report printed).

    python -m qatools.bench_formats --reports 20 --seed 0 --out benchmarks/results/formats.md
"""

from __future__ import annotations

import argparse
import html
import json
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from .bench import peak_rss_mb, reset_peak_rss

FORMATS = ("txt", "docx", "html", "xlsx", "pdf")
STANDIN = "standin-384"
MODEL_TEXTS_PER_S = 39.1  # the real model's passages/s on this machine (reportqa bench, 2 cores)
TARGET_NON_MODEL_SHARE = 0.20

# --- the report as blocks ----------------------------------------------------------------

Block = tuple[str, Any]  # ("title" | "p", str) or ("table", list[list[str]])


def report_blocks(text: str) -> list[Block]:
    """The report's non-empty lines in order: the first is the title, runs of table rows (as the
    chunker finds them) are tables with their cells split as the chunker splits them, padded
    to a rectangle; every other line is a paragraph."""
    from qa.ingest.chunk import cells, split_lines, table_contexts

    lines = split_lines(text)
    rows = table_contexts(lines)
    blocks: list[Block] = []
    for i, line in enumerate(lines):
        if i in rows:
            row = cells(line.text)
            if blocks and blocks[-1][0] == "table" and i - 1 in rows:
                blocks[-1][1].append(row)
            else:
                blocks.append(("table", [row]))
        else:
            blocks.append(("title" if not blocks else "p", line.text))
    for kind, payload in blocks:
        if kind == "table":
            width = max(len(r) for r in payload)
            for r in payload:
                r.extend([""] * (width - len(r)))
    return blocks


def _read_report(txt_report: Path) -> list[Block]:
    from qa.ingest.formats import decode, normalise_newlines

    text, _ = decode(txt_report.read_bytes())
    return report_blocks(normalise_newlines(text))


# --- writers, one per format --------------------------------------------------------------


def write_txt(txt_report: Path, blocks: list[Block], out: Path) -> None:
    """The report's own bytes (its encoding, BOM and line ends kept)."""
    shutil.copyfile(txt_report, out)


def write_docx(txt_report: Path, blocks: list[Block], out: Path) -> None:
    import docx

    document = docx.Document()
    for kind, payload in blocks:
        if kind == "title":
            document.add_heading(payload, level=0)
        elif kind == "p":
            document.add_paragraph(payload)
        else:
            table = document.add_table(rows=len(payload), cols=len(payload[0]))
            table.style = "Table Grid"
            for row, values in zip(table.rows, payload, strict=True):
                for cell, value in zip(row.cells, values, strict=True):
                    cell.text = value
    document.save(str(out))


def write_html(txt_report: Path, blocks: list[Block], out: Path) -> None:
    title = next((p for k, p in blocks if k == "title"), txt_report.stem)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title></head><body>",
    ]
    for kind, payload in blocks:
        if kind == "title":
            parts.append(f"<h1>{html.escape(payload)}</h1>")
        elif kind == "p":
            parts.append(f"<p>{html.escape(payload)}</p>")
        else:
            parts.append('<table border="1">')
            for r, row in enumerate(payload):
                tag = "th" if r == 0 else "td"
                parts.append("<tr>" + "".join(f"<{tag}>{html.escape(c)}</{tag}>" for c in row) + "</tr>")
            parts.append("</table>")
    parts.append("</body></html>")
    out.write_text("\n".join(parts) + "\n", encoding="utf-8")


_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")


def write_xlsx(txt_report: Path, blocks: list[Block], out: Path) -> None:
    """One sheet named after the title (Excel keeps 31 characters of it): one row per line."""
    import openpyxl

    title = next((p for k, p in blocks if k == "title"), txt_report.stem)
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(_SHEET_NAME_BAD.sub("_", title)[:31] or "Sheet1")
    for kind, payload in blocks:
        if kind == "table":
            for row in payload:
                sheet.append(row)
        else:
            sheet.append([payload])
    workbook.save(str(out))


_PDF_FONT = "STSong-Light"


def _pdf_styles() -> dict[str, Any]:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if _PDF_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(_PDF_FONT))
    return {
        "title": ParagraphStyle("bf-title", fontName=_PDF_FONT, fontSize=16, leading=24, spaceAfter=8),
        # A first-line indent marks where a paragraph starts, as in printed reports; the reader
        # joins a paragraph's wrapped lines back by the margins.
        "p": ParagraphStyle(
            "bf-p", fontName=_PDF_FONT, fontSize=11, leading=16, wordWrap="CJK", firstLineIndent=22, spaceAfter=2
        ),
        "cell": ParagraphStyle("bf-cell", fontName=_PDF_FONT, fontSize=9, leading=11, wordWrap="CJK"),
    }


def _display_width(text: str) -> int:
    """Columns a cell needs: a CJK or full-width character counts two."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _column_widths(rows: list[list[str]], available: float) -> list[float]:
    """Widths in proportion to each column's longest cell, every column at least 8% of the page."""
    needs = [max(4, *(_display_width(r[c]) for r in rows)) for c in range(len(rows[0]))]
    widths = [available * n / sum(needs) for n in needs]
    floor = 0.08 * available
    if floor * len(widths) < available:
        short = sum(floor - w for w in widths if w < floor)
        wide = sum(w for w in widths if w >= floor)
        widths = [floor if w < floor else w - short * w / wide for w in widths]
    return widths


# Characters a line may not start with (closing punctuation): like Word's default for Chinese,
# one of them hangs in the right margin instead.
_CANNOT_START = frozenset("，。、；：？！）》」』】〕”’…%％‰℃,.;:?!)]}")
_LATIN_RUN = re.compile(r"[A-Za-z0-9.,%+\-]+|.", re.DOTALL)  # a run of digits or letters wraps as a word


def _justified(text: str, style: Any) -> Any:
    """A paragraph set like a Word or WPS export of a Chinese report: justified (every line but the
    last ends at the right margin, the slack spread between the characters), first line
    indented, numbers never split, closing punctuation never starting a line."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus.flowables import Flowable

    font, size, leading, indent = style.fontName, style.fontSize, style.leading, style.firstLineIndent

    class Justified(Flowable):
        def __init__(self, lines: list[str] | None = None, first: bool = True) -> None:
            super().__init__()
            self.lines = lines
            self.first = first
            self.spaceAfter = style.spaceAfter
            self.width_used = 0.0

        def _break(self, width: float) -> list[str]:
            lines: list[str] = []
            line, used = "", indent if self.first else 0.0
            for unit in _LATIN_RUN.findall(text):
                w = stringWidth(unit, font, size)
                hangs = unit in _CANNOT_START and line
                if line and used + w > width + 0.01 and not hangs:
                    lines.append(line)
                    line, used = "", 0.0
                line += unit
                used += w
            return [*lines, line] if line else lines

        def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
            if self.lines is None:
                self.lines = self._break(availWidth)
            self.width_used = availWidth
            return availWidth, leading * len(self.lines)

        def split(self, availWidth: float, availHeight: float) -> list[Any]:  # noqa: N803
            self.wrap(availWidth, availHeight)
            assert self.lines is not None
            fit = int(availHeight // leading)
            if fit < 1:
                return []
            if fit >= len(self.lines):
                return [self]
            head = Justified(self.lines[:fit], self.first)
            head.spaceAfter = 0
            return [head, Justified(self.lines[fit:], first=False)]

        def draw(self) -> None:
            assert self.lines is not None
            canvas = self.canv
            height = leading * len(self.lines)
            for i, line in enumerate(self.lines):
                x = indent if i == 0 and self.first else 0.0
                slack = self.width_used - x - stringWidth(line, font, size)
                last = i == len(self.lines) - 1
                tx = canvas.beginText(x, height - (i + 1) * leading + (leading - size) / 2 + 0.12 * size)
                tx.setFont(font, size)
                # Always set: the character spacing is graphics state and outlives the text object.
                tx.setCharSpace(slack / (len(line) - 1) if not last and slack > 0 and len(line) > 1 else 0)
                tx.textOut(line)
                canvas.drawText(tx)

    return Justified()


def write_pdf(txt_report: Path, blocks: list[Block], out: Path, ragged: bool = False) -> None:
    """A4, STSong-Light; paragraphs justified (`ragged`: reportlab's own CJK wrapping instead,
    ragged right with hanging punctuation), tables ruled."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = _pdf_styles()
    template = SimpleDocTemplate(str(out), pagesize=A4, title=txt_report.stem)
    story: list[Any] = []
    for kind, payload in blocks:
        if kind == "title":
            story.append(Paragraph(escape(payload), styles[kind]))
            continue
        if kind == "p":
            story.append(Paragraph(escape(payload), styles[kind]) if ragged else _justified(payload, styles[kind]))
            continue
        rows = [[Paragraph(escape(c), styles["cell"]) for c in row] for row in payload]
        table = Table(rows, colWidths=_column_widths(payload, template.width))
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ]
            )
        )
        story.extend([Spacer(1, 4), table, Spacer(1, 6)])
    template.build(story)


WRITERS: dict[str, Callable[[Path, list[Block], Path], None]] = {
    "txt": write_txt,
    "docx": write_docx,
    "html": write_html,
    "xlsx": write_xlsx,
    "pdf": write_pdf,
}


def convert(
    txt_report: Path, out_dir: Path, formats: Sequence[str] = FORMATS, seconds: dict[str, float] | None = None
) -> dict[str, Path]:
    """Write the report as out_dir/<stem>.<format> for each format; format → path.

    `seconds`, when given, accumulates the time each format's writer took.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    blocks = _read_report(txt_report)
    decode_s = time.perf_counter() - started
    made: dict[str, Path] = {}
    for fmt in formats:
        path = out_dir / f"{txt_report.stem}.{fmt}"
        started = time.perf_counter()
        WRITERS[fmt](txt_report, blocks, path)
        if seconds is not None:
            seconds[fmt] = seconds.get(fmt, 0.0) + time.perf_counter() - started + (0.0 if fmt == "txt" else decode_s)
        made[fmt] = path
    return made


# --- the benchmark ------------------------------------------------------------------------


@dataclass
class FormatResult:
    format: str
    model: str
    files: int = 0
    pages: int = 0  # PDF pages (0 for the other formats)
    mb: float = 0.0
    convert_s: float = 0.0  # making the files: not part of ingest
    read_s: float = 0.0  # load_file over every file
    files_per_s: float = 0.0
    mb_per_s: float = 0.0
    pages_per_s: float = 0.0
    read_errors: list[str] = field(default_factory=list)
    documents: int = 0
    chunks: int = 0
    vectors: int = 0
    facts: int = 0
    ingest_s: float = 0.0
    chunks_per_s: float = 0.0
    model_s: float = 0.0  # "model load" + "embedding" of the ingest
    non_model_share: float = 0.0  # of the measured ingest time
    model_s_estimated: float = 0.0  # vectors ÷ model_texts_per_s (stand-in runs only)
    non_model_share_estimated: float | None = None  # with the real model's seconds in place of the stand-in's
    steps_s: dict[str, float] = field(default_factory=dict)
    ingest_peak_rss_mb: float = 0.0
    # Fidelity of the text read back, against the .txt report and truth.jsonl
    table_rows: int = 0  # lines the chunker reads as table rows
    figures: int = 0  # figures truth.jsonl lists (each distinct printed text once per report)
    figures_found: int = 0  # … whose printed text the read-back text holds
    titles_matched: int = 0  # documents whose title (facets come from it) is the report's title
    lines: int = 0  # the reports' paragraphs and table rows
    lines_whole: int = 0  # … that are one line of the read-back text (white space aside)


def _truth(corpus: Path) -> dict[str, tuple[str, list[str]]]:
    """Report stem → its title and the distinct printed texts of its figures."""
    out: dict[str, tuple[str, list[str]]] = {}
    with (corpus / "truth.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                out[Path(row["file"]).stem] = (row["title"], list(dict.fromkeys(f["text"] for f in row["figures"])))
    return out


_NO_SPACE = re.compile(r"\s+")


def _expected_lines(txt_report: Path) -> list[str]:
    """The report's paragraphs and table rows (cells joined by "|"), white space removed: the
    lines a reader should give back whole (xlsx, HTML and PDF drop or fold white space)."""
    out: list[str] = []
    for kind, payload in _read_report(txt_report):
        rows = payload if kind == "table" else [[payload]]
        out.extend(_NO_SPACE.sub("", "|".join(row)) for row in rows)
    return out


def _warm_up(work: Path, sample: Path, spec: Any) -> None:
    """Import every reader's library and load the tokenizer's dictionary before anything is timed,
    so that no format pays the process's one-time costs."""
    import importlib

    from qa.index.embed import load_embedder
    from qa.ingest.plan import ingest

    for name in ("docx", "pdfplumber", "pypdfium2", "openpyxl", "bs4"):
        importlib.import_module(name)
    folder = work / "warm-up"
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "reports").mkdir(parents=True)
    shutil.copy(sample, folder / "reports" / sample.name)
    ingest([folder / "reports"], folder / "index", spec, lambda: load_embedder(spec, passages=True))
    shutil.rmtree(folder, ignore_errors=True)


def run(
    reports: int,
    seed: int,
    work: Path,
    model: str = STANDIN,
    model_texts_per_s: float = MODEL_TEXTS_PER_S,
    formats: Sequence[str] = FORMATS,
    log: Callable[[str], None] | None = None,
) -> list[FormatResult]:
    """Generate, convert, then read and ingest each format on its own (see the module docstring)."""
    from qa.index.embed import STANDIN_PREFIX, ModelSpec, load_embedder
    from qa.ingest.chunk import cells, split_lines, table_contexts
    from qa.ingest.load import LoadError, load_file
    from qa.ingest.plan import ingest

    from .generate import write_corpus

    say = log or (lambda message: None)
    work = Path(work)
    work.mkdir(parents=True, exist_ok=True)
    corpus = write_corpus(work / "corpus", reports, seed)
    truth = _truth(corpus.folder)
    expected_lines = {Path(name).stem: _expected_lines(corpus.reports_dir / name) for name in corpus.files}
    files_dir = work / "files"
    for fmt in formats:
        shutil.rmtree(files_dir / fmt, ignore_errors=True)
    say(f"converting {reports} reports to {', '.join(formats)} …")
    convert_s: dict[str, float] = {}
    for name in corpus.files:
        made = convert(corpus.reports_dir / name, files_dir / "all", formats, convert_s)
        for fmt, path in made.items():
            (files_dir / fmt).mkdir(parents=True, exist_ok=True)
            path.rename(files_dir / fmt / path.name)
    shutil.rmtree(files_dir / "all", ignore_errors=True)

    spec = ModelSpec(model, "query: ", "passage: ")
    _warm_up(work, corpus.reports_dir / corpus.files[0], spec)
    results = []
    for fmt in formats:
        say(f"{fmt}: reading and ingesting …")
        result = FormatResult(fmt, model, convert_s=round(convert_s.get(fmt, 0.0), 2))
        paths = sorted((files_dir / fmt).iterdir())
        result.files = len(paths)
        result.mb = round(sum(p.stat().st_size for p in paths) / 1024 / 1024, 3)
        docs = []
        started = time.perf_counter()
        for path in paths:
            try:
                docs.append(load_file(path))
            except LoadError as exc:
                result.read_errors.append(f"{path.name}: {exc}")
        read_s = time.perf_counter() - started
        result.read_s = round(read_s, 3)
        result.pages = sum(len(d.pages) for d in docs)
        if read_s > 0:
            result.files_per_s = round(len(paths) / read_s, 1)
            result.mb_per_s = round(result.mb / read_s, 2)
            result.pages_per_s = round(result.pages / read_s, 1)
        for doc in docs:  # fidelity, outside the timing
            result.table_rows += len(table_contexts(split_lines(doc.text)))
            title, printed = truth.get(Path(doc.path).stem, ("", []))
            result.titles_matched += doc.title == title
            expected = expected_lines.get(Path(doc.path).stem, [])
            lines = doc.text.split("\n")  # a .txt table row's cells are split by runs of spaces or tabs
            seen = {_NO_SPACE.sub("", line) for line in lines} | {_NO_SPACE.sub("", "|".join(cells(x))) for x in lines}
            result.lines += len(expected)
            result.lines_whole += sum(1 for line in expected if line in seen)
            result.figures += len(printed)
            result.figures_found += sum(1 for text in printed if text in doc.text)
        del docs

        index = work / f"index-{fmt}"
        shutil.rmtree(index, ignore_errors=True)
        reset_peak_rss()
        started = time.perf_counter()
        outcome = ingest([files_dir / fmt], index, spec, lambda: load_embedder(spec, passages=True))
        ingest_s = time.perf_counter() - started
        result.ingest_peak_rss_mb = round(peak_rss_mb(), 1)
        data = outcome.data
        assert data is not None and data.stats is not None, f"{fmt}: nothing was ingested"
        counts = data.manifest["counts"]
        result.documents, result.chunks, result.facts = counts["documents"], counts["chunks"], counts["facts"]
        result.vectors = len(data.dense.vectors)  # stored: one per distinct sentence text
        seconds = data.stats.seconds
        result.steps_s = {k: round(v, 3) for k, v in seconds.items()}
        # ingest() reads the files (load_paths) and plans before store.build times its steps, and saves after
        result.steps_s["read, plan and save"] = round(ingest_s - sum(seconds.values()), 3)
        model_s = seconds.get("embedding", 0.0) + seconds.get("model load", 0.0)
        result.ingest_s = round(ingest_s, 3)
        result.model_s = round(model_s, 3)
        result.chunks_per_s = round(result.chunks / ingest_s, 1) if ingest_s else 0.0
        result.non_model_share = round(1 - model_s / ingest_s, 3) if ingest_s else 0.0
        if model.startswith(STANDIN_PREFIX) and model_texts_per_s > 0:
            estimated = result.vectors / model_texts_per_s
            rest = ingest_s - model_s
            result.model_s_estimated = round(estimated, 1)
            result.non_model_share_estimated = round(rest / (rest + estimated), 3) if rest + estimated else 0.0
        del data, outcome
        results.append(result)
    return results


# --- output -------------------------------------------------------------------------------


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def format_table(results: Sequence[FormatResult]) -> str:
    """The per-format markdown table."""
    lines = [
        "| format | files | pages | MB | read s | files/s | MB/s | pages/s | chunks | ingest s | chunks/s "
        "| model s (stand-in) | non-model share measured | non-model share est. real model |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.format} | {r.files} | {r.pages or '—'} | {r.mb:.2f} | {r.read_s:.3f} | {r.files_per_s} "
            f"| {r.mb_per_s} | {r.pages_per_s if r.pages else '—'} | {r.chunks} | {r.ingest_s:.3f} "
            f"| {r.chunks_per_s} | {r.model_s:.3f} | {_share(r.non_model_share)} "
            f"| {_share(r.non_model_share_estimated)} |"
        )
    return "\n".join(lines) + "\n"


def fidelity_table(results: Sequence[FormatResult]) -> str:
    """What each format's text holds against the .txt: table rows, truth figures, facts, vectors."""
    lines = [
        "| format | read errors | documents | titles as printed | lines whole | table rows seen "
        "| figures found (truth.jsonl) | facts | vectors | convert s | est. model s | ingest peak RSS MB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        found = f"{r.figures_found}/{r.figures} ({r.figures_found / r.figures:.1%})" if r.figures else "—"
        lines.append(
            f"| {r.format} | {len(r.read_errors)} | {r.documents} | {r.titles_matched}/{r.files} "
            f"| {r.lines_whole}/{r.lines} | {r.table_rows} "
            f"| {found} | {r.facts} | {r.vectors} | {r.convert_s:.2f} | {r.model_s_estimated or '—'} "
            f"| {r.ingest_peak_rss_mb} |"
        )
    return "\n".join(lines) + "\n"


def markdown(results: Sequence[FormatResult], command: str, model_texts_per_s: float) -> str:
    lines = [
        "# Ingest throughput per format",
        "",
        f"Command: `{command}` · {time.strftime('%Y-%m-%d %H:%M')} · Python {sys.version.split()[0]}",
        "",
        "Each format holds the same generated reports.  *read* is `load_file` over every file; *ingest* is a",
        "full `ingest` of that format's folder into a fresh index (it reads the files again).  Model s is",
        '"model load" + "embedding"; the non-model share is the rest of ingest time.  The estimate for the',
        f"real model puts vectors ÷ {model_texts_per_s} passages/s in place of the stand-in's seconds.  "
        f"Target: non-model share under {TARGET_NON_MODEL_SHARE:.0%}.",
        "",
        format_table(results),
        "Read-back fidelity (against the .txt reports and truth.jsonl) and the rest:",
        "",
        fidelity_table(results),
        "Step times (s) of each ingest:",
        "",
    ]
    for r in results:
        lines.append(f"- {r.format}: " + ", ".join(f"{k} {v}" for k, v in r.steps_s.items()))
    errors = [f"- {r.format}: {e}" for r in results for e in r.read_errors]
    if errors:
        lines += ["", "Read errors:", "", *errors]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m qatools.bench_formats", description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, help="write the markdown report here")
    parser.add_argument("--work", type=Path, help="keep the corpus, files and indexes here (default: a temp folder)")
    parser.add_argument("--model", default=STANDIN, help=f"embedding model (default {STANDIN})")
    parser.add_argument("--model-texts-per-s", type=float, default=MODEL_TEXTS_PER_S)
    parser.add_argument("--formats", default=",".join(FORMATS), help="comma-separated, of " + ",".join(FORMATS))
    args = parser.parse_args(argv)
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    unknown = [f for f in formats if f not in WRITERS]
    if unknown:
        parser.error(f"unknown format(s) {', '.join(unknown)}; choose among {', '.join(FORMATS)}")
    command = "python -m qatools.bench_formats " + " ".join(sys.argv[1:] if argv is None else argv)
    text = write_report(
        args.reports, args.seed, args.out, args.model_texts_per_s, command, args.work, args.model, formats
    )
    print(text)
    return 0


def write_report(
    reports: int,
    seed: int,
    out: Path | None,
    model_texts_per_s: float = MODEL_TEXTS_PER_S,
    command: str = "",
    work: Path | None = None,
    model: str = STANDIN,
    formats: Sequence[str] = FORMATS,
) -> str:
    """Run the format benchmark and write its markdown report to `out` (also returned)."""

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="bench-formats-") as temp:
        results = run(reports, seed, work or Path(temp), model, model_texts_per_s, formats, log)
    text = markdown(results, command, model_texts_per_s)
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    return text


if __name__ == "__main__":
    sys.exit(main())
