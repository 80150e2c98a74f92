"""Hybrid retrieval: BM25 over jieba tokens and dense vectors, fused by reciprocal rank.

Questions in everyday words are expanded with the fiscal items they name (接待 →
公务接待费) before both searches; fusion only looks at ranks, so the two scores need no
calibration against each other.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

import numpy as np

from qa.domain.lexicon import colloquial_terms, items_in
from qa.domain.tokenize import tokens
from qa.index.embed import Embedder
from qa.index.store import IndexData
from qa.records import Hit

RRF_K = 60
CANDIDATES = 50
MODES = ("hybrid", "bm25", "dense")
WEIGHTS = {"bm25": 1.0, "dense": 1.0}


def rrf(
    rankings: Mapping[str, Sequence[int]], k: int = RRF_K, weights: Mapping[str, float] | None = None
) -> list[tuple[int, float, dict[str, int]]]:
    """Reciprocal-rank fusion: score(id) = Σ w/(k + rank), ranks from 1; ties keep first-seen order."""
    scores: dict[int, float] = {}
    ranks: dict[int, dict[str, int]] = {}
    for name, ranking in rankings.items():
        weight = (weights or {}).get(name, 1.0)
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
            ranks.setdefault(item, {})[name] = rank
    order = sorted(scores, key=lambda item: -scores[item])
    return [(item, scores[item], ranks[item]) for item in order]


def expand(question: str) -> str:
    """The question plus the canonical names of the items it mentions."""
    names = [item.name for item in items_in(question) if item.name not in question]
    return " ".join([question, *names, *colloquial_terms(question)])


class Retriever:
    """Searches one loaded index; the embedder is only needed for dense/hybrid modes."""

    def __init__(self, data: IndexData, embedder: Embedder | None, expand_queries: bool = True) -> None:
        self.data = data
        self.embedder = embedder
        self.expand_queries = expand_queries  # off for the plain baselines `reportqa eval --baseline` measures

    def _query(self, question: str) -> str:
        return expand(question) if self.expand_queries else question

    def bm25_ranking(self, question: str, allowed: Collection[int] | None = None) -> list[int]:
        scores = self.data.bm25.scores(tokens(self._query(question)))
        hits = np.flatnonzero(
            scores > 0
        )  # only chunks sharing a term; a Python loop over all would cost ~100 ms at 10k reports
        if allowed is not None:
            hits = hits[np.isin(hits, np.fromiter(allowed, dtype=np.int64, count=len(allowed)))]
        order = hits[np.argsort(-scores[hits], kind="stable")][:CANDIDATES]
        return [int(i) for i in order]

    def dense_ranking(self, question: str, allowed: Collection[int] | None = None) -> list[int]:
        if self.embedder is None:
            raise ValueError("dense retrieval needs an embedder")
        query = self.embedder.embed_queries([self._query(question)])[0]
        if allowed is not None:
            _, ids = self.data.dense.search_within(query, list(allowed), CANDIDATES)
        else:
            _, ids = self.data.dense.search(query, CANDIDATES)
        return [int(i) for i in ids if i >= 0][:CANDIDATES]

    def search(
        self, question: str, k: int = 5, mode: str = "hybrid", allowed: Collection[int] | None = None
    ) -> list[Hit]:
        """Top-k passages for the question; `allowed` limits the chunk ids searched."""
        if mode not in MODES:
            raise ValueError(f"unknown retrieval mode {mode!r}; choose one of {', '.join(MODES)}")
        rankings: dict[str, list[int]] = {}
        if mode in ("hybrid", "bm25"):
            rankings["bm25"] = self.bm25_ranking(question, allowed)
        if mode in ("hybrid", "dense"):
            rankings["dense"] = self.dense_ranking(question, allowed)
        fused = rrf(rankings, weights=WEIGHTS)[:k]
        return [Hit(self.data.chunks[i], score, ranks) for i, score, ranks in fused]
