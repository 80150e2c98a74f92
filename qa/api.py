"""Python API: open an index folder once, ask many questions."""

from __future__ import annotations

import time
from pathlib import Path

from .answer import facts_by_chunk, resolve
from .embed import Embedder, ModelSpec, load_embedder
from .records import Answer
from .retrieve import Retriever
from .store import IndexProblem, load

TOP_K = 5


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
        self._embedder = embedder
        self._by_chunk = facts_by_chunk(self.data.facts)

    @property
    def spec(self) -> ModelSpec:
        return self.data.spec

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = load_embedder(self.spec)
        return self._embedder

    def warm(self) -> None:
        """Load the model and run one query, so the first real question is not the slow one."""
        self.embedder.embed_queries(["预热"])

    def retriever(self, mode: str = "hybrid") -> Retriever:
        return Retriever(self.data, self.embedder if mode != "bm25" else None)

    def ask(self, question: str, k: int = TOP_K, mode: str = "hybrid") -> Answer:
        """Answer one question with the exact printed figure, or decline with the nearest passages."""
        started = time.perf_counter()
        question = question.strip()
        if not question:
            raise ValueError("empty question")
        hits = self.retriever(mode).search(question, k=k, mode=mode)
        answer = resolve(question, hits, self.data, self._by_chunk)
        return _with_latency(answer, (time.perf_counter() - started) * 1000)


def _with_latency(answer: Answer, ms: float) -> Answer:
    from dataclasses import replace

    return replace(answer, latency_ms=ms)
