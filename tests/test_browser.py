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

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium")
    pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def server(model_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    log = tmp_path_factory.mktemp("server") / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "qa", "serve", "--index", str(model_index), "--port", str(port)],
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
