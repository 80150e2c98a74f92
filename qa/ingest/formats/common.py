"""What every reader shares: the Read triple, LoadError and its one-line reasons, cell and line
cleaning, the Writer that lays out paragraphs and tables, and the zip-bomb check of .docx/.xlsx."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Sequence

Read = tuple[str, str, tuple[int, ...]]


class LoadError(Exception):
    """A file that cannot become a Document; the message names the reason."""


# --- the text convention -------------------------------------------------------------

CJK = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"  # ideographs, CJK punctuation, full-width forms
PAD_BETWEEN_CJK = re.compile(rf"(?<=[{CJK}])\s+(?=[{CJK}])")
SPACES = re.compile(r"\s+")
CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean_cell(text: str | None) -> str:
    """One table cell as one string: line breaks joined without a space, padding dropped."""
    if not text:
        return ""
    joined = "".join(part.strip() for part in re.split(r"[\r\n\v]+", text))
    joined = PAD_BETWEEN_CJK.sub("", joined)
    return SPACES.sub(" ", joined).replace("|", "/").replace("｜", "／")


def clean_line(text: str) -> str:
    """A paragraph line: control characters dropped, ends stripped (tabs and inner spaces kept)."""
    return CONTROLS.sub("", text).strip()


class Writer:
    """Collects lines; tables get a blank line before and after (none at the very start or end)."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.length = 0  # len("\n".join(self.lines)) + 1 when lines exist: the next line's offset

    def _put(self, line: str) -> None:
        self.lines.append(line)
        self.length += len(line) + 1

    @property
    def offset(self) -> int:
        """Where the next line will start."""
        return self.length

    def paragraph(self, text: str) -> None:
        for part in re.split(r"\r\n|[\r\n\v\f\u2028\u2029]", text):
            line = clean_line(part)
            if line:
                self._put(line)

    def blank(self) -> None:
        if self.lines and self.lines[-1] != "":
            self._put("")

    def table(self, rows: Iterable[Sequence[str | None]]) -> None:
        body = [[clean_cell(cell) for cell in row] for row in rows]
        body = [row for row in body if any(row)]
        if not body:
            return
        self.blank()
        for row in body:
            self._put(" | ".join(row))
        self.blank()

    def text(self) -> str:
        lines = self.lines[:-1] if self.lines and self.lines[-1] == "" else self.lines
        return "\n".join(lines)


def reason_of(exc: BaseException) -> str:
    """A short, one-line reason from a library's exception."""
    inner = exc.args[0] if len(exc.args) == 1 and isinstance(exc.args[0], BaseException) else exc
    message = " ".join(str(inner).split()) or type(inner).__name__
    if type(inner).__name__ not in message and not isinstance(inner, (OSError, ValueError, KeyError)):
        message = f"{type(inner).__name__}: {message}"
    return message if len(message) <= 120 else message[:117] + "..."


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_UNZIPPED = 256 * 2**20  # a real report's package is a few MB unzipped; a 30 MB upload may not hold 40 GiB


def zip_check(data: bytes, kind: str) -> None:
    """Office Open XML files are zip packages; say why when this one is not."""
    if data.startswith(OLE_MAGIC):
        raise LoadError(
            f"password-protected {kind} file, or an old binary .doc/.xls saved under a new name; "
            f"save it as an unprotected .{kind.lower()}"
        )
    if not data.startswith(b"PK"):
        raise LoadError(f"damaged {kind} file: not a zip package")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            inflated = sum(member.file_size for member in package.infolist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise LoadError(f"damaged {kind} file: {reason_of(exc)}") from exc
    if inflated > MAX_UNZIPPED:
        # zipfile reads a member only up to its declared size, so the declared total bounds the work
        raise LoadError(
            f"{kind} file would inflate to {inflated / 2**20:,.0f} MB (limit {MAX_UNZIPPED // 2**20} MB): "
            "refused, it may be a zip bomb"
        )
