"""With REPORTQA_PASSWORD set, every route that reads or writes reports refuses a caller who has
not logged in — the page's API and file routes, not only the page — and a login opens them."""

from __future__ import annotations

import http.cookiejar
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from qatools.load import ask_over_http

from .conftest import ROOT, free_port

pytestmark = pytest.mark.slow

PASSWORD = "s3cret-测试"
ASK = json.dumps({"data": ["公务接待费多少？", "全部", "全部", "全部"]}).encode()


def _status(opener: urllib.request.OpenerDirector, url: str, data: bytes | None = None, form: bool = False) -> int:
    headers = {"Content-Type": "application/x-www-form-urlencoded" if form else "application/json"}
    try:
        with opener.open(urllib.request.Request(url, data=data, headers=headers), timeout=30) as resp:
            return int(resp.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def _up(url: str) -> bool:
    try:
        return _status(urllib.request.build_opener(), url) == 200
    except urllib.error.URLError:  # not listening yet
        return False


def _beyond_loopback(index: Path, port: int) -> list[str]:
    return [sys.executable, "-m", "qa", "serve", "--index", str(index), "--host", "0.0.0.0", "--port", str(port)]


@pytest.fixture(scope="module")
def guarded(hash_index: Path) -> object:
    port = free_port()
    env = dict(os.environ, REPORTQA_PASSWORD=PASSWORD, HF_HUB_OFFLINE="1")
    server = subprocess.Popen(
        _beyond_loopback(hash_index, port), cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 120
        while not _up(url):
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the guarded server did not start (exit {server.poll()})")
            time.sleep(0.3)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)


@pytest.mark.parametrize(
    "route, body",
    [
        ("config", None),
        ("gradio_api/info", None),
        ("gradio_api/openapi.json", None),
        ("gradio_api/queue/status", None),
        ("gradio_api/file=/etc/passwd", None),
        ("gradio_api/call/ask", ASK),
        ("gradio_api/call/chat", ASK),
    ],
)
def test_every_route_refuses_a_caller_who_has_not_logged_in(guarded: str, route: str, body: bytes | None) -> None:
    assert _status(urllib.request.build_opener(), guarded + route, body) == 401


def test_a_wrong_password_is_refused_and_the_right_one_opens_the_api(guarded: str) -> None:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    wrong = urllib.parse.urlencode({"username": "reportqa", "password": "wrong"}).encode()
    assert _status(opener, guarded + "login", wrong, form=True) == 400
    assert _status(opener, guarded + "gradio_api/call/ask", ASK) == 401
    right = urllib.parse.urlencode({"username": "reportqa", "password": PASSWORD}).encode()
    assert _status(opener, guarded + "login", right, form=True) == 200
    assert 'class="rq-figure">2.97万元</span>' in ask_over_http(guarded, "公务接待费多少？", opener=opener)


def test_binding_beyond_loopback_without_a_password_is_refused(hash_index: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "REPORTQA_PASSWORD"}
    done = subprocess.run(
        _beyond_loopback(hash_index, free_port()),
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and "set REPORTQA_PASSWORD first" in done.stderr
