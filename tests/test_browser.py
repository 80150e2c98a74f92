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

from qa.api import ReportQA

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


ENGLISH_CHROME = ("Use via API", "Built with Gradio", "Settings", "Examples", "Clear", "Submit")


def _ask(page: object, question: str) -> None:
    page.locator("#question textarea").fill(question)  # type: ignore[attr-defined]
    page.locator("#ask").click()  # type: ignore[attr-defined]


def test_a_conversation_keeps_history_follows_up_and_exports(server: str, tmp_path: Path, model_qa: ReportQA) -> None:
    import csv

    from playwright.sync_api import expect, sync_playwright

    profile = tmp_path / "profile"
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=FLAGS, accept_downloads=True
        )
        try:
            page = context.new_page()
            page.set_viewport_size({"width": 1280, "height": 900})
            page.goto(server, wait_until="domcontentloaded")
            _ask(page, "公务接待费多少？")
            figures = page.locator("#chat .rq-figure")
            expect(figures.last).to_have_text("2.97万元", timeout=60_000)
            assert figures.last.inner_text() == model_qa.ask("公务接待费多少？").answer  # the page is `ask`
            card = page.locator("#chat .rq-cite").last
            expect(card).to_contain_text("引用：2.97万元（2018年度冷水滩高科园部门整体支出绩效自评报告")
            expect(page.locator("#chat mark").last).to_have_text("2.97万元")
            expect(page.locator("#chat")).to_contain_text("（三）“三公”经费情况")
            # a click on the answer opens the report at the figure, highlighted, at the cited offsets
            page.locator("#chat .rq-figure").last.click()
            hit = page.locator("#source-view mark#rq-source-hit")
            expect(hit).to_have_text("2.97万元", timeout=30_000)
            expect(page.locator("#source-view")).to_contain_text("数字在字符 1024–1030")
            expect(hit).to_be_in_viewport()
            seed = model_qa.ask("公务接待费多少？").sources[0]
            assert model_qa.data.docs[seed.doc_id].text[1024:1030] == "2.97万元"
            page.screenshot(path=str(tmp_path / "source-1280.png"), full_page=True)

            _ask(page, "公务用车呢？")  # a follow-up keeps the question's scope and says what it answered
            expect(page.locator("#chat")).to_contain_text("按“公务用车多少？”回答", timeout=60_000)
            expect(figures.last).to_have_text("2台", timeout=60_000)
            expect(figures).to_have_count(2)  # the first answer is still there

            _ask(page, "会议费多少")  # a decline shows the nearest passages, open, naming their report
            expect(page.locator("#chat .rq-none").last).to_contain_text("未找到", timeout=60_000)
            seed_title = "2018年度冷水滩高科园部门整体支出绩效自评报告"
            expect(page.locator("#chat .rq-passage").first).to_contain_text(seed_title)
            expect(page.locator("#question textarea")).to_have_value("")
            page.screenshot(path=str(tmp_path / "chat-1280.png"), full_page=True)
            page.set_viewport_size({"width": 768, "height": 900})
            page.screenshot(path=str(tmp_path / "chat-768.png"), full_page=True)
            body = page.locator("body").inner_text()
            assert not [w for w in ENGLISH_CHROME if w in body], body[-500:]

            with page.expect_download(timeout=30_000) as download:
                page.locator("#export").click()
            saved = tmp_path / "export.csv"
            download.value.save_as(str(saved))
            rows = list(csv.DictReader(saved.open(encoding="utf-8-sig")))
            assert [r["答案"] for r in rows] == ["2.97万元", "2台", ""]
            assert rows[1]["问题"] == "公务用车呢？" and rows[1]["按此问题回答"] == "公务用车多少？"
            assert rows[0]["报告"] == "2018年度冷水滩高科园部门整体支出绩效自评报告" and rows[0]["字符起"] == "1024"
            assert rows[2]["说明"].startswith("报告中未找到")
            with page.expect_download(timeout=30_000) as download:
                page.locator("#export-xlsx").click()
            workbook = tmp_path / "export.xlsx"
            download.value.save_as(str(workbook))
            import openpyxl

            sheet = openpyxl.load_workbook(workbook).active
            read_back = [[c.value or "" for c in row] for row in sheet.iter_rows(min_row=2)]
            assert read_back == [list(r.values()) for r in rows]
            shutil.copy(tmp_path / "chat-1280.png", os.environ.get("REPORTQA_SCREENSHOT", tmp_path / "copy.png"))
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
            zone = page.locator('#upload [data-testid="upload-text"]')
            said = zone.evaluate("e => [getComputedStyle(e).fontSize, getComputedStyle(e, '::after').content]")
            assert said == ["0px", '"将报告文件拖放到此处，或点击选择（可多选）"']  # gradio's English words hidden
            zone.screenshot(path=str(tmp_path / "upload-zone.png"))
            empty = tmp_path / "空白.txt"
            empty.write_bytes(b"")
            page.locator("#upload input[type=file]").set_input_files([str(report), str(empty)])  # two at once
            page.locator("#upload-index").click()
            status = page.locator("#upload-status")
            expect(status).to_contain_text("已索引：白石县档案馆2020年度部门决算说明", timeout=120_000)
            expect(status).to_contain_text("空白.txt — 已跳过：空文件")

            page.locator("#pick-dept input").click()
            page.get_by_role("option", name="白石县档案馆").click()
            page.locator("#question textarea").fill("公务接待费决算数多少")
            page.locator("#ask").click()
            expect(page.locator("#chat .rq-figure").last).to_have_text("1.35万元", timeout=60_000)
            expect(page.locator("#chat")).to_contain_text("白石县档案馆2020年度部门决算说明")
            expect(page.locator("#header")).to_contain_text("已索引 2 份报告")  # the count follows the upload

            page.locator("#pick-dept input").click()
            page.get_by_role("option", name="全部").click()
            page.locator("#question textarea").fill("各部门公务接待费对比")
            page.locator("#ask").click()
            rows = page.locator("#chat .rq-rows").last.locator("tbody tr")
            expect(rows).to_have_count(2, timeout=60_000)
            expect(page.locator("#chat .rq-rows").last).to_contain_text("2.97万元")
            expect(page.locator("#chat .rq-rows").last).to_contain_text("1.35万元")
            page.reload(wait_until="domcontentloaded")  # a new page lists the uploaded report at once
            expect(page.locator("#header")).to_contain_text("已索引 2 份报告", timeout=30_000)
            page.screenshot(path=str(tmp_path / "rows.png"), full_page=True)
        finally:
            context.close()


