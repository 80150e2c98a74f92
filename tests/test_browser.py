"""The chat page in a real browser: Debian chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import ROOT, free_port

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [pytest.mark.browser, pytest.mark.model]

if not Path(CHROMIUM).exists():  # a browser test that cannot run fails; it never skips
    raise RuntimeError(f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does)")


@pytest.fixture(scope="module")
def server(model_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    folder = tmp_path_factory.mktemp("server")
    log = folder / "serve.log"
    index = folder / "index"  # a copy: the upload test adds a report to it
    shutil.copytree(model_index, index)
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "qa", "serve", "--index", str(index), "--port", str(port)],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 240
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited {proc.returncode}: {log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(url, timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"server not up after 240 s: {log.read_text()[-2000:]}")
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_page_answers_with_highlighted_figure(server: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    profile = tmp_path / "profile"
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=FLAGS
        )
        try:
            page = context.new_page()
            page.goto(server, wait_until="domcontentloaded")
            page.locator("#question textarea").fill("公务接待费多少？")
            page.locator("#ask").click()
            figure = page.locator("#rq-figure")
            expect(figure).to_have_text("2.97万元", timeout=60_000)
            expect(page.locator("#answer mark")).to_have_text("2.97万元")
            expect(page.locator("#answer")).to_contain_text("公务接待费")
            expect(page.locator("#answer")).to_contain_text("（三）“三公”经费情况")
            page.screenshot(path=str(tmp_path / "answer.png"), full_page=True)

            page.locator("#question textarea").fill("会议费多少")
            page.locator("#ask").click()
            expect(page.locator("#rq-none")).to_contain_text("未找到", timeout=60_000)
            shutil.copy(tmp_path / "answer.png", os.environ.get("REPORTQA_SCREENSHOT", tmp_path / "copy.png"))
        finally:
            context.close()


def _docx_report(path: Path) -> Path:
    """A small 决算 report of another department and year, as a Word file with a table."""
    import docx

    document = docx.Document()
    document.add_paragraph("白石县档案馆2020年度部门决算说明")
    document.add_paragraph("一、“三公”经费支出情况")
    document.add_paragraph("2020年度“三公”经费支出如下表。")
    document.add_paragraph("单位：万元")
    table = document.add_table(rows=3, cols=3)
    for r, cells in enumerate(
        [("项目", "年初预算数", "决算数"), ("公务接待费", "1.20", "1.35"), ("因公出国（境）费", "0", "0")]
    ):
        for c, text in enumerate(cells):
            table.cell(r, c).text = text
    document.add_paragraph("以上为2020年度决算数。")
    document.save(str(path))
    return path


def test_upload_then_pick_and_compare(server: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    report = _docx_report(tmp_path / "白石县档案馆2020年度部门决算说明.docx")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=CHROMIUM, headless=True, args=FLAGS
        )
        try:
            page = context.new_page()
            page.goto(server, wait_until="domcontentloaded")
            page.get_by_text("上传报告").click()
            page.locator("#upload input[type=file]").set_input_files(str(report))
            page.locator("#upload-index").click()
            expect(page.locator("#upload-status")).to_contain_text(
                "已索引：白石县档案馆2020年度部门决算说明", timeout=120_000
            )

            page.locator("#pick-dept input").click()
            page.get_by_role("option", name="白石县档案馆").click()
            page.locator("#question textarea").fill("公务接待费决算数多少")
            page.locator("#ask").click()
            expect(page.locator("#rq-figure")).to_have_text("1.35万元", timeout=60_000)
            expect(page.locator("#answer")).to_contain_text("白石县档案馆2020年度部门决算说明")

            page.locator("#pick-dept input").click()
            page.get_by_role("option", name="全部").click()
            page.locator("#question textarea").fill("各部门公务接待费对比")
            page.locator("#ask").click()
            rows = page.locator("#rq-rows tbody tr")
            expect(rows).to_have_count(2, timeout=60_000)
            expect(page.locator("#rq-rows")).to_contain_text("2.97万元")
            expect(page.locator("#rq-rows")).to_contain_text("1.35万元")
            page.screenshot(path=str(tmp_path / "rows.png"), full_page=True)
        finally:
            context.close()
