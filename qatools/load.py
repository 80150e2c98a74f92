"""A bounded load test of the chat page: `reportqa bench --load 20x60 --index DIR`.

N clients on this machine ask through the page's API (`/ask`, as a script would) for S seconds,
each waiting for its answer before the next question; the server is started on a free loopback
port for the run and stopped after, so nothing but 127.0.0.1 is ever targeted.  Prints requests,
errors, latency p50/p95/max and the resident memory of the page's and the answering processes
before and after.
"""

from __future__ import annotations

import statistics
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from qa.interfaces.worker import ANY

from .bench import children_of, served

QUESTIONS = (
    "公务接待费多少？",
    "2018年人员经费是多少",
    "出国花了多少钱",
    "车辆编制数是多少",
    "会议费多少",
    "三公经费合计多少",
)


@dataclass
class Load:
    clients: int
    seconds: float
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    rss_before_mb: float = 0.0
    rss_after_mb: float = 0.0

    def summary(self) -> str:
        ms = sorted(self.latencies_ms)
        p50 = statistics.median(ms) if ms else 0.0
        p95 = ms[min(len(ms) - 1, int(0.95 * len(ms)))] if ms else 0.0
        return (
            f"{self.clients} clients × {self.seconds:.0f} s: {len(ms)} answers, {len(self.errors)} errors; "
            f"latency p50 {p50:.0f} ms, p95 {p95:.0f} ms, max {max(ms, default=0):.0f} ms; "
            f"server RSS {self.rss_before_mb:.0f} → {self.rss_after_mb:.0f} MB "
            f"({self.rss_after_mb - self.rss_before_mb:+.0f} MB)"
            + (f"; first error: {self.errors[0]}" if self.errors else "")
        )


def resident_mb(pid: int) -> float:
    """The current resident set (VmRSS) of a process and its children, in MB."""
    total = 0.0
    for p in [pid, *children_of(pid)]:
        status = Path(f"/proc/{p}/status").read_text(encoding="utf-8")
        total += next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")) / 1024
    return total


def ask_over_http(
    url: str, question: str, timeout: float = 60.0, opener: urllib.request.OpenerDirector | None = None
) -> str:
    """One question through the page's REST API (`POST /gradio_api/call/ask`, then its event
    stream): two plain HTTP requests, so the load test's own clients cost little CPU beside the
    server on the same cores.  `opener`: one carrying a login's cookie, for a page with a password."""
    import json

    open_url = (opener or urllib.request.build_opener()).open
    body = json.dumps({"data": [question, ANY, ANY, ANY]}).encode()
    request = urllib.request.Request(
        f"{url}gradio_api/call/ask", data=body, headers={"Content-Type": "application/json"}
    )
    with open_url(request, timeout=timeout) as resp:
        event = json.loads(resp.read())["event_id"]
    with open_url(f"{url}gradio_api/call/ask/{event}", timeout=timeout) as resp:
        stream = resp.read().decode("utf-8")
    kind = ""
    for line in stream.splitlines():
        if line.startswith("event:"):
            kind = line.removeprefix("event:").strip()
        elif line.startswith("data:") and kind == "complete":
            said = json.loads(line.removeprefix("data:"))[0]
            return str(said)
        elif line.startswith("data:") and kind == "error":
            raise RuntimeError(f"the page answered with an error: {line[5:].strip()[:120]}")
    raise RuntimeError(f"no answer in the event stream: {stream[:120]!r}")


def run_load(index: Path, clients: int, seconds: float) -> Load:
    load = Load(clients, seconds)
    lock = threading.Lock()
    with served(index) as (server, port):
        url = f"http://127.0.0.1:{port}/"
        for _ in range(600):  # the page answers once the answering process is ready
            try:
                ask_over_http(url, QUESTIONS[0])
                break
            except OSError:
                time.sleep(0.1)
        load.rss_before_mb = resident_mb(server.pid)
        deadline = time.perf_counter() + seconds

        def ask(number: int) -> None:
            asked = number
            while time.perf_counter() < deadline:
                question = QUESTIONS[asked % len(QUESTIONS)]
                asked += 1
                started = time.perf_counter()
                try:
                    said = ask_over_http(url, question)
                    if "rq-" not in said:
                        raise ValueError(f"not an answer card: {said[:80]!r}")
                except Exception as exc:  # counted and shown, the run goes on
                    with lock:
                        load.errors.append(f"{type(exc).__name__}: {exc}")
                    continue
                with lock:
                    load.latencies_ms.append((time.perf_counter() - started) * 1000)

        threads = [threading.Thread(target=ask, args=(n,)) for n in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        load.rss_after_mb = resident_mb(server.pid)
    return load


def parse_load(spec: str) -> tuple[int, float]:
    """ "20x60" → 20 clients for 60 seconds."""
    clients, _, seconds = spec.lower().partition("x")
    if not clients.isdigit() or not seconds.replace(".", "", 1).isdigit() or int(clients) < 1:
        raise ValueError(f"--load {spec!r}: expected CLIENTSxSECONDS, e.g. 20x60")
    return int(clients), float(seconds)
