"""The answering engine in a process of its own, so the chat page starts while the index loads.

`reportqa serve` forks a worker before it imports gradio: the worker opens the index, loads the
model and jieba's dictionary (~1 s) while the page's process imports gradio (~2 s), on the two
cores at once, instead of one after the other.  The page asks through an `Engine`: `ask`,
`choices` (what the pickers offer), `upload`, `excerpt` (a report's text at a figure), `facts`
and `checks` (the figures and identities of the reports picked);
`LocalEngine` is the same in this process (tests), `WorkerEngine` forwards each call over a
pipe, one at a time, and waits for the worker to be ready on the first call.  A worker that
cannot open the index reports why, and the page is not started; a worker whose page process
dies exits (its pipe closes).
"""

from __future__ import annotations

import multiprocessing
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from qa.records import Answer, Excerpt, Fact

if TYPE_CHECKING:
    from qa.answering.check import Check
    from qa.api import ReportQA

ANY = "全部"


MAX_LISTED_FACTS = 20_000  # figures the facts tab lists at once; a wider scope is asked to narrow


@dataclass(frozen=True)
class Listed:
    """The figures of the reports in a scope, as the facts tab shows them."""

    facts: tuple[Fact, ...]
    titles: dict[str, str]  # doc_id → title, of the reports listed
    files: dict[str, str]  # doc_id → file name (a title may be a heading the report starts with)
    reports: int  # reports in the scope
    cut: bool = False  # more figures than MAX_LISTED_FACTS: the first ones only


@dataclass(frozen=True)
class Checked:
    """One report's accounting identities (check.check_facts)."""

    doc_id: str
    title: str
    results: tuple[Check, ...]


@dataclass(frozen=True)
class Choices:
    """What the page's pickers offer, and how many reports the index holds."""

    departments: tuple[str, ...]
    years: tuple[str, ...]
    docs: tuple[tuple[str, str], ...]  # (title, doc_id)
    reports: int


class Engine(Protocol):
    def ask(self, question: str, department: str | None, year: str | None, doc: str | None) -> Answer: ...

    def choices(self) -> Choices: ...

    def upload(self, path: str) -> str: ...

    def excerpt(self, doc_id: str, start: int, end: int) -> Excerpt: ...

    def facts(self, department: str | None, year: str | None, doc: str | None) -> Listed: ...

    def checks(self, department: str | None, year: str | None, doc: str | None) -> list[Checked]: ...


EXCERPT_CHARS = 1500  # text shown on each side of a cited figure (whole lines)


def excerpt_of(doc_id: str, title: str, path: str, text: str, start: int, end: int) -> Excerpt:
    """The lines around text[start:end], about EXCERPT_CHARS on each side; the figure must lie in
    the text (a citation from another generation of the index is refused, not shown shifted)."""
    if not 0 <= start < end <= len(text):
        raise ValueError(f"{path}: characters {start}–{end} are not in this report ({len(text)} characters)")
    lo = text.rfind("\n", 0, max(0, start - EXCERPT_CHARS)) + 1
    hi = text.find("\n", min(len(text), end + EXCERPT_CHARS))
    hi = len(text) if hi < 0 else hi
    return Excerpt(
        doc_id=doc_id, title=title, path=path, start=start, end=end, window_start=lo, text=text[lo:hi], length=len(text)
    )


class EngineProblem(RuntimeError):
    """The answering process failed: the message says why."""


