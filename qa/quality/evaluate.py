"""Evaluate answers on a question file and print the figures that matter to an auditor.

File: JSON lines `{"id", "question", "answer": exact string or null, "evidence"?, "doc"?,
"unit"?, "kind"?}`.  `evidence` (default: the answer) is a string the gold passage contains;
recall@k counts questions whose gold passage is among the top k retrieved.  `unit` is the
header unit of a table-cell answer ("2.00" + "万元"); `doc` (a file name) must be the
document the answer cites; `kind` (literal, paraphrase, scoped, qualifier, derived, text,
unanswerable) groups the figures, and a `text` question's answer is the words the clause given
must hold.  Every miss is put down to one cause (`cause_of`) and listed under it.
"""

from __future__ import annotations

import json
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qa.answering.textanswer import TEXT_ANSWER
from qa.api import ReportQA
from qa.domain.lexicon import unit_kind
from qa.domain.numbers import fold, normalise, parse_figure, parse_number
from qa.records import Answer, Source


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    answer: str | None
    evidence: str | None
    doc: str | None = None
    unit: str | None = None
    kind: str = ""

    @property
    def gold(self) -> str | None:
        """The gold figure with its header unit when the answer is a bare table cell."""
        if self.answer is not None and self.unit and not self.answer.endswith(self.unit):
            return self.answer + self.unit
        return self.answer


@dataclass
class Report:
    total: int = 0
    correct: int = 0
    answered: int = 0
    answered_right: int = 0
    unanswerable: int = 0
    declined: int = 0
    offsets_checked: int = 0
    offsets_exact: int = 0
    recall: dict[int, int] = field(default_factory=lambda: {1: 0, 3: 0, 5: 0})
    recall_total: int = 0
    reciprocal_ranks: float = 0.0
    latencies: list[float] = field(default_factory=list)
    by_kind: dict[str, list[int]] = field(default_factory=dict)
    with_doc: int = 0  # answerable questions whose report is known (`doc`)
    with_doc_right: int = 0
    wrong_document: int = 0  # answers citing another report than `doc`
    failures: list[dict[str, Any]] = field(default_factory=list)
    causes: dict[str, int] = field(default_factory=dict)  # misses by cause (cause_of)
    texts_given: int = 0  # text answers (the report's clause), counted apart from figures
    texts_right: int = 0

    def summary(self) -> dict[str, Any]:
        lat = sorted(self.latencies) or [0.0]
        return {
            "questions": self.total,
            "exact_accuracy": _ratio(self.correct, self.total),
            "answered": self.answered,
            "precision_of_given_figures": _ratio(self.answered_right, self.answered),
            "unanswerable": self.unanswerable,
            "declined_share": _ratio(self.declined, self.unanswerable),
            "offsets_exact": _ratio(self.offsets_exact, self.offsets_checked),
            **{f"recall@{k}": _ratio(v, self.recall_total) for k, v in self.recall.items()},
            "mrr@5": round(self.reciprocal_ranks / self.recall_total, 4) if self.recall_total else None,
            "latency_ms_p50": round(statistics.median(lat), 1),
            "latency_ms_p95": round(lat[min(len(lat) - 1, int(0.95 * len(lat)))], 1),
            "accuracy_by_kind": {k: f"{v[0]}/{v[1]}" for k, v in sorted(self.by_kind.items())},
            "scoped_accuracy": _ratio(self.with_doc_right, self.with_doc),
            "scoped_questions": self.with_doc,
            "answers_citing_another_report": self.wrong_document,
            "text_answers_given": self.texts_given,
            "text_answers_right": self.texts_right,
            "misses_by_cause": {c: self.causes[c] for c in CAUSES if c in self.causes},
        }


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def read_questions(path: Path) -> list[Question]:
    """Parse a question file; raises ValueError naming the line that is wrong."""
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            out.append(
                Question(
                    str(row["id"]),
                    row["question"],
                    row.get("answer") or None,  # "" says "not in the reports" as null does
                    row.get("evidence"),
                    row.get("doc"),
                    row.get("unit"),
                    row.get("kind", ""),
                )
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}:{number}: not a question record ({exc})") from exc
    return out


