"""Typed, frozen records that flow between the pipeline steps."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

SCORE_THRESHOLD = 2.0  # score.ANSWER_THRESHOLD, shown beside a figure's scoring in `ask --json`


@dataclass(frozen=True, slots=True, kw_only=True)
class Document:
    """A report as decoded from its file.

    `text` is the file's text exactly as the user's file says it, except that a BOM is
    dropped and CRLF becomes LF; every offset in the product points into it.
    """

    doc_id: str
    path: str
    title: str
    text: str
    sha256: str
    encoding: str
    # PDF: offset in `text` where each page starts (page n starts at pages[n-1]); empty otherwise.
    pages: tuple[int, ...] = ()
    # Facets the user set (sidecar file or `ingest --dept/--year/--type`): (("year", "2019"), …).
    overrides: tuple[tuple[str, str], ...] = ()

    @property
    def identity(self) -> tuple[str, tuple[tuple[str, str], ...]]:
        """What decides a document's chunks and facts: its bytes and the user's facets."""
        return self.sha256, self.overrides

    def goes_by(self, name: str) -> bool:
        """`name` is this document's id, path, file name or title (how --doc and the 文档 picker name it)."""
        return name in (self.doc_id, self.path, Path(self.path).name, self.title)

    def page_at(self, offset: int) -> int | None:
        """The 1-based page holding `offset`, or None for files without pages."""
        if not self.pages:
            return None
        return sum(1 for start in self.pages if start <= offset) or 1


@dataclass(frozen=True, slots=True)
class Chunk:
    """A passage: `doc.text[start:end] == text`; `section` is its heading path."""

    chunk_id: int
    doc_id: str
    start: int
    end: int
    text: str
    section: tuple[str, ...]
    # A table row: the table's title, unit and column headers, which the row alone does not say.
    context: str = ""

    @property
    def indexed_text(self) -> str:
        """What retrieval sees: the heading path (and a table row's headers) merged into the passage."""
        head = " / ".join(self.section)
        if self.context:
            head = f"{head}\n{self.context}" if head else self.context
        return f"{head}\n{self.text}" if head else self.text


@dataclass(frozen=True, slots=True, kw_only=True)
class Fact:
    """One figure printed in a report: `doc.text[start:end] == raw`."""

    doc_id: str
    chunk_id: int
    label: str
    raw: str
    value: Decimal
    unit: str
    norm_value: Decimal
    norm_unit: str
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    qualifiers: tuple[str, ...] = ()
    year: str | None = None
    section: str = ""
    column: str = ""  # table cells: the column header the figure stands under
    unit_source: str = "text"  # "text": unit printed with the number; "header": from a table header

    @property
    def display(self) -> str:
        """The figure as an auditor reads it: the raw string, plus the header unit for table cells."""
        return self.raw if self.unit_source == "text" or not self.unit else self.raw.strip() + self.unit


@dataclass(frozen=True, slots=True)
class Hit:
    """A retrieved passage with its fused score and the ranks that produced it."""

    chunk: Chunk
    score: float
    ranks: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class Source:
    """Where an answer figure stands: `text` is the sentence, start/end the figure."""

    doc_id: str
    title: str
    path: str
    section: str
    text: str
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    page: int | None = None
    column: str = ""  # a table cell's column header ("决算数"): which of the row's figures this is
    qualifiers: tuple[str, ...] = ()  # the figure's stage and year words (预算, 上年 …)


@dataclass(frozen=True, kw_only=True)
class Excerpt:
    """A stretch of a report's text around a cited figure, for the page's source view."""

    doc_id: str
    title: str
    path: str
    start: int  # the figure, in the document's text
    end: int
    window_start: int  # where `text` starts in the document's text
    text: str
    length: int  # the document's whole length, to say how much is shown


@dataclass(frozen=True, kw_only=True)
class Row:
    """One report's figure in an answer that compares reports (各部门公务接待费对比)."""

    doc_id: str
    department: str
    year: str | None
    answer: str
    value: Decimal | None
    unit: str | None
    source: Source
    derived: str | None = None


@dataclass(frozen=True, kw_only=True)
class Answer:
    question: str
    found: bool
    answer: str | None
    value: Decimal | None
    unit: str | None
    sources: tuple[Source, ...]
    passages: tuple[Hit, ...]
    related: tuple[str, ...] = ()
    derived: str | None = None
    latency_ms: float = 0.0
    message: str = ""
    rows: tuple[Row, ...] = ()  # a comparison across reports: one figure per report
    # the rules that scored the printed figure, with their points (ReportQA.ask(..., explained=True))
    scoring: tuple[tuple[str, float], ...] = ()

    @classmethod
    def declined(cls, question: str, passages: Sequence[Hit], message: str) -> Answer:
        """No figure: the nearest passages are shown, and `message` says why."""
        return cls(
            question=question,
            found=False,
            answer=None,
            value=None,
            unit=None,
            sources=(),
            passages=tuple(passages),
            message=message,
        )

    def other_passages(self) -> tuple[Hit, ...]:
        """Passages besides the one the answer figure stands in (all of them when declined)."""
        if not self.sources:
            return self.passages
        src = self.sources[0]
        return tuple(
            h for h in self.passages if not (h.chunk.doc_id == src.doc_id and h.chunk.start <= src.start < h.chunk.end)
        )

    def to_json(self) -> dict[str, Any]:
        """The `ask --json` object (docs/interfaces.md)."""
        scoring = (
            {
                "scoring": [{"rule": rule, "points": points} for rule, points in self.scoring],
                "score": round(sum(points for _, points in self.scoring), 3),
                "threshold": SCORE_THRESHOLD,
            }
            if self.scoring
            else {}
        )
        return {
            "question": self.question,
            "found": self.found,
            "answer": self.answer,
            "value": float(self.value) if self.value is not None else None,
            "value_exact": str(self.value) if self.value is not None else None,
            "unit": self.unit,
            "derived": self.derived,
            "related": list(self.related),
            "message": self.message,
            "rows": [
                {
                    "doc_id": r.doc_id,
                    "department": r.department,
                    "year": r.year,
                    "answer": r.answer,
                    "value": str(r.value) if r.value is not None else None,
                    "unit": r.unit,
                    "derived": r.derived,
                    "source": asdict(r.source),
                }
                for r in self.rows
            ],
            "sources": [asdict(s) for s in self.sources],
            "passages": [
                {
                    "doc_id": h.chunk.doc_id,
                    "chunk_id": h.chunk.chunk_id,
                    "section": " / ".join(h.chunk.section),
                    "text": h.chunk.text,
                    "start": h.chunk.start,
                    "end": h.chunk.end,
                    "score": round(h.score, 6),
                    "ranks": h.ranks,
                }
                for h in self.passages
            ],
            **scoring,
            "latency_ms": round(self.latency_ms, 2),
        }
