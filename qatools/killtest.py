"""Kill -9 an ingest at random moments, many times: the index must always open whole, as before or
as after (`python -m qatools.killtest --runs 50`).

Each run starts from a copy of the same small index, ingests 60 reports into it in a child process
(`reportqa ingest --model hash`) and sends SIGKILL after a random delay between 0.3 and 1.15 times a
whole ingest (measured first; the first 0.3 are Python's start), so kills land while reading,
embedding, writing SQLite, FAISS and the manifest, and some after it finished.  After each kill
the index is opened and checked by `reportqa doctor`; the summary counts the runs that left the
old index, the new one, and anything else (which would be a failure).
"""

from __future__ import annotations

import argparse
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED_REPORT = ROOT / "corpus" / "2018年度冷水滩高科园部门整体支出绩效自评报告.txt"
MANY_FROM = ROOT / "tests" / "data" / "reports" / "2019年度枫林县市场监督管理局部门整体支出绩效自评报告.txt"
MANY = 60


@dataclass
class Kills:
    runs: int
    whole_ingest_s: float = 0.0
    old: int = 0
    new: int = 0
    broken: list[str] = field(default_factory=list)
    delays: list[float] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.runs} kill points over a {self.whole_ingest_s:.1f} s ingest: "
            f"{self.old + self.new} consistent ({self.old} as before, {self.new} as after), "
            f"{len(self.broken)} inconsistent" + (f": {self.broken[0]}" if self.broken else "")
        )


def _ingest_command(folder: Path, index: Path) -> list[str]:
    return [sys.executable, "-m", "qa", "ingest", str(folder), "--index", str(index), "--model", "hash"]


def _verdict(index: Path, old_ids: set[str]) -> str:
    """'old', 'new', or what is wrong with the index after a kill."""
    from qa.index.doctor import examine
    from qa.index.store import IndexProblem, load

    try:
        data = load(index)
    except IndexProblem as exc:
        return f"does not open: {exc}"
    ids = set(data.docs)
    if ids != old_ids and len(ids) != len(old_ids) + MANY:
        return f"{len(ids)} reports: neither the old {len(old_ids)} nor the new {len(old_ids) + MANY}"
    errors = [f.what for f in examine(index) if f.level == "error"]
    if errors:
        return "doctor: " + errors[0]
    return "old" if ids == old_ids else "new"


def run_kills(runs: int, seed: int = 7, work: Path | None = None) -> Kills:
    from qa.index.embed import HashEmbedder, ModelSpec
    from qa.index.store import load
    from qa.ingest.plan import ingest

    work = work or Path(tempfile.mkdtemp(prefix="reportqa-kill-"))
    small, many = work / "small", work / "many"
    small.mkdir(parents=True)
    many.mkdir()
    shutil.copy(SEED_REPORT, small / SEED_REPORT.name)
    text = MANY_FROM.read_text(encoding="utf-8")
    for i in range(MANY):
        (many / f"r{i:02}.txt").write_text(text + f"\n附{i}：编号{i}的抄送单位。\n", encoding="utf-8")
    base = work / "base"
    ingest([small], base, ModelSpec("hash", "", ""), HashEmbedder())
    old_ids = set(load(base).docs)
    kills = Kills(runs)
    index = work / "index"
    shutil.copytree(base, index)
    started = time.perf_counter()
    subprocess.run(_ingest_command(many, index), cwd=ROOT, capture_output=True, check=True, timeout=600)
    kills.whole_ingest_s = time.perf_counter() - started
    draw = random.Random(seed)
    for _ in range(runs):
        shutil.rmtree(index)
        shutil.copytree(base, index)
        delay = draw.uniform(0.3, 1.15) * kills.whole_ingest_s  # the writes come last: some kills land after
        kills.delays.append(delay)
        child = subprocess.Popen(
            _ingest_command(many, index), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait()
        said = _verdict(index, old_ids)
        if said == "old":
            kills.old += 1
        elif said == "new":
            kills.new += 1
        else:
            kills.broken.append(f"killed after {delay:.2f} s: {said}")
    shutil.rmtree(work, ignore_errors=True)
    return kills


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m qatools.killtest", description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    kills = run_kills(args.runs, args.seed)
    print(kills.summary())
    return 1 if kills.broken else 0


if __name__ == "__main__":
    sys.exit(main())
