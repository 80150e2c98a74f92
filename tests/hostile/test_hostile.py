"""Hostile files through `reportqa ingest`, each beside the seed, each in a process of its own with a
memory cap: a named skip ("<file>: <reason>") or a clean read, never a traceback or a hang, and the
seed still answers afterwards from an index `reportqa doctor` finds sound.

The files are made here, small on disk (the zip bombs ~0.3 MB for 272 MB declared).  Every case is a
test id; the child prints its wall time and peak memory, which the assertion message shows.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from qa.api import ReportQA
from qa.index.doctor import examine
from qa.index.embed import HashEmbedder

from ..conftest import ROOT, SEED
from ..test_formats import make_docx, make_encrypted_pdf, make_image_pdf, make_pdf
from ..test_load import UNDECODABLE

pytestmark = pytest.mark.slow

CAP_BYTES = 3 << 30  # address space of the ingesting process: a file that needs more dies, the test sees it
PEAK_MB = 800  # what one hostile file may take beside the seed (hash embedder)
WALL_S = 60  # a hang is a failure, not a wait

CHILD = """
import resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, ({cap}, {cap}))
from qa.interfaces.cli import main
started = time.perf_counter()
code = main(["ingest", sys.argv[1], "--index", sys.argv[2], "--model", "hash"])
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"CHILD {{time.perf_counter() - started:.2f}} s {{peak:.0f}} MB")
sys.exit(code)
"""


def _zip_bomb(path: Path, member: str) -> Path:
    from qa.ingest.formats import MAX_UNZIPPED

    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        with z.open(member, "w", force_zip64=True) as out:
            block = b"\0" * (1 << 20)
            for _ in range(MAX_UNZIPPED // len(block) + 16):
                out.write(block)
    return path


def _billion_laughs(path: Path) -> Path:
    entities = '<!ENTITY a0 "哈哈哈哈哈哈哈哈哈哈">' + "".join(
        f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    )
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE w [{entities}]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>&a9;</w:t></w:r></w:p></w:body></w:document>"
    )
    good = make_docx(path.with_name("template.docx"))
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, xml if item.filename == "word/document.xml" else src.read(item.filename))
    good.unlink()
    return path


def _write(name: str, data: bytes) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path

    return make


def _made(name: str, maker: Callable[[Path], Path]) -> Callable[[Path], Path]:
    return lambda folder: maker(folder / name)


def _truncated_pdf(folder: Path) -> Path:
    whole = make_pdf(folder / "whole.pdf").read_bytes()
    (folder / "whole.pdf").unlink()
    return _write("half.pdf", whole[: len(whole) // 2])(folder)


def _odd_names(folder: Path) -> Path:
    report = "2020年岚溪县卫生健康局“三公”经费决算情况说明\n\n公务接待费3.20万元。\n"
    (folder / "bad\nname.txt").write_text(report, encoding="utf-8")
    with open(os.path.join(os.fsencode(folder), b"\xff\xfe_gbk.txt"), "wb") as out:
        out.write(report.replace("2020", "2021").encode("gb18030"))
    os.symlink(folder, folder / "loop")
    return folder / "\udcff\udcfe_gbk.txt"


REPORT = "白石县档案馆2020年度部门决算说明\n\n一、“三公”经费\n\n公务接待费1.35万元。\n"
NOISE = random.Random(15).randbytes(8192)

# (case, maker of the hostile file in a folder, what the ingest must print about it: a skip reason
# on stderr, or "" when the file is to be read and indexed)
CASES: list[tuple[str, Callable[[Path], Path], str]] = [
    ("docx-zip-bomb-272MB", lambda f: _zip_bomb(f / "bomb.docx", "word/document.xml"), "may be a zip bomb"),
    ("xlsx-zip-bomb-272MB", lambda f: _zip_bomb(f / "bomb.xlsx", "xl/worksheets/sheet1.xml"), "may be a zip bomb"),
    ("docx-entity-expansion", _made("laughs.docx", _billion_laughs), "damaged DOCX file"),
    ("pdf-truncated", _truncated_pdf, "damaged PDF"),
    ("pdf-random-bytes", _write("noise.pdf", NOISE), "damaged PDF"),
    ("pdf-password", _made("locked.pdf", make_encrypted_pdf), "password"),
    ("pdf-scan-without-text", _made("scan.pdf", make_image_pdf), "needs OCR"),
    ("docx-that-is-an-exe", _write("setup.docx", b"MZ\x90\x00" + NOISE), "not a zip package"),
    (
        "xlsx-password-ole",
        _write("locked.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512),
        "password-protected",
    ),
    ("txt-empty", _write("empty.txt", b""), "empty file"),
    ("txt-binary-nul-both-parities", _write("blob.txt", b"\x00A\x00\x00B" * 400), "binary file"),
    ("txt-undecodable", _write("garbled.txt", UNDECODABLE), "not valid UTF-8"),
    (
        "html-nested-100000-deep",
        _write("deep.html", ("<div>" * 100_000 + f"<p>{REPORT}</p>" + "</div>" * 100_000).encode()),
        "",
    ),
    ("txt-utf16-without-bom", _write("u16.txt", REPORT.encode("utf-16-le")), ""),
    ("txt-gbk", _write("gbk.txt", REPORT.encode("gbk")), ""),
    ("txt-one-line-1MB-no-breaks", _write("line.txt", ("公务接待费1.35万元，" * 40_000).encode()), ""),
    ("names-newline-non-utf8-symlink-loop", _odd_names, "file name is not valid UTF-8"),
]


CARRY_REPORT = {"html-nested-100000-deep", "txt-utf16-without-bom", "txt-gbk"}  # REPORT inside


@pytest.mark.parametrize(("case", "maker", "reason"), CASES, ids=[c[0] for c in CASES])
def test_a_hostile_file_is_skipped_by_name_or_read_and_the_seed_still_answers(
    tmp_path: Path, case: str, maker: Callable[[Path], Path], reason: str
) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / SEED.name).write_bytes(SEED.read_bytes())
    hostile = maker(folder)
    index = tmp_path / "index"
    done = subprocess.run(
        [sys.executable, "-c", CHILD.format(cap=CAP_BYTES), str(folder), str(index)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=WALL_S,
        env=dict(os.environ, HF_HUB_OFFLINE="1"),
    )
    said = done.stdout + done.stderr
    assert done.returncode == 0 and "Traceback" not in said, said[-1500:]
    measured = next(line for line in done.stdout.splitlines() if line.startswith("CHILD "))
    assert float(measured.split()[3]) < PEAK_MB, measured
    if reason:  # one line naming the file and why it was skipped
        name = Path(hostile).name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        assert any(
            line.startswith(f"skipped {folder}") and name in line and reason in line
            for line in done.stderr.splitlines()
        ), said
    qa = ReportQA(index, embedder=HashEmbedder())
    assert qa.ask("2018年冷水滩高科园公务接待费多少？").answer == "2.97万元", measured
    if not reason:  # a hostile but readable report is indexed with its figures, and answers
        kept = [d for d, doc in qa.data.docs.items() if Path(doc.path).name == Path(hostile).name]
        assert kept and qa.context.by_doc.get(kept[0]), measured
        if case in CARRY_REPORT:
            assert qa.ask("白石县档案馆2020年公务接待费多少").answer == "1.35万元", measured
    assert [f for f in examine(index) if f.level == "error"] == []
