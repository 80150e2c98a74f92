"""Python API: open an index folder once, ask many questions."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

from qa.answering.answer import compare, resolve
from qa.answering.choose import candidates_for
from qa.answering.context import Context, Filters, Scope
from qa.answering.intent import Intent, read_question
from qa.answering.rank import Candidate
from qa.answering.retrieve import Retriever
from qa.answering.scope import scope_of
from qa.answering.textanswer import text_answer, text_ask
from qa.index.embed import Embedder, ModelSpec, backend_for, load_embedder, same_vectors
from qa.index.store import IndexProblem, load
from qa.ingest.facets import without_scope
from qa.records import Answer, Hit

TOP_K = 5
FACT_PASSAGES = 10
ACROSS_PASSAGES = 250


MAX_YEARS_LISTED = 8  # a department's reports of this many years at most are listed one by one
STAGE_ASKED = ("预算", "调整后预算", "决算", "预计", "目标")


def several_reports(intent: Intent, scope: Scope, ctx: Context) -> str:
    """Why one report's figure would hide the others', or "": the scope is several reports of one
    department and the question tells them apart by neither year (2019 and 2020) nor stage (its
    预算 and its 决算 of one year)."""
    docs = scope.docs if scope.docs is not None else tuple(ctx.data.docs)  # None: every report of the index
    if not 2 <= len(docs) <= MAX_YEARS_LISTED:
        return ""
    facets = [ctx.facets[d] for d in docs]
    years = {f.year for f in facets}
    if len({f.department for f in facets}) != 1:
        return ""
    if not intent.years and len(years) == len(facets) and None not in years:
        return "问题未说年度"
    if len(years) == 1 and not set(intent.qualifiers) & set(STAGE_ASKED):
        return "同年有几份报告，问题未说预算还是决算"
    return ""


class ReportQA:
    """Question answering over a built index: `ReportQA("index").ask("公务接待费多少？")`.

    The embedding model named in the index manifest is loaded lazily, once; an embedder
    passed in (e.g. a test's fake) must match the manifest's model and prompts.
    """

    def __init__(self, index_dir: str | Path = "index", embedder: Embedder | None = None) -> None:
        self.index_dir = Path(index_dir)
        self.data = load(self.index_dir)
        spec = self.data.spec
        if embedder is not None and embedder.spec != spec:
            raise IndexProblem(
                f"{self.index_dir}: built with model {spec.model!r} and prompts "
                f"{spec.query_prompt!r}/{spec.passage_prompt!r}, asked with {embedder.spec.model!r}; "
                "re-ingest with the same model"
            )
        if embedder is not None and not same_vectors(self.data.backend, embedder.backend):
            raise IndexProblem(
                f"{self.index_dir}: passages embedded by {self.data.backend}, questions by {embedder.backend}; "
                "their vectors are not proven the same: re-ingest with --force"
            )
        self._embedder = embedder
        self.context = Context.of(self.data)

    def reload(self) -> None:
        """Re-open the index after it changed (an upload); questions in flight keep the old one."""
        data = load(self.index_dir)
        self.data, self.context = data, Context.of(data)

    @property
    def spec(self) -> ModelSpec:
        return self.data.spec

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            if not same_vectors(self.data.backend, backend_for(self.spec)):
                raise IndexProblem(
                    f"{self.index_dir}: passages embedded by {self.data.backend}, questions would be by "
                    f"{backend_for(self.spec)}; set REPORTQA_BACKEND or re-ingest with --force"
                )
            self._embedder = load_embedder(self.spec)
        return self._embedder

    def warm(self, mode: str = "hybrid") -> None:
        """Load the model (unless BM25 only) and jieba's dictionary, so the first real question is not slow."""
        self.ask("预热", mode=mode)

    def retriever(self, mode: str = "hybrid") -> Retriever:
        return Retriever(self.data, self.embedder if mode != "bm25" else None)

    def ask(
        self,
        question: str,
        k: int = TOP_K,
        mode: str = "hybrid",
        filters: Filters | None = None,
        explained: bool = False,
    ) -> Answer:
        """Answer one question with the exact printed figure (or a labelled computation), or decline.

        `filters` limits the reports to a department, year or document the user picked; a
        question across reports (各部门…对比) lists the figure of each report in scope;
        `explained` adds the scoring rules behind a printed figure (Answer.scoring).
        """
        started = time.perf_counter()
        question, intent, scope, hits = self.prepare(question, k, mode, filters)
        ask = None if intent.across else text_ask(question)
        if ask is not None and scope.docs != ():
            answer = text_answer(question, ask, hits, self.data)
        elif intent.across:
            answer = compare(intent, hits, self.context, scope)
        else:
            answer = resolve(intent, hits, self.context, scope, explained)
            reason = several_reports(intent, scope, self.context)
            if reason:
                answer = self.each_report(question, k, mode, filters, answer, reason)
        return replace(
            answer, question=question, passages=answer.passages[:k], latency_ms=(time.perf_counter() - started) * 1000
        )

    def each_report(
        self, question: str, k: int, mode: str, filters: Filters | None, single: Answer, reason: str
    ) -> Answer:
        """A question over several reports of one department that it does not tell apart (`reason`):
        the figure of each report when they differ (the answer from one would hide the others), else `single`."""
        _, intent, scope, hits = self.prepare(question, k, mode, filters, across=True)
        listed = compare(intent, hits, self.context, scope)
        if len(listed.rows) < 2 or len({r.answer for r in listed.rows}) < 2:
            return single
        return replace(listed, message=f"{reason}，逐份报告列出：{listed.message.removeprefix('逐份报告列出：')}")

    def candidates(self, question: str, mode: str = "hybrid") -> list[Candidate]:
        """The candidate facts a plain question weighs, with the ranker's features (for fitting it)."""
        _, intent, scope, hits = self.prepare(question, TOP_K, mode, None)
        return candidates_for(intent, hits, self.context, scope)

    def prepare(
        self, question: str, k: int, mode: str, filters: Filters | None, across: bool = False
    ) -> tuple[str, Intent, Scope, list[Hit]]:
        """The question read, its scope, and the passages retrieved for it (`across`: as a question
        about each report in scope)."""
        question = question.strip()
        if not question:
            raise ValueError("empty question")
        intent = read_question(question)
        if across:
            intent = replace(intent, across=True)
        scope = scope_of(intent, self.context, filters)
        allowed, query = None, question
        if scope.docs:
            allowed = set().union(*(self.context.chunks_of.get(d, set()) for d in scope.docs))
            query = without_scope(query, [n for d in scope.docs for n in self.context.facets[d].names])
        # A question about reports the index does not hold still shows the nearest passages.
        # Facts are read from more passages than are shown: one-row table passages crowd the top.
        wanted = max(k, FACT_PASSAGES)
        if intent.across and len(scope.docs or self.data.docs) < 2:
            intent = replace(intent, across=False)  # one report in scope: a plain question
        if intent.across:
            wanted = max(wanted, min(ACROSS_PASSAGES, 5 * len(scope.docs or self.data.docs)))
        hits = self.retriever(mode).search(query, k=wanted, mode=mode, allowed=allowed or None)
        return question, intent, scope, list(hits)
