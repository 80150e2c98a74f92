"""Facts on disk: one SQLite file per index generation (`facts.sqlite`).

SQLite so that `reportqa facts` and outside tools (sqlite3, pandas) can query figures by
document, label or unit without loading the index.  Values are stored as exact decimal
strings; qualifiers as a "|"-joined string.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from qa.records import Fact

SCHEMA_VERSION = 1
COLUMNS = (
    "doc_id",
    "chunk_id",
    "label",
    "raw",
    "value",
    "unit",
    "norm_value",
    "norm_unit",
    "start",
    "end",
    "sentence_start",
    "sentence_end",
    "qualifiers",
    "year",
    "section",
    "column",
    "unit_source",
)
QUOTED = [f'"{c}"' for c in COLUMNS]  # "end" and "column" are SQL keywords
CREATE = f"""
CREATE TABLE facts (id INTEGER PRIMARY KEY, {", ".join(QUOTED)});
CREATE INDEX facts_doc ON facts(doc_id);
CREATE INDEX facts_label ON facts(label);
PRAGMA user_version = {SCHEMA_VERSION};
"""


def _row(fact: Fact) -> tuple[object, ...]:
    return (
        fact.doc_id,
        fact.chunk_id,
        fact.label,
        fact.raw,
        str(fact.value),
        fact.unit,
        str(fact.norm_value),
        fact.norm_unit,
        fact.start,
        fact.end,
        fact.sentence_start,
        fact.sentence_end,
        "|".join(fact.qualifiers),
        fact.year,
        fact.section,
        fact.column,
        fact.unit_source,
    )


def write_facts(path: Path, facts: Sequence[Fact]) -> None:
    with sqlite3.connect(path) as con:
        con.executescript(CREATE)
        placeholders = ", ".join("?" for _ in COLUMNS)
        con.executemany(
            f"INSERT INTO facts ({', '.join(QUOTED)}) VALUES ({placeholders})",
            [_row(f) for f in facts],
        )
    con.close()  # the context manager commits but does not close


def read_facts(path: Path, doc_id: str | None = None) -> list[Fact]:
    """Facts in document order; raises ValueError for a file of another schema version."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        version = con.execute("PRAGMA user_version").fetchone()[0]
        if version != SCHEMA_VERSION:
            raise ValueError(f"{path}: facts schema {version}, expected {SCHEMA_VERSION}")
        query = f"SELECT {', '.join(QUOTED)} FROM facts" + (" WHERE doc_id = ?" if doc_id else "") + " ORDER BY id"
        # Rows are streamed in Fact's field order (COLUMNS); repeated strings are shared (at
        # 10,000 reports the repeats cost hundreds of MB).
        facts = _facts_of(con.execute(query, (doc_id,) if doc_id else ()))
    finally:
        con.close()
    return facts


SHARED = {
    COLUMNS.index(c) for c in ("doc_id", "label", "unit", "norm_unit", "year", "section", "column", "unit_source")
}
VALUE, NORM_VALUE, QUALIFIERS = COLUMNS.index("value"), COLUMNS.index("norm_value"), COLUMNS.index("qualifiers")


