"""The index on disk: a folder of named files under a manifest.

    index/manifest.json          format version, model and prompts, dimension, documents
    index/gen-<stamp>/           one generation: documents.jsonl, chunks.npz + chunks.json, facts.sqlite,
                                 dense.faiss, bm25_tf.npz, bm25_doclen.npy, bm25_params.json

A build writes a new generation folder and then replaces manifest.json atomically, so
a build killed at any point leaves the previous index readable; older generations are
removed only after the switch.
"""

from __future__ import annotations

import ast
import fcntl
import hashlib
import json
import os
import re
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from qa.domain.tokenize import tokens_of_all
from qa.index.bm25 import BM25
from qa.index.chunktable import COLUMNS_FILE, ChunkTable
from qa.index.embed import TORCH_BACKEND, Embedder, ModelSpec, backend_for, same_vectors
from qa.index.factdb import FactTable, write_facts
from qa.ingest.chunk import chunk_document
from qa.ingest.facets import Facets, facets_of
from qa.ingest.facts import extract_facts
from qa.records import Chunk, Document, Fact

FORMAT_VERSION = 1
# The stages that decide what an index holds (text, chunks, facts, facets, keyword postings, the
# stored layout).  Their own modules and every module of the package they import, found by reading
# the imports, are fingerprinted: a reader change (ingest/formats/) rebuilds the index, so no chunk keeps
# offsets into an older text.  The encoder is not here: the manifest names the model and backend.
PIPELINE_ROOTS = (
    "ingest.load",
    "ingest.chunk",
    "index.chunktable",
    "ingest.facts",
    "ingest.facets",
    "domain.tokenize",
    "index.bm25",
    "index.factdb",
)
PACKAGE_DIR = Path(__file__).resolve().parents[1]  # the qa/ folder; modules are named relative to it


def module_file(name: str) -> Path:
    """The source file of a module named relative to the package ("ingest.chunk"; a package such as
    "ingest.formats" is its __init__.py)."""
    path = PACKAGE_DIR.joinpath(*name.split("."))
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