def same_figure(given: str | None, gold: str | None) -> bool:
    """Exact string, or the same value and unit after normalisation (2.97万元 = 29700元); a gold
    printed as a bare number (a table cell without a unit) matches a given figure of that value."""
    if given is None or gold is None:
        return given is None and gold is None
    if given == gold:
        return True
    gold = re.sub(r"^\s*(?:约|近|[≥≤><≧≦＞＜=＝]+)\s*", "", gold)  # "约20000平方米", "≥10": the figure printed
    if re.fullmatch(r"\s*[\d.,]+\s*", gold):  # a bare table cell ("7" under 得分): the unit is ours to add
        try:
            return parse_figure(given)[0] == parse_number(gold)
        except ValueError:
            return False
    try:
        return normalise(*parse_figure(given)) == normalise(*parse_figure(gold))
    except ValueError:
        return False


def is_right(q: Question, given: str | None) -> bool:
    """A figure: the same figure.  A text answer (kind "text"): the clause given holds the gold words."""
    if q.kind == "text" and q.gold is not None:
        return given is not None and fold(q.gold) in fold(given)
    return same_figure(given, q.gold)


CAUSES = ("scope", "kind", "stage", "table", "extraction", "text", "threshold", "unanswerable")


def cause_of(q: Question, answer: Answer, qa: ReportQA) -> str:
    """Why a question was missed, so the next person sees where to work:
    scope — the answer cites another report, or the right report was ruled out;
    unanswerable — a figure given where the report has none;
    text — a text answer missing or not holding the gold words;
    extraction / table — the gold figure is not among the report's facts (table: its line is a table row);
    kind — a figure of another kind (count for money, % for an amount);
    stage — a figure of the right kind but another stage, year or item;
    threshold — declined although the gold figure is a fact of the report."""
    given = answer.answer if answer.found else None
    docs = {d.doc_id: d for d in qa.data.docs.values() if Path(d.path).name == q.doc}
    if q.gold is None:
        return "unanswerable"
    if q.kind == "text":
        return "text"
    if answer.message.startswith("报告中未找到：") or (
        given is not None and q.doc and answer.sources and Path(answer.sources[0].path).name != q.doc
    ):
        return "scope"
    gold_facts = [f for d in docs for f in qa.context.by_doc.get(d, []) if same_figure(f.display, q.gold)]
    if not gold_facts:
        text = next(iter(docs.values())).text if docs else ""
        where = text.find(q.answer or "")
        line = text[text.rfind("\n", 0, where) + 1 : text.find("\n", where)] if where >= 0 else ""
        bare = re.fullmatch(r"\s*[-\d.,，%]+\s*", line) is not None
        return "table" if q.unit or " | " in line or bare or "\t" in line else "extraction"
    if given is None:
        return "threshold"
    try:
        _, unit = parse_figure(given)
        gold_unit = parse_figure(q.gold)[1]
    except ValueError:
        return "stage"
    return "kind" if unit_kind(unit) != unit_kind(gold_unit) else "stage"


