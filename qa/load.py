"""Read report files into Documents: detect the encoding, keep the text as the file says it.

Only two changes are made to the decoded text, so that offsets match what a user sees in
an editor: a leading BOM is dropped and CRLF becomes LF.  Anything else (full-width
digits, NFKC) is normalised on copies by the steps that need it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .records import Document

SUPPORTED_SUFFIXES = (".txt", ".md")


class LoadError(Exception):
    """A file that cannot become a Document; the message names the reason."""


@dataclass(frozen=True)
class Skipped:
    path: str
    reason: str

    def __str__(self) -> str:
        return f"skipped {self.path}: {self.reason}"


BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def decode(data: bytes) -> tuple[str, str]:
    """Decode report bytes: by BOM when there is one, else UTF-8, else GB18030 (a superset of GBK).

    The BOM is dropped.  Raises LoadError for empty, binary or undecodable content.
    """
    if not data.strip():
        raise LoadError("empty file")
    bom = next((name for mark, name in BOMS if data.startswith(mark)), None)
    if bom is None and b"\x00" in data[:8192]:
        raise LoadError("binary file (NUL bytes), not a text report")
    for name in [bom] if bom else ["utf-8", "gb18030"]:
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        if not text.strip():
            raise LoadError("empty file")
        if _looks_binary(text):
            raise LoadError("binary file (control characters), not a text report")
        return text, name
    raise LoadError("not valid UTF-8 or GB18030/GBK text" if bom is None else f"not valid {bom} text")


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f")
    return controls > max(2, len(sample) // 100)


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n")


def doc_id_for(sha256: str) -> str:
    """Short stable id from the content hash."""
    return sha256[:12]


def title_of(text: str, path: Path) -> str:
    """The first non-empty line when it reads like a title, else the file stem."""
    for line in text.split("\n"):
        line = line.strip()
        if line:
            return line if len(line) <= 60 else path.stem
    return path.stem


def load_file(path: Path) -> Document:
    """Load one .txt/.md report; raises LoadError with the reason."""
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise LoadError(f"unsupported file type {path.suffix or '(none)'}; supported: {', '.join(SUPPORTED_SUFFIXES)}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(f"cannot read: {exc.strerror or exc}") from exc
    text, encoding = decode(data)
    text = normalise_newlines(text)
    sha = hashlib.sha256(data).hexdigest()
    return Document(doc_id_for(sha), str(path), title_of(text, path), text, sha, encoding)


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
