"""Facts on disk: one SQLite file per index generation (`facts.sqlite`).

SQLite so that `reportqa facts` and outside tools (sqlite3, pandas) can query figures by
document, label or unit without loading the index.  Values are stored as exact decimal
strings; qualifiers as a "|"-joined string.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from .records import Fact

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
        # Rows are streamed (not fetched all at once) in Fact's field order (COLUMNS).  One object
        # per distinct doc id, label, unit, section, qualifier set …: at 10,000 reports the
        # repeats cost hundreds of MB.
        shared: dict[Any, Any] = {}
        quals: dict[str, tuple[str, ...]] = {}
        facts = []
        for row in con.execute(query, (doc_id,) if doc_id else ()):
            values = [shared.setdefault(v, v) if i in SHARED else v for i, v in enumerate(row)]
            values[VALUE], values[NORM_VALUE] = Decimal(row[VALUE]), Decimal(row[NORM_VALUE])
            q = row[QUALIFIERS]
            values[QUALIFIERS] = quals.get(q) or quals.setdefault(q, tuple(x for x in q.split("|") if x))
            facts.append(Fact(*values))
    finally:
        con.close()
    return facts


SHARED = {
    COLUMNS.index(c) for c in ("doc_id", "label", "unit", "norm_unit", "year", "section", "column", "unit_source")
}
VALUE, NORM_VALUE, QUALIFIERS = COLUMNS.index("value"), COLUMNS.index("norm_value"), COLUMNS.index("qualifiers")
