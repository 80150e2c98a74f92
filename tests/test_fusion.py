"""Reciprocal-rank fusion (qa.answering.retrieve.rrf) and the BM25 index (qa.index.bm25)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from qa.answering.retrieve import RRF_K, rrf
from qa.domain.tokenize import tokens
from qa.index.bm25 import BM25
from qa.ingest.chunk import chunk_document
from qa.ingest.load import load_file

SEED = Path(__file__).resolve().parents[1] / "corpus" / "2018年度冷水滩高科园部门整体支出绩效自评报告.txt"

# --- rrf ----------------------------------------------------------------------------


def test_rrf_exact_scores() -> None:
    """Scores are 1 / (RRF_K + rank) summed over the rankings, with the customary RRF_K = 60."""
    assert RRF_K == 60
    fused = rrf({"bm25": [10, 20, 30], "dense": [20, 40]})
    assert fused == [
        (20, 1 / 62 + 1 / 61, {"bm25": 2, "dense": 1}),
        (10, 1 / 61, {"bm25": 1}),
        (40, 1 / 62, {"dense": 2}),
        (30, 1 / 63, {"bm25": 3}),
    ]


def test_rrf_single_ranking_keeps_order() -> None:
    fused = rrf({"bm25": [5, 3, 9]})
    assert [item for item, _, _ in fused] == [5, 3, 9]
    assert [score for _, score, _ in fused] == [1 / 61, 1 / 62, 1 / 63]


def test_rrf_sum_beats_single_top_rank() -> None:
    # ranked 3rd and 3rd (2/63) beats 1st in one list only (1/61)
    fused = rrf({"bm25": [1, 2, 3], "dense": [4, 5, 3]})
    assert fused[0][0] == 3
    assert fused[0][1] == pytest.approx(2 / 63)


def test_rrf_ties_keep_first_seen_order() -> None:
    assert [i for i, _, _ in rrf({"bm25": [7, 8], "dense": [8, 7]})] == [7, 8]
    assert [i for i, _, _ in rrf({"dense": [8, 7], "bm25": [7, 8]})] == [8, 7]
    assert [i for i, _, _ in rrf({"bm25": [1], "dense": [2]})] == [1, 2]
    assert [i for i, _, _ in rrf({"dense": [2], "bm25": [1]})] == [2, 1]
    fused = rrf({"bm25": [7, 8], "dense": [8, 7]})
    assert fused[0][1] == fused[1][1] == 1 / 61 + 1 / 62


def test_rrf_weights() -> None:
    fused = rrf({"bm25": [1, 2], "dense": [2, 1]}, weights={"bm25": 2.0, "dense": 0.5})
    assert fused == [
        (1, 2.0 / 61 + 0.5 / 62, {"bm25": 1, "dense": 2}),
        (2, 2.0 / 62 + 0.5 / 61, {"bm25": 2, "dense": 1}),
    ]


def test_rrf_weight_can_reverse_order() -> None:
    rankings = {"bm25": [1, 2], "dense": [2, 1]}
    assert [i for i, _, _ in rrf(rankings, weights={"dense": 3.0})] == [2, 1]
    assert [i for i, _, _ in rrf(rankings, weights={"bm25": 3.0})] == [1, 2]


def test_rrf_missing_weight_defaults_to_one() -> None:
    assert rrf({"bm25": [1]}, weights={"dense": 5.0}) == [(1, 1 / 61, {"bm25": 1})]
    assert rrf({"bm25": [1]}, weights={}) == rrf({"bm25": [1]})


def test_rrf_zero_weight_keeps_item_with_zero_score() -> None:
    fused = rrf({"bm25": [4], "dense": [9]}, weights={"dense": 0.0})
    assert fused == [(4, 1 / 61, {"bm25": 1}), (9, 0.0, {"dense": 1})]


def test_rrf_custom_k() -> None:
    assert rrf({"a": [1, 2]}, k=0) == [(1, 1.0, {"a": 1}), (2, 0.5, {"a": 2})]
    assert rrf({"a": [1], "b": [1]}, k=1) == [(1, 1.0, {"a": 1, "b": 1})]


def test_rrf_empty_rankings() -> None:
    assert rrf({}) == []
    assert rrf({"bm25": [], "dense": []}) == []
    assert rrf({"bm25": [3, 1], "dense": []}) == [(3, 1 / 61, {"bm25": 1}), (1, 1 / 62, {"bm25": 2})]


def test_rrf_scores_sorted_descending() -> None:
    fused = rrf({"a": list(range(30)), "b": list(range(29, -1, -1)), "c": list(range(0, 30, 3))})
    scores = [s for _, s, _ in fused]
    assert scores == sorted(scores, reverse=True)
    assert sorted(i for i, _, _ in fused) == list(range(30))


# --- BM25 ---------------------------------------------------------------------------

SMALL = [
    ["公务", "接待", "公务接待费", "万元"],
    ["人员", "经费", "人员经费", "万元", "万元"],
    ["公用", "经费", "日常", "公用经费"],
    ["接待", "接待", "批", "人次"],
    [],
]


@pytest.mark.parametrize(
    "query",
    [["接待"], ["公务接待费", "万元"], ["经费", "经费"], ["不存在"], [], ["接待", "人次", "万元", "公用经费"]],
)
def test_bm25_scores_match_reference_small(query: list[str]) -> None:
    bm = BM25.build(SMALL)
    scores = bm.scores(query)
    assert scores.shape == (len(SMALL),)
    assert scores.tolist() == pytest.approx(bm.score_reference(query, SMALL), rel=1e-5, abs=1e-6)


def test_bm25_textbook_value() -> None:
    docs = [["a", "b"], ["b", "c", "c"], ["d"]]
    bm = BM25.build(docs, k1=1.2, b=0.75)
    avg = 2.0
    idf_c = math.log(1 + (3 - 1 + 0.5) / (1 + 0.5))
    expected = idf_c * 2 * (1.2 + 1) / (2 + 1.2 * (1 - 0.75 + 0.75 * 3 / avg))
    assert bm.scores(["c"]).tolist() == pytest.approx([0.0, expected, 0.0], rel=1e-6)


def test_bm25_unknown_terms_score_zero() -> None:
    bm = BM25.build(SMALL)
    assert not bm.scores(["没有", "这个词"]).any()


def test_bm25_more_matches_rank_higher() -> None:
    bm = BM25.build(SMALL)
    scores = bm.scores(["接待"])
    assert scores[3] > scores[0] > 0
    assert scores[1] == scores[2] == scores[4] == 0


def test_bm25_empty_index() -> None:
    bm = BM25.build([])
    assert bm.n_docs == 0
    assert bm.scores(["接待"]).shape == (0,)


@pytest.fixture(scope="module")
def seed_tokens() -> list[list[str]]:
    doc = load_file(SEED)
    return [tokens(c.indexed_text) for c in chunk_document(doc)]


SEED_QUERIES = [
    "公务接待费是多少",
    "人员经费",
    "园区规模工业总产值",
    "因公出国（境）费用",
    "征地拆迁安置",
    "车辆编制数",
]


@pytest.mark.parametrize("question", SEED_QUERIES)
def test_bm25_scores_match_reference_on_seed(seed_tokens: list[list[str]], question: str) -> None:
    bm = BM25.build(seed_tokens)
    query = tokens(question)
    assert query
    reference = bm.score_reference(query, seed_tokens)
    scores = bm.scores(query)
    assert scores.tolist() == pytest.approx(reference, rel=1e-5, abs=1e-6)
    assert max(reference) > 0


def test_bm25_seed_finds_reception_fee_chunk(seed_tokens: list[list[str]]) -> None:
    bm = BM25.build(seed_tokens)
    best = int(np.argmax(bm.scores(tokens("公务接待费"))))
    assert "公务接待费" in seed_tokens[best]


def test_bm25_save_load_round_trip(tmp_path: Path, seed_tokens: list[list[str]]) -> None:
    bm = BM25.build(seed_tokens, k1=1.2, b=0.6)
    bm.save(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bm25_doclen.npy", "bm25_params.json", "bm25_tf.npz"]
    loaded = BM25.load(tmp_path)
    assert loaded.vocab == bm.vocab
    assert (loaded.k1, loaded.b) == (1.2, 0.6)
    assert loaded.n_docs == bm.n_docs
    np.testing.assert_array_equal(loaded.doc_len, bm.doc_len)
    for question in [*SEED_QUERIES, "冷水滩高科园"]:
        query = tokens(question)
        np.testing.assert_array_equal(loaded.scores(query), bm.scores(query))
