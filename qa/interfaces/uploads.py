"""Reports uploaded on the page: each file checked (type, size), kept beside the index under a name of its own,
and indexed by an incremental ingest under the writer lock; a refused file is named with its reason."""

from __future__ import annotations

import shutil
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from qa.ingest.load import SUPPORTED_SUFFIXES
from qa.interfaces.worker import EngineProblem

if TYPE_CHECKING:
    from qa.api import ReportQA

MAX_UPLOAD_MB = 30
UPLOAD_TYPES = SUPPORTED_SUFFIXES  # one list: what the page accepts is what ingest reads
# At most this many files and megabytes per window, whoever sends them: one client cannot keep the single
# index writer busy or fill the disk (a batch of 60 reports of a few MB each still goes through at once).
UPLOAD_FILES_PER_WINDOW = 60
UPLOAD_MB_PER_WINDOW = 300
UPLOAD_WINDOW_S = 600.0


@dataclass
class UploadLimit:
    """A sliding window over the uploads the page accepted (time, bytes); thread-safe."""

    files: int = UPLOAD_FILES_PER_WINDOW
    megabytes: float = UPLOAD_MB_PER_WINDOW
    window_s: float = UPLOAD_WINDOW_S
    clock: Callable[[], float] = time.monotonic
    taken: deque[tuple[float, int]] = field(default_factory=deque)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self, size: int) -> float:
        """Count an upload of `size` bytes and return 0, or return the seconds until it would be within the
        limit (nothing counted)."""
        with self.lock:
            now = self.clock()
            while self.taken and self.taken[0][0] <= now - self.window_s:
                self.taken.popleft()
            used = sum(b for _, b in self.taken)
            if len(self.taken) < self.files and used + size <= self.megabytes * 1024 * 1024:
                self.taken.append((now, size))
                return 0.0
            return max(1.0, self.taken[0][0] + self.window_s - now) if self.taken else self.window_s


def check_upload(path: Path) -> str | None:
    """Why an uploaded file is refused, or None when it may be indexed."""
    if path.suffix.lower() not in UPLOAD_TYPES:
        return f"{path.name}: 不支持的文件类型 {path.suffix or '（无扩展名）'}；可上传 {'、'.join(UPLOAD_TYPES)}"
    size = path.stat().st_size
    if size > MAX_UPLOAD_MB * 1024 * 1024:
        return f"{path.name}: 文件 {size / 1024 / 1024:.1f} MB，超过上限 {MAX_UPLOAD_MB} MB"
    if size == 0:
        return f"{path.name}: 空文件"
    return None


def kept_path(folder: Path, uploaded: Path) -> Path:
    """Where an upload is kept: its bare file name inside `folder` (never a path out of it); another
    report uploaded under a name already kept gets "-2", "-3" …, so it never replaces the first."""
    name = Path(uploaded.name).name
    kept = folder / name
    number = 2
    content = uploaded.read_bytes() if kept.exists() else b""  # read once, only when the name is taken
    while kept.exists() and kept.read_bytes() != content:
        kept = folder / f"{Path(name).stem}-{number}{Path(name).suffix}"
        number += 1
    return kept


def index_upload(qa: ReportQA, uploaded: Path) -> str:
    """Check, keep and index one uploaded report; the index is untouched when it is refused."""
    from qa.index.store import IndexBusy, IndexUnwritable
    from qa.ingest.plan import ingest

    problem = check_upload(uploaded)
    if problem:
        return problem
    folder = qa.index_dir / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    kept = kept_path(folder, uploaded)
    existed = kept.exists()  # the same report uploaded before: kept already, never deleted here
    try:
        shutil.copyfile(uploaded, kept)
        outcome = ingest([kept], qa.index_dir, qa.spec, lambda: qa.embedder)
    except IndexBusy as exc:
        if not existed:
            kept.unlink(missing_ok=True)
        return f"{uploaded.name}: 索引正在被另一个进程写入，请稍后再试；索引未改动（{exc}）"
    except (IndexUnwritable, OSError) as exc:  # disk full: the copy or the new generation could not be written
        if not existed:
            kept.unlink(missing_ok=True)
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return f"{uploaded.name}: 无法写入索引（{reason}）；索引未改动"
    if outcome.skipped and not outcome.plan.added and not outcome.plan.replaced:
        kept.unlink(missing_ok=True)
        return "；".join(f"{Path(s.path).name}: {s.reason}" for s in outcome.skipped)
    qa.reload()
    doc = next((d for d in qa.data.docs.values() if Path(d.path) == kept), None)
    title = doc.title if doc else kept.name
    return f"已索引：{title}（共 {len(qa.data.docs)} 份报告）"


def upload_report(files: Sequence[str], index_one: Callable[[str], str], limit: UploadLimit | None = None) -> str:
    """Each chosen file indexed in turn, one status line per file (已索引 / 已跳过：原因): a refused
    file leaves the others, and what was already indexed, as they are; past the upload limit a file is
    refused with the wait."""
    if not files:
        return "请选择文件"
    lines = []
    for number, file in enumerate(files, start=1):
        name = Path(file).name
        wait = limit.take(_size(file)) if limit is not None else 0.0
        try:
            said = f"{name}: 上传过于频繁，请 {wait:.0f} 秒后再试" if wait else index_one(file)
        except EngineProblem as exc:  # the answering process failed on this file: say so, go on
            said = f"{name}: {exc}"
        if said.startswith("已索引"):
            lines.append(f"{number}. {name} — {said}")
        else:
            reason = said.removeprefix(f"{name}: ").removeprefix(f"{name}：")
            lines.append(f"{number}. {name} — 已跳过：{reason}")
    return "\n".join(lines)


def _size(file: str) -> int:
    try:
        return Path(file).stat().st_size
    except OSError:
        return 0