def score_one(report: Report, q: Question, answer: Answer, qa: ReportQA) -> None:
    report.total += 1
    report.latencies.append(answer.latency_ms)
    given = answer.answer if answer.found else None
    cited = Path(answer.sources[0].path).name if answer.sources else None  # the report the answer stands in
    right = is_right(q, given)
    if right and given is not None and q.doc:
        right = any(Path(src.path).name == q.doc for src in answer.sources)
    if answer.rows and q.doc:
        # a figure per report (the question did not tell them apart): right when the gold report's row is
        row = next((r for r in answer.rows if Path(r.source.path).name == q.doc), None)
        right, cited = row is not None and is_right(q, row.answer), q.doc if row is not None else cited
    report.by_kind.setdefault(q.kind or "-", [0, 0])
    report.by_kind[q.kind or "-"][0] += right
    report.by_kind[q.kind or "-"][1] += 1
    report.correct += right
    if answer.found and answer.message.startswith(TEXT_ANSWER):
        report.texts_given += 1
        report.texts_right += right
    elif answer.found:
        report.answered += 1
        report.answered_right += right
        shown: list[tuple[Source, str | None, str | None]] = [(r.source, r.answer, r.derived) for r in answer.rows] or [
            (src, answer.answer, answer.derived) for src in answer.sources
        ]
        for src, printed, derived in shown:
            report.offsets_checked += 1
            # the printed string, which is the answer itself or, for a table cell, the answer less its header unit
            raw = qa.data.docs[src.doc_id].text[src.start : src.end]
            report.offsets_exact += bool(raw.strip()) and (bool(derived) or (printed or "").startswith(raw))
    if q.doc and q.answer is not None:
        report.with_doc += 1
        report.with_doc_right += right
    if q.doc and answer.found and cited is not None and cited != q.doc:
        report.wrong_document += 1
    if q.answer is None:
        report.unanswerable += 1
        report.declined += not answer.found
    evidence = q.evidence or q.answer
    if evidence:
        report.recall_total += 1
        texts = [h.chunk.text for h in answer.passages]
        for k in report.recall:
            report.recall[k] += any(evidence in t for t in texts[:k])
        rank = next((i for i, t in enumerate(texts, start=1) if evidence in t), None)
        report.reciprocal_ranks += 1 / rank if rank else 0.0
    if not right:
        cause = cause_of(q, answer, qa)
        report.causes[cause] = report.causes.get(cause, 0) + 1
        report.failures.append(
            {
                "id": q.id,
                "question": q.question,
                "gold": q.gold,
                "given": given,
                "doc": q.doc,
                "cited": cited,
                "cause": cause,
            }
        )


def evaluate(qa: ReportQA, questions: Sequence[Question], mode: str = "hybrid") -> Report:
    report = Report()
    for q in questions:
        score_one(report, q, qa.ask(q.question, mode=mode), qa)
    return report


def format_report(report: Report, misses: bool = True) -> str:
    """The summary lines, then (unless `misses` is False) every miss grouped by cause."""
    s = report.summary()
    lines = [
        f"questions {s['questions']}  exact-answer accuracy {s['exact_accuracy']}  "
        f"precision of given figures {s['precision_of_given_figures']} ({s['answered']} answered)",
        f"unanswerable {s['unanswerable']}  declined {s['declined_share']}  offsets exact {s['offsets_exact']}  "
        f"text answers {s['text_answers_right']}/{s['text_answers_given']} right",
        f"recall@1 {s['recall@1']}  recall@3 {s['recall@3']}  recall@5 {s['recall@5']}  MRR@5 {s['mrr@5']}",
        f"latency ms p50 {s['latency_ms_p50']}  p95 {s['latency_ms_p95']}",
        f"questions naming their report: accuracy {s['scoped_accuracy']} ({s['scoped_questions']}); "
        f"answers citing another report {s['answers_citing_another_report']}",
        "by kind: " + "  ".join(f"{k} {v}" for k, v in s["accuracy_by_kind"].items()),
    ]
    lines.append("misses by cause: " + ("  ".join(f"{c} {n}" for c, n in s["misses_by_cause"].items()) or "none"))
    for cause in CAUSES if misses else ():
        missed = [f for f in report.failures if f["cause"] == cause]
        if missed:
            lines.append(f"{cause} ({len(missed)}):")
        for f in missed:
            where = f"  cited={f['cited']}" if f["given"] is not None and f["doc"] and f["cited"] != f["doc"] else ""
            lines.append(f"  FAIL {f['id']} {f['question']}  gold={f['gold']}  given={f['given']}{where}")
    return "\n".join(lines)


def evaluate_baseline(qa: ReportQA, questions: Sequence[Question], mode: str) -> dict[str, Any]:
    """What a generic RAG retriever gives: its top passage (plain question, no lexicon, no
    scope), counted right when it contains the gold figure string.  It never declines, so
    every unanswerable question counts against it."""
    from qa.answering.retrieve import Retriever

    retriever = Retriever(qa.data, qa.embedder if mode != "bm25" else None, expand_queries=False)
    right = answerable = 0
    for q in questions:
        top = retriever.search(q.question, k=1, mode=mode)
        if q.answer is not None:
            answerable += 1
            right += bool(top) and q.answer in top[0].chunk.text
    return {
        "baseline": mode,
        "questions": len(questions),
        "top_passage_has_gold": _ratio(right, answerable),
        "accuracy_all_questions": _ratio(right, len(questions)),
    }
