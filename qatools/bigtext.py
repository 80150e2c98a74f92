"""Write one long text report (a budget book's size) for timing ingest: the real excerpts of
tests/data/real/docs, less their source/title lines, repeated under one title until OUT holds MB megabytes.

usage: python -m qatools.bigtext OUT [MB]      (then: /usr/bin/time -v reportqa ingest OUT --index DIR --model hash)
"""

from __future__ import annotations

import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "tests" / "data" / "real" / "docs"
TITLE = "2020年岚溪县财政局部门决算说明\n\n"


def body() -> str:
    """The real excerpts' texts, each less its first three lines (source:, title:, blank)."""
    return "".join(p.read_text(encoding="utf-8").split("\n", 3)[-1] for p in sorted(DOCS.glob("*.txt")))


def write(out: Path, megabytes: float) -> int:
    """Write the report; returns its size in bytes."""
    text, size, parts = body(), len(TITLE.encode()), [TITLE]
    while size < megabytes * 1_000_000:
        parts.append(text)
        size += len(text.encode())
    out.write_text("".join(parts), encoding="utf-8")
    return size


def main() -> None:
    out = Path(sys.argv[1])
    size = write(out, float(sys.argv[2]) if len(sys.argv) > 2 else 20.0)
    print(f"{out}: {size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
