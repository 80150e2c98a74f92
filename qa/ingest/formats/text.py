""".txt/.md: decoded by BOM, then UTF-8, then GB18030; UTF-16 without a BOM told by its NULs; never
binary taken for text."""

from __future__ import annotations

from qa.ingest.formats.common import LoadError, Read

# --- plain text ----------------------------------------------------------------------

BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def decode(data: bytes) -> tuple[str, str]:
    """Decode report bytes: by BOM when there is one, else UTF-8, else GB18030 (a superset of GBK).

    The BOM is dropped.  Raises LoadError for empty, binary or undecodable content.
    """
    if not data.strip():
        raise LoadError("empty file")
    bom = next((name for mark, name in BOMS if data.startswith(mark)), None)
    if bom is None and b"\x00" in data[:8192]:
        bom = utf16_without_bom(data)  # Windows "Unicode" text saved without its BOM
        if bom is None:
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


def utf16_without_bom(data: bytes) -> str | None:
    """"utf-16-le"/"utf-16-be" when nearly all NUL bytes stand at the odd (little-endian) or even
    (big-endian) offsets, as the high bytes of ASCII characters do, and the text decodes; else None.
    Nearly: a Chinese character whose code ends in 00 (一 U+4E00, 开 U+5F00, 最 U+6700, 退 U+9000) puts
    its NUL at the other parity, and "一、" opens half the sections of a report."""
    sample = data[:8192] if len(data) % 2 == 0 else b""  # UTF-16 text has an even length
    nuls = [i for i, b in enumerate(sample) if b == 0]
    if len(nuls) < max(2, len(sample) // 200):
        return None
    for name, parity in (("utf-16-le", 1), ("utf-16-be", 0)):
        if sum(i % 2 == parity for i in nuls) >= 0.9 * len(nuls):
            try:
                text = data.decode(name)
            except UnicodeDecodeError:
                return None
            return name if not _looks_binary(text) else None
    return None


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f")
    return controls > max(2, len(sample) // 100)


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n")


def read_text(data: bytes) -> Read:
    """.txt/.md: the decoded text; only a leading BOM is dropped and CRLF becomes LF."""
    text, encoding = decode(data)
    return normalise_newlines(text), encoding, ()
