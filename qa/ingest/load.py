"""Read report files into Documents: pick the reader by suffix, keep the text as the file says it.

.txt/.md are decoded by BOM, then UTF-8, then GB18030 (a superset of GBK).  Only two
changes are made to the decoded text, so that offsets match what a user sees in an editor:
a leading BOM is dropped and CRLF becomes LF.  Anything else (full-width digits, NFKC) is
normalised on copies by the steps that need it.

.docx, .pdf (with a text layer), .xlsx and .html/.htm are turned into text by
`qa.ingest.formats`: paragraphs one per line, each table row one line with its cells joined by
" | ", numbers as the user sees them; for a PDF, `Document.pages` holds where each page
starts.  A file that cannot be read (damaged, password-protected, scanned without a text
layer) raises LoadError with the reason, and `load_paths` skips it.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from qa.ingest import formats
from qa.ingest.formats import BOMS, LoadError, decode, normalise_newlines
from qa.records import Document

__all__ = [
    "BOMS",
    "LoadError",
    "READERS",
    "SUPPORTED_SUFFIXES",
    "Skipped",
    "decode",
    "doc_id_for",
    "iter_files",
    "load_file",
    "load_paths",
    "normalise_newlines",
    "title_of",
]

# Suffix → reader (bytes → text, encoding, page starts).  Each reader imports its library when called.
READERS: dict[str, Callable[[bytes], formats.Read]] = {
    ".txt": formats.read_text,
    ".md": formats.read_text,
    ".docx": formats.read_docx,
    ".pdf": formats.read_pdf,
    ".xlsx": formats.read_xlsx,
    ".html": formats.read_html,
    ".htm": formats.read_html,
}
SUPPORTED_SUFFIXES = tuple(READERS)


@dataclass(frozen=True)
class Skipped:
    path: str
    reason: str

    def __str__(self) -> str:
        return f"skipped {self.path}: {self.reason}"


def doc_id_for(sha256: str) -> str:
    """Short stable id from the content hash."""
    return sha256[:12]


HEADER_LINE = re.compile(r"^(source|title)\s*[:：]\s*(.*)$")


def title_of(text: str, path: Path) -> str:
    """The title a saved web page gives on a "title: …" line at its top (after "source: URL"), else
    the first non-empty line when it reads like a title, else the file stem."""
    for line in text.split("\n"):
        line = line.strip()
        header = HEADER_LINE.match(line)
        if header:
            if header.group(1) == "title" and header.group(2).strip():
                return header.group(2).strip()
            continue
        if line:
            return line if len(line) <= 60 else path.stem
    return path.stem


def load_file(path: Path) -> Document:
    """Load one report (.txt/.md/.docx/.pdf/.xlsx/.html/.htm); raises LoadError with the reason."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise LoadError(f"unsupported file type {path.suffix or '(none)'}; supported: {', '.join(SUPPORTED_SUFFIXES)}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(f"cannot read: {exc.strerror or exc}") from exc
    if not data.strip():
        raise LoadError("empty file")
    try:
        text, encoding, pages = reader(data)
    except LoadError:
        raise
    except Exception as exc:  # a reader's library failing on odd input must not crash a batch
        raise LoadError(f"cannot read {path.suffix.lower()[1:].upper()} file: {formats.reason_of(exc)}") from exc
    sha = hashlib.sha256(data).hexdigest()
    return Document(
        doc_id=doc_id_for(sha),
        path=str(path),
        title=title_of(text, path),
        text=text,
        sha256=sha,
        encoding=encoding,
        pages=pages,
    )


def iter_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files named, and files under folders named (sorted, hidden ones left out)."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                rel = child.relative_to(path)
                if child.is_file() and not any(part.startswith(".") for part in rel.parts):
                    yield child
        else:
            yield path


def utf8_name(path: Path) -> bool:
    """The path can be written as UTF-8 (a name of raw GBK bytes on a UTF-8 system cannot)."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def load_paths(paths: Iterable[Path]) -> tuple[list[Document], list[Skipped]]:
    """Load every report under paths; bad files are skipped with a reason, never fatal."""
    docs: list[Document] = []
    skipped: list[Skipped] = []
    seen: set[str] = set()
    for path in iter_files(paths):
        if not path.exists():
            skipped.append(Skipped(str(path), "no such file or folder"))
            continue
        if path.is_dir() or path.name.lower() == "readme.md":
            continue
        if not utf8_name(path):  # the index records paths as UTF-8 text; a citation must be able to show it
            shown = os.fsencode(path).decode("utf-8", "backslashreplace")
            skipped.append(Skipped(shown, "file name is not valid UTF-8: rename the file"))
            continue
        try:
            doc = load_file(path)
        except LoadError as exc:
            skipped.append(Skipped(str(path), str(exc)))
            continue
        if doc.doc_id in seen:
            skipped.append(Skipped(str(path), f"same content as an earlier file (doc {doc.doc_id})"))
            continue
        seen.add(doc.doc_id)
        docs.append(doc)
    return docs, skipped
