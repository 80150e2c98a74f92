"""Write qa/data/t2s.txt, the traditional → simplified character table that numbers.fold uses.

usage: python -m qatools.make_t2s PATH/TO/TSCharacters.txt

The source is OpenCC's TSCharacters.txt (Apache-2.0; in the opencc-python-reimplemented wheel on
PyPI under opencc/dictionary/).  Only one-to-one pairs are kept, with OpenCC's first (most common)
simplified reading, so folding never changes a text's length and every offset stays valid.
"""

from __future__ import annotations

import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "qa" / "domain" / "data" / "t2s.txt"
HEADER = (
    "# traditional<TAB>simplified, one character each: OpenCC TSCharacters.txt (Apache-2.0), first reading.\n"
    "# Written by `python -m qatools.make_t2s TSCharacters.txt`; numbers.fold reads it.\n"
)


def pairs(source: str) -> list[tuple[str, str]]:
    """One-to-one (traditional, simplified) pairs from an OpenCC character table."""
    out = []
    for line in source.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        trad, readings = line.split("\t", 1)
        simp = readings.split(" ")[0]
        if len(trad) == 1 and len(simp) == 1 and trad != simp:
            out.append((trad, simp))
    table = dict(out)
    # 薴 → 苧 → 苎: the end of a chain, so that folding twice changes nothing
    return [(t, table.get(s, s)) for t, s in out if table.get(s, s) != t]


def main() -> None:
    table = pairs(Path(sys.argv[1]).read_text(encoding="utf-8"))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(HEADER + "".join(f"{t}\t{s}\n" for t, s in table), encoding="utf-8")
    print(f"{OUT}: {len(table)} pairs")


if __name__ == "__main__":
    main()