def test_the_facts_and_checks_tabs(server: str, tmp_path: Path) -> None:
    import csv

    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=CHROMIUM, headless=True, args=FLAGS, accept_downloads=True
        )
        try:
            page = context.new_page()
            page.set_viewport_size({"width": 1280, "height": 900})
            page.goto(server, wait_until="domcontentloaded")
            page.get_by_role("tab", name="数字一览").click()
            page.locator("#facts-filter textarea").fill("公务接待费 2.97")
            page.locator("#facts-list").click()
            expect(page.locator("#facts-note")).to_contain_text("筛选后 1 个", timeout=60_000)
            expect(page.locator("#facts-table")).to_contain_text("2.97万元")
            expect(page.locator("#facts-table")).to_contain_text("1024")
            with page.expect_download(timeout=30_000) as download:
                page.locator("#facts-csv").click()
            saved = tmp_path / "facts.csv"
            download.value.save_as(str(saved))
            rows = list(csv.DictReader(saved.open(encoding="utf-8-sig")))
            assert [(r["项目"], r["数字"], r["字符起"]) for r in rows] == [("公务接待费", "2.97万元", "1024")]
            page.screenshot(path=str(tmp_path / "facts-1280.png"), full_page=True)

            page.get_by_role("tab", name="核对").click()
            page.locator("#checks-run").click()
            checks = page.locator("#checks")
            expect(checks).to_contain_text("部门整体支出", timeout=60_000)
            expect(checks.locator("td.rq-pass").first).to_have_text("通过")
            expect(checks).to_contain_text("3514.69万元")
            page.screenshot(path=str(tmp_path / "checks-1280.png"), full_page=True)
            body = page.locator("body").inner_text()
            assert not [w for w in ENGLISH_CHROME if w in body], body[-500:]
        finally:
            context.close()
