"""`reportqa bench` end to end on a tiny corpus: every figure is measured, files are written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa.index.embed import StandInEmbedder, bf16_fast
from qatools.bench import peak_rss_mb, reset_peak_rss, run


def test_peak_rss_resets_and_grows() -> None:
    import mmap

    reset_peak_rss()
    before = peak_rss_mb()
    # fresh pages from the kernel (a bytearray may reuse pages an earlier test freed, which do not grow RSS)
    block = mmap.mmap(-1, 64 * 1024 * 1024)
    for offset in range(0, len(block), 4096):
        block[offset] = 1
    assert peak_rss_mb() >= before + 50
    block.close()


def test_standin_vectors_are_unit_length_and_deterministic() -> None:
    e = StandInEmbedder(384)
    a, b = e.encode_batch(["公务接待费2.97万元", "公务接待费2.97万元"]), e.encode_batch(["人员经费715.98万元"])
    assert a.shape == (2, 384) and abs(float(a[0] @ a[0]) - 1) < 1e-5 and (a[0] == a[1]).all()
    assert float(a[0] @ b[0]) < 0.9


@pytest.mark.model  # times the real model once, as the benchmark does
def test_bench_runs_and_reports(tmp_path: Path) -> None:
    out = tmp_path / "results"
    table = run([6], out, tmp_path / "work", seed=3, model_up_to=0, limit=12, command="test")
    text = table.read_text(encoding="utf-8")
    assert "| 6 | standin-384 |" in text and "| 6 | 12 | hybrid |" in text
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    r = data["results"][0]
    assert r["chunks"] > 0 and r["vectors"] > 0 and r["index_mb"] > 0  # vectors: one per distinct sentence
    # the serving child loads the real query encoder beside the stand-in index (~250 MB of the peak)
    assert r["cold_start_s"] > 0 and r["serve_peak_rss_mb"] > 250 and r["ingest_s"] > 0
    assert set(r["modes"]) == {"bm25", "dense", "hybrid"}
    assert all(m["latency_ms_p50"] > 0 for m in r["modes"].values())
    backends = {b["backend"]: b for b in data["backends"]}
    bf16 = {"openvino-bf16"} if bf16_fast() else set()  # where the CPU has AMX
    assert set(backends) == {"onnxruntime-fp32", "torch-fp32"} | bf16  # side by side, on the same passages
    assert all(b["texts_per_s"] > 0 and b["query_ms_p50"] > 0 for b in backends.values())
    assert all(backends[b]["min_cosine_to_torch"] >= 0.9999 for b in {"onnxruntime-fp32"} | bf16)
    colds = data["cold_start"]
    assert 'python -c "import onnxruntime"' in colds and all(c["wall_s"] > 0 for c in colds.values())
    assert "| onnxruntime-fp32 |" in text and "| reportqa ask (onnxruntime) |" in text
    assert (out / "latency.png").stat().st_size > 1000 and (out / "memory.png").stat().st_size > 1000
