"""`reportqa bench --load`: N loopback clients ask the page at once; every answer is a card."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.interfaces.cli import main
from qatools.load import ask_over_http, parse_load, run_load

pytestmark = pytest.mark.slow


def test_clients_at_once_all_get_answer_cards(hash_index: Path) -> None:
    load = run_load(hash_index, clients=4, seconds=3)
    assert load.errors == [] and len(load.latencies_ms) >= 8
    assert load.rss_before_mb > 50 and load.rss_after_mb > 50
    said = load.summary()
    assert said.startswith("4 clients × 3 s: ") and " 0 errors; latency p50 " in said


def test_the_load_spec_is_read_or_refused() -> None:
    assert parse_load("20x60") == (20, 60.0) and parse_load("3X1.5") == (3, 1.5)
    for bad in ("20", "x60", "0x5", "twentyx60"):
        with pytest.raises(ValueError, match="expected CLIENTSxSECONDS"):
            parse_load(bad)
    assert main(["bench", "--load", "20"]) == 2  # a clear error, no traceback


def test_nothing_listens_means_an_error_not_an_answer() -> None:
    with pytest.raises(OSError):
        ask_over_http("http://127.0.0.1:9/", "公务接待费多少？", timeout=2)