def package_imports(name: str) -> set[str]:
    """Modules of this package that `name` imports (`from qa.x.y import …`, `from qa.x import y`)."""
    tree = ast.parse(module_file(name).read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            parts = node.module.split(".")
            if parts[0] == "qa" and len(parts) > 1:
                inner = ".".join(parts[1:])
                found.add(inner)
                found.update(f"{inner}.{alias.name}" for alias in node.names)
    return {m for m in found if module_file(m).is_file()}


def pipeline_modules() -> tuple[str, ...]:
    """The roots, their package imports transitively, and this module (the stored layout)."""
    seen: set[str] = {"index.store"}
    todo = list(PIPELINE_ROOTS)
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(package_imports(name) - seen)
    return tuple(sorted(seen))


def pipeline_fingerprint() -> str:
    """Hash of the indexing code, recorded in the manifest so that `ingest` knows when to rebuild."""
    digest = hashlib.sha256()
    for name in pipeline_modules():
        digest.update(name.encode() + b"\0" + module_file(name).read_bytes())
    return digest.hexdigest()[:16]


MANIFEST = "manifest.json"
FACETS_FILE = "facets.json"
EMBED_BATCH = 32
SENTENCE_SPLIT = re.compile(r"(?<=[。；;！？!?\n])")


class IndexProblem(Exception):
    """The index folder is missing, stale or damaged; the message says what to do."""


class IndexBusy(IndexProblem):
    """Another process is writing this index (an ingest, a removal or an upload)."""


class IndexUnwritable(IndexProblem):
    """A new generation could not be written (disk full, read-only, …); the index is as it was."""


LOCK_FILE = ".writing.lock"


@contextmanager
def writing(index_dir: Path) -> Iterator[None]:
    """Hold the index's write lock while a new generation is built and saved: a second ingest,
    removal or upload into the same index is refused with who holds it, instead of both building
    from the same previous generation and the later save silently dropping the other's documents.
    (An flock: released by the kernel when its holder dies, so a killed ingest never leaves it held.)"""
    index_dir.mkdir(parents=True, exist_ok=True)
    with (index_dir / LOCK_FILE).open("a+", encoding="utf-8") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "another process"
            raise IndexBusy(
                f"{index_dir}: being written by {holder}; try again when it has finished (nothing was changed)"
            ) from None
        try:
            fh.seek(0)
            fh.truncate()
            fh.write(f"pid {os.getpid()} (since {time.strftime('%Y-%m-%d %H:%M:%S')})")
            fh.flush()
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


@dataclass
class DenseIndex:
    """Sentence vectors (inner product on L2-normalised rows) owned by chunks.

    A passage's dense score is the best score of its sentences: measured on the seed dev
    set, whole-passage vectors blur a paragraph that lists many items (dense R@3 .75),
    per-sentence vectors keep each item findable (R@3 .90).  FAISS does the search; the
    NumPy scan is the reference a test compares it with.

    A text printed in many places (boilerplate: 名词解释, a 三公 definition, a template line)
    is embedded and stored once: unit i (a chunk's sentence) owns vector `slot[i]`.  Real
    reports repeat ~12% of their sentences, generated ones ~40%; at 10,000 reports this keeps
    268,269 vectors instead of 454,991 (-287 MB resident)."""

    vectors: np.ndarray  # one row per distinct text
    owner: np.ndarray  # owner[i] = chunk id of unit i (sorted: a chunk's units are one run)
    keys: np.ndarray | None = None  # keys[r] = unit_key of the text vector r embeds
    flat: Any = None  # a faiss.IndexFlatIP already holding the vectors (as read from disk)
    slot: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # slot[i] = vector row of unit i

    def __post_init__(self) -> None:
        import faiss

        if self.flat is None:
            self.flat = faiss.IndexFlatIP(self.vectors.shape[1])
            if len(self.vectors):
                self.flat.add(np.ascontiguousarray(self.vectors, dtype=np.float32))
        if self.flat.ntotal:  # one copy in memory: the array is a view of faiss's own storage
            size = self.flat.ntotal * self.flat.d
            self.vectors = faiss.rev_swig_ptr(self.flat.get_xb(), size).reshape(self.flat.ntotal, self.flat.d)
        if not len(self.slot) and len(self.owner):  # given no slots: unit i is vector i
            self.slot = np.arange(len(self.owner), dtype=np.int64)
        self._units_of: tuple[np.ndarray, np.ndarray] | None = None

    def owners_of(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(position in `rows`, chunk id) of every unit embedding each vector row, in row order."""
        if self._units_of is None:
            order = np.argsort(self.slot, kind="stable")
            self._units_of = (order, np.searchsorted(self.slot[order], np.arange(self.flat.ntotal + 1)))
        order, starts = self._units_of
        lo, hi = starts[rows], starts[rows + 1]
        where = np.repeat(np.arange(len(rows)), hi - lo)
        units = order[np.concatenate([np.arange(a, b) for a, b in zip(lo.tolist(), hi.tolist(), strict=True)])]
        return where, self.owner[units]

    def search(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(scores, chunk ids) of the k best chunks, best first."""
        n = min(len(self.vectors), max(k * 8, 64))
        if n == 0:
            return np.zeros(0, np.float32), np.zeros(0, np.int64)
        scores, ids = self.flat.search(np.asarray(query, np.float32).reshape(1, -1), n)
        keep = ids[0] >= 0
        where, owners = self.owners_of(ids[0][keep])
        return _best_per_chunk(scores[0][keep][where], owners, k)

    def search_within(self, query: np.ndarray, chunk_ids: Sequence[int], k: int) -> tuple[np.ndarray, np.ndarray]:
        """Like search, over the vectors of some chunks only (a scoped question): exact, and
        proportional to the scope, not to the index (owner is sorted, so each chunk's
        units are one run)."""
        ids = np.unique(np.asarray(list(chunk_ids), dtype=np.int64))
        lo = np.searchsorted(self.owner, ids, side="left")
        hi = np.searchsorted(self.owner, ids, side="right")
        keep = hi > lo
        ids, lo, hi = ids[keep], lo[keep], hi[keep]
        if not len(ids):
            return np.zeros(0, np.float32), np.zeros(0, np.int64)
        units = np.concatenate([np.arange(a, b) for a, b in zip(lo.tolist(), hi.tolist(), strict=True)])
        scores = self.vectors[self.slot[units]] @ np.asarray(query, np.float32).reshape(-1)
        best = np.maximum.reduceat(scores, np.concatenate([[0], np.cumsum(hi - lo)[:-1]]))
        order = np.argsort(-best, kind="stable")[:k]
        return best[order].astype(np.float32), ids[order]

    def search_reference(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        scores = self.vectors[self.slot] @ np.asarray(query, np.float32)
        order = np.argsort(-scores, kind="stable")
        return _best_per_chunk(scores[order], self.owner[order], k)


def distinct_texts(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(first unit of each distinct key in order of first appearance, slot of every unit)."""
    _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    rank = np.argsort(first, kind="stable")
    row_of = np.empty(len(rank), dtype=np.int64)
    row_of[rank] = np.arange(len(rank))
    return first[rank], row_of[inverse.reshape(-1)]


def _best_per_chunk(scores: np.ndarray, owners: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """From sentence hits sorted best first, the first (best) hit of each chunk, k at most."""
    seen: dict[int, float] = {}
    for score, owner in zip(scores.tolist(), owners.tolist(), strict=True):
        if owner not in seen:
            seen[owner] = score
            if len(seen) == k:
                break
    return np.array(list(seen.values()), np.float32), np.array(list(seen), np.int64)


def dense_units(chunk: Chunk) -> list[str]:
    """The texts embedded for a chunk: each sentence, prefixed by the heading path."""
    head = " / ".join(chunk.section) + "\n" if chunk.section else ""
    sentences = [s.strip() for s in SENTENCE_SPLIT.split(chunk.text) if s.strip()]
    return [head + s for s in sentences] or [chunk.indexed_text]


@dataclass
class IndexData:
    manifest: dict[str, Any]
    docs: dict[str, Document]
    chunks: Sequence[Chunk]  # a list while building, a ChunkTable once loaded
    facts: FactTable
    dense: DenseIndex
    bm25: BM25
    stats: BuildStats | None = None
    facets: dict[str, Facets] | None = None  # as saved beside the index (None: compute them)

    @property
    def spec(self) -> ModelSpec:
        m = self.manifest
        return ModelSpec(m["model"], m["query_prompt"], m["passage_prompt"])

    @property
    def backend(self) -> str:
        """What embedded the passages (indexes from before backends were recorded: torch, or numpy)."""
        return recorded_backend(self.manifest)


def recorded_backend(manifest: dict[str, Any]) -> str:
    """The manifest's backend; indexes from before it was recorded were embedded by torch (or NumPy)."""
    if manifest.get("backend"):
        return str(manifest["backend"])
    spec = ModelSpec(manifest["model"], manifest["query_prompt"], manifest["passage_prompt"])
    return "numpy" if backend_for(spec) == "numpy" else TORCH_BACKEND


def _progress(total: int, desc: str) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit="passage", disable=not sys.stderr.isatty(), leave=False)


def unit_key(text: str) -> int:
    """A 63-bit hash of an embedded text: vectors are reused across builds by this key."""
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little") >> 1


EmbedderSource = Embedder | Callable[[], Embedder]


@dataclass
class BuildStats:
    """Where ingest time went, and how much was reused from the previous index."""

    seconds: dict[str, float] = field(default_factory=dict)
    reused_docs: int = 0
    processed_docs: int = 0
    embedded_units: int = 0
    reused_units: int = 0

    def add(self, step: str, since: float) -> float:
        now = time.perf_counter()
        self.seconds[step] = self.seconds.get(step, 0.0) + now - since
        return now


def build(
    docs: Sequence[Document],
    embedder: EmbedderSource,
    previous: IndexData | None = None,
    spec: ModelSpec | None = None,
) -> IndexData:
    """Chunk, extract facts, embed and index the documents.

    With a `previous` index of the same model, a document whose bytes and facets are
    unchanged keeps its chunks, facts and BM25 rows (when the indexing code is unchanged
    too), and any text embedded before keeps its vector: only new text meets the model.
    `embedder` may be a zero-argument callable, called only when something needs embedding.
    """
    stats = BuildStats()
    if spec is None:
        spec = embedder.spec if isinstance(embedder, Embedder) else None
    if spec is None:
        raise ValueError("build() needs the model spec when the embedder is loaded lazily")
    backend = embedder.backend if isinstance(embedder, Embedder) else backend_for(spec, passages=True)
    if previous is not None and (previous.spec != spec or not same_vectors(previous.backend, backend)):
        previous = None  # another model (or a backend not proven faithful): every text is embedded again
    same_code = previous is not None and previous.manifest.get("pipeline") == pipeline_fingerprint()
    old_chunks: dict[str, list[Chunk]] = {}
    old_facts: dict[str, list[Fact]] = {}
    if previous is not None and same_code:
        for c in previous.chunks:
            old_chunks.setdefault(c.doc_id, []).append(c)
        for f in previous.facts:
            old_facts.setdefault(f.doc_id, []).append(f)
    chunks: list[Chunk] = []
    facts: list[Fact] = []
    layout: list[int] = []  # per chunk: its row in the previous BM25 index, or -1 when new
    fresh: list[Chunk] = []
    t = time.perf_counter()
    for doc in docs:
        before = previous.docs.get(doc.doc_id) if previous is not None else None
        if before is not None and before.identity == doc.identity and doc.doc_id in old_chunks:
            renumber = {c.chunk_id: len(chunks) + i for i, c in enumerate(old_chunks[doc.doc_id])}
            chunks.extend(replace(c, chunk_id=renumber[c.chunk_id]) for c in old_chunks[doc.doc_id])
            layout.extend(renumber)
            facts.extend(replace(f, chunk_id=renumber[f.chunk_id]) for f in old_facts.get(doc.doc_id, []))
            stats.reused_docs += 1
            continue
        doc_chunks = chunk_document(doc, first_id=len(chunks))
        chunks.extend(doc_chunks)
        layout.extend([-1] * len(doc_chunks))
        fresh.extend(doc_chunks)
        facts.extend(extract_facts(doc, doc_chunks))
        stats.processed_docs += 1
    t = stats.add("chunk and facts", t)
    if previous is not None and same_code:
        bm25 = previous.bm25.merge(layout, tokens_of_all([c.indexed_text for c in fresh]))
    else:
        bm25 = BM25.build(tokens_of_all([c.indexed_text for c in chunks]))
    t = stats.add("keyword index", t)
    units = [(c.chunk_id, text) for c in chunks for text in dense_units(c)]
    unit_keys = np.array([unit_key(text) for _, text in units], dtype=np.int64)
    owner = np.array([chunk_id for chunk_id, _ in units], dtype=np.int64)
    first, slot = distinct_texts(unit_keys)  # a text printed in many places is embedded once
    keys = unit_keys[first]
    texts = [units[i][1] for i in first.tolist()]
    known: dict[int, int] = {}
    if previous is not None and previous.dense.keys is not None:
        known = {int(k): i for i, k in enumerate(previous.dense.keys.tolist())}
    missing: list[int] = []  # distinct texts never embedded before
    reuse: list[tuple[int, int]] = []  # (row, row of its vector in the previous index)
    for i, key in enumerate(keys.tolist()):
        if key in known:
            reuse.append((i, known[key]))
        else:
            missing.append(i)
    t = stats.add("dense units", t)
    dim = int(previous.manifest["dim"]) if previous is not None else 0
    vectors = np.zeros((len(texts), dim), np.float32)
    if missing:
        model = embedder if isinstance(embedder, Embedder) else embedder()
        backend = model.backend  # what really embedded (a faithful one: previous vectors are kept)
        t = stats.add("model load", t)
        if model.dim != dim:
            vectors = np.zeros((len(texts), model.dim), np.float32)
        with _progress(len(missing), "embedding") as bar:
            for lo in range(0, len(missing), EMBED_BATCH):
                rows = missing[lo : lo + EMBED_BATCH]
                vectors[rows] = model.embed_passages([texts[i] for i in rows])
                bar.update(len(rows))
        dim = model.dim
        t = stats.add("embedding", t)
    elif previous is None:
        model = embedder if isinstance(embedder, Embedder) else embedder()
        dim = model.dim
        vectors = np.zeros((0, dim), np.float32)
    if reuse and previous is not None:
        new_rows, old_rows = (np.array(x, dtype=np.int64) for x in zip(*reuse, strict=True))
        vectors[new_rows] = previous.dense.vectors[old_rows]
    stats.reused_units = len(reuse)
    stats.embedded_units = len(missing)
    manifest = {
        "format": FORMAT_VERSION,
        "model": spec.model,
        "query_prompt": spec.query_prompt,
        "passage_prompt": spec.passage_prompt,
        "backend": backend,
        "dim": int(dim),
        "pipeline": pipeline_fingerprint(),
        "documents": {
            d.doc_id: {"path": d.path, "sha256": d.sha256, "title": d.title, "overrides": dict(d.overrides)}
            for d in docs
        },
        "counts": {"documents": len(docs), "chunks": len(chunks), "facts": len(facts)},
    }
    dense = DenseIndex(vectors, owner, keys, slot=slot)
    stats.add("vector index", t)
    return IndexData(manifest, {d.doc_id: d for d in docs}, chunks, FactTable(facts=facts), dense, bm25, stats)


def _write_jsonl(path: Path, rows: Sequence[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def save(index_dir: Path, data: IndexData) -> None:
    """Write a new generation, then switch the manifest to it atomically; raises IndexUnwritable
    (the index as it was, no partial generation left) when the disk refuses a write."""
    gen = f"gen-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{os.urandom(3).hex()}"
    folder = index_dir / gen
    tmp = index_dir / (MANIFEST + ".tmp")
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        folder.mkdir()
        _write_generation(folder, data)
        manifest = dict(data.manifest, generation=gen, built=time.strftime("%Y-%m-%dT%H:%M:%S"))
        tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        with tmp.open("rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, index_dir / MANIFEST)
    except BaseException as exc:
        # a disk that fills mid-write leaves no half generation behind to fill it further; the manifest
        # still names the previous generation, which is untouched
        shutil.rmtree(folder, ignore_errors=True)
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            reason = exc.strerror or str(exc)
            raise IndexUnwritable(f"cannot write the index {index_dir}: {reason}; it is as it was before") from exc
        raise
    data.manifest = manifest
    for old in index_dir.glob("gen-*"):
        if old.name != gen:
            shutil.rmtree(old, ignore_errors=True)


def _write_generation(folder: Path, data: IndexData) -> None:
    """Every file of one generation of the index, in its own folder."""
    import faiss

    _write_jsonl(folder / "documents.jsonl", [asdict(d) for d in data.docs.values()])
    ChunkTable.of(data.docs, data.chunks).save(folder)  # columns: a chunk's text is its document's slice
    write_facts(folder / "facts.sqlite", list(data.facts))
    faiss.write_index(data.dense.flat, str(folder / "dense.faiss"))
    np.save(folder / "dense_owner.npy", data.dense.owner)
    np.save(folder / "dense_slot.npy", data.dense.slot)
    if data.dense.keys is not None:
        np.save(folder / "dense_keys.npy", data.dense.keys)
    data.bm25.save(folder)
    facets = data.facets or {d: facets_of(doc) for d, doc in data.docs.items()}
    (folder / FACETS_FILE).write_text(
        json.dumps({"code": facets_code(), "facets": {d: asdict(f) for d, f in facets.items()}}, ensure_ascii=False),
        encoding="utf-8",
    )


def read_manifest(index_dir: Path) -> dict[str, Any]:
    path = index_dir / MANIFEST
    if not path.is_file():
        raise IndexProblem(
            f"{index_dir}: no index here yet; build one with: reportqa ingest corpus/ --index {index_dir}"
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexProblem(f"{path}: unreadable manifest ({exc}); rebuild with reportqa ingest") from exc
    if manifest.get("format") != FORMAT_VERSION:
        raise IndexProblem(
            f"{path}: index format {manifest.get('format')} but this reportqa reads format {FORMAT_VERSION}; "
            "rebuild with reportqa ingest"
        )
    return dict(manifest)


def _document_of(row: dict[str, Any]) -> Document:
    pages = tuple(row.get("pages", ()))
    overrides = tuple(tuple(pair) for pair in row.get("overrides", ()))
    return Document(**{**row, "pages": pages, "overrides": overrides})


def _read_chunks(path: Path) -> list[Chunk]:
    """Chunks from chunks.jsonl; a section path or table context shared by many chunks is one object."""
    shared: dict[Any, Any] = {}
    with path.open(encoding="utf-8") as fh:  # streamed: a list of 200,000 row dicts first would double the peak
        return [_chunk_of(json.loads(line), shared) for line in fh if line.strip()]


def _chunk_of(row: dict[str, Any], shared: dict[Any, Any]) -> Chunk:
    row["section"] = shared.setdefault(tuple(row["section"]), tuple(row["section"]))
    row["context"] = shared.setdefault(row.get("context", ""), row.get("context", ""))
    row["doc_id"] = shared.setdefault(row["doc_id"], row["doc_id"])
    return Chunk(**row)


def load(index_dir: Path) -> IndexData:
    """Open an index, checking the manifest against the files it names."""
    import faiss

    manifest = read_manifest(index_dir)
    folder = index_dir / str(manifest.get("generation", ""))
    try:
        docs = {row["doc_id"]: _document_of(row) for row in _read_jsonl(folder / "documents.jsonl")}
        chunks: Sequence[Chunk] = (
            ChunkTable.load(folder, docs)
            if (folder / COLUMNS_FILE).is_file()
            else _read_chunks(folder / "chunks.jsonl")  # generations written before the columns
        )
        facts = FactTable(folder / "facts.sqlite")  # read by document when a question needs them
        # memory-mapped: pages are read when searched, not all at start (and survive a later ingest)
        flat = faiss.read_index(str(folder / "dense.faiss"), faiss.IO_FLAG_MMAP)
        owner = np.load(folder / "dense_owner.npy")
        keys = np.load(folder / "dense_keys.npy") if (folder / "dense_keys.npy").is_file() else None
        # generations written before distinct texts were stored once have a vector per unit
        slot = np.load(folder / "dense_slot.npy") if (folder / "dense_slot.npy").is_file() else None
        bm25 = BM25.load(folder)
    except (OSError, ValueError, KeyError, TypeError, RuntimeError, sqlite3.Error) as exc:
        raise IndexProblem(f"{folder}: damaged index ({exc}); rebuild with reportqa ingest") from exc
    vectors = np.zeros((0, flat.d), np.float32)  # DenseIndex views the vectors inside `flat`: no copy
    agree = (
        set(docs) == set(manifest["documents"])
        and (flat.ntotal == len(owner) if slot is None else len(slot) == len(owner))
        and (slot is None or not len(slot) or 0 <= int(slot.min()) <= int(slot.max()) < flat.ntotal)
        and flat.d == manifest["dim"]
        and (not len(owner) or int(owner.max()) < len(chunks))
        and (keys is None or len(keys) == flat.ntotal)
        and bm25.n_docs == len(chunks)
    )
    if not agree:
        raise IndexProblem(f"{folder}: files disagree with the manifest; rebuild with reportqa ingest")
    dense = DenseIndex(vectors, owner, keys, flat, slot if slot is not None else np.arange(len(owner)))
    return IndexData(manifest, docs, chunks, facts, dense, bm25, facets=saved_facets(folder, set(docs)))


def facets_code() -> str:
    """Hash of the code that reads facets: saved facets are used only while it is unchanged."""
    return hashlib.sha256(module_file("ingest.facets").read_bytes()).hexdigest()[:16]


def saved_facets(folder: Path, doc_ids: set[str]) -> dict[str, Facets] | None:
    """The facets saved with this generation, or None when absent, stale or not for these documents
    (they are then computed from the documents, ~0.1 ms each)."""
    try:
        raw = json.loads((folder / FACETS_FILE).read_text(encoding="utf-8"))
        if raw.get("code") != facets_code() or set(raw["facets"]) != doc_ids:
            return None
        return {
            d: Facets(**{**f, **{k: tuple(f.get(k, ())) for k in ("names", "projects", "site")}})
            for d, f in raw["facets"].items()
        }
    except (OSError, ValueError, KeyError, TypeError):
        return None


def built_with(index_dir: Path, spec: ModelSpec) -> bool:
    """True when the index was built with this model and prompts by this indexing code."""
    try:
        m = read_manifest(index_dir)
    except IndexProblem:
        return False
    same_model = ModelSpec(m["model"], m["query_prompt"], m["passage_prompt"]) == spec
    same_model = same_model and same_vectors(recorded_backend(m), backend_for(spec))
    return same_model and m.get("pipeline") == pipeline_fingerprint() and (index_dir / m["generation"]).is_dir()


def is_current(index_dir: Path, docs: Sequence[Document], spec: ModelSpec) -> bool:
    """True when the index holds exactly these documents, embedded with this model and prompts."""
    if not built_with(index_dir, spec):
        return False
    have = {k: v["sha256"] for k, v in read_manifest(index_dir)["documents"].items()}
    return {d.doc_id: d.sha256 for d in docs} == have
