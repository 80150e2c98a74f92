"""`reportqa doctor`: verify an index end to end and say what to do about each problem.

`store.load` already refuses an index whose files disagree with its manifest; the doctor goes
further, reading everything once: the facts database's own integrity, every vector owned by a
chunk and every chunk by a vector, every chunk and every figure's span slicing its report's text
exactly (a citation must point at the printed figure), and each report's source file against the
hash it was indexed with.  Errors mean answers may be wrong or missing; warnings mean the index is
sound but no longer matches the files or the code.
"""

from __future__ import annotations

import fcntl
import hashlib
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qa.index.store import LOCK_FILE, IndexData, IndexProblem, load, pipeline_fingerprint

REBUILD = "rebuild it: reportqa ingest <the report folders> --index {index} --force"


@dataclass(frozen=True)
class Finding:
    level: str  # "ok" | "warn" | "error"
    what: str
    fix: str = ""

    def line(self) -> str:
        mark = {"ok": "ok   ", "warn": "warn ", "error": "ERROR"}[self.level]
        return f"{mark} {self.what}" + (f"\n      → {self.fix}" if self.fix else "")


def examine(index_dir: Path) -> list[Finding]:
    """Every finding about the index, in the order checked; an index that cannot be opened is one error."""
    try:
        data = load(index_dir)
    except IndexProblem as exc:
        return [Finding("error", str(exc), REBUILD.format(index=index_dir))]
    rebuild = REBUILD.format(index=index_dir)
    return [
        *_opened(index_dir, data),
        *_facts_database(index_dir, data),
        *_vectors(data, rebuild),
        *_spans(data, rebuild),
        *_sources(data),
        *_code(index_dir, data),
        *_writer(index_dir),
    ]


def _opened(index_dir: Path, data: IndexData) -> Iterator[Finding]:
    counts = data.manifest.get("counts", {})
    yield Finding(
        "ok",
        f"{index_dir}: generation {data.manifest.get('generation')}, {len(data.docs)} reports, "
        f"{counts.get('chunks', len(data.chunks))} passages, {counts.get('facts', len(data.facts))} figures, "
        f"model {data.manifest.get('model')}",
    )


def _facts_database(index_dir: Path, data: IndexData) -> Iterator[Finding]:
    path = index_dir / str(data.manifest["generation"]) / "facts.sqlite"
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as con:
        said = [row[0] for row in con.execute("PRAGMA integrity_check")]
    if said != ["ok"]:
        yield Finding(
            "error", f"{path}: SQLite integrity check: {'; '.join(said[:3])}", REBUILD.format(index=index_dir)
        )
    else:
        yield Finding("ok", "facts database: SQLite integrity check passed")


def _vectors(data: IndexData, rebuild: str) -> Iterator[Finding]:
    owner, slot = np.asarray(data.dense.owner), np.asarray(data.dense.slot)
    stored = data.dense.flat.ntotal
    problems = []
    if len(owner) != len(slot):
        problems.append(f"{len(slot)} sentence slots but {len(owner)} owners")
    if len(slot) and not 0 <= int(slot.min()) <= int(slot.max()) < stored:
        problems.append(f"sentence slots point outside the {stored} stored vectors")
    if len(owner) and (np.diff(owner) < 0).any():
        problems.append("vector owners are not in passage order")
    missing = len(data.chunks) - len(np.unique(owner))
    if missing:
        problems.append(f"{missing} passages have no vector (dense search cannot find them)")
    norms = np.linalg.norm(data.dense.vectors[: min(stored, 4096)], axis=1) if stored else np.ones(1)
    if not np.allclose(norms, 1.0, atol=1e-3):
        problems.append("vectors are not unit length")
    if problems:
        yield Finding("error", "vectors: " + "; ".join(problems), rebuild)
    else:
        yield Finding(
            "ok", f"vectors: {stored} distinct texts for {len(owner)} sentences; every passage has some; unit length"
        )


def _spans(data: IndexData, rebuild: str) -> Iterator[Finding]:
    """Every passage and every figure slices its report's text exactly as stored."""
    bad_chunks = [c for c in data.chunks if not 0 <= c.start <= c.end <= len(data.docs[c.doc_id].text)]
    bad_facts = []
    for doc_id, doc in data.docs.items():
        for f in data.facts.of_doc(doc_id):
            inside = f.sentence_start <= f.start < f.end <= f.sentence_end <= len(doc.text)
            if not inside or doc.text[f.start : f.end] != f.raw:
                bad_facts.append(f)
    if bad_chunks or bad_facts:
        example = bad_facts[0] if bad_facts else None
        shown = f" (e.g. {example.doc_id} {example.start}–{example.end} {example.raw!r})" if example else ""
        yield Finding(
            "error",
            f"spans: {len(bad_chunks)} passages and {len(bad_facts)} figures do not slice their report's text{shown}",
            rebuild,
        )
    else:
        yield Finding("ok", f"spans: every passage and all {len(data.facts)} figures slice their report's text exactly")


def _sources(data: IndexData) -> Iterator[Finding]:
    gone, changed = [], []
    for doc in data.docs.values():
        path = Path(doc.path)
        if not path.is_file():
            gone.append(doc.path)
        elif hashlib.sha256(path.read_bytes()).hexdigest() != doc.sha256:
            changed.append(doc.path)
    if gone:
        yield Finding(
            "warn",
            f"{len(gone)} source files are gone (answers still cite the text as indexed): {', '.join(gone[:3])}",
            "reportqa remove <id> to drop them, or put the files back",
        )
    if changed:
        yield Finding(
            "warn",
            f"{len(changed)} source files changed since they were indexed: {', '.join(changed[:3])}",
            "re-run reportqa ingest on their folders (unchanged files are not re-embedded)",
        )
    if not gone and not changed:
        yield Finding("ok", f"sources: all {len(data.docs)} report files are as indexed")


def _code(index_dir: Path, data: IndexData) -> Iterator[Finding]:
    if data.manifest.get("pipeline") != pipeline_fingerprint():
        yield Finding(
            "warn",
            "built by other indexing code than this version's: figures may differ from a fresh build",
            f"re-run reportqa ingest <the report folders> --index {index_dir} (vectors are reused)",
        )


def _writer(index_dir: Path) -> Iterator[Finding]:
    lock = index_dir / LOCK_FILE
    if not lock.is_file():
        return
    with lock.open("r", encoding="utf-8") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            yield Finding("warn", f"being written now by {fh.read().strip()}: what is checked is the generation before")
            return
        fcntl.flock(fh, fcntl.LOCK_UN)
