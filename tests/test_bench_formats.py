"""qatools.bench_formats: generated reports converted to .docx/.pdf/.html/.xlsx read back with their figures,
and the per-format ingest benchmark on two reports."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("docx")
pytest.importorskip("openpyxl")
pytest.importorskip("reportlab")
pytest.importorskip("pdfplumber")
pytest.importorskip("bs4")

from qa.domain.numbers import MONEY_SCALE  # noqa: E402
from qa.ingest.formats import decode, normalise_newlines  # noqa: E402
from qa.ingest.load import load_file  # noqa: E402
from qatools.bench_formats import FORMATS, convert, format_table, main, report_blocks, run  # noqa: E402
from qatools.generate import write_corpus  # noqa: E402

# (txt report, its truth row, format → text read back, where each page of the PDF starts in its text)
Converted = list[tuple[Path, dict[str, Any], dict[str, str], tuple[int, ...]]]


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> Converted:
    root = tmp_path_factory.mktemp("bench-formats")
    corpus = write_corpus(root / "corpus", 2, seed=0)
    lines = corpus.truth_file.read_text(encoding="utf-8").splitlines()
    truth = {row["file"]: row for row in (json.loads(line) for line in lines if line.strip())}
    out = []
    for name in corpus.files:
        made = convert(corpus.reports_dir / name, root / "files")
        assert set(made) == set(FORMATS)
        texts = {}
        pages: tuple[int, ...] = ()
        for fmt, path in made.items():
            doc = load_file(path)  # raises LoadError if a converted file cannot be read
            texts[fmt] = doc.text
            if fmt == "pdf":
                assert len(doc.pages) >= 1 and doc.pages[0] == 0
                pages = doc.pages
        out.append((corpus.reports_dir / name, truth[name], texts, pages))
    return out


def test_every_format_loads_and_pdf_has_pages(converted: Converted) -> None:
    for _, _, texts, pages in converted:
        assert set(texts) == set(FORMATS)
        assert all(text.strip() for text in texts.values())
        assert len(pages) >= 1


def test_first_money_figure_survives_every_format(converted: Converted) -> None:
    for _, truth, texts, _ in converted:
        money = next(f for f in truth["figures"] if f["unit"] in MONEY_SCALE and not f.get("cell"))
        for fmt in ("docx", "html", "xlsx", "pdf"):
            assert money["text"] in texts[fmt], (fmt, money["text"])


def test_all_printed_figures_survive(converted: Converted) -> None:
    """Every figure truth.jsonl lists is in the text read back, PDF included: the PDF's wrapped
    lines are joined back and its ruled tables come back as " | " rows."""
    for _, truth, texts, _ in converted:
        printed = {f["text"] for f in truth["figures"]}
        for fmt in ("docx", "html", "xlsx", "pdf"):
            missing = sorted(t for t in printed if t not in texts[fmt])
            assert not missing, (fmt, missing)


def test_paragraphs_and_table_rows_come_back_as_lines(converted: Converted) -> None:
    """docx, html and pdf give back each paragraph as one line (a PDF's wrapped lines joined back)
    and each table row as its cells joined by " | ".  Known, harmless differences: HTML and PDF
    show a run of spaces inside a paragraph ("第一部分  部门概况") as one space, as a browser or
    PDF viewer does; a PDF paragraph that a page break cuts stays two lines, one on each page."""
    for txt, _, texts, pages in converted:
        text, _ = decode(txt.read_bytes())
        blocks = report_blocks(normalise_newlines(text))
        assert any(kind == "table" for kind, _ in blocks), "the generated report has tables"
        for fmt in ("docx", "html", "pdf"):
            lines = set(texts[fmt].split("\n"))
            if fmt == "pdf":
                lines |= page_break_joins(texts[fmt], pages)
            for kind, payload in blocks:
                if kind == "table":
                    for row in payload:
                        assert " | ".join(row) in lines, (fmt, row)
                else:
                    expected = payload if fmt == "docx" else re.sub(r"\s+", " ", payload)
                    assert expected in lines, (fmt, payload)


def page_break_joins(text: str, starts: tuple[int, ...]) -> set[str]:
    """The last line of each page joined with the first line of the next."""
    joined = set()
    for start in starts[1:]:
        before, after = text[:start].rstrip("\n"), text[start:]
        joined.add(before.rsplit("\n", 1)[-1] + after.split("\n", 1)[0])
    return joined


def test_run_two_reports(tmp_path: Path) -> None:
    results = run(2, 0, tmp_path)
    assert [r.format for r in results] == list(FORMATS)
    for r in results:
        assert r.files == 2 and r.documents == 2 and not r.read_errors
        assert r.chunks > 0 and r.vectors > 0 and r.facts > 0
        # timings are reported, not asserted: two small files can read in under a rounded millisecond
        assert r.read_s >= 0 and r.ingest_s >= 0 and r.chunks_per_s >= 0
        assert 0 < r.non_model_share <= 1
        assert r.non_model_share_estimated is not None and 0 < r.non_model_share_estimated < 1
        assert r.figures_found == r.figures > 0
    pdf = results[-1]
    assert pdf.pages >= 2 and pdf.pages_per_s >= 0
    assert all(r.pages == 0 for r in results[:-1])
    table = format_table(results)
    assert len(table.strip().split("\n")) == 2 + len(FORMATS)
    assert table.count("| pdf |") == 1


def test_main_writes_the_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "formats.md"
    assert main(["--reports", "1", "--formats", "txt,html", "--work", str(tmp_path / "w"), "--out", str(out)]) == 0
    written = out.read_text(encoding="utf-8")
    assert "| txt |" in written and "| html |" in written and "| pdf |" not in written
    assert written in capsys.readouterr().out + "\n"
