"""Chunks stored as columns and made into records when asked for.

A chunk's text is a slice of its document (`doc.text[start:end]`), so the index keeps only where
each chunk stands: its document, span, section path and table context, as NumPy columns plus the
distinct section paths and contexts.  Opening an index no longer parses one JSON line per chunk
(10,000 reports: 222k lines, 2.2 s) nor keeps a second copy of every passage's text in memory;
the few chunks a question touches are built on demand.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import overload

import numpy as np

from qa.records import Chunk, Document

COLUMNS_FILE = "chunks.npz"
STRINGS_FILE = "chunks.json"


class ChunkTable(Sequence[Chunk]):
    """A read-only sequence of chunks (chunk_id == position) over their documents' texts."""

    def __init__(
        self,
        docs: Mapping[str, Document],
        doc_ids: list[str],
        sections: list[tuple[str, ...]],
        contexts: list[str],
        columns: Mapping[str, np.ndarray],
    ) -> None:
        self.docs, self.doc_ids, self.sections, self.contexts = docs, doc_ids, sections, contexts
        self.doc_of, self.start, self.end = columns["doc"], columns["start"], columns["end"]
        self.section_of, self.context_of = columns["section"], columns["context"]

    @classmethod
    def of(cls, docs: Mapping[str, Document], chunks: Sequence[Chunk]) -> ChunkTable:
        """The table of chunks built in memory (their ids must be their positions)."""
        doc_index: dict[str, int] = {}
        section_index: dict[tuple[str, ...], int] = {}
        context_index: dict[str, int] = {"": 0}
        rows = []
        for position, chunk in enumerate(chunks):
            if chunk.chunk_id != position:
                raise ValueError(f"chunk {chunk.chunk_id} stands at position {position}")
            text = docs[chunk.doc_id].text[chunk.start : chunk.end]
            if text != chunk.text:
                raise ValueError(f"chunk {chunk.chunk_id} is not the slice of its document it claims")
            rows.append(
                (
                    doc_index.setdefault(chunk.doc_id, len(doc_index)),
                    chunk.start,
                    chunk.end,
                    section_index.setdefault(chunk.section, len(section_index)),
                    context_index.setdefault(chunk.context, len(context_index)),
                )
            )
        table = np.array(rows, dtype=np.int64).reshape(-1, 5)
        columns: dict[str, np.ndarray] = {
            "doc": table[:, 0].astype(np.int32),
            "start": table[:, 1],
            "end": table[:, 2],
            "section": table[:, 3].astype(np.int32),
            "context": table[:, 4].astype(np.int32),
        }
        return cls(docs, list(doc_index), list(section_index), list(context_index), columns)

    def save(self, folder: Path) -> None:
        np.savez(
            folder / COLUMNS_FILE,
            doc=self.doc_of,
            start=self.start,
            end=self.end,
            section=self.section_of,
            context=self.context_of,
        )
        strings = {"doc_ids": self.doc_ids, "sections": [list(s) for s in self.sections], "contexts": self.contexts}
        (folder / STRINGS_FILE).write_text(json.dumps(strings, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path, docs: Mapping[str, Document]) -> ChunkTable:
        """The saved table; ValueError when its parts disagree with each other or with the documents."""
        strings = json.loads((folder / STRINGS_FILE).read_text(encoding="utf-8"))
        with np.load(folder / COLUMNS_FILE) as saved:
            columns = {name: saved[name] for name in ("doc", "start", "end", "section", "context")}
        table = cls(docs, strings["doc_ids"], [tuple(s) for s in strings["sections"]], strings["contexts"], columns)
        n = len(table.doc_of)
        if any(len(c) != n for c in columns.values()) or set(table.doc_ids) - set(docs):
            raise ValueError("chunk columns disagree with the documents")
        if n and (
            int(table.doc_of.max()) >= len(table.doc_ids)
            or int(table.section_of.max()) >= len(table.sections)
            or int(table.context_of.max()) >= len(table.contexts)
        ):
            raise ValueError("chunk columns point past their strings")
        return table

    def __len__(self) -> int:
        return len(self.doc_of)

    @overload
    def __getitem__(self, index: int) -> Chunk: ...

    @overload
    def __getitem__(self, index: slice) -> list[Chunk]: ...

    def __getitem__(self, index: int | slice) -> Chunk | list[Chunk]:
        if isinstance(index, slice):
            return [self._chunk(i) for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._chunk(index)

    def __iter__(self) -> Iterator[Chunk]:
        return (self._chunk(i) for i in range(len(self)))

    def _chunk(self, i: int) -> Chunk:
        doc_id = self.doc_ids[int(self.doc_of[i])]
        start, end = int(self.start[i]), int(self.end[i])
        return Chunk(
            chunk_id=i,
            doc_id=doc_id,
            start=start,
            end=end,
            text=self.docs[doc_id].text[start:end],
            section=self.sections[int(self.section_of[i])],
            context=self.contexts[int(self.context_of[i])],
        )

    def doc_id_of(self, i: int) -> str:
        """The document of chunk i, without building the chunk."""
        return self.doc_ids[int(self.doc_of[i])]

    def ids_by_doc(self) -> dict[str, set[int]]:
        """Each document's chunk ids."""
        order = np.argsort(self.doc_of, kind="stable")
        bounds = np.searchsorted(self.doc_of[order], np.arange(len(self.doc_ids) + 1))
        return {doc_id: set(order[bounds[k] : bounds[k + 1]].tolist()) for k, doc_id in enumerate(self.doc_ids)}


def doc_id_of(chunks: Sequence[Chunk], i: int) -> str:
    """The document of chunk i of a table or a list."""
    return chunks.doc_id_of(i) if isinstance(chunks, ChunkTable) else chunks[i].doc_id


def ids_by_doc(chunks: Sequence[Chunk]) -> dict[str, set[int]]:
    """Each document's chunk ids, for a table or a list."""
    if isinstance(chunks, ChunkTable):
        return chunks.ids_by_doc()
    found: dict[str, set[int]] = {}
    for chunk in chunks:
        found.setdefault(chunk.doc_id, set()).add(chunk.chunk_id)
    return found
