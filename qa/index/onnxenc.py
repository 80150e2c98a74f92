"""The bundled e5-small served by onnxruntime: no torch on the question path.

The converted sentence-transformers folder (e5convert.py) is exported once to `model.onnx`
beside it: BERT, mean pooling over the attention mask and L2 normalisation in one fp32 graph,
so a question costs one `session.run`.  torch is needed for that one-time export only; asking
needs onnxruntime and NumPy (the tokenizer is unigram.py's, the word table a memory map).

fp32 on purpose: the export gives the torch path's vectors (cosine ≥ 0.9999 on the dev passages,
tests/test_model.py), while int8 reorders near-tied passages, which an exact-answer tool
cannot afford.  Passages are encoded in batches of similar length, so little is padded.

Ingest may run the same graph with OpenVINO in bf16 where the CPU has AMX (`OpenVinoEmbedder`,
the optional `openvino` package): ~1.9× the passages per second, cosine ≥ 0.9999 to fp32 on the
dev passages (tests/test_model.py), so its vectors are searched with onnxruntime's queries.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from qa.index.embed import ONNX_BACKEND, OPENVINO_BACKEND, Embedder, ModelSpec
from qa.index.unigram import UnigramTokenizer, write_vocab

ONNX_FILE = "model.onnx"
WORDS_FILE = "words.npy"
OPSET = 17
MAX_TOKENS = 512


def export(folder: Path) -> Path:
    """Write model.onnx, words.npy and the compact tokenizer beside the folder's BERT (atomically).

    The 250,002 × 384 word-embedding table (384 MB in fp32) stays out of the graph: it is saved
    as words.npy and memory-mapped at run time, so a question pages in only its tokens' rows and
    a cold start does not read the table; the graph takes the looked-up rows (inputs_embeds)."""
    import torch
    from transformers import BertModel
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    bert = BertModel.from_pretrained(str(folder)).eval()
    table = bert.embeddings.word_embeddings.weight.detach().numpy().astype(np.float32)
    bert.embeddings.word_embeddings = torch.nn.Embedding(1, table.shape[1])  # not used with inputs_embeds

    class Pooled(torch.nn.Module):
        """BERT, then the mean of the unmasked tokens, L2-normalised: what the folder's modules do."""

        def __init__(self, model: torch.nn.Module) -> None:
            super().__init__()
            self.model = model

        def forward(self, inputs_embeds: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            hidden = self.model(inputs_embeds=inputs_embeds, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2, dim=1)

    work = Path(tempfile.mkdtemp(prefix=".onnx-", dir=folder))
    try:
        with torch.no_grad():
            torch.onnx.export(
                Pooled(bert),
                (torch.zeros(2, 8, table.shape[1]), torch.ones(2, 8, dtype=torch.long)),
                str(work / ONNX_FILE),
                input_names=["inputs_embeds", "attention_mask"],
                output_names=["embedding"],
                dynamic_axes={"inputs_embeds": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"}},
                opset_version=OPSET,
                dynamo=False,
            )
        np.save(work / WORDS_FILE, table)
        write_vocab(folder)
        (folder / "reportqa-onnx.json").write_text(
            json.dumps({"opset": OPSET, "torch": torch.__version__, "pooling": "mean", "normalize": True}),
            encoding="utf-8",
        )
        os.replace(work / WORDS_FILE, folder / WORDS_FILE)
        os.replace(work / ONNX_FILE, folder / ONNX_FILE)  # last: its presence says the export is whole
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return folder / ONNX_FILE


def onnx_file(folder: Path) -> Path:
    """folder/model.onnx, exported once when absent (~15 s, the only step that needs torch)."""
    path = folder / ONNX_FILE
    if not path.is_file():
        print(f"exporting the model to {path} for onnxruntime (once, ~15 s)…", file=sys.stderr)
        export(folder)
    return path


def length_batches(lengths: Sequence[int], size: int) -> list[list[int]]:
    """Row indices in batches of `size`, shortest texts first, so a batch pads to similar lengths."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    return [order[i : i + size] for i in range(0, len(order), size)]


class OnnxEmbedder(Embedder):
    """The exported model run by onnxruntime on the CPU, tokenised by unigram.py."""

    backend = ONNX_BACKEND

    def __init__(self, spec: ModelSpec, folder: Path, batch_size: int = 8, threads: int | None = None) -> None:
        model = onnx_file(folder)
        self.spec = spec
        self.batch_size = batch_size
        self.tokenizer = UnigramTokenizer(folder, MAX_TOKENS)
        self.words = np.load(folder / WORDS_FILE, mmap_mode="r")
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        self.pad_id = int(config.get("pad_token_id", 1))
        self.dim = int(self.words.shape[1])
        self.calls = 0
        self.progress: Callable[[int], Any] | None = None  # called with each batch's size while encoding
        self._open(model, threads or min(os.cpu_count() or 1, 4))

    def _open(self, model: Path, threads: int) -> None:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])

    def _infer(self, embeds: np.ndarray, mask: np.ndarray) -> np.ndarray:
        return np.asarray(self.session.run(None, {"inputs_embeds": embeds, "attention_mask": mask})[0])

    def _run(self, ids: list[list[int]]) -> np.ndarray:
        width = max(len(row) for row in ids)
        tokens = np.full((len(ids), width), self.pad_id, dtype=np.int64)
        mask = np.zeros((len(ids), width), dtype=np.int64)
        for r, row in enumerate(ids):
            tokens[r, : len(row)] = row
            mask[r, : len(row)] = 1
        embeds = np.asarray(self.words[tokens.ravel()], dtype=np.float32).reshape(len(ids), width, self.dim)
        return np.asarray(self._infer(embeds, mask), dtype=np.float32)

    def encode_batch(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        ids = [self.tokenizer.encode(t) for t in texts]
        for rows in length_batches([len(i) for i in ids], self.batch_size):
            out[rows] = self._run([ids[r] for r in rows])
            if self.progress is not None:
                self.progress(len(rows))
        return out


class OpenVinoEmbedder(OnnxEmbedder):
    """The same exported graph compiled by OpenVINO with bf16 inference (AMX): for ingest.

    Tokens, word rows, batching and pooling are OnnxEmbedder's; only the matrix work differs."""

    backend = OPENVINO_BACKEND

    def _open(self, model: Path, threads: int) -> None:
        import openvino as ov

        config = {"INFERENCE_PRECISION_HINT": "bf16", "PERFORMANCE_HINT": "LATENCY", "INFERENCE_NUM_THREADS": threads}
        self.request = ov.Core().compile_model(str(model), "CPU", config).create_infer_request()

    def _infer(self, embeds: np.ndarray, mask: np.ndarray) -> np.ndarray:
        return np.array(self.request.infer({"inputs_embeds": embeds, "attention_mask": mask})[0], copy=True)
