"""`reportqa bench`: ingest, memory, cold start, latency and accuracy at 10 … 10,000 reports.

One run walks the corpus sizes in one process.  For each size it generates a corpus
(generate.py), ingests it (timing every step, and the model's share), and then starts
one serving child process on the built index: the time from spawning it to its first
answer is the cold start, and the child answers the generated questions through the
BM25-only, dense-only and full pipelines, reporting latency, accuracy and its own peak
memory.  Above `model_up_to` reports the model's vectors are replaced by a stand-in of
the same dimension (embed.StandInEmbedder); the real model's encode throughput is
measured once on its own so that its full cost can be read off, and the serving child
loads the real query encoder beside the stand-in, so its peak memory includes the model.

Peak memory is the kernel's high-water mark (VmHWM), reset before each step by writing
5 to /proc/self/clear_refs.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

SIZES = (10, 100, 1000, 10000)
MODES = ("bm25", "dense", "hybrid")
STANDIN = "standin-384"


def reset_peak_rss() -> None:
    """Start a new high-water mark for this process (Linux ≥ 4.0)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def peak_rss_mb() -> float:
    """This process's peak resident memory since the last reset, in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def folder_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1024 / 1024


@dataclass
class SizeResult:
    reports: int
    model: str
    documents: int = 0
    chunks: int = 0
    vectors: int = 0
    facts: int = 0
    generate_s: float = 0.0
    ingest_s: float = 0.0
    chunks_per_s: float = 0.0
    model_s: float = 0.0  # model load + embedding
    non_model_share: float = 0.0  # of ingest time
    steps_s: dict[str, float] = field(default_factory=dict)
    index_mb: float = 0.0
    ingest_peak_rss_mb: float = 0.0
    reingest_unchanged_s: float = 0.0
    cold_start_s: float = 0.0
    serve_peak_rss_mb: float = 0.0
    questions: int = 0
    modes: dict[str, dict[str, Any]] = field(default_factory=dict)


def model_throughput(texts: list[str], backend: str = "") -> dict[str, Any]:
    """One backend's passage throughput and query latency for the real model on this machine
    (REPORTQA_BACKEND=backend while it loads; queries timed on encode_batch, past the cache)."""
    from qa.index.embed import ModelSpec, load_embedder

    saved = os.environ.get("REPORTQA_BACKEND")
    if backend:
        os.environ["REPORTQA_BACKEND"] = backend
    try:
        started = time.perf_counter()
        model = load_embedder(ModelSpec.from_settings())
        load_s = time.perf_counter() - started
    finally:
        if saved is None:
            os.environ.pop("REPORTQA_BACKEND", None)
        else:
            os.environ["REPORTQA_BACKEND"] = saved
    started = time.perf_counter()
    vectors = [model.embed_passages(texts[i : i + 32]) for i in range(0, len(texts), 32)]
    passages_s = time.perf_counter() - started
    timings = []
    for text in texts[:50]:
        t = time.perf_counter()
        model.encode_batch([model.spec.query_prompt + text[:40]])
        timings.append((time.perf_counter() - t) * 1000)
    return {
        "backend": model.backend,
        "load_s": round(load_s, 2),
        "texts": len(texts),
        "texts_per_s": round(len(texts) / passages_s, 1),
        "query_ms_p50": round(statistics.median(timings), 1),
        "vectors": np.concatenate(vectors) if vectors else np.zeros((0, model.dim), np.float32),
    }


def backends_side_by_side(texts: list[str]) -> list[dict[str, Any]]:
    """Each backend of the bundled model on the same passages, with its lowest cosine to torch's vectors
    (OpenVINO bf16 only where it would be used: AMX and the package present)."""
    from qa.index.embed import bf16_fast

    rows = [model_throughput(texts, b) for b in ("onnx", *(["openvino"] if bf16_fast() else []), "torch")]
    reference = rows[-1].pop("vectors")
    for row in rows[:-1]:
        mine = row.pop("vectors")
        row["min_cosine_to_torch"] = round(float((mine * reference).sum(axis=1).min()), 6)
    rows[-1]["min_cosine_to_torch"] = 1.0
    return rows


def whole_process(command: list[str], runs: int = 5, env: dict[str, str] | None = None) -> dict[str, float]:
    """Median wall time and peak RSS of a command run from a fresh process, `runs` times."""
    probe = (
        "import resource, subprocess, sys, time; t = time.perf_counter(); "
        "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode; "
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)"
    )
    walls, peaks = [], []
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-c", probe, *command], capture_output=True, text=True, env=env)
        wall, peak, code = done.stdout.split()
        if code != "0":
            raise RuntimeError(f"{' '.join(command)} failed (exit {code})")
        walls.append(float(wall))
        peaks.append(int(peak) / 1024)
    return {"wall_s": round(statistics.median(walls), 2), "peak_rss_mb": round(statistics.median(peaks), 1)}


def process_peak_rss_mb(pid: int) -> float:
    """A running process's peak resident set (VmHWM in /proc), in MB."""
    status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:"))
    return kb / 1024


