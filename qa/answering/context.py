"""An index prepared for answering: facts by report and by chunk (read on demand), facets, the
scope a user picked (Filters) and the one a question names (Scope), and where a fact stands (Source)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from qa.answering.intent import bigrams
from qa.domain.lexicon import (
    Item,
    label_matches,
)
from qa.domain.numbers import fold
from qa.index.chunktable import doc_id_of, ids_by_doc
from qa.index.factdb import FactTable
from qa.index.store import IndexData
from qa.ingest.facets import (
    Facets,
    facets_of,
)
from qa.records import Chunk, Fact, Source

FEW_REPORTS = 50  # up to this many reports in scope, their facts are scanned; beyond, label indexes are used
NOT_FOUND = "报告中未找到该数字；以下是最接近的段落。"


class DocFacts:
    """ctx.by_doc: a report's facts, read from the index's FactTable when first asked for."""

    def __init__(self, table: FactTable) -> None:
        self.table = table

    def get(self, doc_id: str, default: list[Fact] | None = None) -> list[Fact]:
        return self.table.of_doc(doc_id) or (default if default is not None else [])

    def __getitem__(self, doc_id: str) -> list[Fact]:
        return self.table.of_doc(doc_id)


class ChunkFacts:
    """ctx.by_chunk: a chunk's facts, through its report's facts."""

    def __init__(self, table: FactTable, chunks: Sequence[Chunk]) -> None:
        self.table, self.chunks = table, chunks

    def get(self, chunk_id: int, default: list[Fact] | None = None) -> list[Fact]:
        found = (
            self.table.of_chunk(doc_id_of(self.chunks, chunk_id), chunk_id) if 0 <= chunk_id < len(self.chunks) else []
        )
        return found or (default if default is not None else [])


@dataclass
class Context:
    """An index prepared for answering: facts by chunk and by document (read on demand), facets."""

    data: IndexData
    by_chunk: ChunkFacts
    by_doc: DocFacts
    chunks_of: dict[str, set[int]] = field(default_factory=dict)
    facets: dict[str, Facets] = field(default_factory=dict)

    years: set[str | None] = field(default_factory=set)  # of all reports, for unscoped questions
    _labels_naming: dict[str, list[str]] = field(default_factory=dict)
    _name_chars: dict[str, set[str]] | None = None  # character → reports whose names hold it
    _name_bigrams: dict[str, set[str]] | None = None  # bigram → reports whose names hold it
    _site_labels: dict[str, set[str]] | None = None  # a site address's label → reports saved from it

    def named_by(self, question: str, orgs: Sequence[str]) -> set[str]:
        """The reports the question may name (a superset of those name_strength scores above 0):
        a name sharing a bigram with the question (珑原县…, 施甸), or holding every character of an
        organisation word it uses (卫健局 for 卫生健康局). Found in an index, not by trying every report."""
        if self._name_chars is None or self._name_bigrams is None:
            self._name_chars, self._name_bigrams = {}, {}
            for d, facets in self.facets.items():
                for name in facets.names:
                    for ch in name:
                        self._name_chars.setdefault(ch, set()).add(d)
                    for gram in bigrams(name):
                        self._name_bigrams.setdefault(gram, set()).add(d)
        found: set[str] = set()
        for gram in bigrams(question):
            found |= self._name_bigrams.get(gram, set())
        for word in orgs:
            holders = [self._name_chars.get(ch, set()) for ch in dict.fromkeys(word)]
            found |= set.intersection(*holders) if holders else set()
        return found

    def site_named(self, lookups: Sequence[str]) -> set[str]:
        """The reports saved from a site whose address has one of these labels (sites.site_lookups:
        qinan.gov.cn for 秦安县)."""
        if self._site_labels is None:
            self._site_labels = {}
            for d, facets in self.facets.items():
                for label in facets.site:
                    self._site_labels.setdefault(label, set()).add(d)
                    if len(label) == 4:  # kmxd: a city's initials, then the county's (xd)
                        self._site_labels.setdefault("*" + label[2:], set()).add(d)
        return {d for label in lookups for d in self._site_labels.get(label, ())}

    def naming(self, item: Item, docs: Sequence[str] | None) -> list[Fact]:
        """Facts whose label names the item, in the given reports (all when None).

        A few reports: their facts are scanned.  Many (an unscoped question over thousands of
        reports): the distinct labels are matched once per item and the answer read from a
        label index, instead of matching every fact's label on every question.
        """
        if docs is not None and len(docs) <= FEW_REPORTS:
            return [f for d in docs for f in self.by_doc.get(d, []) if label_matches(item, fold(f.label))]
        if item.name not in self._labels_naming:
            labels = self.data.facts.labels()
            self._labels_naming[item.name] = [lb for lb in labels if label_matches(item, fold(lb))]
        wanted = set(docs) if docs is not None else None
        return [
            f
            for f in self.data.facts.with_labels(self._labels_naming[item.name])
            if wanted is None or f.doc_id in wanted
        ]

    @classmethod
    def of(cls, data: IndexData) -> Context:
        facets = data.facets if data.facets is not None else {d: facets_of(doc) for d, doc in data.docs.items()}
        ctx = cls(data, ChunkFacts(data.facts, data.chunks), DocFacts(data.facts), facets=facets)
        ctx.years = {f.year for f in ctx.facets.values()}
        ctx.chunks_of.update(ids_by_doc(data.chunks))
        return ctx


@dataclass(frozen=True)
class Filters:
    """A scope the user picked (CLI --dept/--year/--doc, the page's pickers); None = any."""

    department: str | None = None
    year: str | None = None
    doc: str | None = None

    def __bool__(self) -> bool:
        return any((self.department, self.year, self.doc))

    def describe(self) -> str:
        parts = [("部门", self.department), ("年份", self.year), ("文档", self.doc)]
        return "，".join(f"{name}：{value}" for name, value in parts if value)

    def admits(self, doc_id: str, ctx: Context) -> bool:
        facets, doc = ctx.facets[doc_id], ctx.data.docs[doc_id]
        if self.department and not any(
            self.department in name or abbreviates(self.department, name) for name in facets.names
        ):
            return False
        if self.year and facets.year != self.year.removesuffix("年"):
            return False
        return not self.doc or doc.goes_by(self.doc)


@dataclass(frozen=True)
class Scope:
    """The reports a question is about: None = all; an empty tuple = none (with the reason)."""

    docs: tuple[str, ...] | None
    reason: str = ""


def abbreviates(word: str, name: str) -> bool:
    """True when word's characters stand in name in order: 卫健局 ⊂ 卫生健康局, 市场监管局 ⊂ 市场监督管理局."""
    rest = iter(name)
    return all(ch in rest for ch in word)


def source_of(data: IndexData, fact: Fact) -> Source:
    """The citation of a printed figure, with its column header and qualifiers."""
    at = source_at(data, fact.doc_id, fact.section, fact.start, fact.end, fact.sentence_start, fact.sentence_end)
    return replace(at, column=fact.column, qualifiers=fact.qualifiers)


def source_at(
    data: IndexData, doc_id: str, section: str, start: int, end: int, sentence_start: int, sentence_end: int
) -> Source:
    """The citation of text[start:end] in its sentence (a figure, or a text answer's clause)."""
    doc = data.docs[doc_id]
    return Source(
        doc_id=doc.doc_id,
        title=doc.title,
        path=doc.path,
        section=section,
        text=doc.text[sentence_start:sentence_end],
        start=start,
        end=end,
        sentence_start=sentence_start,
        sentence_end=sentence_end,
        page=doc.page_at(start),
    )
