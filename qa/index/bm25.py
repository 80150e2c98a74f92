"""Okapi BM25 over jieba tokens, saved as named files (postings as a sparse matrix).

Small and exact: a reference scorer (`score_reference`) written the textbook way sits
beside the vectorised one, and a test checks they agree.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse

K1 = 1.5
B = 0.75


@dataclass
class BM25:
    vocab: dict[str, int]
    tf: sparse.csc_matrix  # (n_docs, n_terms) term frequencies
    doc_len: np.ndarray
    k1: float = K1
    b: float = B

    @classmethod
    def build(cls, docs: Sequence[Sequence[str]], k1: float = K1, b: float = B) -> BM25:
        vocab: dict[str, int] = {}
        rows, cols, vals = [], [], []
        for row, doc in enumerate(docs):
            for term, count in Counter(doc).items():
                col = vocab.setdefault(term, len(vocab))
                rows.append(row)
                cols.append(col)
                vals.append(count)
        tf = sparse.csc_matrix((vals, (rows, cols)), shape=(len(docs), len(vocab)), dtype=np.float32)
        return cls(vocab, tf, np.array([len(d) for d in docs], dtype=np.float32), k1, b)

    def merge(self, layout: Sequence[int], new_docs: Sequence[Sequence[str]]) -> BM25:
        """A new index whose row i is this index's row layout[i], or, where layout[i] is -1,
        the next of new_docs.

        Reused rows are not re-tokenised (jieba is the slow part of building); terms that
        no row uses any more only cost a column with document frequency 0.
        """
        vocab = dict(self.vocab)
        rows, cols, vals = [], [], []
        for row, doc in enumerate(new_docs):
            for term, count in Counter(doc).items():
                rows.append(row)
                cols.append(vocab.setdefault(term, len(vocab)))
                vals.append(count)
        order = np.asarray(layout, dtype=np.int64)
        old_rows = order[order >= 0]
        kept = self.tf.tocsr()[old_rows]
        kept.resize((len(old_rows), len(vocab)))
        added = sparse.csr_matrix((vals, (rows, cols)), shape=(len(new_docs), len(vocab)), dtype=np.float32)
        stacked = sparse.vstack([kept, added], format="csr", dtype=np.float32)
        lengths = np.concatenate([self.doc_len[old_rows], np.array([len(d) for d in new_docs], np.float32)])
        # stacked holds the kept rows, then the new ones: put each where the layout wants it
        position = np.empty(len(order), dtype=np.int64)
        position[order >= 0] = np.arange(len(old_rows))
        position[order < 0] = len(old_rows) + np.arange(int((order < 0).sum()))
        return BM25(vocab, stacked[position].tocsc(), lengths[position].astype(np.float32), self.k1, self.b)

    @property
    def n_docs(self) -> int:
        return int(self.tf.shape[0])

    def idf(self, col: int) -> float:
        df = self.tf.indptr[col + 1] - self.tf.indptr[col]
        return math.log(1 + (self.n_docs - df + 0.5) / (df + 0.5))

    def scores(self, query: Sequence[str]) -> np.ndarray:
        """BM25 score of every document for the query tokens."""
        out = np.zeros(self.n_docs, dtype=np.float32)
        if not self.n_docs:
            return out
        avg = float(self.doc_len.mean()) or 1.0
        norm = self.k1 * (1 - self.b + self.b * self.doc_len / avg)
        for term, qtf in Counter(query).items():
            col = self.vocab.get(term)
            if col is None:
                continue
            lo, hi = self.tf.indptr[col], self.tf.indptr[col + 1]
            rows = self.tf.indices[lo:hi]
            f = self.tf.data[lo:hi]
            out[rows] += qtf * self.idf(col) * f * (self.k1 + 1) / (f + norm[rows])
        return out

    def score_reference(self, query: Sequence[str], docs: Sequence[Sequence[str]]) -> list[float]:
        """Textbook BM25 straight from the token lists (for tests)."""
        n = len(docs)
        avg = sum(len(d) for d in docs) / n
        result = []
        for doc in docs:
            counts = Counter(doc)
            total = 0.0
            for term, qtf in Counter(query).items():
                df = sum(1 for d in docs if term in d)
                if not df:
                    continue
                idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
                f = counts[term]
                total += qtf * idf * f * (self.k1 + 1) / (f + self.k1 * (1 - self.b + self.b * len(doc) / avg))
            result.append(total)
        return result

    def save(self, folder: Path) -> None:
        sparse.save_npz(folder / "bm25_tf.npz", self.tf.tocsc())
        np.save(folder / "bm25_doclen.npy", self.doc_len)
        (folder / "bm25_params.json").write_text(
            json.dumps({"k1": self.k1, "b": self.b, "vocab": self.vocab}, ensure_ascii=False), encoding="utf-8"
        )

    @classmethod
    def load(cls, folder: Path) -> BM25:
        params = json.loads((folder / "bm25_params.json").read_text(encoding="utf-8"))
        tf = sparse.load_npz(folder / "bm25_tf.npz").tocsc()
        return cls(params["vocab"], tf, np.load(folder / "bm25_doclen.npy"), params["k1"], params["b"])