class FactTable:
    """An index's facts, read by document when first asked for.

    A loaded index keeps one read-only SQLite connection open (its file may be replaced by a
    later ingest: the open connection still reads the generation it was opened on) and caches
    the facts of the most recently used documents; a fresh build holds its facts in memory.
    Iterating reads every fact (ingest, `reportqa facts`), a question reads only its reports'.
    """

    def __init__(self, path: Path | None = None, facts: Sequence[Fact] | None = None, cache: int = 1024) -> None:
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, list[Fact]] = OrderedDict()
        self._chunks: dict[str, dict[int, list[Fact]]] = {}
        self._size = cache
        self._memory: dict[str, list[Fact]] | None = None
        self._labels: list[str] | None = None
        self._year_docs: dict[str, set[str]] | None = None
        self._qualified: dict[str, set[str]] = {}  # docs_where by qualifier (the table is read-only)
        self._con: sqlite3.Connection | None = None
        self._all: list[Fact] = []
        if facts is not None:
            self._memory, self._all = {}, list(facts)
            for f in self._all:
                self._memory.setdefault(f.doc_id, []).append(f)
            self._count = len(facts)
            return
        assert path is not None
        self._con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        version = self._con.execute("PRAGMA user_version").fetchone()[0]
        if version != SCHEMA_VERSION:
            raise ValueError(f"{path}: facts schema {version}, expected {SCHEMA_VERSION}")
        self._count = int(self._con.execute("SELECT COUNT(*) FROM facts").fetchone()[0])

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Fact]:
        if self._memory is not None:
            return iter(self._all)
        with self._lock:
            assert self._con is not None
            return iter(_facts_of(self._con.execute(f"SELECT {', '.join(QUOTED)} FROM facts ORDER BY id")))

    def of_doc(self, doc_id: str) -> list[Fact]:
        """A document's facts in text order ([] for a document without any)."""
        if self._memory is not None:
            return self._memory.get(doc_id, [])
        with self._lock:
            found = self._cache.get(doc_id)
            if found is None:
                assert self._con is not None
                query = f"SELECT {', '.join(QUOTED)} FROM facts WHERE doc_id = ? ORDER BY id"
                found = _facts_of(self._con.execute(query, (doc_id,)))
                self._cache[doc_id] = found
                if len(self._cache) > self._size:
                    gone, _ = self._cache.popitem(last=False)
                    self._chunks.pop(gone, None)
            else:
                self._cache.move_to_end(doc_id)
            return found

    def of_chunk(self, doc_id: str, chunk_id: int) -> list[Fact]:
        """A chunk's facts, grouped once per cached document (under the lock that evicts them, so a
        page serving several questions at once never keeps groups of an evicted document)."""
        facts = self.of_doc(doc_id)
        with self._lock:
            grouped = self._chunks.get(doc_id)
            if grouped is None:
                grouped = {}
                for f in facts:
                    grouped.setdefault(f.chunk_id, []).append(f)
                if self._memory is not None or doc_id in self._cache:
                    self._chunks[doc_id] = grouped
        return grouped.get(chunk_id, [])

    def labels(self) -> list[str]:
        """Every distinct label (read once)."""
        if self._labels is None:
            if self._memory is not None:
                self._labels = list(dict.fromkeys(f.label for f in self))
            else:
                with self._lock:
                    assert self._con is not None
                    self._labels = [row[0] for row in self._con.execute("SELECT DISTINCT label FROM facts")]
        return self._labels

    def with_labels(self, labels: Sequence[str]) -> list[Fact]:
        """The facts carrying any of these labels, in index order."""
        wanted = set(labels)
        if self._memory is not None or not wanted:
            return [f for f in self if f.label in wanted] if wanted else []
        found: list[Fact] = []
        chosen = sorted(wanted)
        with self._lock:
            assert self._con is not None
            for i in range(0, len(chosen), 500):
                part = chosen[i : i + 500]
                query = (
                    f"SELECT {', '.join(QUOTED)} FROM facts WHERE label IN ({', '.join('?' for _ in part)}) ORDER BY id"
                )
                found += _facts_of(self._con.execute(query, part))
        return found

    def docs_where(self, years: Sequence[str] = (), qualifier: str = "") -> set[str]:
        """Documents with a fact of one of these years, or carrying this qualifier.  Each answer is
        read once (at 1,000 reports a scan takes ~12 ms, and questions ask the same years again)."""
        found = set().union(*(self._docs_by_year().get(y, set()) for y in years))
        if qualifier:
            if qualifier not in self._qualified:
                self._qualified[qualifier] = self._docs_with(qualifier)
            found |= self._qualified[qualifier]
        return found

    def _docs_by_year(self) -> dict[str, set[str]]:
        """Every year's documents, in one pass."""
        if self._year_docs is None:
            year_docs: dict[str, set[str]] = {}
            if self._memory is not None:
                for f in self._all:
                    if f.year:
                        year_docs.setdefault(f.year, set()).add(f.doc_id)
            else:
                with self._lock:
                    assert self._con is not None
                    for year, doc in self._con.execute("SELECT DISTINCT year, doc_id FROM facts WHERE year != ''"):
                        year_docs.setdefault(year, set()).add(doc)
            self._year_docs = year_docs
        return self._year_docs

    def _docs_with(self, qualifier: str) -> set[str]:
        if self._memory is not None:
            return {f.doc_id for f in self._all if qualifier in f.qualifiers}
        with self._lock:
            assert self._con is not None
            rows = self._con.execute(
                "SELECT DISTINCT doc_id FROM facts WHERE '|' || qualifiers || '|' LIKE ?", (f"%|{qualifier}|%",)
            )
            return {row[0] for row in rows}


def _facts_of(rows: Iterable[tuple[Any, ...]]) -> list[Fact]:
    """Facts from rows in COLUMNS order; repeated strings and qualifier sets shared."""
    shared: dict[Any, Any] = {}
    quals: dict[str, tuple[str, ...]] = {}
    facts = []
    for row in rows:
        values = [shared.setdefault(v, v) if i in SHARED else v for i, v in enumerate(row)]
        values[VALUE], values[NORM_VALUE] = Decimal(row[VALUE]), Decimal(row[NORM_VALUE])
        q = row[QUALIFIERS]
        values[QUALIFIERS] = quals.get(q) or quals.setdefault(q, tuple(x for x in q.split("|") if x))
        facts.append(Fact(**dict(zip(COLUMNS, values, strict=True))))
    return facts