def children_of(pid: int) -> list[int]:
    """The process's child processes (Linux /proc)."""
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text(encoding="utf-8")
    except OSError:
        return []
    return [int(c) for c in text.split()]


@contextmanager
def served(index: Path) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """`reportqa serve` on a free loopback port, stopped on leaving; yields (process, port) once
    the port accepts connections."""
    import socket

    env = dict(os.environ, HF_HUB_OFFLINE="1", GRADIO_ANALYTICS_ENABLED="False")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "qa", "serve", "--index", str(index), "--port", str(port)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while server.poll() is None:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        if server.poll() is not None:
            raise RuntimeError(f"reportqa serve --index {index} exited {server.returncode}")
        yield server, port
    finally:
        server.terminate()
        server.wait(timeout=30)


def serve_first_answer(index: Path, question: str = "公务接待费多少", runs: int = 3) -> dict[str, float]:
    """Seconds from starting `reportqa serve` to its first answer through the page's API (the
    client is loaded before the server starts, so its import is not counted), and the peak RSS
    of the page's process plus its answering process once it has answered; medians of runs."""
    from gradio_client import Client

    from qa.interfaces.worker import ANY

    times, peaks = [], []
    for _ in range(runs):
        started = time.perf_counter()
        with served(index) as (server, port):
            client = Client(f"http://127.0.0.1:{port}/", verbose=False)
            client.predict(question, ANY, ANY, ANY, api_name="/ask")
            times.append(time.perf_counter() - started)
            peaks.append(sum(process_peak_rss_mb(p) for p in [server.pid, *children_of(server.pid)]))
    return {"wall_s": round(statistics.median(times), 2), "peak_rss_mb": round(statistics.median(peaks), 1)}


def cold_starts(index: Path, question: str = "公务接待费多少") -> dict[str, dict[str, float]]:
    """A cold `reportqa ask` per backend, beside the floor: a process that only imports onnxruntime;
    and `reportqa serve` until its first answer."""
    ask = [sys.executable, "-m", "qa", "ask", "--index", str(index), question]
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    return {
        'python -c "import onnxruntime"': whole_process([sys.executable, "-c", "import onnxruntime"], env=env),
        "reportqa ask (onnxruntime)": whole_process(ask, env={**env, "REPORTQA_BACKEND": "onnx"}),
        "reportqa ask (torch)": whole_process(ask, env={**env, "REPORTQA_BACKEND": "torch"}),
        "reportqa serve → first answer (onnxruntime)": serve_first_answer(index),
    }


