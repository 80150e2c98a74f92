"""Split the real questions by document into a tuning half and a check half (python3 split.py).

A document's questions all go to one half: documents numbered odd (a_01, a_03, …) to
tuning.jsonl, even (a_02, a_04, …) to check.jsonl.  The check half is never read while
changing the answering code or fitting the ranker; its figures are reported beside the
tuning half's.
"""

import json
from pathlib import Path

HERE = Path(__file__).parent


def half(doc: str) -> str:
    return "tuning" if int(Path(doc).stem.split("_")[1]) % 2 else "check"


def split() -> dict[str, list[str]]:
    """The question lines of each half, in file order."""
    out: dict[str, list[str]] = {"tuning": [], "check": []}
    for file in sorted((HERE / "questions").glob("*.jsonl")):
        for line in file.read_text(encoding="utf-8").splitlines():
            if line.strip():
                out[half(json.loads(line)["doc"])].append(line)
    return out


def main() -> None:
    for name, lines in split().items():
        (HERE / f"{name}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{name}.jsonl: {len(lines)} questions")


if __name__ == "__main__":
    main()
