"""Every figure in a report becomes a Fact: label, exact raw string, value, unit, span.

The label is what the figure measures, read from the words before it in its clause
("2、公务接待费2.97万元" → 公务接待费), or after it when nothing stands before
("62名入党积极分子得到了培训" → 入党积极分子得到了培训).  Figures printed back to back
share the label ("共接待65批216人次": both 批 and 人次 measure 共接待).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .numbers import find_figures, fold
from .records import Chunk, Document, Fact

CLAUSE_BREAK = re.compile(r"[，,。；;：:、\n！？!?“”\"]")
SENTENCE_BREAK = re.compile(r"[。；;！？!?\n]")
LEAD_NOISE = re.compile(
    r"^(?:\d{1,2}\s*[、.．]|[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]+、|其中|另外|此外|同时|全年|今年|目前|"
    r"\d{4}\s*年度?)+"
)
TAIL_NOISE = re.compile(r"(?:为|是|达到|达|共计|合计|共|约|近|计|总计|累计|超过|大约|不到|约为|分别为|分别)+$")


def sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (between 。；！？ or line breaks) around text[start:end]."""
    left = max((m.end() for m in SENTENCE_BREAK.finditer(text, 0, start)), default=0)
    right_match = SENTENCE_BREAK.search(text, end)
    right = right_match.end() if right_match else len(text)
    while left < start and text[left].isspace():
        left += 1
    return left, right


def clean_label(label: str) -> str:
    label = LEAD_NOISE.sub("", label.strip())
    return TAIL_NOISE.sub("", label).strip()


def label_before(folded: str, start: int, floor: int) -> str:
    """Clause text between the last break (or floor) and start."""
    breaks = [m.end() for m in CLAUSE_BREAK.finditer(folded, floor, start)]
    return folded[max(breaks, default=floor) : start]


def label_after(folded: str, end: int, limit: int) -> str:
    match = CLAUSE_BREAK.search(folded, end, limit)
    return folded[end : match.start() if match else limit]


def facts_in_chunk(doc: Document, chunk: Chunk) -> list[Fact]:
    """Facts for the figures inside one chunk (spans are document offsets)."""
    folded = fold(doc.text)
    facts: list[Fact] = []
    previous_end = -1
    previous_label = ""
    for fig in find_figures(chunk.text):
        start, end = chunk.start + fig.start, chunk.start + fig.end
        s_start, s_end = sentence_span(doc.text, start, end)
        gap = folded[previous_end:start] if previous_end >= 0 else None
        if gap is not None and gap.strip() == "" and previous_label:
            label = previous_label  # 65批216人次
        else:
            label = clean_label(label_before(folded, start, max(s_start, chunk.start)))
            if len(label) < 2:
                label = clean_label(label_after(folded, end, min(s_end, chunk.end)))
        facts.append(
            Fact(
                doc.doc_id,
                chunk.chunk_id,
                label,
                fig.raw,
                fig.value,
                fig.unit,
                fig.norm_value,
                fig.norm_unit,
                start,
                end,
                s_start,
                s_end,
            )
        )
        previous_end, previous_label = end, label
    return facts


def extract_facts(doc: Document, chunks: Sequence[Chunk]) -> list[Fact]:
    """All facts of a document, chunk by chunk."""
    return [fact for chunk in chunks if chunk.doc_id == doc.doc_id for fact in facts_in_chunk(doc, chunk)]