def serve_child(index: Path, questions_file: Path, limit: int) -> None:
    """In the child process: first answer (cold start), then every mode on the questions."""
    from qa.api import ReportQA
    from qa.quality.evaluate import evaluate, read_questions

    every = read_questions(questions_file)
    step = max(1, len(every) // limit) if limit else 1
    questions = every[::step][:limit]  # spread over the whole corpus, not its first reports
    qa = ReportQA(index)
    qa.ask(questions[0].question if questions else "公务接待费多少")
    print("FIRST", flush=True)
    modes = {}
    for mode in MODES:
        if mode != "bm25":
            qa.embedder.forget_queries()  # each question's vector is computed in the timed run
        report = evaluate(qa, questions, mode=mode).summary()
        modes[mode] = {
            key: report[key]
            for key in (
                "exact_accuracy",
                "precision_of_given_figures",
                "declined_share",
                "latency_ms_p50",
                "latency_ms_p95",
                "recall@3",
            )
        }
    from qa.index.embed import STANDIN_PREFIX, ModelSpec, load_embedder

    if qa.spec.model.startswith(STANDIN_PREFIX):
        # a real index holds the real encoder too: load it and encode the questions, so that the
        # peak RSS is what serving this many reports costs with the model (~250 MB of it)

        encoder = load_embedder(ModelSpec())
        for q in questions:
            encoder.embed_queries([q.question])
    print("RESULT " + json.dumps({"modes": modes, "peak_rss_mb": peak_rss_mb(), "questions": len(questions)}))


def measure_serving(index: Path, questions: Path, limit: int, result: SizeResult) -> None:
    env = dict(os.environ, HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false")
    started = time.perf_counter()
    command = [sys.executable, "-m", "qatools.bench", "--serve", str(index), str(questions), str(limit)]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("FIRST"):
            result.cold_start_s = round(time.perf_counter() - started, 2)
        elif line.startswith("RESULT "):
            data = json.loads(line[len("RESULT ") :])
            result.modes = data["modes"]
            result.serve_peak_rss_mb = round(data["peak_rss_mb"], 1)
            result.questions = data["questions"]
    if proc.wait() != 0:
        raise RuntimeError(f"serving child failed on {index} (exit {proc.returncode})")


def run_size(reports: int, work: Path, seed: int, model_up_to: int, limit: int) -> SizeResult:
    from qa.index.embed import ModelSpec, load_embedder
    from qa.ingest.plan import ingest

    from .generate import write_corpus

    spec = ModelSpec.from_settings() if reports <= model_up_to else ModelSpec(STANDIN, "query: ", "passage: ")
    result = SizeResult(reports, spec.model)
    corpus = work / f"corpus-{reports}"
    started = time.perf_counter()
    write_corpus(corpus, reports, seed)
    result.generate_s = round(time.perf_counter() - started, 2)
    index = work / f"index-{reports}"
    reset_peak_rss()
    started = time.perf_counter()
    outcome = ingest([corpus / "reports"], index, spec, lambda: load_embedder(spec, passages=True))
    result.ingest_s = round(time.perf_counter() - started, 2)
    result.ingest_peak_rss_mb = round(peak_rss_mb(), 1)
    data = outcome.data
    assert data is not None and data.stats is not None
    counts = data.manifest["counts"]
    result.documents, result.chunks, result.facts = counts["documents"], counts["chunks"], counts["facts"]
    result.vectors = len(data.dense.vectors)  # stored: one per distinct sentence text
    result.steps_s = {k: round(v, 2) for k, v in data.stats.seconds.items()}
    result.model_s = round(data.stats.seconds.get("embedding", 0.0) + data.stats.seconds.get("model load", 0.0), 2)
    result.non_model_share = round(1 - result.model_s / result.ingest_s, 3) if result.ingest_s else 0.0
    result.chunks_per_s = round(result.chunks / result.ingest_s, 1) if result.ingest_s else 0.0
    result.index_mb = round(folder_mb(index), 1)
    del data, outcome
    started = time.perf_counter()
    ingest([corpus / "reports"], index, spec, lambda: load_embedder(spec, passages=True))
    result.reingest_unchanged_s = round(time.perf_counter() - started, 2)
    measure_serving(index, corpus / "questions.jsonl", limit, result)
    return result


def sample_texts(work: Path, count: int = 256) -> list[str]:
    """Passages of the smallest corpus, to time the real model on."""
    from qa.index.store import dense_units
    from qa.ingest.chunk import chunk_document
    from qa.ingest.load import load_paths

    folder = min(work.glob("corpus-*"), key=lambda p: int(p.name.split("-")[1]))
    docs, _ = load_paths([folder / "reports"])
    texts = [t for d in docs for c in chunk_document(d) for t in dense_units(c)]
    return texts[:count]


def markdown(
    results: list[SizeResult],
    backends: list[dict[str, Any]],
    colds: dict[str, dict[str, float]],
    command: str,
) -> str:
    from qa.index.embed import ModelSpec, backend_for

    ingesting = backend_for(ModelSpec(), passages=True)  # its rate estimates the model's share of ingest
    model = next((b for b in backends if b["backend"] == ingesting), backends[0])
    lines = [
        "# reportqa benchmark",
        "",
        f"Command: `{command}` · {time.strftime('%Y-%m-%d %H:%M')} · {os.cpu_count()} cores "
        f"· Python {sys.version.split()[0]}",
        "",
        "## Ingest and serving",
        "",
        "Vectors: one per distinct sentence text. Serve peak RSS includes the real query encoder "
        "(loaded beside a stand-in index).",
        "",
        "| reports | vectors from | chunks | vectors | facts | ingest s | chunks/s | model s | non-model share "
        "| index MB | ingest peak RSS MB | re-ingest unchanged s | cold start s | serve peak RSS MB |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.reports} | {r.model} | {r.chunks} | {r.vectors} | {r.facts} | {r.ingest_s} | {r.chunks_per_s} "
            f"| {r.model_s} | {r.non_model_share:.0%} | {r.index_mb} | {r.ingest_peak_rss_mb} "
            f"| {r.reingest_unchanged_s} | {r.cold_start_s} | {r.serve_peak_rss_mb} |"
        )
    lines += [
        "",
        "## Queries: the same generated questions through each pipeline (in-process, warm)",
        "",
        "| reports | questions | mode | exact accuracy | precision of given | declined (unanswerable) "
        "| recall@3 | p50 ms | p95 ms |",
        "|---:|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        for mode, m in r.modes.items():
            lines.append(
                f"| {r.reports} | {r.questions} | {mode} | {m['exact_accuracy']} | {m['precision_of_given_figures']} "
                f"| {m['declined_share']} | {m['recall@3']} | {m['latency_ms_p50']} | {m['latency_ms_p95']} |"
            )
    lines += [
        "",
        "## The real model on its own: each backend on the same passages",
        "",
        "| backend | load s | passages/s | query encode p50 ms | lowest cosine to torch |",
        "|---|---:|---:|---:|---:|",
        *(
            f"| {b['backend']} | {b['load_s']} | {b['texts_per_s']} | {b['query_ms_p50']} "
            f"| {b['min_cosine_to_torch']} |"
            for b in backends
        ),
        "",
        f"Cold start on the {results[0].reports}-report index (whole process, median of 5):",
        "",
        "| command | wall s | peak RSS MB |",
        "|---|---:|---:|",
        *(f"| {name} | {c['wall_s']} | {c['peak_rss_mb']} |" for name, c in colds.items()),
        "",
        f"Where the stand-in replaced the model, the model's share of ingest is estimated as vectors ÷ passages/s "
        f"of {model['backend']}, the backend ingest uses here:",
        "",
        "| reports | vectors | estimated model s | measured non-model s | estimated non-model share |",
        "|---:|---:|---:|---:|---:|",
    ]
    rate = model.get("texts_per_s") or 0
    for r in results:
        est = r.vectors / rate if rate else 0.0
        rest = r.ingest_s - r.model_s
        share = rest / (rest + est) if rest + est else 0.0
        lines.append(f"| {r.reports} | {r.vectors} | {est:.0f} | {rest:.1f} | {share:.0%} |")
    lines += ["", "Step times (s) of each ingest:", ""]
    for r in results:
        lines.append(f"- {r.reports} reports: " + ", ".join(f"{k} {v}" for k, v in r.steps_s.items()))
    return "\n".join(lines) + "\n"


def plots(results: list[SizeResult], out: Path) -> list[Path]:
    """Latency and memory against corpus size, as PNG (English labels: no CJK font needed)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [r.reports for r in results]
    made = []
    fig, ax = plt.subplots(figsize=(6, 4))
    for mode in MODES:
        ax.plot(sizes, [r.modes.get(mode, {}).get("latency_ms_p50", 0) for r in results], "o-", label=f"{mode} p50")
        ax.plot(sizes, [r.modes.get(mode, {}).get("latency_ms_p95", 0) for r in results], "x--", label=f"{mode} p95")
    real = max((r.reports for r in results if not r.model.startswith("standin")), default=0)
    ax.set(
        xscale="log",
        xlabel=f"reports (real model up to {real}, stand-in vectors above: no query encode)",
        ylabel="warm query latency (ms)",
        title="Query latency vs corpus size",
    )
    ax.legend(fontsize=8)
    fig.tight_layout()
    made.append(out / "latency.png")
    fig.savefig(made[-1], dpi=120)
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(sizes, [r.serve_peak_rss_mb for r in results], "o-", label="serving peak RSS")
    ax.plot(sizes, [r.ingest_peak_rss_mb for r in results], "s-", label="ingest peak RSS")
    ax.plot(sizes, [r.index_mb for r in results], "^-", label="index on disk")
    ax.set(xscale="log", yscale="log", xlabel="reports", ylabel="MiB", title="Memory and index size vs corpus size")
    ax.legend(fontsize=8)
    fig.tight_layout()
    made.append(out / "memory.png")
    fig.savefig(made[-1], dpi=120)
    plt.close(fig)
    return made


def run(sizes: list[int], out: Path, work: Path, seed: int, model_up_to: int, limit: int, command: str) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    work.mkdir(parents=True, exist_ok=True)
    results = []
    for size in sizes:
        print(f"bench: {size} reports …", file=sys.stderr, flush=True)
        results.append(run_size(size, work, seed, model_up_to, limit))
        print(json.dumps(asdict(results[-1]), ensure_ascii=False), file=sys.stderr, flush=True)
    backends = backends_side_by_side(sample_texts(work))
    smallest = min(work.glob("index-*"), key=lambda p: int(p.name.split("-")[1]))
    colds = cold_starts(smallest)
    (out / "results.json").write_text(
        json.dumps(
            {"results": [asdict(r) for r in results], "backends": backends, "cold_start": colds},
            ensure_ascii=False,
            indent=1,
        ),
        encoding="utf-8",
    )
    table = markdown(results, backends, colds, command)
    (out / "results.md").write_text(table, encoding="utf-8")
    plots(results, out)
    print(table)
    return out / "results.md"


if __name__ == "__main__":  # the serving child: python -m qatools.bench --serve INDEX QUESTIONS LIMIT
    if len(sys.argv) == 5 and sys.argv[1] == "--serve":
        serve_child(Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]))
    else:
        sys.exit("usage: python -m qatools.bench --serve INDEX QUESTIONS LIMIT (started by reportqa bench)")