class LocalEngine:
    """The engine in this process."""

    def __init__(self, qa: ReportQA) -> None:
        self.qa = qa

    def ask(self, question: str, department: str | None, year: str | None, doc: str | None) -> Answer:
        from qa.answering.context import Filters

        return self.qa.ask(question, filters=Filters(department, year, doc))

    def choices(self) -> Choices:
        facets = self.qa.context.facets
        departments = sorted({f.department for f in facets.values() if f.department})
        years = sorted({f.year for f in facets.values() if f.year}, reverse=True)
        docs = sorted(((doc.title, doc_id) for doc_id, doc in self.qa.data.docs.items()), key=lambda pair: pair[0])
        return Choices(tuple(departments), tuple(years), tuple(docs), len(self.qa.data.docs))

    def upload(self, path: str) -> str:
        from qa.interfaces.uploads import index_upload

        return index_upload(self.qa, Path(path))

    def scoped(self, department: str | None, year: str | None, doc: str | None) -> list[str]:
        """The reports the pickers admit, in title order."""
        from qa.answering.context import Filters

        filters = Filters(department, year, doc)
        docs = self.qa.data.docs
        admitted = [d for d in docs if not filters or filters.admits(d, self.qa.context)]
        return sorted(admitted, key=lambda d: (docs[d].title, d))

    def facts(self, department: str | None, year: str | None, doc: str | None) -> Listed:
        listed: list[Fact] = []
        chosen = self.scoped(department, year, doc)
        titles: dict[str, str] = {}
        files: dict[str, str] = {}
        for doc_id in chosen:
            if len(listed) >= MAX_LISTED_FACTS:
                break
            titles[doc_id] = self.qa.data.docs[doc_id].title
            files[doc_id] = Path(self.qa.data.docs[doc_id].path).name
            listed += self.qa.context.by_doc.get(doc_id, [])
        cut = len(listed) > MAX_LISTED_FACTS or len(titles) < len(chosen)
        return Listed(tuple(listed[:MAX_LISTED_FACTS]), titles, files, len(chosen), cut=cut)

    def checks(self, department: str | None, year: str | None, doc: str | None) -> list[Checked]:
        from qa.answering.check import check_facts

        return [
            Checked(d, self.qa.data.docs[d].title, tuple(check_facts(self.qa.context.by_doc.get(d, []))))
            for d in self.scoped(department, year, doc)
        ]

    def excerpt(self, doc_id: str, start: int, end: int) -> Excerpt:
        doc = self.qa.data.docs.get(doc_id)
        if doc is None:
            raise ValueError(f"no report {doc_id} in this index (removed since the answer?)")
        return excerpt_of(doc_id, doc.title, doc.path, doc.text, start, end)


def _serve(conn: Connection, page_end: Connection, index_dir: str) -> None:
    """The worker: open the index, warm it, then answer calls until the pipe closes."""
    page_end.close()  # the fork's copy of the page's end: the pipe must close when the page closes it
    try:
        from qa.api import ReportQA

        qa = ReportQA(index_dir)
        qa.warm()
        engine = LocalEngine(qa)
    except Exception as exc:  # reported to the page's process, which stops with the reason
        conn.send(("error", f"{exc}"))
        return
    conn.send(("ready", None))
    while True:
        try:
            method, args = conn.recv()
        except (EOFError, OSError):
            return
        try:
            conn.send(("ok", getattr(engine, method)(*args)))
        except Exception as exc:  # one bad call does not end the worker
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


class WorkerEngine:
    """The engine in a forked worker process; calls are forwarded over a pipe, one at a time."""

    def __init__(self, index_dir: str | Path) -> None:
        context = multiprocessing.get_context("fork")  # before gradio's threads exist
        self._conn, child = context.Pipe()
        self.process = context.Process(
            target=_serve, args=(child, self._conn, str(index_dir)), daemon=True, name="reportqa-engine"
        )
        self.process.start()
        child.close()
        self._lock = threading.Lock()
        self._ready = False

    def _receive(self) -> Any:
        try:
            status, value = self._conn.recv()
        except (EOFError, OSError) as exc:
            raise EngineProblem(f"the answering process stopped (exit code {self.process.exitcode})") from exc
        if status == "error":
            raise EngineProblem(value)
        return value

    def ready(self) -> None:
        """Wait until the worker has opened the index (raises EngineProblem with its reason)."""
        with self._lock:
            if not self._ready:
                self._receive()
                self._ready = True

    def _call(self, method: str, *args: object) -> Any:
        self.ready()
        with self._lock:
            self._conn.send((method, args))
            return self._receive()

    def ask(self, question: str, department: str | None, year: str | None, doc: str | None) -> Answer:
        answer: Answer = self._call("ask", question, department, year, doc)
        return answer

    def choices(self) -> Choices:
        choices: Choices = self._call("choices")
        return choices

    def upload(self, path: str) -> str:
        message: str = self._call("upload", path)
        return message

    def excerpt(self, doc_id: str, start: int, end: int) -> Excerpt:
        shown: Excerpt = self._call("excerpt", doc_id, start, end)
        return shown

    def facts(self, department: str | None, year: str | None, doc: str | None) -> Listed:
        listed: Listed = self._call("facts", department, year, doc)
        return listed

    def checks(self, department: str | None, year: str | None, doc: str | None) -> list[Checked]:
        checked: list[Checked] = self._call("checks", department, year, doc)
        return checked

    def close(self) -> None:
        self._conn.close()
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(timeout=5)
